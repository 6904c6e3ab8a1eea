packet p {
  t: byte;
  classify (t) {
    |"ssh":"Ssh" -> ();
  };
}
