packet p {
  t: bit[1];
  pad: bit[7];
  classify (t) {
    |0 < 1:"A" -> ();
  };
}
