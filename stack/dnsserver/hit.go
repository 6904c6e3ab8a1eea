package dnsserver

import (
	"encoding/binary"
)

// hit answers payload from the cache if it is a plain query whose
// answer is there, reading only the bytes it needs; ok false means that
// it did nothing, and the message takes the whole way (handleSlow),
// which answers it the same way if it is such a query after all.
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
	// The header: ID, flags (QR 0, opcode 0), QDCOUNT 1, ANCOUNT 0,
	// NSCOUNT 0, ARCOUNT 0 or 1.
	if len(p) < 12+1+4 || p[2]&0xf8 != 0 || binary.BigEndian.Uint64(p[4:12])&^1 != 1<<48 {
		return dst, false
	}
	// The question's name: labels of 1 to 63 bytes, at most 255 bytes
	// with the root. With its type and class it is the cache's key, but
	// for the letter case, which the cache ignores.
	i := 12
	for {
		l := int(p[i])
		if l == 0 {
			break
		}
		if l >= 0x40 {
			return dst, false
		}
		if i += 1 + l; i >= len(p) {
			return dst, false
		}
	}
	nameLen := i + 1 - 12
	if nameLen > 255 || i+5 > len(p) {
		return dst, false
	}
	k := p[12 : i+5]
	rest := p[i+5:]

	// The OPT record, if any: the root, type 41, the UDP size, an extended
	// RCODE (which plays no part), version 0, DO and Z, RDLENGTH 0.
	edns, do, udpSize := false, false, 0
	switch {
	case len(rest) == 0 && p[11] == 0:
	case len(rest) == 11 && p[11] == 1 && rest[0] == 0 && rest[1] == 0 && rest[2] == typeOPT &&
		rest[6] == 0 && rest[9] == 0 && rest[10] == 0:
		edns, do, udpSize = true, rest[7]&0x80 != 0, int(binary.BigEndian.Uint16(rest[3:5]))
	default:
		return dst, false
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
	r[3] |= p[3] & 0x10               // CD
	copy(r[12:12+nameLen], p[12:i+1]) // the question's letter case
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
