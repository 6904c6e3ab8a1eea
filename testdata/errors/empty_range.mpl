packet p {
  t: byte;
  classify (t) {
    |10..5:"Backwards" -> ();
  };
}
