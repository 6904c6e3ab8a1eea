// Fields named like the methods of views and builders, and like each other
// once made into Go names.
packet m {
  decode: byte;
  finish: byte;
  append_header: byte;
  append_to: byte;
  walk: byte;
  string: byte;
  bytes: byte;
  rest: byte;
  append_text: byte;
  x: byte;
  set_x: byte;
  foo_bar: byte;
  fooBar: byte;
  kind: byte;
  as_one: byte;
  classify (kind) {
    |1:"One" -> body: byte; len: byte;
    |_:"Other" -> ();
  };
  payload: byte[remaining()];
}
