packet p {
  a: byte const(1) value(2);
  b: byte default(1) value(2);
  c: byte min(10) max(5);
}
