// IEEE 802.1Q VLAN tag: the four bytes after an Ethernet ethertype of
// 0x8100 (an 802.1Q customer tag, C-tag) or 0x88a8 (an 802.1ad service
// tag, S-tag; a frame with both is QinQ, the S-tag outside). The tag
// protocol identifier is the ethertype of the header around the tag; the
// tag holds the tag control information and the ethertype of what it
// carries, which may be another tag.
packet vlan {
  // Priority code point (IEEE 802.1p), 0 to 7.
  pcp: bit[3];
  // Drop eligible indicator: the frame may be dropped under congestion.
  dei: bit[1];
  // VLAN identifier. 1 to 4094 name a VLAN; 0 means that the tag carries
  // a priority only (a priority-tagged frame) and 0xFFF is reserved
  // (IEEE 802.1Q table 9-2). Parse accepts both, as tshark and gopacket
  // do.
  vid: bit[12];
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
