packet p {
  t: byte;
  classify (t) {
    |1:"A" -> x: byte;
    |2:"B" -> y: byte;
    |1:"C" -> z: byte;
  };
}
