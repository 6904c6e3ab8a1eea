packet p {
  a: byte
  b: byte;
}
