// A counted array of elements with fixed and variable parts, between a
// constant header byte and a constant trailer.
packet array {
  version: byte const(2);
  count: uint16 value(array_length(rows)) max(1000);
  rows: array(count) {
    id: uint32 min(1);
    flags: bit[3];
    kind: bit[5] variant { |1 -> Text |2 -> Blob };
    // The length of data.
    size: byte value(sizeof(data));
    data: byte[size];
    check: uint16 format(hex);
  };
  trailer: uint16 const(0xbeef);
}

// An array whose elements take their size from a packet parameter, which
// may be zero.
packet grid(int width) {
  n: byte value(array_length(cells));
  cells: array(n) {
    cell: byte[width];
  };
  end: byte const(0x7e);
}
