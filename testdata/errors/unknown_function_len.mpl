packet p {
  n: byte;
  a: byte[len(n)];
}
