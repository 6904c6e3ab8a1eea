packet p {
  a: byte[ÿş];
}
