// A byte-bounded array of type-length-value options, as IPv4 and TCP
// options and DHCP options are: one-byte End and NOP, others with a
// length; the list fills its length exactly, and a trailing element may
// take what is left of it.
packet opts {
  len: byte value(sizeof(options));
  options: array[len] {
    kind: byte;
    classify (kind) {
      |0:"End" -> ();
      |1:"NOP" -> ();
      |2:"MSS" -> size: byte const(4); mss: uint16;
      |_:"Other" -> size: byte min(2); data: byte[size - 2];
    };
  };
  tail: array[remaining()] {
    t: byte;
    rest: byte[remaining()];
  };
}
