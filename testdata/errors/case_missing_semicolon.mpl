packet p {
  t: byte;
  classify (t) {
    |8: "EchoRequest" ->
      id: uint16
      seq: uint16;
    |_: "Other" -> ();
  };
}
