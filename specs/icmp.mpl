// Internet Control Message Protocol for IPv4 (RFC 792, RFC 950, RFC 1191).
// Messages of an unknown type keep their body in the view's Rest.
packet icmp {
  type: byte;
  code: byte;
  // Checksum (RFC 1071) of the whole message.
  checksum: uint16 format(hex) checksum(type ..);
  classify (type) {
    |0:"EchoReply" ->
      identifier: uint16;
      sequence: uint16;
      data: byte[remaining()];
    |3:"DestinationUnreachable" ->
      unused: uint16;
      // Next-hop MTU when code is 4, fragmentation needed (RFC 1191).
      next_hop_mtu: uint16;
      // The offending IP header and at least 8 bytes of its payload.
      original: byte[remaining()];
    |4:"SourceQuench" ->
      unused: uint32;
      original: byte[remaining()];
    |5:"Redirect" ->
      // The gateway to send to instead.
      gateway: uint32 format(ipv4);
      original: byte[remaining()];
    |8:"EchoRequest" ->
      identifier: uint16;
      sequence: uint16;
      data: byte[remaining()];
    |11:"TimeExceeded" ->
      unused: uint32;
      original: byte[remaining()];
    |12:"ParameterProblem" ->
      // Byte offset of the problem in the original header.
      pointer: byte;
      unused: bit[24];
      original: byte[remaining()];
    |13:"Timestamp" ->
      identifier: uint16;
      sequence: uint16;
      // Milliseconds since midnight UT.
      originate: uint32;
      receive: uint32;
      transmit: uint32;
    |14:"TimestampReply" ->
      identifier: uint16;
      sequence: uint16;
      originate: uint32;
      receive: uint32;
      transmit: uint32;
    |17:"AddressMaskRequest" ->
      identifier: uint16;
      sequence: uint16;
      mask: uint32 format(ipv4);
    |18:"AddressMaskReply" ->
      identifier: uint16;
      sequence: uint16;
      mask: uint32 format(ipv4);
  };
}
