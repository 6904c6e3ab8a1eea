package dnsserver

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
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

// TestLowerWord checks the cache's lower-casing, 8 bytes at a time,
// against a byte's, and that keys equal but for the case hash alike.
func TestLowerWord(t *testing.T) {
	c := newCache(1)
	r := rand.New(rand.NewPCG(1, 2))
	for range 100000 {
		var b [8]byte
		for i := range b {
			b[i] = byte(r.Uint32())
			if r.IntN(2) == 0 {
				b[i] = byte('@' + r.IntN(28))
			}
		}
		n := r.IntN(11) - 1
		want := b
		for i := range min(max(n, 0), 8) {
			if want[i]-'A' < 26 {
				want[i] += 'a' - 'A'
			}
		}
		if got := lowerWord(binary.LittleEndian.Uint64(b[:]), n); got != binary.LittleEndian.Uint64(want[:]) {
			t.Fatalf("lowerWord(%x, %d) = %x, want %x", b, n, got, want)
		}
		key := append(b[:], b[:r.IntN(8)]...)
		nameLen := min(max(n, 0), len(key))
		lowerKey := bytes.Clone(key)
		lower(lowerKey[:nameLen])
		if c.hash(key, nameLen) != c.hash(lowerKey, nameLen) || !equal(lowerKey, key, nameLen) {
			t.Fatalf("%x (%d) and %x differ", key, nameLen, lowerKey)
		}
		if bytes.Equal(key, lowerKey) != equal(key, key, nameLen) {
			t.Fatalf("%x (%d) equal to itself: %v", key, nameLen, equal(key, key, nameLen))
		}
	}
}
