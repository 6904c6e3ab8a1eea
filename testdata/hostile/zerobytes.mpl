// Fields of no bytes at a static offset.
packet a { x: byte[+0]; y: byte[0]; z: byte; w: byte[0]; }
