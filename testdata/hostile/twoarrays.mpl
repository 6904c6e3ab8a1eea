// Two arrays in one view.
packet t { n: byte; a: array(n) { x: byte; }; m: byte; b: array(m) { y: byte; }; }
