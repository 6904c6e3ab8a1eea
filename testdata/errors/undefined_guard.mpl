packet p {
  t: byte;
  classify (t) {
    |1:"A" when (flag) -> ();
  };
}
