// A total length that stops before the payload: a builder writes the
// length of the header, and a parser then reads an empty payload.
packet ipv4 {
  version: bit[4] const(4);
  ihl: bit[4] min(5) value(offset(options) / 4);
  tos: byte;
  total_length: uint16 min(ihl * 4) value(offset(options));
  id: uint16;
  frag: uint16;
  ttl: byte;
  protocol: byte;
  checksum: uint16;
  src: uint32;
  dst: uint32;
  options: byte[ihl * 4 - offset(dst)] align(32);
  payload: byte[total_length - offset(options)];
}
