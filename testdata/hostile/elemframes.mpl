// Array elements whose views start at the element (compact), and elements
// that keep the input from the packet's start because a custom wire type
// in them reads it, nested in each other; elements reading the packet's
// parameter, a label after a variable field,
// and a trailing case taking the rest of its element.
packet frames(int w) {
  n: byte;
  named: array(n) {
    name: string8;
    count: byte;
    pairs: array(count) { a: byte max(9); b: uint16; };
  };
  m: byte;
  plain: array[m] {
    tag: byte;
    wide: byte[w];
    classify (tag) {
      |1:"One" -> x: uint16 min(1);
      |2:"Two" -> len: byte; data: byte[len]; at: label; y: byte max(w);
      |_:"Rest" -> more: byte[remaining()];
    };
  };
}
