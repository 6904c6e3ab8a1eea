// A variant field named after its view does not stutter.
packet msg {
  n: byte value(array_length(records));
  records: array(n) {
    record_type: byte variant { |1 -> A |2 -> B };
    len: byte;
    data: byte[len];
  };
}
