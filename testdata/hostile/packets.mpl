// Packets whose Go names are the functions and types made for others.
packet x { a: byte; }
packet parse { a: byte; }
packet parse_x { b: byte; }
packet packet { c: byte; }
packet x_builder { d: byte; }
packet builder { e: byte; }
