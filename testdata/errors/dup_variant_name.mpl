packet p {
  a: byte variant { |1 -> One |2 -> One };
}
