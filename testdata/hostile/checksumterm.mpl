// A field that only a checksum's pseudo-header reads: its setter updates the checksum.
packet term(addr src) {
  len: uint16;
  a: uint16;
  sum: uint16 checksum(a .., src, len);
  d: byte[remaining()];
}
