// Secure Shell transport layer (RFC 4253) and user authentication (RFC
// 4252) messages: the payload of one binary packet (RFC 4253 6), after the
// packet length, padding length and padding are taken off and the MAC
// checked. The first byte is the message number; strings are RFC 4251
// strings (a uint32 length, then the bytes), name-lists are strings of
// comma-separated names, and mpints are two's complement integers in the
// fewest bytes.
type namelist string = "github.com/mplgo/mpl/runtime.String32";

packet ssh {
  msg: byte;
  classify (msg) {
    |1:"Disconnect" ->
      reason: uint32 variant {
        |1 -> HostNotAllowedToConnect |2 -> ProtocolError |3 -> KeyExchangeFailed
        |4 -> Reserved |5 -> MACError |6 -> CompressionError |7 -> ServiceNotAvailable
        |8 -> ProtocolVersionNotSupported |9 -> HostKeyNotVerifiable |10 -> ConnectionLost
        |11 -> ByApplication |12 -> TooManyConnections |13 -> AuthCancelledByUser
        |14 -> NoMoreAuthMethodsAvailable |15 -> IllegalUserName
      };
      // UTF-8 text for people.
      description: string32;
      // RFC 3066 language tag, often empty.
      language: string32;
    // Ignored by the receiver, as a countermeasure to traffic analysis.
    |2:"Ignore" ->
      data: string32;
    |3:"Unimplemented" ->
      // Sequence number of the packet the sender did not understand.
      sequence_number: uint32;
    |4:"Debug" ->
      always_display: boolean;
      message: string32;
      language: string32;
    |5:"ServiceRequest" ->
      service: string32;
    |6:"ServiceAccept" ->
      service: string32;
    // Algorithm negotiation (RFC 4253 7.1): name-lists in order of
    // preference.
    |20:"KexInit" ->
      cookie: byte[16] format(hex);
      kex_algorithms: namelist;
      server_host_key_algorithms: namelist;
      encryption_algorithms_client_to_server: namelist;
      encryption_algorithms_server_to_client: namelist;
      mac_algorithms_client_to_server: namelist;
      mac_algorithms_server_to_client: namelist;
      compression_algorithms_client_to_server: namelist;
      compression_algorithms_server_to_client: namelist;
      languages_client_to_server: namelist;
      languages_server_to_client: namelist;
      // A guessed key exchange packet follows.
      first_kex_packet_follows: boolean;
      reserved: uint32;
    |21:"NewKeys" -> ();
    // Diffie-Hellman key exchange (RFC 4253 8).
    |30:"KexDHInit" ->
      e: mpint;
    |31:"KexDHReply" ->
      // The server's public host key and certificates (K_S).
      host_key: string32;
      f: mpint;
      // Signature of the exchange hash H.
      signature: string32;
    |50:"UserauthRequest" ->
      // User name, UTF-8.
      user: string32;
      // The service to start after authentication.
      service: string32;
      method: string32;
      classify (method) {
        |"none":"None" -> ();
        |"password":"Password" ->
          change: boolean;
          // The password, or the old one when changing it.
          password: string32;
          classify (change) {
            |true:"ChangePassword" -> new_password: string32;
            |false:"Login" -> ();
          };
        |"publickey":"PublicKey" ->
          has_signature: boolean;
          algorithm: string32;
          key: string32;
          classify (has_signature) {
            // Signature over the session identifier and this request.
            |true:"Signed" -> signature: string32;
            // Asks whether the key would be acceptable.
            |false:"Query" -> ();
          };
        // Other methods (hostbased, keyboard-interactive, ...).
        |_:"OtherMethod" -> method_data: byte[remaining()];
      };
    |51:"UserauthFailure" ->
      // Methods that may continue.
      authentications: namelist;
      partial_success: boolean;
    |52:"UserauthSuccess" -> ();
    |53:"UserauthBanner" ->
      message: string32;
      language: string32;
  };
}
