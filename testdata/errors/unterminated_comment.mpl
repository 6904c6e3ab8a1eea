packet p {
  /* never closed
  a: byte;
}
