packet p(int n) {
  a: byte;
  b: byte const(a);
  c: byte const(n);
}
