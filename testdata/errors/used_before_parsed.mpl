packet p {
  data: byte[len];
  len: byte;
}
