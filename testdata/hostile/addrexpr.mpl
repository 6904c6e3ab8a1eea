// An address field read by a guard and a length; a field named kind
// beside a classify.
packet p {
  a: uint32 format(ipv4);
  kind: byte variant { |1 -> One |2 -> Two };
  classify (kind) {
    |1:"First" when (a != 0) -> x: byte[a % 4];
    |_:"Other" -> ();
  };
}
