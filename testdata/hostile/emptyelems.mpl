// Elements that take no bytes, known from the spec alone.
packet q { n: uint16; a: array(n) { m: uint32; b: array(m) { }; }; }
