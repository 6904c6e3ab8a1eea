packet p {
  a: byte # a comment in the wrong language
}
