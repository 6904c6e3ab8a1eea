// Packets with many parameters.
packet p(int a, int b, int c, int d, int e) { x: byte[a + b + c + d + e]; }
packet q(int a, int b, int c, int d, int e, int f, int g, int h, int i, bool j) {
  x: byte[a + b + c + d + e + f + g + h + i];
  classify (j) { |true:"Yes" -> y: byte; |false:"No" -> (); };
}
