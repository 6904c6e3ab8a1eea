package dnsserver

import (
	"bytes"
	"encoding/hex"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	miekg "github.com/miekg/dns"
)

// records returns rrs as text, sorted.
func records(rrs []miekg.RR) []string {
	var out []string
	for _, rr := range rrs {
		if rr.Header().Rrtype == miekg.TypeOPT {
			continue
		}
		out = append(out, rr.String())
	}
	slices.Sort(out)
	return out
}

func rr(s string) string {
	r, err := miekg.NewRR(s)
	if err != nil {
		panic(err)
	}
	return r.String()
}

func rrs(ss ...string) []string {
	var out []string
	for _, s := range ss {
		out = append(out, rr(s))
	}
	slices.Sort(out)
	return out
}

// DNS-01: the answer to a plain query, RD clear or set.
func TestAnswer(t *testing.T) {
	s := testServer(t)
	for _, rd := range []bool{false, true} {
		q := newQuery("www.test.example.", miekg.TypeA, func(m *miekg.Msg) { m.RecursionDesired = rd })
		r := exchange(t, s, q)
		h := r.MsgHdr
		if h.Id != q.Id || !h.Response || h.Opcode != miekg.OpcodeQuery || !h.Authoritative || h.RecursionDesired != rd ||
			h.RecursionAvailable || h.Truncated || h.Rcode != miekg.RcodeSuccess {
			t.Errorf("RD %v: header %+v", rd, h)
		}
		if d := cmp.Diff(q.Question, r.Question); d != "" {
			t.Errorf("question (-query +reply):\n%s", d)
		}
		if d := cmp.Diff(rrs("www.test.example. 300 IN A 198.18.0.10"), records(r.Answer)); d != "" {
			t.Errorf("answer:\n%s", d)
		}
		if d := cmp.Diff(rrs("test.example. 300 IN NS ns1.test.example."), records(r.Ns)); d != "" {
			t.Errorf("authority:\n%s", d)
		}
		if d := cmp.Diff(rrs("ns1.test.example. 300 IN A 198.18.0.1"), records(r.Extra)); d != "" {
			t.Errorf("additional:\n%s", d)
		}
		if r.IsEdns0() != nil {
			t.Errorf("an OPT record in the reply to a query without")
		}
	}
}

// The header bits: CD is copied, AD, Z, AA, TC, RA and RCODE of the
// query are not.
func TestHeaderBits(t *testing.T) {
	s := testServer(t)
	r := exchange(t, s, newQuery("www.test.example.", miekg.TypeA, func(m *miekg.Msg) {
		m.CheckingDisabled, m.AuthenticatedData, m.Zero = true, true, true
		m.Truncated, m.RecursionAvailable, m.Rcode = true, true, miekg.RcodeRefused
	}))
	if !r.CheckingDisabled || r.AuthenticatedData || r.Zero || r.Truncated || r.RecursionAvailable || r.Rcode != 0 || !r.Authoritative {
		t.Errorf("header %+v", r.MsgHdr)
	}
}

// rawReply sends the hex message to s and returns the reply, unpacked.
func rawExchange(t *testing.T, s *Server, hx string) (*miekg.Msg, []byte, bool) {
	t.Helper()
	b, err := hex.DecodeString(hx)
	if err != nil {
		t.Fatal(err)
	}
	reply, ok := s.HandleUDP(nil, testSrc, b)
	if !ok {
		return nil, nil, false
	}
	m := new(miekg.Msg)
	if err := m.Unpack(reply); err != nil {
		t.Fatalf("%s: reply does not unpack: %v\n%x", hx, err, reply)
	}
	if len(b) >= 2 && m.Id != uint16(b[0])<<8|uint16(b[1]) {
		t.Errorf("%s: reply ID %#x", hx, m.Id)
	}
	return m, reply, true
}

// DNS-02, DNS-04, DNS-08, DNS-13, DNS-16, and the rest of FORMERR: the
// RCODE, whether the question is echoed, and whether the reply has an
// OPT record, as BIND answers (TestBIND compares them whole).
func TestFormErr(t *testing.T) {
	s := testServer(t)
	for _, c := range []struct {
		name          string
		hex           string
		question, opt bool
	}{
		{"pointer to itself", hdr("0000", 1, 0, 0, 0) + "c00c00010001", false, false},
		{"pointer loop", hdr("0000", 1, 0, 0, 0) + "0161c00e00010001", false, false},
		{"forward pointer", hdr("0000", 1, 0, 0, 0) + "c01200010001" + "037777770000010001", false, false},
		{"header only", hdr("0000", 1, 0, 0, 0), false, false},
		{"qname unterminated", hdr("0000", 1, 0, 0, 0) + "037777770474657374", false, false},
		{"qtype missing", hdr("0000", 1, 0, 0, 0) + hxWWW, false, false},
		{"qdcount 0", hdr("0000", 0, 0, 0, 0), false, false},
		{"qdcount 0 with OPT", hdr("0000", 0, 0, 0, 1) + hxOPT, false, true},
		{"qdcount 2", hdr("0000", 2, 0, 0, 1) + hxA + hxA + hxOPT, false, false},
		{"ancount 1 without records", hdr("0000", 1, 1, 0, 0) + hxA, true, false},
		{"two OPT", hdr("0000", 1, 0, 0, 2) + hxA + hxOPT + hxOPT, true, false},
		{"option overruns RDLENGTH", hdr("0000", 1, 0, 0, 1) + hxA + "00002904d00000000000040010000a0010", true, false},
		{"OPT RDLENGTH 1", hdr("0000", 1, 0, 0, 1) + hxA + "00002904d000000000000100", true, false},
		{"OPT not root", hdr("0000", 1, 0, 0, 1) + hxA + "c00c002904d0000000000000", true, false},
		{"OPT in answer", hdr("0000", 1, 1, 0, 0) + hxA + hxOPT, true, false},
		{"COOKIE of 7 bytes", hdr("0000", 1, 0, 0, 1) + hxA + opt("000a0007"+"01020304050607"), true, true},
		{"ECS bits past the prefix", hdr("0000", 1, 0, 0, 1) + hxA + opt("0008000700011400c612ff"), true, true},
		{"ECS scope 8", hdr("0000", 1, 0, 0, 1) + hxA + opt("0008000700011808c61200"), true, false},
		{"TSIG not last", hdr("0000", 1, 0, 0, 2) + hxA + hxTSIG + hxOPT, true, false},
		{"class ANY", hdr("0000", 1, 0, 0, 1) + hxWWW + "000100ff" + hxOPT, true, true},
		{"class 0", hdr("0000", 1, 0, 0, 0) + hxWWW + "00010000", true, false},
		{"qtype OPT", hdr("0000", 1, 0, 0, 0) + hxWWW + "00290001", true, false},
		{"AXFR", hdr("0000", 1, 0, 0, 1) + hxApex + "00fc0001" + hxOPT, true, true},
		{"IXFR without SOA", hdr("0000", 1, 0, 0, 0) + hxApex + "00fb0001", true, false},
		{"NOTIFY of type A", hdr("2000", 1, 0, 0, 0) + hxApex + "00010001", true, false},
		{"opcode 3 two OPT", hdr("1800", 1, 0, 0, 2) + hxA + hxOPT + hxOPT, false, false},
	} {
		r, _, ok := rawExchange(t, s, c.hex)
		if !ok {
			t.Errorf("%s: no reply", c.name)
			continue
		}
		if r.Rcode != miekg.RcodeFormatError || r.Authoritative || !r.Response {
			t.Errorf("%s: header %+v, want FORMERR", c.name, r.MsgHdr)
		}
		if (len(r.Question) == 1) != c.question {
			t.Errorf("%s: question %v, want one: %v", c.name, r.Question, c.question)
		}
		if (r.IsEdns0() != nil) != c.opt {
			t.Errorf("%s: OPT %v, want one: %v", c.name, r.IsEdns0(), c.opt)
		}
		if len(r.Answer)+len(r.Ns) != 0 {
			t.Errorf("%s: records in a FORMERR", c.name)
		}
	}
}

// DNS-05: silence for what is not a query.
func TestSilence(t *testing.T) {
	s := testServer(t)
	for _, hx := range []string{"", "12", hdr("0000", 1, 0, 0, 0)[:22], hdr("8000", 1, 0, 0, 0) + hxA, hdr("8400", 1, 1, 0, 0) + hxA + "c00c000100010000012c0004c612000a"} {
		if _, reply, ok := rawExchange(t, s, hx); ok {
			t.Errorf("%s: reply %x", hx, reply)
		}
	}
	st := s.Stats()
	if st.Dropped[DropShort] != 3 || st.Dropped[DropResponse] != 2 || st.Queries != 5 {
		t.Errorf("stats %+v", st)
	}
}

// DNS-07: opcodes other than QUERY, NOTIFY and UPDATE.
func TestNotImp(t *testing.T) {
	s := testServer(t)
	for _, op := range []int{1, 2, 3, 6, 15} {
		for _, edns := range []bool{false, true} {
			q := newQuery("www.test.example.", miekg.TypeA, func(m *miekg.Msg) {
				m.Opcode, m.RecursionDesired = op, true
				if edns {
					m.SetEdns0(1232, false)
				}
			})
			r := exchange(t, s, q)
			if r.Rcode != miekg.RcodeNotImplemented || r.Opcode != op || len(r.Question) != 0 || r.RecursionDesired ||
				(r.IsEdns0() != nil) != edns {
				t.Errorf("opcode %d, EDNS %v: %v", op, edns, r)
			}
		}
	}
}

// NOTIFY and UPDATE, which BIND answers for its own zones.
func TestNotifyUpdate(t *testing.T) {
	s := testServer(t)
	for _, c := range []struct {
		op     int
		name   string
		rcode  int
		aa     bool
		qclass uint16
	}{
		{miekg.OpcodeNotify, "test.example.", miekg.RcodeSuccess, true, miekg.ClassINET},
		{miekg.OpcodeNotify, "www.test.example.", miekg.RcodeNotAuth, false, miekg.ClassINET},
		{miekg.OpcodeNotify, "example.com.", miekg.RcodeNotAuth, false, miekg.ClassINET},
		{miekg.OpcodeNotify, "test.example.", miekg.RcodeNotImplemented, false, miekg.ClassCHAOS},
		{miekg.OpcodeNotify, "test.example.", miekg.RcodeRefused, false, miekg.ClassHESIOD},
		{miekg.OpcodeUpdate, "test.example.", miekg.RcodeRefused, false, miekg.ClassINET},
		{miekg.OpcodeUpdate, "www.test.example.", miekg.RcodeNotAuth, false, miekg.ClassINET},
	} {
		r := exchange(t, s, newQuery(c.name, miekg.TypeSOA, func(m *miekg.Msg) {
			m.Opcode, m.Question[0].Qclass = c.op, c.qclass
		}))
		if r.Rcode != c.rcode || r.Authoritative != c.aa || r.Opcode != c.op || len(r.Question) != 1 {
			t.Errorf("opcode %d %s class %d: %v", c.op, c.name, c.qclass, r)
		}
	}
}

// DNS-10: NODATA and NXDOMAIN carry the SOA, with the TTL of RFC 2308
// section 5: the lesser of the SOA's TTL and MINIMUM.
func TestNegative(t *testing.T) {
	s := testServer(t)
	for _, c := range []struct {
		name  string
		qtype uint16
		rcode int
		soa   string
	}{
		{"mail.test.example.", miekg.TypeAAAA, miekg.RcodeSuccess, "test.example. 300 IN SOA ns1.test.example. hostmaster.test.example. 2024010101 3600 600 86400 300"},
		{"www.test.example.", 65534, miekg.RcodeSuccess, "test.example. 300 IN SOA ns1.test.example. hostmaster.test.example. 2024010101 3600 600 86400 300"},
		{"nope.test.example.", miekg.TypeA, miekg.RcodeNameError, "test.example. 300 IN SOA ns1.test.example. hostmaster.test.example. 2024010101 3600 600 86400 300"},
		{"www.edge.example.", miekg.TypeMX, miekg.RcodeSuccess, "edge.example. 60 IN SOA ns1.edge.example. hostmaster.edge.example. 1 7200 900 1209600 60"},
		{"c.ent.edge.example.", miekg.TypeA, miekg.RcodeSuccess, "edge.example. 60 IN SOA ns1.edge.example. hostmaster.edge.example. 1 7200 900 1209600 60"},
		{"x.c.ent.edge.example.", miekg.TypeA, miekg.RcodeNameError, "edge.example. 60 IN SOA ns1.edge.example. hostmaster.edge.example. 1 7200 900 1209600 60"},
	} {
		r := exchange(t, s, newQuery(c.name, c.qtype))
		if r.Rcode != c.rcode || !r.Authoritative || len(r.Answer) != 0 || len(r.Extra) != 0 {
			t.Errorf("%s %d: %v", c.name, c.qtype, r)
		}
		if d := cmp.Diff(rrs(c.soa), records(r.Ns)); d != "" {
			t.Errorf("%s %d: authority:\n%s", c.name, c.qtype, d)
		}
	}
}

// DNS-11: REFUSED for what the server has no zone for.
func TestRefused(t *testing.T) {
	s := testServer(t)
	for _, c := range []struct {
		name   string
		qclass uint16
		ede    uint16 // 0xffff: none
	}{
		{"example.com.", miekg.ClassINET, 0xffff},
		{"example.", miekg.ClassINET, 0xffff},
		{".", miekg.ClassINET, 0xffff},
		{"test.example.com.", miekg.ClassINET, 0xffff},
		{"www.test.example.", miekg.ClassCHAOS, 0xffff},
		{"www.test.example.", miekg.ClassHESIOD, 18},
	} {
		r := exchange(t, s, newQuery(c.name, miekg.TypeA, withEDNS(1232), func(m *miekg.Msg) { m.Question[0].Qclass = c.qclass }))
		if r.Rcode != miekg.RcodeRefused || r.Authoritative || len(r.Answer)+len(r.Ns)+len(r.Extra) != 1 || len(r.Question) != 1 {
			t.Errorf("%s class %d: %v", c.name, c.qclass, r)
		}
		var ede []uint16
		for _, o := range r.IsEdns0().Option {
			if e, ok := o.(*miekg.EDNS0_EDE); ok {
				ede = append(ede, e.InfoCode)
			}
		}
		if want := []uint16{c.ede}; c.ede == 0xffff && ede != nil || c.ede != 0xffff && !slices.Equal(ede, want) {
			t.Errorf("%s class %d: Extended DNS Errors %v", c.name, c.qclass, ede)
		}
	}
	for _, c := range []uint16{2, 5, 256, 65535} {
		r := exchange(t, s, newQuery("www.test.example.", miekg.TypeA, func(m *miekg.Msg) { m.Question[0].Qclass = c }))
		if r.Rcode != miekg.RcodeNotImplemented {
			t.Errorf("class %d: %v", c, r)
		}
	}
}

// CNAMEs: followed in the zone, with the zone's NS records after a
// positive answer; a loop or a chain of more than 11 is SERVFAIL; one
// that leaves the zone stops there.
func TestCNAME(t *testing.T) {
	s := testServer(t)
	r := exchange(t, s, newQuery("alias.test.example.", miekg.TypeA))
	want := rrs("alias.test.example. 300 IN CNAME www.test.example.", "www.test.example. 300 IN A 198.18.0.10")
	if d := cmp.Diff(want, records(r.Answer)); d != "" || r.Rcode != 0 || len(r.Ns) != 1 {
		t.Errorf("alias: %v\n%s", r, d)
	}
	if r.Answer[0].Header().Rrtype != miekg.TypeCNAME {
		t.Errorf("alias: the CNAME is not first: %v", r.Answer)
	}
	r = exchange(t, s, newQuery("d1.edge.example.", miekg.TypeA))
	if r.Rcode != 0 || len(r.Answer) != 12 {
		t.Errorf("11 CNAMEs: %v", r)
	}
	for _, name := range []string{"e1.edge.example.", "loop1.edge.example.", "self.edge.example."} {
		r := exchange(t, s, newQuery(name, miekg.TypeA, withEDNS(1232)))
		if r.Rcode != miekg.RcodeServerFailure || !r.Authoritative || len(r.Answer) == 0 || len(r.Ns) != 0 {
			t.Errorf("%s: %v", name, r)
		}
		var texts []string
		for _, o := range r.IsEdns0().Option {
			if e, ok := o.(*miekg.EDNS0_EDE); ok && e.InfoCode == 0 {
				texts = append(texts, e.ExtraText)
			}
		}
		if !slices.Equal(texts, []string{"max. restarts reached"}) {
			t.Errorf("%s: Extended DNS Errors %v", name, texts)
		}
	}
	r = exchange(t, s, newQuery("other.edge.example.", miekg.TypeA))
	if d := cmp.Diff(rrs("other.edge.example. 3600 IN CNAME www.test.example."), records(r.Answer)); d != "" || len(r.Ns)+len(r.Extra) != 0 {
		t.Errorf("CNAME to another zone: %v\n%s", r, d)
	}
	r = exchange(t, s, newQuery("tonx.edge.example.", miekg.TypeA))
	if r.Rcode != miekg.RcodeNameError || len(r.Answer) != 1 || len(r.Ns) != 1 {
		t.Errorf("CNAME to nothing: %v", r)
	}
}

// Wildcards, empty non-terminals and delegations.
func TestWildcardsAndCuts(t *testing.T) {
	s := testServer(t)
	r := exchange(t, s, newQuery("a.b.Wild.edge.example.", miekg.TypeA))
	if d := cmp.Diff(rrs("a.b.Wild.edge.example. 3600 IN A 198.18.2.2"), records(r.Answer)); d != "" || !r.Authoritative {
		t.Errorf("wildcard: %v\n%s", r, d)
	}
	r = exchange(t, s, newQuery("wild.edge.example.", miekg.TypeA))
	if r.Rcode != 0 || len(r.Answer) != 0 || len(r.Ns) != 1 {
		t.Errorf("empty non-terminal above a wildcard: %v", r)
	}
	r = exchange(t, s, newQuery("deep.www.sub.edge.example.", miekg.TypeA))
	if r.Rcode != 0 || r.Authoritative || len(r.Answer) != 0 ||
		!slices.Equal(records(r.Ns), rrs("sub.edge.example. 3600 IN NS ns.sub.edge.example.", "sub.edge.example. 3600 IN NS ns.outside.example.")) ||
		!slices.Equal(records(r.Extra), rrs("ns.sub.edge.example. 3600 IN A 198.18.2.5")) {
		t.Errorf("referral: %v", r)
	}
	r = exchange(t, s, newQuery("sub.edge.example.", miekg.TypeDS))
	if r.Rcode != 0 || !r.Authoritative || len(r.Ns) != 1 || r.Ns[0].Header().Rrtype != miekg.TypeSOA {
		t.Errorf("DS at a cut: %v", r)
	}
}

// DNS-14: BADVERS.
func TestBadVers(t *testing.T) {
	s := testServer(t)
	r := exchange(t, s, newQuery("www.test.example.", miekg.TypeA, withEDNS(4096), func(m *miekg.Msg) {
		m.IsEdns0().SetVersion(1)
		m.IsEdns0().SetDo()
	}))
	o := r.IsEdns0()
	if r.Rcode != miekg.RcodeBadVers || r.MsgHdr.Rcode&0xf != 0 || o == nil || o.Version() != 0 || o.ExtendedRcode() != miekg.RcodeBadVers ||
		!o.Do() || len(r.Answer)+len(r.Ns) != 0 || len(r.Question) != 1 || r.Authoritative {
		t.Errorf("BADVERS: %v", r)
	}
	var raw struct{ Rcode int }
	b, _ := newQuery("www.test.example.", miekg.TypeA, withEDNS(1232), func(m *miekg.Msg) { m.IsEdns0().SetVersion(1) }).Pack()
	reply, _ := s.HandleUDP(nil, testSrc, b)
	raw.Rcode = int(reply[3] & 0xf)
	if raw.Rcode != 0 {
		t.Errorf("BADVERS: header RCODE %d, want 0 (extended in the OPT record)", raw.Rcode)
	}
	if st := s.Stats(); st.Answered[16] != 2 {
		t.Errorf("BADVERS counted %d times", st.Answered[16])
	}
}

// EDNS: an OPT record for an OPT record, DO copied, Client Subnet echoed
// with scope 0.
func TestEDNS(t *testing.T) {
	s := testServer(t)
	r := exchange(t, s, newQuery("www.test.example.", miekg.TypeA, withEDNS(4096), func(m *miekg.Msg) {
		o := m.IsEdns0()
		o.SetDo()
		o.Option = append(o.Option, &miekg.EDNS0_SUBNET{Code: miekg.EDNS0SUBNET, Family: 1, SourceNetmask: 24, SourceScope: 0, Address: []byte{198, 18, 7, 0}},
			&miekg.EDNS0_LOCAL{Code: 0xfde9, Data: []byte{1}})
	}))
	o := r.IsEdns0()
	if o == nil || o.UDPSize() != 1232 || !o.Do() || o.Version() != 0 || len(o.Option) != 1 {
		t.Fatalf("OPT %v", o)
	}
	ecs, ok := o.Option[0].(*miekg.EDNS0_SUBNET)
	if !ok || ecs.Family != 1 || ecs.SourceNetmask != 24 || ecs.SourceScope != 0 || !ecs.Address.Equal([]byte{198, 18, 7, 0}) {
		t.Errorf("Client Subnet %v", o.Option[0])
	}
	if len(r.Answer) != 1 || len(r.Ns) != 1 || len(r.Extra) != 2 {
		t.Errorf("reply %v", r)
	}
}

// DNS-17: truncation. Replies fit the client's size, lose additional
// records first, and are the question alone with TC when the answer and
// authority do not fit; EDNS clients of 512 bytes or less get positive
// answers alone.
func TestTruncation(t *testing.T) {
	s := testServer(t)
	for _, c := range []struct {
		name         string
		qtype        uint16
		edns         uint16 // 0: none
		tc           bool
		an, ns, adds int // records, OPT not counted
	}{
		{"big.test.example.", miekg.TypeTXT, 0, true, 0, 0, 0},
		{"big.test.example.", miekg.TypeTXT, 512, true, 0, 0, 0},
		{"big.test.example.", miekg.TypeTXT, 600, false, 1, 1, 1},
		{"big.test.example.", miekg.TypeTXT, 100, true, 0, 0, 0},
		{"www.test.example.", miekg.TypeA, 512, false, 1, 0, 0},
		{"www.test.example.", miekg.TypeA, 100, false, 1, 0, 0},
		{"www.test.example.", miekg.TypeA, 513, false, 1, 1, 1},
		{"nope.test.example.", miekg.TypeA, 512, false, 0, 1, 0},
		{"www.sub.edge.example.", miekg.TypeA, 512, false, 0, 2, 1},
		{"many.edge.example.", miekg.TypeA, 0, true, 0, 0, 0},
		{"many.edge.example.", miekg.TypeA, 1232, false, 30, 3, 3},
		{"bigmx.edge.example.", miekg.TypeMX, 0, false, 12, 3, 11},
		{"bigmx.edge.example.", miekg.TypeMX, 600, false, 12, 3, 15},
		{"bigmx.edge.example.", miekg.TypeMX, 1232, false, 12, 3, 27},
	} {
		for range 2 { // the miss, then the hit
			q := newQuery(c.name, c.qtype)
			if c.edns != 0 {
				q.SetEdns0(c.edns, false)
			}
			b, _ := q.Pack()
			reply, ok := s.HandleUDP(nil, testSrc, b)
			if !ok {
				t.Fatalf("%s: no reply", c.name)
			}
			limit := 512
			if c.edns != 0 {
				limit = min(max(int(c.edns), 512), 1232)
			}
			if len(reply) > limit {
				t.Errorf("%s EDNS %d: %d bytes, more than %d", c.name, c.edns, len(reply), limit)
			}
			r := new(miekg.Msg)
			if err := r.Unpack(reply); err != nil {
				t.Fatal(err)
			}
			if r.Truncated != c.tc || len(r.Answer) != c.an || len(r.Ns) != c.ns || len(records(r.Extra)) != c.adds ||
				(r.IsEdns0() != nil) != (c.edns != 0) || !r.Authoritative && c.name != "www.sub.edge.example." {
				t.Errorf("%s EDNS %d: TC %v, %d/%d/%d records, want TC %v %d/%d/%d\n%v", c.name, c.edns, r.Truncated,
					len(r.Answer), len(r.Ns), len(records(r.Extra)), c.tc, c.an, c.ns, c.adds, r)
			}
		}
	}
	if st := s.Stats(); st.Truncated != 8 {
		t.Errorf("%d truncated, want 8", st.Truncated)
	}
}

// DNS-19: names match without regard to case, and the question goes
// back as asked.
func TestCase(t *testing.T) {
	s := testServer(t)
	for _, name := range []string{"www.test.example.", "WwW.tEsT.eXaMpLe.", "WWW.TEST.EXAMPLE.", "www.TEST.example."} {
		r := exchange(t, s, newQuery(name, miekg.TypeA))
		if len(r.Question) != 1 || r.Question[0].Name != name {
			t.Errorf("%s: question %v", name, r.Question)
		}
		if len(r.Answer) != 1 || !strings.EqualFold(r.Answer[0].Header().Name, name) || r.Rcode != 0 {
			t.Errorf("%s: %v", name, r)
		}
	}
	if st := s.Stats(); st.CacheMisses != 1 || st.CacheHits != 3 {
		t.Errorf("%d misses, %d hits: the cache should hold one answer for every case", st.CacheMisses, st.CacheHits)
	}
}

// DNS-20: zone transfers over UDP, and ANY.
func TestTransfersAndANY(t *testing.T) {
	s := testServer(t)
	r := exchange(t, s, newQuery("test.example.", miekg.TypeAXFR))
	if r.Rcode != miekg.RcodeFormatError || len(r.Answer) != 0 {
		t.Errorf("AXFR: %v", r)
	}
	r = exchange(t, s, newQuery("www.test.example.", miekg.TypeAXFR))
	if r.Rcode != miekg.RcodeNotAuth {
		t.Errorf("AXFR below the apex: %v", r)
	}
	r = exchange(t, s, newQuery("test.example.", miekg.TypeIXFR, func(m *miekg.Msg) {
		m.Ns = append(m.Ns, &miekg.SOA{Hdr: miekg.RR_Header{Name: "test.example.", Rrtype: miekg.TypeSOA, Class: miekg.ClassINET},
			Ns: "ns1.test.example.", Mbox: "hostmaster.test.example.", Serial: 1})
	}))
	if r.Rcode != 0 || r.Authoritative || len(r.Answer) != 1 || r.Answer[0].Header().Rrtype != miekg.TypeSOA {
		t.Errorf("IXFR: %v", r)
	}
	r = exchange(t, s, newQuery("test.example.", miekg.TypeANY))
	want := rrs("test.example. 300 IN SOA ns1.test.example. hostmaster.test.example. 2024010101 3600 600 86400 300",
		"test.example. 300 IN NS ns1.test.example.", "test.example. 300 IN MX 10 mail.test.example.",
		`test.example. 300 IN TXT "v=spf1 -all"`)
	if d := cmp.Diff(want, records(r.Answer)); d != "" || len(r.Ns)+len(r.Extra) != 0 {
		t.Errorf("ANY: %v\n%s", r, d)
	}
}

// A TSIG-signed query: the server knows no key.
func TestTSIG(t *testing.T) {
	s := testServer(t)
	r, _, ok := rawExchange(t, s, hdr("0000", 1, 0, 0, 1)+hxA+hxTSIG)
	if !ok || r.Rcode != miekg.RcodeNotAuth || len(r.Extra) != 1 {
		t.Fatalf("%v", r)
	}
	ts, ok := r.Extra[0].(*miekg.TSIG)
	if !ok || ts.Error != miekg.RcodeBadKey || ts.Hdr.Name != "key-ns2." || ts.Algorithm != "hmac-sha256." || ts.MACSize != 0 || ts.OrigId != 0x1234 {
		t.Errorf("TSIG %v", r.Extra[0])
	}
}

// The cache: a hit is the miss's reply, byte for byte, but for the ID
// and what the query decides.
func TestCacheHit(t *testing.T) {
	s := testServer(t)
	q := newQuery("mx.edge.example.", miekg.TypeMX, withEDNS(1232))
	b, _ := q.Pack()
	first, _ := s.HandleUDP(nil, testSrc, b)
	q.Id = 0xbeef
	b, _ = q.Pack()
	second, _ := s.HandleUDP(make([]byte, 3, 100), testSrc, b)
	if !bytes.Equal(second[:3], []byte{0, 0, 0}) {
		t.Errorf("the reply did not append to dst")
	}
	second = second[3:]
	if second[0] != 0xbe || second[1] != 0xef || !bytes.Equal(first[2:], second[2:]) {
		t.Errorf("a cache hit differs from the miss:\n%x\n%x", first, second)
	}
	if st := s.Stats(); st.CacheMisses != 1 || st.CacheHits != 1 || st.CacheEntries != 1 {
		t.Errorf("stats %+v", st)
	}
}

// The cache's bound: a flood of names asked once keeps it at its size,
// and an answer asked for between them stays in it.
func TestCacheBound(t *testing.T) {
	s := NewWithOptions(Options{CacheEntries: 16}, testZones(t)...)
	hot, _ := newQuery("www.test.example.", miekg.TypeA).Pack()
	for i := range 1000 {
		b, _ := newQuery(strings.Repeat("x", 1+i%50)+"."+string(rune('a'+i%26))+".nope.test.example.", miekg.TypeA).Pack()
		if _, ok := s.HandleUDP(nil, testSrc, b); !ok {
			t.Fatal("no reply")
		}
		if _, ok := s.HandleUDP(nil, testSrc, hot); !ok {
			t.Fatal("no reply")
		}
	}
	st := s.Stats()
	if st.CacheEntries > 16 || st.CacheEvictions < 1000-16 || st.CacheHits < 999 {
		t.Errorf("stats %+v", st)
	}
	n := 0
	for i := range s.cache.slots {
		if s.cache.slots[i].Load() != nil {
			n++
		}
	}
	if len(s.cache.entries) > 16 || n != st.CacheEntries {
		t.Errorf("%d entries, %d keys, %d counted", len(s.cache.entries), n, st.CacheEntries)
	}
}

// Stats counts replies by RCODE and prints them.
func TestStats(t *testing.T) {
	s := testServer(t)
	for _, name := range []string{"www.test.example.", "nope.test.example.", "example.com."} {
		exchange(t, s, newQuery(name, miekg.TypeA))
	}
	st := s.Stats()
	if st.Answered[0] != 1 || st.Answered[3] != 1 || st.Answered[5] != 1 || st.Queries != 3 {
		t.Errorf("stats %+v", st)
	}
	var b strings.Builder
	st.WriteTo(&b)
	for _, line := range []string{"dns queries            3\n", "dns answered NXDOMAIN  1\n", "dns cache entries      2\n"} {
		if !strings.Contains(b.String(), line) {
			t.Errorf("no %q in\n%s", line, b.String())
		}
	}
}

// HandleUDP is safe for concurrent use (run with -race).
func TestConcurrent(t *testing.T) {
	s := NewWithOptions(Options{CacheEntries: 8}, testZones(t)...)
	names := []string{"www.test.example.", "mx.edge.example.", "nope.test.example.", "example.com.", "foo.wild.edge.example.",
		"loop1.edge.example.", "many.edge.example.", "a.nope.edge.example.", "b.nope.edge.example.", "c.nope.edge.example."}
	done := make(chan bool)
	for g := range 4 {
		go func() {
			buf := make([]byte, 0, 2048)
			for i := range 500 {
				b, _ := newQuery(names[(g+i)%len(names)], miekg.TypeA).Pack()
				if _, ok := s.HandleUDP(buf, testSrc, b); !ok {
					t.Error("no reply")
				}
				if i%100 == 0 {
					s.Stats()
				}
			}
			done <- true
		}()
	}
	for range 4 {
		<-done
	}
}
