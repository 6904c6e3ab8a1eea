package bench

import (
	"errors"
	"net/netip"
	"testing"

	miekg "github.com/miekg/dns"
	"golang.org/x/net/dns/dnsmessage"

	"github.com/mplgo/mpl/gen/dns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// dnsNames is what a DNS parse reads: the number of records of each
// section and the total length of every name (owners and the names in
// CNAME data), and the EDNS0 UDP size. Every implementation fills it the
// same way (TestDNSParseAgrees).
type dnsNames struct {
	Questions, Answers, Authorities, Additionals int
	NameBytes                                    int
	UDPSize                                      uint16
}

// dnsParseImpl is one implementation of BenchmarkDNSParse.
type dnsParseImpl struct {
	name  string
	parse func(msg []byte, out *dnsNames) error
}

var dnsParseImpls = []dnsParseImpl{
	{"mplc", parseDNSMplc},
	{"dnsmessage", parseDNSDnsmessage},
	{"miekg", parseDNSMiekg},
}

var dnsPayloads = []string{"p4_dns_payload", "p5_dns_payload"}

// parseDNSMplc parses msg with gen/dns and walks every name.
func parseDNSMplc(msg []byte, out *dnsNames) error {
	p, err := dns.Parse(msg)
	if err != nil {
		return err
	}
	*out = dnsNames{}
	for _, q := range p.Questions().All() {
		out.Questions++
		out.NameBytes += q.Qname().Len()
	}
	rr := func(r *dns.RR) {
		out.NameBytes += r.Name().Len()
		if o, ok := r.AsOPT(); ok {
			out.UDPSize = o.UDPSize()
			return
		}
		if rec, ok := r.AsRecord(); ok {
			if c, ok := rec.AsCNAME(); ok {
				out.NameBytes += c.CNAME().Len()
			}
		}
	}
	for _, a := range p.Answers().All() {
		out.Answers++
		rr(a.RR())
	}
	for _, a := range p.Authorities().All() {
		out.Authorities++
		rr(a.RR())
	}
	for _, a := range p.Additionals().All() {
		out.Additionals++
		rr(a.RR())
	}
	return nil
}

// nameLen is the uncompressed wire length of a dnsmessage name.
func nameLen(n dnsmessage.Name) int {
	if n.Length <= 1 {
		return 1
	}
	return int(n.Length) + 1
}

// parseDNSDnsmessage parses msg with dnsmessage's Parser, reading every
// section and the CNAME data.
func parseDNSDnsmessage(msg []byte, out *dnsNames) error {
	var p dnsmessage.Parser
	if _, err := p.Start(msg); err != nil {
		return err
	}
	*out = dnsNames{}
	for {
		q, err := p.Question()
		if errors.Is(err, dnsmessage.ErrSectionDone) {
			break
		}
		if err != nil {
			return err
		}
		out.Questions++
		out.NameBytes += nameLen(q.Name)
	}
	section := func(header func() (dnsmessage.ResourceHeader, error), skip func() error, n *int) error {
		for {
			h, err := header()
			if errors.Is(err, dnsmessage.ErrSectionDone) {
				return nil
			}
			if err != nil {
				return err
			}
			*n++
			out.NameBytes += nameLen(h.Name)
			switch h.Type {
			case dnsmessage.TypeCNAME:
				c, err := p.CNAMEResource()
				if err != nil {
					return err
				}
				out.NameBytes += nameLen(c.CNAME)
				continue
			case dnsmessage.TypeOPT:
				out.UDPSize = uint16(h.Class)
			}
			if err := skip(); err != nil {
				return err
			}
		}
	}
	if err := section(p.AnswerHeader, p.SkipAnswer, &out.Answers); err != nil {
		return err
	}
	if err := section(p.AuthorityHeader, p.SkipAuthority, &out.Authorities); err != nil {
		return err
	}
	return section(p.AdditionalHeader, p.SkipAdditional, &out.Additionals)
}

// parseDNSMiekg unpacks msg with miekg/dns's Msg.Unpack.
func parseDNSMiekg(msg []byte, out *dnsNames) error {
	var m miekg.Msg
	if err := m.Unpack(msg); err != nil {
		return err
	}
	*out = dnsNames{Questions: len(m.Question), Answers: len(m.Answer), Authorities: len(m.Ns), Additionals: len(m.Extra)}
	for _, q := range m.Question {
		out.NameBytes += miekgLen(q.Name)
	}
	for _, sec := range [][]miekg.RR{m.Answer, m.Ns, m.Extra} {
		for _, r := range sec {
			out.NameBytes += miekgLen(r.Header().Name)
			switch x := r.(type) {
			case *miekg.CNAME:
				out.NameBytes += miekgLen(x.Target)
			case *miekg.OPT:
				out.UDPSize = x.UDPSize()
			}
		}
	}
	return nil
}

// miekgLen is the uncompressed wire length of a name in presentation
// format without escapes, as the benchmark's names are.
func miekgLen(s string) int {
	if s == "." {
		return 1
	}
	return len(s) + 1
}

var sinkDNS dnsNames

// TestDNSParseAgrees checks that the implementations read the same from
// each DNS payload.
func TestDNSParseAgrees(t *testing.T) {
	for _, name := range dnsPayloads {
		msg := vector(t, name)
		var want dnsNames
		for i, im := range dnsParseImpls {
			var got dnsNames
			if err := im.parse(msg, &got); err != nil {
				t.Fatalf("%s %s: %v", im.name, name, err)
			}
			if i == 0 {
				want = got
				continue
			}
			if got != want {
				t.Errorf("%s %s: %+v, %s read %+v", im.name, name, got, dnsParseImpls[0].name, want)
			}
		}
	}
}

// BenchmarkDNSParse parses the DNS messages of p4 and p5, every section
// and every name read.
func BenchmarkDNSParse(b *testing.B) {
	for _, name := range dnsPayloads {
		msg := vector(b, name)
		pkt := name[:2]
		for _, im := range dnsParseImpls {
			b.Run("impl="+im.name+"/pkt="+pkt, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(msg)))
				for b.Loop() {
					if err := im.parse(msg, &sinkDNS); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// p5Answer is one answer of vector p5's response: an owner name, and a
// CNAME target or an address.
type p5Answer struct {
	owner, target string
	addr          netip.Addr
}

// p5Response is what vector p5 holds: the question, then three CNAMEs,
// four A and three AAAA records, TTL 300, and an OPT record of UDP size
// 1232.
func p5Response() (qname string, answers []p5Answer) {
	qname = "www.shop.example.com."
	chain := []string{qname, "shop.example.com.cdn.example.net.", "edge.cdn.example.net.", "e17.g.cdn.example.net."}
	for i := 0; i < 3; i++ {
		answers = append(answers, p5Answer{owner: chain[i], target: chain[i+1]})
	}
	for _, a := range []string{"203.0.113.10", "203.0.113.11", "203.0.113.12", "203.0.113.13", "2001:db8::10", "2001:db8::11", "2001:db8::12"} {
		answers = append(answers, p5Answer{owner: chain[3], addr: netip.MustParseAddr(a)})
	}
	return qname, answers
}

// dnsBuildImpl is one implementation of BenchmarkDNSBuild: make sets up a
// builder of p5's response (names converted once) and returns the function
// that appends the message to a buffer.
type dnsBuildImpl struct {
	name string
	make func(tb testing.TB) func(dst []byte) ([]byte, error)
}

var dnsBuildImpls = []dnsBuildImpl{
	{"mplc", buildDNSMplc},
	{"dnsmessage", buildDNSDnsmessage},
	{"miekg", buildDNSMiekg},
}

func buildDNSMplc(tb testing.TB) func(dst []byte) ([]byte, error) {
	qname, answers := p5Response()
	// Each name once, as a server holds its data.
	names := map[string]mplrt.Name{}
	name := func(s string) mplrt.Name {
		if _, ok := names[s]; !ok {
			names[s] = mplrt.MustName(s)
		}
		return names[s]
	}
	b := dns.Builder{ID: 0x5d5d, QR: true, RD: true, RA: true,
		Questions: []dns.QuestionBuilder{{Qname: name(qname), Qtype: 1, Qclass: 1}}}
	for _, a := range answers {
		rec := dns.RRRecordBuilder{}
		owner := name(a.owner)
		switch {
		case a.target != "":
			rec.Kind, rec.CNAME = dns.RRRecordKindCNAME, dns.RRCNAMEBuilder{Name: owner, Class: 1, TTL: 300, CNAME: name(a.target)}
		case a.addr.Is4():
			rec.Kind, rec.A = dns.RRRecordKindA, dns.RRABuilder{Name: owner, Class: 1, TTL: 300, A: a.addr}
		default:
			rec.Kind, rec.AAAA = dns.RRRecordKindAAAA, dns.RRAAAABuilder{Name: owner, Class: 1, TTL: 300, AAAA: a.addr}
		}
		b.Answers = append(b.Answers, dns.AnswerBuilder{RR: dns.RRBuilder{Kind: dns.RRKindRecord, Record: rec}})
	}
	b.Additionals = []dns.AdditionalBuilder{{RR: dns.RRBuilder{Kind: dns.RRKindOPT, OPT: dns.RROPTBuilder{Name: name("."), UDPSize: 1232}}}}
	return b.AppendTo
}

func buildDNSDnsmessage(tb testing.TB) func(dst []byte) ([]byte, error) {
	qname, answers := p5Response()
	name := func(s string) dnsmessage.Name { return dnsmessage.MustNewName(s) }
	q := dnsmessage.Question{Name: name(qname), Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET}
	type ans struct {
		h     dnsmessage.ResourceHeader
		cname dnsmessage.CNAMEResource
		a     dnsmessage.AResource
		aaaa  dnsmessage.AAAAResource
	}
	var as []ans
	for _, a := range answers {
		x := ans{h: dnsmessage.ResourceHeader{Name: name(a.owner), Class: dnsmessage.ClassINET, TTL: 300}}
		switch {
		case a.target != "":
			x.cname.CNAME = name(a.target)
		case a.addr.Is4():
			x.a.A = a.addr.As4()
		default:
			x.aaaa.AAAA = a.addr.As16()
		}
		as = append(as, x)
	}
	var opt dnsmessage.ResourceHeader
	if err := opt.SetEDNS0(1232, dnsmessage.RCodeSuccess, false); err != nil {
		tb.Fatal(err)
	}
	return func(dst []byte) ([]byte, error) {
		b := dnsmessage.NewBuilder(dst, dnsmessage.Header{ID: 0x5d5d, Response: true, RecursionDesired: true, RecursionAvailable: true})
		b.EnableCompression()
		if err := b.StartQuestions(); err != nil {
			return nil, err
		}
		if err := b.Question(q); err != nil {
			return nil, err
		}
		if err := b.StartAnswers(); err != nil {
			return nil, err
		}
		for _, a := range as {
			var err error
			switch {
			case a.cname.CNAME.Length > 0:
				err = b.CNAMEResource(a.h, a.cname)
			case a.a.A != [4]byte{}:
				err = b.AResource(a.h, a.a)
			default:
				err = b.AAAAResource(a.h, a.aaaa)
			}
			if err != nil {
				return nil, err
			}
		}
		if err := b.StartAdditionals(); err != nil {
			return nil, err
		}
		if err := b.OPTResource(opt, dnsmessage.OPTResource{}); err != nil {
			return nil, err
		}
		return b.Finish()
	}
}

func buildDNSMiekg(tb testing.TB) func(dst []byte) ([]byte, error) {
	qname, answers := p5Response()
	m := new(miekg.Msg)
	m.Id, m.Response, m.RecursionDesired, m.RecursionAvailable, m.Compress = 0x5d5d, true, true, true, true
	m.Question = []miekg.Question{{Name: qname, Qtype: miekg.TypeA, Qclass: miekg.ClassINET}}
	for _, a := range answers {
		h := miekg.RR_Header{Name: a.owner, Class: miekg.ClassINET, Ttl: 300}
		switch {
		case a.target != "":
			h.Rrtype = miekg.TypeCNAME
			m.Answer = append(m.Answer, &miekg.CNAME{Hdr: h, Target: a.target})
		case a.addr.Is4():
			h.Rrtype = miekg.TypeA
			m.Answer = append(m.Answer, &miekg.A{Hdr: h, A: a.addr.AsSlice()})
		default:
			h.Rrtype = miekg.TypeAAAA
			m.Answer = append(m.Answer, &miekg.AAAA{Hdr: h, AAAA: a.addr.AsSlice()})
		}
	}
	m.SetEdns0(1232, false)
	return func(dst []byte) ([]byte, error) { return m.PackBuffer(dst[:cap(dst)]) }
}

// TestDNSBuildAgrees checks that every implementation builds p5's response
// to the bytes of the vector (dnsmessage wrote it) or, where its
// compression differs, to a message that reads the same and is no
// shorter than mplc's.
func TestDNSBuildAgrees(t *testing.T) {
	want := vector(t, "p5_dns_payload")
	mplcOut, err := buildDNSMplc(t)(make([]byte, 0, 512))
	if err != nil {
		t.Fatal(err)
	}
	for _, im := range dnsBuildImpls {
		out, err := im.make(t)(make([]byte, 0, 512))
		if err != nil {
			t.Fatalf("%s: %v", im.name, err)
		}
		var got, exp dnsNames
		if err := parseDNSMiekg(out, &got); err != nil {
			t.Fatalf("%s: %v", im.name, err)
		}
		if err := parseDNSMiekg(want, &exp); err != nil {
			t.Fatal(err)
		}
		if got != exp {
			t.Errorf("%s built a message that reads %+v, want %+v", im.name, got, exp)
		}
		if len(out) < len(mplcOut) {
			t.Errorf("%s: %d bytes, mplc %d", im.name, len(out), len(mplcOut))
		}
	}
	if string(mplcOut) != string(want) {
		t.Logf("mplc's message differs from the vector's bytes (%d vs %d bytes)", len(mplcOut), len(want))
	}
}

// BenchmarkDNSBuild builds p5's response (10 answers, compressed names, an
// OPT record) into a reused buffer.
func BenchmarkDNSBuild(b *testing.B) {
	for _, im := range dnsBuildImpls {
		b.Run("impl="+im.name+"/pkt=p5", func(b *testing.B) { benchBuild(b, im.make(b)) })
	}
}
