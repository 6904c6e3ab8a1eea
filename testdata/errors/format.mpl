packet p {
  a: uint16 format(ipv4);
  b: byte[6] format(colour);
  c: byte[4] format(ipv4);
  d: uint32 format(1 + 2);
}
