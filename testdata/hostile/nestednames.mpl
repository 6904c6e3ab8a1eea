// A packet with DNS names held by another, as a field and in the elements
// of an array: it parses within the enclosing message, so that its names
// point back into it, and its builder compresses them against the
// message's names.
packet msg {
  n: byte value(array_length(items));
  head: dns_label_comp;
  items: array(n) { rr: packet rec; };
  tail: packet rec;
}

packet rec {
  owner: dns_label_comp;
  t: uint16;
  classify (t) {
    |5:"Alias" -> target: dns_label_comp;
    |_:"Raw" -> len: byte value(sizeof(data)); data: byte[len];
  };
}
