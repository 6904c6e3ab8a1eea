packet p {
  a: byte;
  a: uint16;
}
