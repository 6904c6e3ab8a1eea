// Fields that hold packets: with arguments, in an array element, and a
// packet after them.
packet tlv(int width) {
  t: byte;
  v: byte[width];
}
packet msg {
  w: byte max(8);
  first: packet tlv(w);
  n: byte value(array_length(items));
  items: array(n) {
    item: packet tlv(2);
    flag: byte;
  };
  last: packet tlv(1);
}
