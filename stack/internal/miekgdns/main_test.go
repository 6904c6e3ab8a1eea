package main

import (
	"net"
	"testing"

	"github.com/miekg/dns"
)

// recorder is a dns.ResponseWriter that keeps the message written.
type recorder struct{ msg *dns.Msg }

func (r *recorder) LocalAddr() net.Addr       { return &net.UDPAddr{} }
func (r *recorder) RemoteAddr() net.Addr      { return &net.UDPAddr{} }
func (r *recorder) WriteMsg(m *dns.Msg) error { r.msg = m; return nil }
func (r *recorder) Write([]byte) (int, error) { return 0, nil }
func (r *recorder) Close() error              { return nil }
func (r *recorder) TsigStatus() error         { return nil }
func (r *recorder) TsigTimersOnly(bool)       {}
func (r *recorder) Hijack()                   {}

func TestServeDNS(t *testing.T) {
	z, err := load("../../dnsserver/testdata/test.example.zone", "test.example")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name          string
		qtype         uint16
		rcode, answer int
		authority     int
		aa            bool
	}{
		{"www.test.example.", dns.TypeA, dns.RcodeSuccess, 1, 1, true},
		{"WwW.TeSt.ExAmPlE.", dns.TypeAAAA, dns.RcodeSuccess, 1, 1, true},
		{"alias.test.example.", dns.TypeA, dns.RcodeSuccess, 2, 1, true},
		{"nope.test.example.", dns.TypeA, dns.RcodeNameError, 0, 1, true},
		{"mail.test.example.", dns.TypeAAAA, dns.RcodeSuccess, 0, 1, true},
		{"www.example.org.", dns.TypeA, dns.RcodeRefused, 0, 0, false},
	} {
		q := new(dns.Msg)
		q.SetQuestion(c.name, c.qtype)
		var w recorder
		z.ServeDNS(&w, q)
		m := w.msg
		if m == nil || m.Rcode != c.rcode || len(m.Answer) != c.answer || len(m.Ns) != c.authority || m.Authoritative != c.aa {
			t.Errorf("%s %s: got\n%v", c.name, dns.TypeToString[c.qtype], m)
		}
	}
}
