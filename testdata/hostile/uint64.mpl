// 64-bit values above the largest int64: constants in const, min, max and
// default, cases and ranges, and comparisons between such fields.
packet u {
  magic: uint64 const(0x8000_0000_0000_0000);
  x: uint64 max(0xffff_ffff_ffff_fff0);
  lo: uint64;
  hi: uint64 min(lo) default(0xffff_ffff_ffff_ffff);
  a: bit[64];
  classify (a) {
    |18446744073709551615:"Max" -> ();
    |9223372036854775808..18446744073709551614:"High" -> b: byte[a % 7];
    |_:"Low" -> c: byte[a];
  };
}
