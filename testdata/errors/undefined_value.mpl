packet p {
  len: uint16 value(offset(nothing));
  data: byte[len];
}
