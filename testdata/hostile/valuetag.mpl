// A value() field that sets no length: Parse checks it, so that what
// parses rebuilds to the same bytes.
packet v {
  tag: byte value(sizeof(data) / 4);
  classify (tag) {
    |0:"Empty" -> ();
    |_:"Words" -> ();
  };
  data: byte[remaining()];
}
