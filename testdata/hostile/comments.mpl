// Doc comments holding control characters:  [1m   and breaks.
packet c {
  // a field  doc
  x: byte; // trailing 
}
