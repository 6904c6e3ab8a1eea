package dnsserver

import (
	"testing"

	miekg "github.com/miekg/dns"
)

// TestAllocs checks that answering from the cache allocates nothing,
// with and without EDNS, DO, a Client Subnet option, in mixed case and
// truncated; and that replies built without the cache do not either.
func TestAllocs(t *testing.T) {
	s := testServer(t)
	ecs := func(m *miekg.Msg) {
		o := m.IsEdns0()
		o.Option = append(o.Option, &miekg.EDNS0_SUBNET{Code: miekg.EDNS0SUBNET, Family: 1, SourceNetmask: 24, Address: []byte{198, 18, 0, 0}})
	}
	do := func(m *miekg.Msg) { m.IsEdns0().SetDo() }
	for _, c := range []struct {
		name string
		q    *miekg.Msg
	}{
		{"A", newQuery("www.test.example.", miekg.TypeA)},
		{"A EDNS", newQuery("www.test.example.", miekg.TypeA, withEDNS(1232))},
		{"A EDNS DO", newQuery("www.test.example.", miekg.TypeA, withEDNS(1232), do)},
		{"A EDNS ECS", newQuery("www.test.example.", miekg.TypeA, withEDNS(1232), ecs)},
		{"mixed case", newQuery("WwW.TeSt.ExAmPlE.", miekg.TypeA, withEDNS(1232))},
		{"NXDOMAIN", newQuery("nope.test.example.", miekg.TypeA)},
		{"truncated", newQuery("big.test.example.", miekg.TypeTXT)},
		{"CNAME loop", newQuery("loop1.edge.example.", miekg.TypeA, withEDNS(1232))},
		{"REFUSED", newQuery("example.com.", miekg.TypeA, withEDNS(1232))},
		{"NOTIMP", newQuery("www.test.example.", miekg.TypeA, withEDNS(1232), func(m *miekg.Msg) { m.Opcode = 2 })},
		{"BADVERS", newQuery("www.test.example.", miekg.TypeA, withEDNS(1232), func(m *miekg.Msg) { m.IsEdns0().SetVersion(1) })},
		{"class CH", newQuery("www.test.example.", miekg.TypeA, func(m *miekg.Msg) { m.Question[0].Qclass = miekg.ClassCHAOS })},
	} {
		b, err := c.q.Pack()
		if err != nil {
			t.Fatal(err)
		}
		buf := make([]byte, 0, 4096)
		s.HandleUDP(buf, testSrc, b) // fills the cache
		if n := testing.AllocsPerRun(100, func() { s.HandleUDP(buf, testSrc, b) }); n != 0 {
			t.Errorf("%s: %v allocations per query, want 0", c.name, n)
		}
	}
}

func BenchmarkHandleUDP(b *testing.B) {
	s := testServer(b)
	q, _ := newQuery("www.test.example.", miekg.TypeA, withEDNS(1232)).Pack()
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		s.HandleUDP(buf, testSrc, q)
	}
}
