// Elements whose checks an array's parse writes out in its loop, nested:
// an element with an array of its own in its body (whose elements' checks
// are written out inside the outer one's), bit fields after it, and cases
// that take no bytes or a length and bytes.
packet nest {
  n: byte;
  outer: array(n) {
    k: byte max(7);
    m: byte;
    inner: array[m] {
      t: byte;
      classify (t) {
        |0:"Zero" -> ();
        |_:"Value" -> l: byte max(4); d: byte[l];
      };
    };
    hi: bit[3] max(5);
    lo: bit[5];
  };
}
