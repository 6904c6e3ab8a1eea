// Cases chosen by value, range, guard and default, nested, with a parameter.
packet tlv(bool strict) {
  tag: byte;
  len: byte value(offset(end) - offset(len));
  classify (tag) {
    |0:"Pad" -> ();
    |1..15:"Small" when (len <= 8 or not strict) ->
      value: byte[len];
    |16:"Pair" ->
      sub: byte variant { |1 => First |2 -> Second };
      classify (sub) {
        |1:"One" -> x: uint16;
        |_:"Many" -> items: byte[len - 1];
      };
    |_:"Other" ->
      body: byte[len];
  };
  end: label;
}
