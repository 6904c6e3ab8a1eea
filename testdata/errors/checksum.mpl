packet a(addr src) {
  x: uint16;
  c1: uint32 checksum(x ..);
  c2: uint16 checksum(nope ..);
  c3: uint16 checksum(x .. y, src + 1);
  y: byte;
  c4: uint16 checksum(y ..) const(3);
  z: byte[src];
  c5: uint16 absent(0);
  c6: uint16 checksum(x .., 1 == 1) absent(1);
  classify (x) { |1:"A" -> q: uint16; |_:"B" -> (); };
}
packet b {
  d: byte;
  c: uint16 checksum(d ..);
}
packet c {
  c: uint16 checksum(c ..);
  d: uint16 checksum(d ..);
}
packet d {
  p: packet a();
}
packet e {
  a: byte;
  b: byte;
  c: uint16 checksum(b .. a);
  classify (a) { |1:"A" -> q: uint16 checksum(a ..); |_:"B" -> (); };
  d: uint16 checksum(a .. a);
}
packet f {
  a: byte;
  n: byte;
  c: uint16 checksum(a ..) max(n);
  classify (c) { |1:"A" -> (); |_:"B" -> (); };
}
packet g {
  a: uint16 checksum();
}
packet h {
  f1: bit[4];
  f2: bit[4];
  x: byte;
  s1: uint16 checksum(f2 ..);
}
packet i {
  f1: bit[4];
  f2: bit[4];
  x: byte;
  s1: uint16 checksum(f1 .. f1);
}
