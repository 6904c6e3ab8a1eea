packet p(float x, int y, int y) {
  a: byte[y];
}
