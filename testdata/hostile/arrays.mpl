// Counts that would drive work beyond the size of the input: an array of
// empty elements, nested, with counts taken from the bytes.
packet q {
  n: uint16;
  a: array(n) {
    m: uint32;
    b: array(m) { };
  };
}
