packet p {
  data: byte[len];
}
