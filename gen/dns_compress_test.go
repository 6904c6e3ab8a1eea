package gen_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	miekg "github.com/miekg/dns"

	"github.com/mplgo/mpl/gen/dns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// TestDNSCompressionManyNames builds responses whose names have many
// labels (reverse IPv6 names: 34 each, 16 of them new in each name), and
// checks that they are no larger than miekg/dns's compressed packing of
// the same records. The name table takes 768 suffixes: more than a message
// of 1232 bytes (the EDNS0 size DNS Flag Day 2020 settled on) can hold,
// and here 40 such names in 2.4 kB; with 60 (3.6 kB) it fills up, and
// later names compress less.
func TestDNSCompressionManyNames(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, k := range []int{4, 11, 14, 20, 24, 40} {
		var b dns.Builder
		b.ID, b.QR, b.AA = 7, true, true
		m := &miekg.Msg{Compress: true}
		m.Id, m.Response, m.Authoritative = 7, true, true
		var owners []string
		for range k {
			var s string
			for range 16 {
				s += fmt.Sprintf("%x.", rng.IntN(16))
			}
			owners = append(owners, s+"2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa.")
		}
		for _, target := range []string{"host.local.", "host-2.local."} {
			for _, o := range owners {
				b.Answers = append(b.Answers, dns.AnswerBuilder{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindPTR,
					PTR: dns.RRPTRBuilder{Name: mplrt.MustName(o), Class: 1, TTL: 120, PTR: mplrt.MustName(target)}})})
				m.Answer = append(m.Answer, &miekg.PTR{Hdr: miekg.RR_Header{Name: o, Rrtype: miekg.TypePTR, Class: 1, Ttl: 120}, Ptr: target})
			}
		}
		out, err := b.AppendTo(nil)
		if err != nil {
			t.Fatal(err)
		}
		want, err := m.Pack()
		if err != nil {
			t.Fatal(err)
		}
		if len(want) > 2500 {
			t.Fatalf("%d names: miekg/dns packs %d bytes", k, len(want))
		}
		if len(out) > len(want) {
			t.Errorf("%d names: %d bytes, miekg/dns %d", k, len(out), len(want))
		}
		var back miekg.Msg
		if err := back.Unpack(out); err != nil || back.String() != m.String() {
			t.Errorf("%d names: miekg/dns reads %v:\n%s\nwant\n%s", k, err, back.String(), m.String())
		}
	}
}
