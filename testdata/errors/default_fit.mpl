packet p {
  a: bit[4] default(16);
  b: bit[4];
}
