// Domain Name System messages (RFC 1035 section 4), with EDNS0 (RFC 6891).
packet dns {
  id: uint16;
  // Query (false) or response (true).
  qr: bit[1];
  opcode: bit[4] variant { |0 -> Query |1 -> IQuery |2 -> Status |4 -> Notify |5 -> Update };
  // Authoritative answer.
  aa: bit[1];
  // Truncated.
  tc: bit[1];
  // Recursion desired.
  rd: bit[1];
  // Recursion available.
  ra: bit[1];
  z: bit[1];
  // Authentic data (RFC 4035).
  ad: bit[1];
  // Checking disabled (RFC 4035).
  cd: bit[1];
  rcode: bit[4] variant {
    |0 -> NoError |1 -> FormErr |2 -> ServFail |3 -> NXDomain |4 -> NotImp |5 -> Refused
    |6 -> YXDomain |7 -> YXRRSet |8 -> NXRRSet |9 -> NotAuth |10 -> NotZone
  };
  qdcount: uint16 value(array_length(questions));
  ancount: uint16 value(array_length(answers));
  nscount: uint16 value(array_length(authorities));
  arcount: uint16 value(array_length(additionals));
  questions: array(qdcount) {
    qname: dns_label_comp;
    qtype: uint16;
    qclass: uint16;
  };
  answers: array(ancount) { rr: packet rr; };
  authorities: array(nscount) { rr: packet rr; };
  additionals: array(arcount) unique("OPT") { rr: packet rr; };
}

// A resource record (RFC 1035 section 4.1.3), or the OPT pseudo-record of
// EDNS0 (RFC 6891 section 6.1.2).
packet rr {
  name: dns_label_comp;
  type: uint16;
  classify (type) {
    |41:"OPT" ->
      udp_size: uint16;
      ext_rcode: byte;
      version: byte;
      do: bit[1];
      flags: bit[15];
      optlen: uint16 value(sizeof(options));
      options: array[optlen] {
        code: uint16;
        length: uint16 value(offset(opt_end) - offset(opt_start));
        opt_start: label;
        classify (code) {
          |8:"ClientSubnet" ->
            family: uint16;
            source_prefix: byte;
            scope_prefix: byte;
            address: byte[length - 4];
          |10:"Cookie" ->
            client: byte[8];
            server: byte[length - 8];
          |12:"Padding" -> padding: byte[length];
          |_:"OtherOption" -> data: byte[length];
        };
        opt_end: label;
      };
    |_:"Record" ->
      class: uint16;
      ttl: uint32;
      rdlength: uint16 value(offset(rd_end) - offset(rd_start));
      rd_start: label;
      classify (type) {
        |1:"A" -> a: byte[4] format(ipv4);
        |2:"NS" -> ns: dns_label_comp;
        // A host with a mail agent for the domain (RFC 1035 section 3.3.4).
        // MD is obsolete, but still well-known (RFC 3597 section 4), so its
        // name may be compressed.
        |3:"MD" -> madname: dns_label_comp;
        // A host with a mail agent for the domain (RFC 1035 section 3.3.5).
        // MF is obsolete, but still well-known (RFC 3597 section 4), so its
        // name may be compressed.
        |4:"MF" -> madname: dns_label_comp;
        |5:"CNAME" -> cname: dns_label_comp;
        |6:"SOA" ->
          mname: dns_label_comp;
          rname: dns_label_comp;
          serial: uint32;
          refresh: uint32;
          retry: uint32;
          expire: uint32;
          minimum: uint32;
        // A host with the mailbox (RFC 1035 section 3.3.3).
        |7:"MB" -> madname: dns_label_comp;
        // A mailbox in the mail group (RFC 1035 section 3.3.6).
        |8:"MG" -> mgmname: dns_label_comp;
        // The mailbox that the mailbox was renamed to (RFC 1035 section
        // 3.3.8).
        |9:"MR" -> newname: dns_label_comp;
        |12:"PTR" -> ptr: dns_label_comp;
        // Host information (RFC 1035 section 3.3.2).
        |13:"HINFO" ->
          // The host's CPU type.
          cpu: string8;
          // The host's operating system.
          os: string8;
        // Mailbox or mail list information (RFC 1035 section 3.3.7).
        |14:"MINFO" ->
          // The mailbox responsible for the mail list or mailbox.
          rmailbx: dns_label_comp;
          // The mailbox that receives errors about the mail list or
          // mailbox.
          emailbx: dns_label_comp;
        |15:"MX" -> preference: uint16; exchange: dns_label_comp;
        |16:"TXT" -> texts: array[rdlength] { text: string8; };
        // The responsible person (RFC 1183 section 2.2). Senders must not
        // compress the names of RP, AFSDB and RT; receivers decompress
        // them (RFC 3597 section 4), so they are dns_label.
        |17:"RP" ->
          // The responsible person's mailbox, or the root.
          mbox: dns_label;
          // A name with TXT records about the person, or the root.
          txt: dns_label;
        // An AFS or DCE server (RFC 1183 section 1).
        |18:"AFSDB" ->
          // 1 for an AFS cell database server, 2 for a DCE name server.
          subtype: uint16;
          // The server's host.
          hostname: dns_label;
        // Route through (RFC 1183 section 3.3).
        |21:"RT" ->
          // The route's preference, lowest first.
          preference: uint16;
          // A host to route through.
          intermediate_host: dns_label;
        |28:"AAAA" -> aaaa: byte[16] format(ipv6);
        |33:"SRV" -> priority: uint16; weight: uint16; port: uint16; target: dns_label;
        |_:"Other" -> rdata: byte[rdlength];
      };
      rd_end: label;
  };
}
