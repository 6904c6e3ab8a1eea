packet p {
  a: uint128 format(ipv6) min(1) max(70000) default(2);
  b: uint12 const(300) variant { |1 -> One |1000 -> Big };
  c: packet nosuch() min(1) format(mac);
}
