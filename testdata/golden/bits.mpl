// Bit fields of every width and alignment.
packet bits {
  a: bit[3] const(5);
  b: bit[13] min(1) max(8000);
  // A field that spans three bytes.
  c: bit[20];
  d: bit[4];
  e: bit[40];
  f: bit[24] default(7);
  big: uint64;
  tail: byte[4] format(hex);
}
