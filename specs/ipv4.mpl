// Internet Protocol version 4 (RFC 791): header, options and payload. Bytes
// after total_length, such as Ethernet padding, are not part of the packet.
packet ipv4 {
  version: bit[4] const(4);
  // Header length in 32-bit words.
  ihl: bit[4] min(5) value(offset(options) / 4);
  // Differentiated services code point (RFC 2474).
  dscp: bit[6];
  // Explicit congestion notification (RFC 3168).
  ecn: bit[2];
  // Length of header and payload in bytes.
  total_length: uint16 min(ihl * 4) value(offset(payload));
  // Identification, for reassembly.
  id: uint16;
  // Reserved flag; must be zero.
  reserved: bit[1];
  // Don't fragment.
  dont_fragment: bit[1];
  // More fragments follow.
  more_fragments: bit[1];
  // Offset of this fragment in 8-byte units.
  fragment_offset: bit[13];
  // Time to live.
  ttl: byte default(64);
  // The protocol of the payload.
  protocol: byte variant {
    |1 -> ICMP |2 -> IGMP |4 -> IPIP |6 -> TCP |17 -> UDP
    |41 -> IPv6 |47 -> GRE |50 -> ESP |51 -> AH |132 -> SCTP
  };
  // Header checksum (RFC 1071) over the header.
  checksum: uint16 format(hex) checksum(version .. options);
  // Source address.
  src: uint32 format(ipv4);
  // Destination address.
  dst: uint32 format(ipv4);
  // Options, padded to a multiple of 4 bytes.
  options: byte[ihl * 4 - offset(dst)] align(32);
  // The encapsulated packet (or fragment).
  payload: byte[total_length - offset(options)];
}
