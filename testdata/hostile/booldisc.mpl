// A case builder writes a boolean discriminant itself.
packet p { s: bit[1]; pad: bit[7]; classify (s) { |true:"A" -> x: byte; |false:"B" -> (); }; }
