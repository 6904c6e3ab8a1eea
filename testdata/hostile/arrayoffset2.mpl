// offset() of an array alone in a length.
packet p { n: byte; xs: array(n) { x: byte; }; w: byte[offset(xs)]; }
