// Custom wire types: the built-in string32, boolean and mpint, one declared
// in the spec, and classification on a string.
type namelist string = "github.com/mplgo/mpl/runtime.String32";

packet ssh {
  msg: byte;
  classify (msg) {
    |20:"KexInit" ->
      cookie: byte[16];
      kex: namelist;
      hostkey: string32;
      first_follows: boolean;
      reserved: uint32;
    |30:"KexDHInit" ->
      e: mpint;
    |50:"UserauthRequest" ->
      user: string32;
      service: string32;
      method: string32;
      classify (method) {
        |"password":"Password" ->
          change: boolean;
          password: string32;
        |"none":"None" -> ();
        |_:"Other" -> data: byte[remaining()];
      };
  };
}
