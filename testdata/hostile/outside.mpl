// An array element that reads a field outside the element, and a packet field.
packet p {
  width: byte;
  n: byte value(array_length(items));
  items: array(n) { data: byte[width]; };
}
packet inner { a: byte; }
packet outer { h: byte; in: packet inner(); }
