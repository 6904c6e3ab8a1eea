package dnsserver

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	miekg "github.com/miekg/dns"
)

// testZones loads the zones in testdata: test.example (the project's
// zone for BIND) and edge.example (edge cases).
func testZones(t testing.TB) []*Zone {
	t.Helper()
	var zs []*Zone
	for _, f := range []string{"test.example.zone", "edge.example.zone"} {
		z, err := LoadZoneFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		zs = append(zs, z)
	}
	return zs
}

// testServer is a server for testZones.
func testServer(t testing.TB) *Server {
	t.Helper()
	return New(testZones(t)...)
}

var testSrc = netip.MustParseAddrPort("198.18.0.2:5353")

// newQuery is a query for name and qtype, class IN, RD clear, without
// EDNS, with the ID 0x1234; edit changes it further.
func newQuery(name string, qtype uint16, edit ...func(*miekg.Msg)) *miekg.Msg {
	m := new(miekg.Msg)
	m.SetQuestion(name, qtype)
	m.Id = 0x1234
	m.RecursionDesired = false
	for _, f := range edit {
		f(m)
	}
	return m
}

// withEDNS adds an OPT record with UDP size size.
func withEDNS(size uint16) func(*miekg.Msg) {
	return func(m *miekg.Msg) { m.SetEdns0(size, false) }
}

// exchange packs m, has s answer it, and unpacks the reply.
func exchange(t testing.TB, s *Server, m *miekg.Msg) *miekg.Msg {
	t.Helper()
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	reply, ok := s.HandleUDP(nil, testSrc, b)
	if !ok {
		t.Fatalf("no reply to\n%v", m)
	}
	r := new(miekg.Msg)
	if err := r.Unpack(reply); err != nil {
		t.Fatalf("reply does not unpack: %v\n%x", err, reply)
	}
	return r
}

func TestMain(m *testing.M) { os.Exit(m.Run()) }
