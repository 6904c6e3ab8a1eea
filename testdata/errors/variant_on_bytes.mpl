packet p {
  a: byte[2] variant { |1 -> One };
}
