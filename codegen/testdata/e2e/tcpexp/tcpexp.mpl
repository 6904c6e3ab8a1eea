// Transmission Control Protocol (RFC 9293): header, options and data. The
// options are those of RFC 9293 (End of Option List, No-Operation, Maximum
// Segment Size), RFC 7323 (Window Scale, Timestamps) and RFC 2018
// (SACK-Permitted, SACK); an option of another kind keeps its data as
// bytes. src and dst are the addresses of the IP header around it, which
// the checksum's pseudo-header covers (IPv4: RFC 9293 3.1; IPv6: RFC 8200
// section 8.1); Parse does not need them.
packet tcpexp(addr src, addr dst) {
  source_port: uint16;
  destination_port: uint16;
  sequence_number: uint32;
  acknowledgment_number: uint32;
  // Header length in 32-bit words.
  data_offset: bit[4] min(5) value(offset(options) / 4);
  // Reserved; zero from senders, kept as received.
  reserved: bit[4];
  // Congestion window reduced (RFC 3168).
  cwr: bit[1];
  // ECN-Echo (RFC 3168).
  ece: bit[1];
  // The urgent pointer is significant.
  urg: bit[1];
  // The acknowledgment number is significant.
  ack: bit[1];
  // Push.
  psh: bit[1];
  // Reset the connection.
  rst: bit[1];
  // Synchronize sequence numbers.
  syn: bit[1];
  // No more data from the sender.
  fin: bit[1];
  // Receive window, scaled by the window scale option's shift.
  window: uint16;
  // Checksum over a pseudo-header, the header and the data.
  checksum: uint16 format(hex) checksum(source_port .., src, dst, 6, offset(data));
  // Offset of the last urgent byte from the sequence number, when urg.
  urgent_pointer: uint16;
  // Options, to the end of the header; builders pad them with zeros (End
  // of Option List, then padding) to a multiple of 4 bytes.
  options: array[data_offset * 4 - offset(urgent_pointer)] align(32) {
    option_kind: byte;
    classify (option_kind) {
      // End of the option list: what follows, to the end of the header,
      // is padding (zeros).
      |0:"End" -> padding: byte[remaining()];
      // No-Operation, between options to align them.
      |1:"NOP" -> ();
      // Maximum segment size (only in a SYN).
      |2:"MSS" ->
        option_length: byte const(4);
        mss: uint16;
      // Window scale (RFC 7323 2): the shift count (at most 14).
      |3:"WindowScale" ->
        option_length: byte const(3);
        shift: byte;
      // SACK is permitted (RFC 2018 2).
      |4:"SACKPermitted" ->
        option_length: byte const(2);
      // Selective acknowledgment (RFC 2018 3): 1 to 4 blocks of received
      // sequence numbers.
      |5:"SACK" ->
        option_length: byte min(2) value(sizeof(blocks) + 2);
        blocks: array[option_length - 2] {
          left_edge: uint32;
          right_edge: uint32;
        };
      // Timestamps (RFC 7323 3).
      |8:"Timestamps" ->
        option_length: byte const(10);
        ts_val: uint32;
        ts_ecr: uint32;
      // An invented option, added by this copy of specs/tcp.mpl: kind
      // 77, a 16-bit tag and a 32-bit value.
      |77:"Invented" ->
        option_length: byte const(8);
        tag: uint16 format(hex);
        value32: uint32;
      // (end of the invented option)
      |_:"Other" ->
        option_length: byte min(2) value(sizeof(option_data) + 2);
        option_data: byte[option_length - 2];
    };
  };
  // The data of the segment.
  data: byte[remaining()];
}
