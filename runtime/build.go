package mplrt

// Appender is a packet builder: it appends one whole packet to dst.
// Every generated builder is an Appender.
type Appender interface {
	AppendTo(dst []byte) ([]byte, error)
}

// Layer is a builder whose packet ends in a payload that another builder
// can fill: Ethernet around IPv4, IPv4 around UDP. Generated builders with
// such a payload field implement it.
type Layer interface {
	// AppendHeader appends the packet up to its payload.
	AppendHeader(dst []byte) ([]byte, error)
	// Finish completes a packet that starts at dst[start:] and whose
	// payload has been appended after its header: it computes the
	// length fields and other computed values.
	Finish(dst []byte, start int) ([]byte, error)
}

// Nested builds Inner as the payload of Outer. Build nested packets with
// [Nest].
type Nested[L Layer, P Appender] struct {
	Outer L
	Inner P
}

// Nest returns a builder for outer with inner as its payload. Nests nest:
//
//	frame, err := mplrt.Nest(eth, mplrt.Nest(ip, echo)).AppendTo(buf[:0])
//
// builds an Ethernet frame around an IPv4 packet around an ICMP echo, with
// every length computed, and allocates nothing when buf is large enough.
func Nest[L Layer, P Appender](outer L, inner P) Nested[L, P] {
	return Nested[L, P]{Outer: outer, Inner: inner}
}

// AppendTo appends the outer packet with the inner one as its payload.
func (n Nested[L, P]) AppendTo(dst []byte) ([]byte, error) {
	start := len(dst)
	dst, err := n.Outer.AppendHeader(dst)
	if err != nil {
		return dst[:start], err
	}
	dst, err = n.Inner.AppendTo(dst)
	if err != nil {
		return dst[:start], err
	}
	dst, err = n.Outer.Finish(dst, start)
	if err != nil {
		return dst[:start], err
	}
	return dst, nil
}
