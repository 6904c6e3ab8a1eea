// IEEE 802.1Q VLAN tag: the four bytes after an Ethernet ethertype of
// 0x8100 (802.1Q, C-tag) or 0x88a8 (802.1ad, S-tag). The tag protocol
// identifier is the outer frame's ethertype; this is the tag control
// information and the ethertype of what the tag carries.
packet vlan {
  // Priority code point (IEEE 802.1p).
  pcp: bit[3];
  // Drop eligible indicator.
  dei: bit[1];
  // VLAN identifier; 0 tags priority only, 0xFFF is reserved.
  vid: bit[12] max(4094);
  // The protocol of the payload.
  ethertype: uint16 format(hex) variant {
    |0x0800 -> IPv4
    |0x0806 -> ARP
    |0x8100 -> VLAN
    |0x86dd -> IPv6
    |0x88a8 -> QinQ
    |0x88cc -> LLDP
  };
  // The encapsulated packet.
  payload: byte[remaining()];
}
