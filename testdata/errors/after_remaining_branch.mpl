packet p {
  t: byte;
  classify (t) {
    |1:"A" -> body: byte[remaining()];
    |2:"B" -> ();
  };
  crc: uint32;
}
