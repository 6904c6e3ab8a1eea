package dnsserver

import (
	"bytes"
	"strings"
	"testing"

	miekg "github.com/miekg/dns"
)

// TestHitAgrees checks that the cache's fast path (hit) answers every
// query it takes byte for byte as the whole way (handleSlow) does: names
// of both zones, in both cases, with and without EDNS, of several sizes,
// DO, RD, CD and AD; and that it takes the plain ones.
func TestHitAgrees(t *testing.T) {
	s := NewWithOptions(Options{CacheEntries: 4096}, testZones(t)...)
	names := []string{"test.example.", "www.test.example.", "alias.test.example.", "mail.test.example.", "nope.test.example.",
		"multi.test.example.", "big.test.example.", "edge.example.", "ns1.edge.example.", "www.edge.example.",
		"chain1.edge.example.", "loop1.edge.example.", "self.edge.example.", "other.edge.example.", "ext.edge.example.",
		"tonx.edge.example.", "tosub.edge.example.", "toent.edge.example.", "tocname.edge.example.", "x.wild.edge.example.",
		"a.b.wild.edge.example.", "exact.wild.edge.example.", "q.star.edge.example.", "c.ent.edge.example.", "ent.edge.example.",
		"sub.edge.example.", "www.sub.edge.example.", "deep.sub.edge.example.", "sub2.edge.example.", "mx.edge.example.",
		"mx2.edge.example.", "mx3.edge.example.", "mx4.edge.example.", "bigmx.edge.example.", "many.edge.example.", "ptr.edge.example.",
		"h1.edge.example.", "h12.edge.example.", "d1.edge.example.", "e1.edge.example.", "example.com."}
	types := []uint16{miekg.TypeA, miekg.TypeAAAA, miekg.TypeMX, miekg.TypeTXT, miekg.TypeANY, miekg.TypeNS, miekg.TypeSOA,
		miekg.TypeCNAME, miekg.TypeDS, miekg.TypeSRV, miekg.TypePTR, miekg.TypeAXFR, miekg.TypeIXFR}
	edits := map[string]func(*miekg.Msg){
		"plain":      func(*miekg.Msg) {},
		"RD CD AD":   func(m *miekg.Msg) { m.RecursionDesired, m.CheckingDisabled, m.AuthenticatedData = true, true, true },
		"EDNS 1232":  withEDNS(1232),
		"EDNS 100":   withEDNS(100),
		"EDNS 512":   withEDNS(512),
		"EDNS 600":   withEDNS(600),
		"EDNS 65535": withEDNS(65535),
		"EDNS DO":    func(m *miekg.Msg) { m.SetEdns0(1232, true); m.RecursionDesired = true },
	}
	taken := 0
	for _, name := range names {
		for _, upper := range []bool{false, true} {
			if upper {
				name = strings.ToUpper(name[:2]) + name[2:]
			}
			for _, qt := range types {
				for en, edit := range edits {
					b, err := newQuery(name, qt, edit).Pack()
					if err != nil {
						t.Fatal(err)
					}
					want, ok := s.handleSlow(nil, b, &s.stats)
					if !ok {
						t.Fatalf("%s %d %s: no reply", name, qt, en)
					}
					got, ok := s.hit(nil, b, &s.stats)
					if !ok {
						continue
					}
					taken++
					if want, _ = s.handleSlow(nil, b, &s.stats); !bytes.Equal(got, want) {
						t.Errorf("%s %d %s: the fast path's reply\n%x\nthe whole way's\n%x", name, qt, en, got, want)
					}
				}
			}
		}
	}
	if all := 2 * len(names) * len(types) * len(edits); taken < all/2 {
		t.Errorf("the fast path took %d queries of %d", taken, all)
	} else {
		t.Logf("the fast path took %d queries of %d", taken, all)
	}
	for _, b := range [][]byte{
		mustPack(t, newQuery("www.test.example.", miekg.TypeA, func(m *miekg.Msg) { m.Opcode = 1 })),
		mustPack(t, newQuery("www.test.example.", miekg.TypeA, withEDNS(1232), func(m *miekg.Msg) { m.IsEdns0().SetVersion(1) })),
		append(mustPack(t, newQuery("www.test.example.", miekg.TypeA)), 0),
	} {
		if _, ok := s.hit(nil, b, &s.stats); ok {
			t.Errorf("the fast path took %x", b)
		}
	}
}

func mustPack(t testing.TB, m *miekg.Msg) []byte {
	t.Helper()
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	return b
}
