// Constants the generated arithmetic cannot hold: positioned errors.
packet a { b: byte[9223372036854775807]; }
packet b { c: byte[4294967296*4294967296]; }
packet c { n: uint64; d: byte[n - 9223372036854775808]; }
packet d { n: uint64 value(0xffff_ffff_ffff_ffff); }
packet e { f: byte[2147483647]; g: byte[2147483647]; h: byte; }
