// DNS names as custom wire types: compressed names at the top level and
// in array elements (which then keep the input from the packet's start,
// for pointers to read), an uncompressed one, and builders that compress
// each name against the names written before it in the message.
packet names {
  count: byte value(array_length(qs));
  first: dns_label_comp;
  qs: array(count) {
    name: dns_label_comp;
    kind: uint16;
    plain: dns_label;
  };
  last: dns_label_comp;
}
