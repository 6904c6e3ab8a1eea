packet p {
  a: byte colour(3);
}
