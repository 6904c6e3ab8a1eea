packet p {
  start: label;
  data: byte[start];
  tail: byte[sizeof(start) + data];
}
