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

// The options of an IPv4 header (RFC 791 3.1), as a list: parse the
// packet.s options field with ParseOptions to iterate over them, and
// build them with OptionsBuilder into a Builder's Options. Each option
// is its type octet (copied flag, class, number) and, but for End and
// No Operation, a length and that many bytes in all; builders pad the
// list with zeros (End of Option List, then padding) to a multiple of 4
// bytes. Options of another type keep their data as bytes.
packet options {
  options: array[remaining()] align(32) {
    option_type: byte;
    classify (option_type) {
      // End of the option list: what follows, to the end of the header,
      // is padding (zeros).
      |0:"End" -> padding: byte[remaining()];
      // No Operation, between options to align them.
      |1:"NOP" -> ();
      // Record Route: the addresses recorded so far, and room for more.
      |7:"RecordRoute" ->
        option_length: byte min(3) value(sizeof(route) + 3);
        // Offset (from the option's start, 1-based) of the next slot.
        pointer: byte;
        route: array[option_length - 3] {
          address: uint32 format(ipv4);
        };
      // Loose source and record route (RFC 791).
      |131:"LooseSourceRoute" ->
        option_length: byte min(3) value(sizeof(route) + 3);
        pointer: byte;
        route: array[option_length - 3] {
          address: uint32 format(ipv4);
        };
      // Strict source and record route (RFC 791).
      |137:"StrictSourceRoute" ->
        option_length: byte min(3) value(sizeof(route) + 3);
        pointer: byte;
        route: array[option_length - 3] {
          address: uint32 format(ipv4);
        };
      // Internet Timestamp: timestamps, or addresses and timestamps,
      // as flag says; kept as bytes.
      |68:"Timestamp" ->
        option_length: byte min(4) value(sizeof(timestamps) + 4);
        pointer: byte;
        // Hosts that could not record a timestamp for lack of room.
        overflow: bit[4];
        // 0: timestamps only; 1: each preceded by an address; 3:
        // prespecified addresses.
        flag: bit[4];
        timestamps: byte[option_length - 4];
      // Router Alert (RFC 2113): routers examine the packet more closely.
      |148:"RouterAlert" ->
        option_length: byte const(4);
        // 0: the router shall examine the packet.
        value: uint16;
      |_:"Other" ->
        option_length: byte min(2) value(sizeof(option_data) + 2);
        option_data: byte[option_length - 2];
    };
  };
}
