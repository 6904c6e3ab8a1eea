// unique labels whose Go names clash (x, X and X1; the array A with BC
// and the array CA with B), and a case chosen by a boolean discriminant,
// which a builder left at the zero Kind selects with the field's value.
packet names {
  n: byte value(array_length(items));
  items: array(n) unique("x", "X", "X1") {
    k: byte;
    classify (k) {
      |1:"x" -> ();
      |2:"X" -> ();
      |3:"X1" -> ();
      |_:"Other" -> ();
    };
  };
  na: byte value(array_length(a));
  a: array(na) unique("BC") {
    s: byte;
    classify (s) { |1:"BC" -> (); |_:"Rest" -> (); };
  };
  nca: byte value(array_length(ca));
  ca: array(nca) unique("B") {
    t: byte;
    classify (t) { |1:"B" -> (); |_:"Else" -> (); };
  };
  nf: byte value(array_length(flags));
  flags: array(nf) unique("On") {
    on: bit[1];
    pad: bit[7];
    classify (on) { |true:"On" -> (); |false:"Off" -> (); };
  };
}
