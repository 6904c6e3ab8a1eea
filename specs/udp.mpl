// User Datagram Protocol (RFC 768).
packet udp {
  src_port: uint16;
  dst_port: uint16;
  // Length of header and payload in bytes.
  length: uint16 min(8) value(offset(payload));
  // Checksum (RFC 768) over a pseudo-header, the header and the payload;
  // zero when the sender computed none.
  checksum: uint16 format(hex);
  payload: byte[length - offset(checksum)];
}
