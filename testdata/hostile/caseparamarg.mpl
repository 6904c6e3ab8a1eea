// A packet field in a case whose argument reads the enclosing packet's
// parameter: the case view must keep what it reads.
packet inner(int w) {
  x: byte max(w);
}
packet outer(int w) {
  t: byte;
  classify (t) {
    |3:"Pkt" -> q: packet inner(w);
    |_:"Other" -> ();
  };
}
