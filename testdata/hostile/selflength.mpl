// A length that reads its own field.
packet p { a: byte[sizeof(a)]; }
packet q { a: byte[offset(a)]; }
packet r { a: byte[a]; }
