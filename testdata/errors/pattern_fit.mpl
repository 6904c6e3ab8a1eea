packet p {
  t: bit[4];
  u: bit[4];
  classify (t) {
    |16:"Big" -> ();
    |true:"Yes" -> ();
  };
}
