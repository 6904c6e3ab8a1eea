packet p {
  t: byte variant {
    |1 = One
    |2 -> Two
  };
  c: byte;
}
