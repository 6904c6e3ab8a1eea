packet p {
  a: bit[0];
  b: bit[8];
}
