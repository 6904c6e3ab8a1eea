// unique on arrays: labels as strings, of cases an element may hold, each once.
packet p {
  n: byte;
  a: array(n) unique("Big", "Big") { k: byte; classify (k) { |1:"Big" -> x: uint16; |_:"Small" -> (); }; };
  b: array(n) unique(Big) { k2: byte; classify (k2) { |1:"Big" -> x2: uint16; |_:"Small" -> (); }; };
  c: array(n) unique("Huge") { k3: byte; classify (k3) { |1:"Big" -> x3: uint16; |_:"Small" -> (); }; };
  d: array(n) unique() { k4: byte; };
  e: array(n) unique("Big") unique("Small") { k5: byte; classify (k5) { |1:"Big" -> x5: uint16; |_:"Small" -> (); }; };
  f: array(n) unique("Inner") { k6: byte; inner: array(k6) { k7: byte; classify (k7) { |1:"Inner" -> (); |_:"Other" -> (); }; }; };
  g: array(n) unique("Deep", 3) { h: packet q; };
}

packet q {
  t: byte;
  classify (t) {
    |1:"Deep" -> ();
    |_:"Flat" -> ();
  };
}

packet r {
  m: byte unique("Deep");
}
