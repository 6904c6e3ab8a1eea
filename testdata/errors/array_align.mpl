// align on arrays: only on byte-bounded arrays, a multiple of 8 bits, the only attribute.
packet p {
  n: byte;
  opts: array[n] align(32) { k: byte; };
  x: array(n) align(16) { k2: byte; };
  y: array[n] align(12) { k3: byte; };
  z: array[n] max(3) { k4: byte; };
}
