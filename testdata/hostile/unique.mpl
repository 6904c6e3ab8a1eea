// unique on arrays: at most one element holds each case named, a case of
// the element's own classify, of a classify in one of its cases, or of a
// packet it holds (in a case, too). Elements of three layouts: compact,
// with the check inlined in the loop (flat, opts); compact, with a call
// to the check, as it reads a parameter (capped); and
// parsed into a view of their own, as they hold DNS names (named); and
// an array in a case of an element (items).
packet uniq(int cap) {
  n: byte value(array_length(flat));
  flat: array(n) unique("Stop", "Deep") {
    t: byte;
    classify (t) {
      |0:"Stop" -> ();
      |1:"Nest" ->
        u: byte;
        classify (u) {
          |7:"Deep" -> d: uint16;
          |_:"Shallow" -> ();
        };
      |2:"List" ->
        k: byte;
        items: array(k) unique("One") {
          x: byte;
          classify (x) {
            |1:"One" -> ();
            |_:"Many" -> ();
          };
        };
      |_:"Plain" -> v: byte;
    };
  };
  c: byte value(array_length(capped));
  capped: array(c) unique("Big") {
    w: byte max(cap);
    classify (w) {
      |9:"Big" -> big: uint16;
      |_:"Small" -> ();
    };
  };
  len: byte value(sizeof(opts));
  opts: array[len] unique("Deep") { o: packet inner; };
  m: byte value(array_length(named));
  named: array(m) unique("Stop", "Deep") { r: packet rec; };
}

packet inner {
  u: byte;
  classify (u) {
    |7:"Deep" -> d: uint16;
    |_:"Shallow" -> ();
  };
}

packet rec {
  name: dns_label_comp;
  k: byte;
  classify (k) {
    |0:"Stop" -> ();
    |1:"Nest" -> x: packet inner;
    |_:"Other" -> ();
  };
}
