packet p {
  t: byte;
  classify (t) {
    |1:"not an ident" -> ();
    |2:"A" -> ();
    |3:"A" -> ();
  };
}
