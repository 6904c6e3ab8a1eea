packet p {
  a: uint64 const(18446744073709551616);
}
