// Internet Control Message Protocol for IPv6 (RFC 4443) with the Neighbor
// Discovery messages (RFC 4861). NDP options are kept as raw bytes.
// Messages of an unknown type keep their body in the view's Rest.
packet icmpv6 {
  type: byte;
  code: byte;
  // Checksum (RFC 4443 2.3) over a pseudo-header and the message.
  checksum: uint16 format(hex);
  classify (type) {
    |1:"DestinationUnreachable" ->
      unused: uint32;
      // As much of the invoking packet as fits in the minimum IPv6 MTU.
      original: byte[remaining()];
    |2:"PacketTooBig" ->
      // The MTU of the next-hop link.
      mtu: uint32;
      original: byte[remaining()];
    |3:"TimeExceeded" ->
      unused: uint32;
      original: byte[remaining()];
    |4:"ParameterProblem" ->
      // Byte offset of the error in the invoking packet.
      pointer: uint32;
      original: byte[remaining()];
    |128:"EchoRequest" ->
      identifier: uint16;
      sequence: uint16;
      data: byte[remaining()];
    |129:"EchoReply" ->
      identifier: uint16;
      sequence: uint16;
      data: byte[remaining()];
    |133:"RouterSolicitation" ->
      reserved: uint32;
      options: byte[remaining()];
    |134:"RouterAdvertisement" ->
      // Hop limit for outgoing packets; 0 leaves it unspecified.
      cur_hop_limit: byte;
      // Managed address configuration.
      managed: bit[1];
      // Other configuration.
      other: bit[1];
      reserved: bit[6];
      // Lifetime as a default router, in seconds.
      router_lifetime: uint16;
      // Milliseconds.
      reachable_time: uint32;
      // Milliseconds.
      retrans_timer: uint32;
      options: byte[remaining()];
    |135:"NeighborSolicitation" ->
      reserved: uint32;
      // The address whose link-layer address is sought.
      target: byte[16] format(ipv6);
      options: byte[remaining()];
    |136:"NeighborAdvertisement" ->
      // The sender is a router.
      router: bit[1];
      // Sent in answer to a solicitation.
      solicited: bit[1];
      // Override cached link-layer addresses.
      override: bit[1];
      reserved: bit[29];
      target: byte[16] format(ipv6);
      options: byte[remaining()];
    |137:"Redirect" ->
      reserved: uint32;
      // A better first hop for the destination.
      target: byte[16] format(ipv6);
      destination: byte[16] format(ipv6);
      options: byte[remaining()];
  };
}
