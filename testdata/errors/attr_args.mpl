packet p {
  a: byte min(1, 2) max();
  b: byte min(1) min(2);
}
