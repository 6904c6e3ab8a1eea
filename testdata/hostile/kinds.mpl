// Two classifies in one view, a field named kind beside them, and a case
// label that is the name of another packet's type.
packet k {
  kind: byte;
  t: byte;
  classify (kind) { |1:"A" -> a: byte; |_:"B" -> (); };
  classify (t) { |1:"C" -> c: byte; |_:"D" -> (); };
}
packet pair {
  t: byte;
  classify (t) {
    |1:"Pair" ->
      kind: byte variant { |1 -> One };
      classify (kind) { |1:"X" -> (); };
  };
}
