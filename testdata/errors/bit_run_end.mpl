packet p {
  a: byte;
  b: bit[12];
}
