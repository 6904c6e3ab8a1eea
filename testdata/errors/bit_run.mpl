packet p {
  a: bit[4];
  b: bit[3];
  c: byte;
}
