packet a {
  b: packet b();
}
packet b {
  a: packet a();
}
