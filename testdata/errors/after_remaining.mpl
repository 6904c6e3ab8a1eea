packet p {
  data: byte[remaining()];
  trailer: uint32;
}
