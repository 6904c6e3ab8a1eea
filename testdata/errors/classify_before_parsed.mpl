packet p {
  classify (t) {
    |1:"A" -> ();
  };
  t: byte;
}
