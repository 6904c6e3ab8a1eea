packet p {
  rr: packet dns_rr();
}
