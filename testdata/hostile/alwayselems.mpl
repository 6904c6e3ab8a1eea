// An array whose elements' check cannot fail: the check written out in
// the array's loop still uses its label.
packet ae {
  m: byte;
  xs: array[m] { data: byte[remaining()]; };
  tail: byte;
}
