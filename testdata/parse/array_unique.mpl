// unique on a counted array: at most one element holds each case named.
packet msg {
  n: byte;
  items: array(n) unique("Last", "Deep") {
    t: byte;
    classify (t) {
      |0:"Last" -> ();
      |_:"More" -> inner: packet sub;
    };
  };
}

packet sub {
  k: byte;
  classify (k) {
    |1:"Deep" -> v: uint16;
    |_:"Shallow" -> ();
  };
}
