// The header length and the total length computed from a label placed
// before the options, as MPL's TCP did: neither counts the options.
packet ipv4 {
  version: bit[4] const(4);
  ihl: bit[4] min(5) value(offset(fixed_end) / 4);
  tos: byte;
  total_length: uint16 min(ihl * 4) value(offset(fixed_end));
  id: uint16;
  frag: uint16;
  ttl: byte;
  protocol: byte;
  checksum: uint16;
  src: uint32;
  dst: uint32;
  fixed_end: label;
  options: byte[ihl * 4 - offset(dst)] align(32);
  payload: byte[total_length - offset(options)];
}
