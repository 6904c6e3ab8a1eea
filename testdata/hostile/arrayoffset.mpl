// offset() and sizeof() of an array in parse-time expressions.
packet p {
  n: byte;
  xs: array(n) { x: byte; };
  w: byte[offset(xs) - 1];
  v: byte max(offset(xs));
  u: byte[sizeof(xs)];
}
