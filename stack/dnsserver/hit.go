package dnsserver

import (
	"encoding/binary"

	"github.com/mplgo/mpl/gen/dns"
)

// hit answers payload from the cache if it is a plain query whose
// answer is there, read with the generated view (dns.Parse); ok false
// means that it did nothing, and the message takes the whole way
// (handleSlow, which parses it again), which answers it the same way if
// it is such a query after all.
//
// A plain query is: QR clear, opcode QUERY; one question, no answer or
// authority record, and no additional record but an OPT record owned by
// the root, of version 0, with no options; the question's name written
// without compression pointers; nothing after the message. That is what
// resolvers and load generators send, and all that a cached answer
// needs of a query: the cache holds only answers to QUERY in class IN
// for names in a zone, of types that get an answer (respond checks the
// rest before it asks the cache), so that finding the question there
// says all those checks pass.
func (s *Server) hit(dst, p []byte, c *counters) (out []byte, ok bool) {
	m, err := dns.Parse(p)
	if err != nil || m.QR() || m.Opcode() != dns.OpcodeQuery || m.Qdcount() != 1 ||
		m.Ancount() != 0 || m.Nscount() != 0 || m.Arcount() > 1 || len(m.Rest()) != 0 {
		return dst, false
	}
	qs := m.Questions()
	q, _ := qs.Next()
	// The name in place, with no pointer: its length there is its
	// length uncompressed (a pointer makes it shorter). With the type
	// and class it is the cache's key, but for the letter case, which
	// the cache ignores.
	name := q.QnameBytes()
	nameLen := len(name)
	if nameLen != q.Qname().Len() {
		return dst, false
	}
	var key [255 + 4]byte
	k := append(append(key[:0], name...), 0, 0, 0, 0)
	binary.BigEndian.PutUint16(k[nameLen:], q.Qtype())
	binary.BigEndian.PutUint16(k[nameLen+2:], q.Qclass())

	// The OPT record, if any: owned by the root, version 0, no options
	// (its extended RCODE plays no part).
	edns, do, udpSize := false, false, 0
	if m.Arcount() == 1 {
		as := m.Additionals()
		a, _ := as.Next()
		rr := a.RR()
		o, isOPT := rr.AsOPT()
		if !isOPT || !rr.Name().IsRoot() || o.Version() != 0 || o.Optlen() != 0 {
			return dst, false
		}
		edns, do, udpSize = true, o.Do(), int(o.UDPSize())
	}

	e := s.cache.get(k, nameLen, s.cache.hash(k, nameLen))
	if e == nil {
		return dst, false
	}
	limit := 512
	if edns {
		limit = min(max(udpSize, 512), s.udpSize) - len(s.opt)
		if e.ede {
			limit -= edeRestartsLen
		}
	}
	end, an, ns, ar, tc := e.cut(edns, udpSize, limit)
	start := len(dst)
	dst = append(dst, e.wire[:end]...)
	r := dst[start:]
	r[0], r[1] = p[0], p[1]
	r[2] |= p[2] & 0x01 // RD
	if tc {
		r[2] |= 0x02
	}
	r[3] |= p[3] & 0x10          // CD
	copy(r[12:12+nameLen], name) // the question's letter case
	if edns {
		if e.ede {
			// No failure is known.
			if opt, err := s.appendOPT(dst, do, nil, e.rcode, &edeRestartsOption); err == nil {
				dst = opt
				ar++
			}
		} else {
			n := len(dst)
			dst = append(dst, s.opt...)
			dst[n+5] = byte(e.rcode >> 4) // the extended RCODE
			if do {
				dst[n+7] |= 0x80
			}
			ar++
		}
	}
	r = dst[start:]
	binary.BigEndian.PutUint16(r[6:8], an)
	binary.BigEndian.PutUint16(r[8:10], ns)
	binary.BigEndian.PutUint16(r[10:12], ar)
	c.hits[min(int(e.rcode), NumRcodes-1)].Add(1)
	if tc {
		c.truncated.Add(1)
	}
	return dst, true
}
