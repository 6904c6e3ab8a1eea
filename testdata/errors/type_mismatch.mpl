packet p {
  a: byte;
  b: byte[a and 1];
}
