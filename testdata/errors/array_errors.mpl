packet p {
  n: byte;
  items: array(n) {
    v: uint16;
  };
  bad: byte[items];
  worse: byte[array_length(n)];
}
