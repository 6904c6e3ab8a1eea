// A byte-bounded array of elements without custom types (compact) inside
// an element with one (which keeps the input from the packet's start).
packet lb {
  n: byte;
  xs: array(n) {
    s: string8;
    m: byte;
    ys: array[m] { y: byte; z: byte[remaining()]; };
  };
}
