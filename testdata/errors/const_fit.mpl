packet p {
  a: byte const(256);
}
