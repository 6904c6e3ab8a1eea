// Internet Group Management Protocol (RFC 3376, version 3), with the
// version 1 and 2 messages (RFC 1112, RFC 2236) it interoperates with.
// length is the IGMP message length (the IPv4 payload length): RFC 3376
// 7.1 tells an IGMPv3 query (12 bytes or more) from an older one (8 bytes)
// by it alone, and has queries of other lengths ignored (here: of an
// unknown kind). Bytes after a message, up to length, are the view's Rest.
packet igmpv3(int length) {
  type: byte;
  classify (type) {
    |0x11:"Query" when (length >= 12) ->
      // Maximum response code: tenths of a second, with a floating-point
      // encoding from 128 on.
      max_resp_code: byte;
      checksum: uint16 format(hex);
      // Zero in a general query.
      group_address: uint32 format(ipv4);
      resv: bit[4];
      // Suppress router-side processing.
      s: bit[1];
      // Querier's robustness variable.
      qrv: bit[3];
      // Querier's query interval code.
      qqic: byte;
      number_of_sources: uint16 value(array_length(sources));
      sources: array(number_of_sources) {
        address: uint32 format(ipv4);
      };
    |0x11:"QueryV2" when (length = 8) ->
      // Tenths of a second; zero in an IGMPv1 query.
      max_resp_time: byte;
      checksum: uint16 format(hex);
      group_address: uint32 format(ipv4);
    |0x12:"ReportV1" ->
      unused: byte;
      checksum: uint16 format(hex);
      group_address: uint32 format(ipv4);
    |0x16:"ReportV2" ->
      max_resp_time: byte;
      checksum: uint16 format(hex);
      group_address: uint32 format(ipv4);
    |0x17:"LeaveV2" ->
      max_resp_time: byte;
      checksum: uint16 format(hex);
      group_address: uint32 format(ipv4);
    |0x22:"Report" ->
      reserved1: byte;
      checksum: uint16 format(hex);
      reserved2: uint16;
      number_of_group_records: uint16 value(array_length(group_records));
      group_records: array(number_of_group_records) {
        record_type: byte variant {
          |1 -> ModeIsInclude |2 -> ModeIsExclude
          |3 -> ChangeToInclude |4 -> ChangeToExclude
          |5 -> AllowNewSources |6 -> BlockOldSources
        };
        // Length of aux_data in 32-bit words.
        aux_data_len: byte value(sizeof(aux_data) / 4);
        number_of_sources: uint16 value(array_length(sources));
        multicast_address: uint32 format(ipv4);
        sources: array(number_of_sources) {
          address: uint32 format(ipv4);
        };
        aux_data: byte[aux_data_len * 4];
      };
  };
}
