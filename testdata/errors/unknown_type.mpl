packet p {
  a: uint12;
}
