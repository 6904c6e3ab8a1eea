packet inner(int n) {
  a: byte[n];
}
packet outer {
  i: packet inner();
  j: packet inner(true);
}
