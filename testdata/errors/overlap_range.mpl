packet p {
  t: uint16;
  classify (t) {
    |0..100:"Low" -> ();
    |50:"Mid" -> ();
  };
}
