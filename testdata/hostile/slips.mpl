// Accepted by the checker once, now positioned errors: alignment of a
// constant length, remaining() outside a length or in an array element.
packet a { x: byte[3] align(32); }
packet b { n: byte; xs: array(n) { d: byte[remaining()]; }; t: byte; }
packet c { n: byte max(remaining()); }
packet d { n: byte; items: array(remaining()) { b: byte; }; }
