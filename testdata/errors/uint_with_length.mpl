packet p {
  a: uint16[2];
  b: label[2];
}
