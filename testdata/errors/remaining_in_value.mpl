packet p {
  len: uint16 value(remaining());
  data: byte[len];
}
