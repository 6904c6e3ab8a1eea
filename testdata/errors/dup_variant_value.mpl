packet p {
  a: byte variant { |1 -> One |1 -> Uno };
}
