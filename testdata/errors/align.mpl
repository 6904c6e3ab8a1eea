packet p {
  a: byte align(32);
  b: byte[4] align(12);
}
