// User Datagram Protocol (RFC 768).
// src and dst are the addresses of the IP header around it, which the
// checksum's pseudo-header covers (IPv4: RFC 768; IPv6: RFC 8200 section
// 8.1); Parse does not need them.
packet udp(addr src, addr dst) {
  src_port: uint16;
  dst_port: uint16;
  // Length of header and payload in bytes.
  length: uint16 min(8) value(offset(payload));
  // Checksum (RFC 768) over a pseudo-header, the header and the payload;
  // zero when the sender computed none.
  checksum: uint16 format(hex) checksum(src_port .., src, dst, 17, length) absent(0);
  payload: byte[length - offset(checksum)];
}
