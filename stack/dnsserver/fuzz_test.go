package dnsserver

import (
	"bytes"
	"encoding/binary"
	"testing"

	miekg "github.com/miekg/dns"
)

// FuzzHandleUDP gives the server any bytes: it must not panic, and every
// reply must be a message that miekg/dns reads, with the query's ID, QR
// set, and no longer than the server's UDP size, or 512 bytes without an
// OPT record; and the cache's fast path, if it takes the message, must
// answer it as the whole way does. The seeds are the DNS messages of the captures, the raw
// messages of TestBIND and the queries of the unit tests.
func FuzzHandleUDP(f *testing.F) {
	for _, q := range captureQueries(f) {
		f.Add(q.payload)
	}
	for _, c := range bindRawCases {
		f.Add(c.msg())
	}
	for _, q := range []*miekg.Msg{
		newQuery("www.test.example.", miekg.TypeA),
		newQuery("WwW.tEsT.eXaMpLe.", miekg.TypeA, withEDNS(1232)),
		newQuery("big.test.example.", miekg.TypeTXT, withEDNS(512)),
		newQuery("mx.edge.example.", miekg.TypeMX),
		newQuery("loop1.edge.example.", miekg.TypeA, withEDNS(1232)),
		newQuery("a.b.wild.edge.example.", miekg.TypeANY),
		newQuery("www.sub.edge.example.", miekg.TypeA),
		newQuery("bigmx.edge.example.", miekg.TypeMX, withEDNS(600)),
	} {
		b, err := q.Pack()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	s := NewWithOptions(Options{CacheEntries: 64}, testZones(f)...)
	f.Fuzz(func(t *testing.T, payload []byte) {
		reply, ok := s.HandleUDP(make([]byte, 0, 64), testSrc, payload)
		if !ok {
			return
		}
		if len(payload) < 12 || payload[2]&0x80 != 0 {
			t.Fatalf("a reply to %x", payload)
		}
		var m miekg.Msg
		if err := m.Unpack(reply); err != nil {
			t.Fatalf("reply to %x does not unpack: %v\n%x", payload, err, reply)
		}
		if m.Id != binary.BigEndian.Uint16(payload) || !m.Response {
			t.Fatalf("reply to %x: ID %#x, QR %v", payload, m.Id, m.Response)
		}
		limit := DefaultUDPSize
		if m.IsEdns0() == nil {
			limit = 512
		}
		if len(reply) > limit {
			t.Fatalf("reply to %x: %d bytes, over %d", payload, len(reply), limit)
		}
		if got, ok := s.hit(nil, payload, &s.stats); ok {
			if want, _ := s.handleSlow(nil, payload, &s.stats); !bytes.Equal(got, want) {
				t.Fatalf("reply to %x: the fast path's\n%x\nthe whole way's\n%x", payload, got, want)
			}
		}
	})
}
