// MPL's TCP spec computed the data offset from a label placed before the
// options: a builder given options writes data_offset = 5, and a parser
// then reads no options.
packet tcp {
  src_port: uint16; dst_port: uint16; seq: uint32; ack: uint32;
  data_offset: bit[4] min(5) value(offset(hdr_end) / 4);
  flags: bit[12];
  window: uint16; checksum: uint16; urgent: uint16;
  hdr_end: label;
  options: byte[data_offset * 4 - offset(urgent)];
  data: byte[remaining()];
}
