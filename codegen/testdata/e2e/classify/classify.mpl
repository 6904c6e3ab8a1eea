// Cases chosen by value, range and guard, a guarded wildcard (which is no
// default: a tag no case takes leaves the packet's Kind unknown and its
// body in Rest), a packet parameter in guards, an empty case and a nested
// classify without a default.
packet classify(bool strict) {
  tag: byte;
  // The length of what follows, up to the end label.
  len: byte value(offset(end) - offset(len));
  classify (tag) {
    |0:"Empty" -> ();
    |1:"Echo" ->
      id: uint16;
      seq: uint16;
    |2..9:"Short" when (len <= 4 or not strict) ->
      data: byte[len];
    |2..9:"Long" ->
      data: byte[len];
    |10:"Nested" ->
      sub: byte variant { |1 -> Word |2 -> Pair |3 -> Pair2 };
      classify (sub) {
        |1:"Word" -> w: uint32;
        |2..3:"Pair" when (len = 3) -> x: byte; y: byte;
      };
    |20..29:"Flagged" when (strict and tag != 25) ->
      flags: bit[4];
      level: bit[4] max(9);
    |_:"Any" when (strict) ->
      raw: byte[len];
  };
  end: label;
}

// A classify on an int parameter: the builder of a case cannot write the
// discriminant, so it must check it.
packet sel(int mode) {
  classify (mode) {
    |0:"Zero" -> z: byte;
    |1..3:"Low" -> l: uint16;
    |_:"High" -> ();
  };
}

// A parameter in a view small enough to parse by value: a setter that
// fails must leave the view, its parameter included, as it was.
packet limit(int w) {
  n: byte max(10);
  m: byte value(w);
}
