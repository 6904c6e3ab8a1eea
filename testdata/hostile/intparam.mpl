// A pattern above the largest int on an int parameter never matches.
packet p(int k) {
  classify (k) {
    |9223372036854775808:"Big" -> ();
    |_:"Other" -> x: byte;
  };
}
