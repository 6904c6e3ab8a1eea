// Parameters named like Go keywords, predeclared identifiers, imported
// packages and the generator's own locals.
packet g(int type, int func, int map, int range, int b, int p, int err, int len, int rest, int o0, int mplrt, int binary, int int, bool true_, int foo_bar, int fooBar) {
  a: byte;
  c: byte[type + func + map + range + b + p + err + len + rest + o0 + mplrt + binary + int + foo_bar + fooBar];
  classify (true_) {
    |true:"Yes" -> d: byte;
    |false:"No" -> ();
  };
}
