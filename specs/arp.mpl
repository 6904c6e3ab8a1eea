// Address Resolution Protocol (RFC 826). Ethernet/IPv4 ARP has typed
// addresses; other hardware and protocol address sizes are kept as bytes.
packet arp {
  // Hardware type.
  htype: uint16 variant { |1 => Ethernet |6 -> IEEE802 };
  // Protocol type, an EtherType.
  ptype: uint16 variant { |0x0800 => IPv4 };
  // Hardware address length in bytes.
  hlen: byte;
  // Protocol address length in bytes.
  plen: byte default(4);
  // Operation.
  op: uint16 variant { |1 -> Request |2 -> Reply |3 -> RARPRequest |4 -> RARPReply };
  classify (hlen) {
    |6:"EthernetIPv4" when (plen = 4) ->
      // Sender hardware address.
      sha: byte[6] format(mac);
      // Sender protocol address.
      spa: byte[4] format(ipv4);
      // Target hardware address.
      tha: byte[6] format(mac);
      // Target protocol address.
      tpa: byte[4] format(ipv4);
    |_:"Other" ->
      // Sender hardware address.
      sha: byte[hlen];
      // Sender protocol address.
      spa: byte[plen];
      // Target hardware address.
      tha: byte[hlen];
      // Target protocol address.
      tpa: byte[plen];
  };
}
