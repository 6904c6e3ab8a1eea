// A value() field checked by Parse inside an array element.
packet a { count: uint16 value(array_length(rows)); rows: array(count) { n: byte value(sizeof(data)); data: byte; }; }
