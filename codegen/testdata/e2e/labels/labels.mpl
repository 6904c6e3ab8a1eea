// Labels in the middle and at the end, offset() of labels and fields,
// sizeof() in lengths, remaining() in nested positions, lengths mixing
// offset() and arithmetic, and align(32).
packet labels {
  // Header length in bytes, options included.
  hlen: byte value(offset(opts_end));
  mode: byte;
  // Length of the whole frame.
  total: uint16 value(offset(end));
  fixed_end: label;
  // Options, a multiple of 4 bytes.
  opts: byte[hlen - offset(fixed_end)] align(32);
  opts_end: label;
  nlen: byte value(sizeof(name));
  name: byte[nlen];
  name_end: label;
  // As long as name.
  echo: byte[sizeof(name)];
  // Pads name and echo to a multiple of 4 bytes after the options.
  pad: byte[(4 - (offset(echo) - offset(opts_end)) % 4) % 4];
  classify (mode) {
    |1:"Tail" ->
      tlen: byte value(sizeof(tail));
      tail: byte[tlen];
      mark: label;
      // As long as name, from the labels around it.
      sig: byte[offset(name_end) - offset(nlen)];
      rest: byte[remaining()];
    |2:"Sized" ->
      // Up to total.
      body: byte[total - offset(pad)];
    |_:"Other" ->
      data: byte[remaining() - 2];
      crc: uint16;
  };
  end: label;
}

// Labels and offsets inside array elements: the offsets of static and of
// dynamic positions in an element must count from the same place.
packet elems {
  count: byte value(array_length(items));
  items: array(count) {
    item_start: label;
    ilen: byte value(offset(idata) - offset(ilen));
    idata: byte[ilen];
    // Pads the element to an even length.
    ipad: byte[offset(idata) % 2];
    item_end: label;
  };
}
