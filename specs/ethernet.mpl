// Ethernet II frame (IEEE 802.3 with an EtherType), without the frame check
// sequence. The payload keeps any padding up to the 60-byte minimum.
packet ethernet {
  // Destination MAC address.
  dst: byte[6] format(mac);
  // Source MAC address.
  src: byte[6] format(mac);
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
