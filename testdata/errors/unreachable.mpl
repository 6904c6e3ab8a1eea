packet p {
  t: byte;
  classify (t) {
    |_:"Other" -> ();
    |1:"One" -> ();
  };
}
