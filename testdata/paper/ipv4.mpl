// IPv4, as in figure 3 of the Melange paper (EuroSys 2007).
packet ipv4 {
  version: bit[4] const(4);
  ihl: bit[4] min(5) value(offset(options) / 4);
  tos_precedence: bit[3] variant {
    |0 => Routine |1 -> Priority
    |2 -> Immediate |3 -> Flash
    |4 -> Flash_override |5 -> ECP
    |6 -> Internetwork_control
    |7 -> Network_control
  };
  delay: bit[1] default(false);
  throughput: bit[1] default(false);
  reliability: bit[1] default(false);
  tos_reserved: bit[2] const(0);
  length: uint16 value(offset(data));
  id: uint16;
  reserved: bit[1] const(0);
  dont_fragment: bit[1] default(false);
  can_fragment: bit[1] default(false);
  frag_offset: bit[13] default(0);
  ttl: byte;
  protocol: byte variant {|1->ICMP |2->IGMP |6->TCP |17->UDP};
  checksum: uint16 default(0);
  src: uint32;
  dest: uint32;
  options: byte[(ihl * 4) - offset(dest)] align(32);
  header_end: label;
  data: byte[length-offset(header_end)];
}
