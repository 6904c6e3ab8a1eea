// Internet Protocol version 6 (RFC 8200): the fixed header and its payload,
// extension headers included. Bytes after payload_length, such as Ethernet
// padding, are not part of the packet. Jumbograms (RFC 2675, a zero
// payload_length with a Jumbo Payload option) are not handled.
packet ipv6 {
  version: bit[4] const(6);
  // Traffic class: DSCP (RFC 2474) and ECN (RFC 3168).
  traffic_class: bit[8];
  // Flow label (RFC 6437).
  flow_label: bit[20] format(hex);
  // Length of the payload in bytes, extension headers included.
  payload_length: uint16 value(sizeof(payload));
  // The type of the header after this one.
  next_header: byte variant {
    |0 -> HopByHop |6 -> TCP |17 -> UDP |41 -> IPv6 |43 -> Routing
    |44 -> Fragment |50 -> ESP |51 -> AH |58 -> ICMPv6 |59 -> NoNext
    |60 -> DestinationOptions |135 -> Mobility
  };
  // Hop limit.
  hop_limit: byte default(64);
  // Source address.
  src: byte[16] format(ipv6);
  // Destination address.
  dst: byte[16] format(ipv6);
  // Extension headers and the upper-layer packet.
  payload: byte[payload_length];
}

// The Hop-by-Hop Options and Destination Options extension headers (RFC
// 8200 4.3, 4.6), with the options as raw bytes, followed by the rest of
// the packet.
packet options_header {
  // The type of the header after this one, as in ipv6.next_header.
  next_header: byte;
  // Length in 8-byte units, not counting the first 8 bytes.
  hdr_ext_len: byte value(offset(options) / 8 - 1);
  // Type-length-value options, with padding (RFC 8200 4.2).
  options: byte[hdr_ext_len * 8 + 6];
  payload: byte[remaining()];
}

// The Routing extension header (RFC 8200 4.4), with the type-specific data
// as raw bytes.
packet routing {
  next_header: byte;
  // Length in 8-byte units, not counting the first 8 bytes.
  hdr_ext_len: byte value(offset(data) / 8 - 1);
  routing_type: byte;
  // Route segments still to visit.
  segments_left: byte;
  data: byte[hdr_ext_len * 8 + 4];
  payload: byte[remaining()];
}

// The Fragment extension header (RFC 8200 4.5).
packet fragment {
  next_header: byte;
  reserved: byte;
  // Offset of the data after this header, in 8-byte units.
  fragment_offset: bit[13];
  res: bit[2];
  // More fragments follow.
  more_fragments: bit[1];
  identification: uint32;
  payload: byte[remaining()];
}
