// Case builders of classifies on a custom boolean, at the top and nested
// in a case: the builder writes the discriminant as the type's Go value.
packet cb {
  f: boolean;
  classify (f) {
    |true:"Yes" ->
      x: byte;
      g: boolean;
      classify (g) {
        |true:"Deep" -> y: byte;
        |false:"Shallow" -> ();
      };
    |false:"No" -> ();
  };
}
