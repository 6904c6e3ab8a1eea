/* Every construct of the language, once. */
packet header(int len, bool wide) {
  kind: bit[3] variant { |0 => Zero |1 -> One };
  flag: bit[1];
  rest: bit[4];
  // the counter
  count: uint16 value(array_length(items)) max(100);
  start: label;
  classify (kind) {
    |0:"Empty" -> ();
    |1..3:"Small" when (flag = true and not wide) ->
      small: byte[len - offset(start) + 2 * 3] ;
    |4:"Nested" ->
      classify (rest) {
        |_:"Any" -> name: string8;
      };
    |_:"Other" -> ();
  };
  items: array(count) {
    id: uint32 min(1);
    qname: name;
  };
  tail: byte[remaining()] align(32);
}

packet trailer(int n, bool b) {
  x: uint64 const(0b1010);
  y: uint32 default(0xffff_ffff);
}

packet summed(addr src, addr dst) {
  a: uint16;
  sum: uint16 checksum(a .. b, src, dst, 17, a) absent(0);
  b: uint16;
  c: uint16 checksum(c ..);
  opts: array[b] align(32) {
    kind: byte;
  };
}

// A custom wire type, and its Go side.
type name string = "example.com/wire.Name";
