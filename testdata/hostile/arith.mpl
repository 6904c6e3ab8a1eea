// Lengths whose arithmetic can overflow int64 or divide by zero: each is a
// parse error, never a panic or a wrapped length.
packet c {
  a: byte;
  b: byte[10 / a];
  c: byte[10 % a];
  d: uint32;
  e: byte[d * d * d];
  f: bit[64];
  g: byte[f * 2];
  h: byte[-(f) + 1];
  t: byte;
}
packet q(int k) {
  n: uint16;
  m: byte[k * k - n / k];
  classify (n) {
    |0:"Zero" when (k * k > 3) -> x: byte;
    |_:"Other" -> ();
  };
}
