packet p {
  a: byte[length_of(a)];
}
