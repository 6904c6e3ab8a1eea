packet p {
  a: byte[4 / 0];
}
