// Checksum terms: addr parameters named like the locals of Verify and Compute, sizes of variable fields.
packet t(addr s, addr e) {
  n: uint16;
  a: uint16;
  sum: uint16 checksum(n .., s, e, sizeof(d), sizeof(o));
  o: byte[n];
  d: byte[remaining()];
}
