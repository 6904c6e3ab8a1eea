// Dynamic Host Configuration Protocol for IPv4 (RFC 2131): the BOOTP
// message (RFC 951) carried in UDP between ports 67 and 68, with the
// options of RFC 2132 after the magic cookie. The options run to the end
// of the UDP payload. RFC 2131 4.1 lets a message carry padding after the
// End option (RFC 2132 3.2: Pad options; BOOTP relays pad to 300 bytes),
// so End takes what is left of the list: Pad bytes, or whatever a sender
// put there, which receivers ignore.
packet dhcpv4 {
  op: byte variant { |1 -> BootRequest |2 -> BootReply };
  // Hardware address type (ARP hardware type; 1 is Ethernet).
  htype: byte;
  // Hardware address length; chaddr holds at most 16 bytes.
  hlen: byte max(16);
  // Relay agents increment this.
  hops: byte;
  // Transaction ID, chosen by the client.
  xid: uint32 format(hex);
  // Seconds since the client began acquiring an address.
  secs: uint16;
  // The client cannot receive unicast before it is configured.
  broadcast: bit[1];
  // Must be zero (RFC 2131 2): kept as received.
  flags_reserved: bit[15] format(hex);
  // Client IP address, when it already has one.
  ciaddr: uint32 format(ipv4);
  // "Your" (client) IP address.
  yiaddr: uint32 format(ipv4);
  // Next server to use in bootstrap.
  siaddr: uint32 format(ipv4);
  // Relay agent IP address.
  giaddr: uint32 format(ipv4);
  // Client hardware address: its first hlen bytes.
  chaddr: byte[16] format(hex);
  // Optional server host name, a NUL-terminated string.
  sname: byte[64];
  // Boot file name, a NUL-terminated string.
  file: byte[128];
  magic_cookie: uint32 format(hex) const(0x63825363);
  // RFC 2132 options, each a code, and but for Pad and End a length and
  // that many bytes.
  options: array[remaining()] {
    code: byte;
    classify (code) {
      |0:"Pad" -> ();
      // The last option: what follows is padding.
      |255:"End" -> padding: byte[remaining()];
      |1:"SubnetMask" ->
        len: byte const(4);
        mask: uint32 format(ipv4);
      |3:"Routers" ->
        len: byte min(4) value(sizeof(routers));
        routers: array[len] { address: uint32 format(ipv4); };
      |6:"DNSServers" ->
        len: byte min(4) value(sizeof(servers));
        servers: array[len] { address: uint32 format(ipv4); };
      |50:"RequestedIP" ->
        len: byte const(4);
        address: uint32 format(ipv4);
      // Seconds; 0xffffffff is infinity.
      |51:"LeaseTime" ->
        len: byte const(4);
        seconds: uint32;
      |53:"MessageType" ->
        len: byte const(1);
        type: byte variant {
          |1 -> DHCPDISCOVER |2 -> DHCPOFFER |3 -> DHCPREQUEST |4 -> DHCPDECLINE
          |5 -> DHCPACK |6 -> DHCPNAK |7 -> DHCPRELEASE |8 -> DHCPINFORM
        };
      |54:"ServerID" ->
        len: byte const(4);
        address: uint32 format(ipv4);
      // Option codes the client asks for.
      |55:"ParameterRequestList" ->
        len: byte min(1) value(sizeof(codes));
        codes: byte[len];
      |_:"Other" ->
        len: byte value(sizeof(data));
        data: byte[len];
    };
  };
}
