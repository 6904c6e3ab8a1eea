packet p {
  a: byte;
