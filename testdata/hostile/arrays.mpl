// Counts that would drive work beyond the size of the input: an array of
// elements that may be empty (w = 0), nested, with counts taken from the
// bytes.
packet q(int w) {
  n: uint16;
  a: array(n) {
    m: uint32;
    b: array(m) { c: byte[w]; };
  };
}
