// A counted array of fixed and variable elements.
packet table {
  count: uint16 value(array_length(rows));
  rows: array(count) {
    id: uint32 min(1);
    size: byte value(sizeof(data));
    data: byte[size];
  };
  trailer: uint16 const(0xbeef);
}
