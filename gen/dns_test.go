package gen_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"testing"

	miekg "github.com/miekg/dns"

	"github.com/mplgo/mpl/gen/dns"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/udp"
	mplrt "github.com/mplgo/mpl/runtime"
)

// dnsText is one line per part of a DNS message as the generated views read
// it: the header, each question, each record with its data (dnsRecordText).
func dnsText(p *dns.Packet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id=%d qr=%v opcode=%d aa=%v tc=%v rd=%v ra=%v z=%v ad=%v cd=%v rcode=%d\n",
		p.ID(), p.QR(), uint8(p.Opcode()), p.AA(), p.TC(), p.RD(), p.RA(), p.Z(), p.AD(), p.CD(), uint8(p.Rcode()))
	for _, q := range p.Questions().All() {
		fmt.Fprintf(&b, "q %s %d %d\n", q.Qname(), q.Qtype(), q.Qclass())
	}
	for _, a := range p.Answers().All() {
		b.WriteString("an " + dnsRecordText(a.RR()) + "\n")
	}
	for _, a := range p.Authorities().All() {
		b.WriteString("ns " + dnsRecordText(a.RR()) + "\n")
	}
	for _, a := range p.Additionals().All() {
		b.WriteString("ar " + dnsRecordText(a.RR()) + "\n")
	}
	return b.String()
}

// dnsRecordText is a record as "name type class ttl data"; an OPT record's
// class is its UDP size and its ttl the extended rcode, version, DO bit and
// flags, as on the wire.
func dnsRecordText(r *dns.RR) string {
	head := fmt.Sprintf("%s %d", r.Name(), r.Type())
	if o, ok := r.AsOPT(); ok {
		ttl := uint32(o.ExtRcode())<<24 | uint32(o.Version())<<16 | uint32(o.Flags())
		if o.Do() {
			ttl |= 1 << 15
		}
		var opts []string
		for _, x := range o.Options().All() {
			opts = append(opts, fmt.Sprintf("%d:%x", x.Code(), optionData(x)))
		}
		return fmt.Sprintf("%s %d %d opt %s", head, o.UDPSize(), ttl, strings.Join(opts, ","))
	}
	rec, ok := r.AsRecord()
	if !ok {
		return head + " ?"
	}
	head = fmt.Sprintf("%s %d %d", head, rec.Class(), rec.TTL())
	switch rec.Kind() {
	case dns.RRRecordKindA:
		x, _ := rec.AsA()
		return head + " " + x.A().String()
	case dns.RRRecordKindAAAA:
		x, _ := rec.AsAAAA()
		return head + " " + x.AAAA().String()
	case dns.RRRecordKindNS:
		x, _ := rec.AsNS()
		return head + " " + x.NS().String()
	case dns.RRRecordKindMD:
		x, _ := rec.AsMD()
		return head + " " + x.Madname().String()
	case dns.RRRecordKindMF:
		x, _ := rec.AsMF()
		return head + " " + x.Madname().String()
	case dns.RRRecordKindCNAME:
		x, _ := rec.AsCNAME()
		return head + " " + x.CNAME().String()
	case dns.RRRecordKindMB:
		x, _ := rec.AsMB()
		return head + " " + x.Madname().String()
	case dns.RRRecordKindMG:
		x, _ := rec.AsMG()
		return head + " " + x.Mgmname().String()
	case dns.RRRecordKindMR:
		x, _ := rec.AsMR()
		return head + " " + x.Newname().String()
	case dns.RRRecordKindPTR:
		x, _ := rec.AsPTR()
		return head + " " + x.PTR().String()
	case dns.RRRecordKindHINFO:
		x, _ := rec.AsHINFO()
		return fmt.Sprintf("%s %s %s", head, txtEscape(x.CPU()), txtEscape(x.OS()))
	case dns.RRRecordKindMINFO:
		x, _ := rec.AsMINFO()
		return fmt.Sprintf("%s %s %s", head, x.Rmailbx(), x.Emailbx())
	case dns.RRRecordKindMX:
		x, _ := rec.AsMX()
		return fmt.Sprintf("%s %d %s", head, x.Preference(), x.Exchange())
	case dns.RRRecordKindRP:
		x, _ := rec.AsRP()
		return fmt.Sprintf("%s %s %s", head, x.Mbox(), x.TXT())
	case dns.RRRecordKindAFSDB:
		x, _ := rec.AsAFSDB()
		return fmt.Sprintf("%s %d %s", head, x.Subtype(), x.Hostname())
	case dns.RRRecordKindRT:
		x, _ := rec.AsRT()
		return fmt.Sprintf("%s %d %s", head, x.Preference(), x.IntermediateHost())
	case dns.RRRecordKindSOA:
		x, _ := rec.AsSOA()
		return fmt.Sprintf("%s %s %s %d %d %d %d %d", head, x.Mname(), x.Rname(), x.Serial(), x.Refresh(), x.Retry(), x.Expire(), x.Minimum())
	case dns.RRRecordKindSRV:
		x, _ := rec.AsSRV()
		return fmt.Sprintf("%s %d %d %d %s", head, x.Priority(), x.Weight(), x.Port(), x.Target())
	case dns.RRRecordKindTXT:
		x, _ := rec.AsTXT()
		var ts []string
		for _, t := range x.Texts().All() {
			ts = append(ts, txtEscape(t.Text()))
		}
		return head + " " + strings.Join(ts, " ")
	}
	x, _ := rec.AsOther()
	return fmt.Sprintf("%s %x", head, x.Rdata())
}

// optionData is an EDNS0 option's data, from the fields of its case.
func optionData(x dns.RROption) []byte {
	switch x.Kind() {
	case dns.RROptionKindClientSubnet:
		c, _ := x.AsClientSubnet()
		return append([]byte{byte(c.Family() >> 8), byte(c.Family()), c.SourcePrefix(), c.ScopePrefix()}, c.Address()...)
	case dns.RROptionKindCookie:
		c, _ := x.AsCookie()
		return append(append([]byte{}, c.Client()...), c.Server()...)
	case dns.RROptionKindPadding:
		c, _ := x.AsPadding()
		return c.Padding()
	}
	c, _ := x.AsOtherOption()
	return c.Data()
}

// txtEscape writes a character-string as miekg/dns keeps it: quotes and
// backslashes escaped, bytes outside printable ASCII as \DDD.
func txtEscape(s []byte) string {
	var b strings.Builder
	for _, c := range s {
		switch {
		case c == '"' || c == '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c < ' ' || c > '~':
			fmt.Fprintf(&b, "\\%03d", c)
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// miekgText is dnsText from miekg/dns's reading of the same message.
func miekgText(m *miekg.Msg) string {
	var b strings.Builder
	fmt.Fprintf(&b, "id=%d qr=%v opcode=%d aa=%v tc=%v rd=%v ra=%v z=%v ad=%v cd=%v rcode=%d\n",
		m.Id, m.Response, m.Opcode, m.Authoritative, m.Truncated, m.RecursionDesired, m.RecursionAvailable, m.Zero,
		m.AuthenticatedData, m.CheckingDisabled, m.Rcode&0xf)
	for _, q := range m.Question {
		fmt.Fprintf(&b, "q %s %d %d\n", q.Name, q.Qtype, q.Qclass)
	}
	for _, sec := range []struct {
		tag string
		rrs []miekg.RR
	}{{"an", m.Answer}, {"ns", m.Ns}, {"ar", m.Extra}} {
		for _, r := range sec.rrs {
			b.WriteString(sec.tag + " " + miekgRecordText(r) + "\n")
		}
	}
	return b.String()
}

func miekgRecordText(r miekg.RR) string {
	h := r.Header()
	head := fmt.Sprintf("%s %d", h.Name, h.Rrtype)
	if o, ok := r.(*miekg.OPT); ok {
		var opts []string
		for _, x := range o.Option {
			buf := make([]byte, 512)
			n, err := miekg.PackRR(&miekg.OPT{Hdr: miekg.RR_Header{Name: ".", Rrtype: miekg.TypeOPT}, Option: []miekg.EDNS0{x}}, buf, 0, nil, false)
			if err != nil || n < 15 {
				opts = append(opts, fmt.Sprintf("%d:?", x.Option()))
				continue
			}
			opts = append(opts, fmt.Sprintf("%d:%x", x.Option(), buf[15:n]))
		}
		return fmt.Sprintf("%s %d %d opt %s", head, h.Class, h.Ttl, strings.Join(opts, ","))
	}
	head = fmt.Sprintf("%s %d %d", head, h.Class, h.Ttl)
	switch x := r.(type) {
	case *miekg.A:
		return head + " " + x.A.String()
	case *miekg.AAAA:
		return head + " " + x.AAAA.String()
	case *miekg.NS:
		return head + " " + x.Ns
	case *miekg.MD:
		return head + " " + x.Md
	case *miekg.MF:
		return head + " " + x.Mf
	case *miekg.CNAME:
		return head + " " + x.Target
	case *miekg.MB:
		return head + " " + x.Mb
	case *miekg.MG:
		return head + " " + x.Mg
	case *miekg.MR:
		return head + " " + x.Mr
	case *miekg.PTR:
		return head + " " + x.Ptr
	case *miekg.HINFO:
		// Cpu and Os are escaped as TXT's strings are.
		return fmt.Sprintf("%s %s %s", head, x.Cpu, x.Os)
	case *miekg.MINFO:
		return fmt.Sprintf("%s %s %s", head, x.Rmail, x.Email)
	case *miekg.MX:
		return fmt.Sprintf("%s %d %s", head, x.Preference, x.Mx)
	case *miekg.RP:
		return fmt.Sprintf("%s %s %s", head, x.Mbox, x.Txt)
	case *miekg.AFSDB:
		return fmt.Sprintf("%s %d %s", head, x.Subtype, x.Hostname)
	case *miekg.RT:
		return fmt.Sprintf("%s %d %s", head, x.Preference, x.Host)
	case *miekg.SOA:
		return fmt.Sprintf("%s %s %s %d %d %d %d %d", head, x.Ns, x.Mbox, x.Serial, x.Refresh, x.Retry, x.Expire, x.Minttl)
	case *miekg.SRV:
		return fmt.Sprintf("%s %d %d %d %s", head, x.Priority, x.Weight, x.Port, x.Target)
	case *miekg.TXT:
		return head + " " + strings.Join(x.Txt, " ")
	}
	// Any other type: its data as packed.
	packed := make([]byte, miekg.Len(r)+64)
	n, err := miekg.PackRR(r, packed, 0, nil, false)
	if err != nil {
		return head + " ?"
	}
	off, err := skipRRHeader(packed[:n])
	if err != nil {
		return head + " ?"
	}
	return fmt.Sprintf("%s %x", head, packed[off:n])
}

// skipRRHeader returns where the data of the uncompressed record rr starts.
func skipRRHeader(rr []byte) (int, error) {
	_, off, err := miekg.UnpackDomainName(rr, 0)
	if err != nil {
		return 0, err
	}
	return off + 10, nil
}

// dnsMessages returns the DNS messages of the vectors and of the UDP
// datagrams to or from port 53 or 5353 in the captures, by name.
func dnsMessages(t testing.TB) (names []string, msgs [][]byte) {
	for _, v := range []string{"p4_dns_payload.hex", "p5_dns_payload.hex"} {
		names, msgs = append(names, v), append(msgs, loadVector(t, v))
	}
	for _, c := range loadCaptures(t) {
		for i, f := range c.frames {
			s := parseStack(f)
			if !s.res[lUDP].ok() {
				continue
			}
			if !isDNSPort(s.udp.SrcPort()) && !isDNSPort(s.udp.DstPort()) {
				continue
			}
			names, msgs = append(names, c.name+"#"+strconv.Itoa(i)), append(msgs, s.udp.Payload())
		}
	}
	return names, msgs
}

func isDNSPort(p uint16) bool { return p == 53 || p == 5353 }

// TestDNSMiekg parses every DNS message of the vectors and captures, and
// those of dnsSampleMessages (a record of each case, which the captures
// lack), with the generated package and with miekg/dns: where both read a
// message, the header, questions and records (with their data, and
// EDNS0's fields and options) agree; where one rejects it, the test says
// which and why.
func TestDNSMiekg(t *testing.T) {
	names, msgs := dnsMessages(t)
	samples := dnsSampleMessages(t)
	for _, s := range samples {
		names, msgs = append(names, s.name), append(msgs, s.msg)
	}
	agree, bothReject, onlyOurs, onlyMiekg := 0, 0, 0, 0
	for i, b := range msgs {
		p, err := dns.Parse(b)
		m := new(miekg.Msg)
		merr := m.Unpack(b)
		switch {
		case i >= len(msgs)-len(samples) && (err != nil || merr != nil):
			t.Errorf("%s: rejected (%v; miekg/dns: %v)", names[i], err, merr)
		case err == nil && merr == nil:
			if got, want := dnsText(&p), miekgText(m); got != want {
				t.Errorf("%s: the views read\n%s\nmiekg/dns read\n%s\n%s", names[i], got, want, hex.EncodeToString(b))
				continue
			}
			agree++
		case err != nil && merr != nil:
			bothReject++
		case err != nil:
			onlyMiekg++
			t.Logf("%s: rejected (%v), miekg/dns reads it", names[i], err)
		default:
			onlyOurs++
			t.Logf("%s: miekg/dns rejects it (%v)", names[i], merr)
		}
	}
	t.Logf("%d messages: %d read alike, %d rejected by both, %d rejected only here, %d only by miekg/dns", len(msgs), agree, bothReject, onlyMiekg, onlyOurs)
	if agree < 2 {
		t.Fatalf("only %d messages read by both", agree)
	}
}

// TestDNSBuildVector builds the response of vector p4 with the generated
// builders: the same bytes as the vector, which dnsmessage's compressing
// Builder wrote (answers' names as pointers to the question's), and no
// allocation into a buffer with room.
func TestDNSBuildVector(t *testing.T) {
	www := mplrt.MustName("www.example.com.")
	a := func(ip string) dns.AnswerBuilder {
		return dns.AnswerBuilder{RR: dns.RRBuilder{Kind: dns.RRKindRecord, Record: dns.RRRecordBuilder{
			Kind: dns.RRRecordKindA, A: dns.RRABuilder{Name: www, Class: 1, TTL: 300, A: netip.MustParseAddr(ip)}}}}
	}
	b := dns.Builder{
		ID: 0x1a2b, QR: true, RD: true, RA: true,
		Questions: []dns.QuestionBuilder{{Qname: www, Qtype: 1, Qclass: 1}},
		Answers:   []dns.AnswerBuilder{a("93.184.215.14"), a("93.184.216.34")},
		Additionals: []dns.AdditionalBuilder{{RR: dns.RRBuilder{Kind: dns.RRKindOPT, OPT: dns.RROPTBuilder{
			Name: mplrt.MustName("."), UDPSize: 1232}}}},
	}
	got, err := b.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := loadVector(t, "p4_dns_payload.hex"); !bytes.Equal(got, want) {
		t.Fatalf("built\n%x\nwant\n%x", got, want)
	}
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { _, _ = b.AppendTo(buf[:0]) }); n != 0 {
		t.Errorf("building allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		p, _ := dns.Parse(got)
		for _, q := range p.Questions().All() {
			_ = q.Qname().Len()
		}
		for _, x := range p.Answers().All() {
			_ = x.RR().Name().Len()
		}
		for _, x := range p.Additionals().All() {
			_, _ = x.RR().AsOPT()
		}
	}); n != 0 {
		t.Errorf("parsing allocates %v times", n)
	}
}

// TestDNSBuildTwoOPT: a message's builder writes at most one OPT record
// in its additional section (RFC 6891 section 6.1.1), chosen by Kind or,
// with the zero Kind, by the record's type; the error is at the second.
func TestDNSBuildTwoOPT(t *testing.T) {
	root := mplrt.MustName(".")
	opt := dns.AdditionalBuilder{RR: dns.RRBuilder{Kind: dns.RRKindOPT, OPT: dns.RROPTBuilder{Name: root, UDPSize: 1232}}}
	rawOPT := dns.AdditionalBuilder{RR: dns.RRBuilder{Name: root, Type: 41, Body: []byte{4, 0xd0, 0, 0, 0, 0, 0, 0}}}
	a := dns.AdditionalBuilder{RR: dns.RRBuilder{Kind: dns.RRKindRecord, Record: dns.RRRecordBuilder{
		Kind: dns.RRRecordKindA, A: dns.RRABuilder{Name: root, Class: 1, TTL: 60, A: netip.MustParseAddr("192.0.2.1")}}}}
	for _, c := range []struct {
		name string
		add  []dns.AdditionalBuilder
		off  int // of the second OPT record; 0: builds
	}{
		{"one OPT", []dns.AdditionalBuilder{a, opt, a}, 0},
		{"one raw OPT", []dns.AdditionalBuilder{rawOPT, a}, 0},
		{"two OPT", []dns.AdditionalBuilder{opt, opt}, 12 + 11},
		{"two OPT apart", []dns.AdditionalBuilder{opt, a, opt}, 12 + 11 + 15},
		{"OPT and raw OPT", []dns.AdditionalBuilder{a, opt, rawOPT}, 12 + 15 + 11},
	} {
		b := dns.Builder{ID: 1, Additionals: c.add}
		got, err := b.AppendTo(nil)
		if c.off == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			} else if _, err := dns.Parse(got); err != nil {
				t.Errorf("%s: built %x, which fails to parse: %v", c.name, got, err)
			}
			continue
		}
		var me mplrt.Error
		if !errors.As(err, &me) || me.Field != "additionals" || me.Kind != mplrt.KindValue || me.Offset != c.off || got != nil {
			t.Errorf("%s: %x, %v (field %q kind %v offset %d), want additionals %v at %d", c.name, got, err, me.Field, me.Kind, me.Offset, mplrt.KindValue, c.off)
		}
	}
}

// FuzzDNS parses arbitrary messages, seeded with those of the vectors and
// captures: Parse must not panic; its error must be an mplrt.Error at an
// offset inside the message; a parsed message must read through every
// accessor (dnsText walks every section, name and record), Walk and
// String, and each name must print as text that reads back as the same
// name.
//
//	go test ./gen -run '^$' -fuzz '^FuzzDNS$' -fuzztime 30s
func FuzzDNS(f *testing.F) {
	_, msgs := dnsMessages(f)
	for _, m := range msgs {
		f.Add(m)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := dns.Parse(b)
		if err != nil {
			var me mplrt.Error
			if !errors.As(err, &me) || me.Offset < 0 || me.Offset > len(b) {
				t.Fatalf("%v: not an mplrt.Error inside the message", err)
			}
			return
		}
		_ = dnsText(&p)
		_ = p.String()
		check := func(n mplrt.Name) {
			back, err := mplrt.NameFromText(n.String())
			if err != nil || !back.Equal(n) {
				t.Fatalf("name %q reads back as %q, %v", n, back, err)
			}
		}
		for _, q := range p.Questions().All() {
			check(q.Qname())
		}
		for _, a := range p.Answers().All() {
			check(a.RR().Name())
		}
		// The iterators step over every element Parse accepted (scan
		// agrees with parse on where each ends).
		if n := len(slices.Collect(seqKeys(p.Answers().All()))); n != int(p.Ancount()) {
			t.Fatalf("%d answers iterated, ancount %d", n, p.Ancount())
		}
		if n := len(slices.Collect(seqKeys(p.Additionals().All()))); n != int(p.Arcount()) {
			t.Fatalf("%d additionals iterated, arcount %d", n, p.Arcount())
		}
		// What the views read rebuilds to a message that reads the same
		// (names may take an earlier name's case: compression matches
		// names ignoring it).
		out, err := dnsBuilderOf(&p).AppendTo(nil)
		if err != nil {
			t.Fatalf("rebuild: %v", err)
		}
		q, err := dns.Parse(out)
		if err != nil {
			t.Fatalf("the rebuilt message does not parse: %v\n% x", err, out)
		}
		if a, b := dnsText(&p), dnsText(&q); !strings.EqualFold(a, b) {
			t.Fatalf("rebuilt message reads\n%s\nwant\n%s", b, a)
		}
	})
}

// seqKeys is the keys of an iter.Seq2.
func seqKeys[K, V any](s iter.Seq2[K, V]) iter.Seq[K] {
	return func(yield func(K) bool) {
		for k := range s {
			if !yield(k) {
				return
			}
		}
	}
}

// TestDNSBadInput gives the errors of malformed messages: each names the
// field at fault and its offset, so that a server can answer FORMERR.
func TestDNSBadInput(t *testing.T) {
	hdr := func(qd, an byte) []byte { return []byte{0x12, 0x34, 1, 0, 0, qd, 0, an, 0, 0, 0, 0} }
	q := func(name ...byte) []byte { return append(append(hdr(1, 0), name...), 0, 1, 0, 1) }
	long := hdr(1, 0)
	for range 5 {
		long = append(long, 63)
		long = append(long, bytes.Repeat([]byte{'a'}, 63)...)
	}
	long = append(long, 0, 0, 1, 0, 1)
	rr := func(typ, rdlen byte, rdata ...byte) []byte {
		m := append(hdr(0, 1), 0, 0, typ, 0, 1, 0, 0, 0, 60, 0, rdlen)
		return append(m, rdata...)
	}
	// additionals holds records in the additional section: an OPT record
	// is 11 bytes, an A record 15.
	opt := []byte{0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0}
	a := []byte{0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1}
	additionals := func(rrs ...[]byte) []byte {
		m := []byte{0x12, 0x34, 1, 0, 0, 0, 0, 0, 0, 0, 0, byte(len(rrs))}
		for _, r := range rrs {
			m = append(m, r...)
		}
		return m
	}
	// One OPT record is the rule (RFC 6891 section 6.1.1); in answers, no
	// rule of the spec counts them.
	for _, in := range [][]byte{additionals(opt), additionals(a, opt, a), append(hdr(0, 2), append(opt, opt...)...)} {
		if _, err := dns.Parse(in); err != nil {
			t.Errorf("one OPT record: %v", err)
		}
	}
	for _, c := range []struct {
		name  string
		in    []byte
		field string
		kind  mplrt.Kind
		off   int
	}{
		{"short header", []byte{0x12, 0x34, 1}, "qr", mplrt.KindTruncated, 2},
		{"self pointer", q(0xc0, 12), "qname", mplrt.KindValue, 12},
		{"forward pointer", q(0xc0, 14), "qname", mplrt.KindValue, 12},
		{"pointer past the end", q(0xc0, 0xff), "qname", mplrt.KindValue, 12},
		{"label type 0x40", q(64, 'a', 0), "qname", mplrt.KindValue, 12},
		{"label type 0x80", q(0x80, 0), "qname", mplrt.KindValue, 12},
		{"name over 255 bytes", long, "qname", mplrt.KindMax, 12 + 3*64},
		{"label past the end", append(hdr(1, 0), 5, 'a'), "qname", mplrt.KindTruncated, 12},
		{"count above the questions", append(append(hdr(2, 0), 1, 'a', 0), 0, 1, 0, 1), "qname", mplrt.KindTruncated, 19},
		{"count above the records", hdr(0, 1), "answers", mplrt.KindLength, 12},
		{"rdlength past the end", rr(99, 8, 1, 2, 3, 4), "rdata", mplrt.KindLength, 23},
		{"A data short", rr(1, 4, 1, 2), "a", mplrt.KindTruncated, 23},
		// rdlength must cover the data exactly, also where nothing
		// reads it: an A record's rdlength of 19 must not make the
		// address's 15 next bytes parse as another record.
		{"A rdlength long", append(rr(1, 19, 1, 2, 3, 4), 0, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 6, 6, 6, 6), "rdlength", mplrt.KindValue, 21},
		{"A rdlength 0", rr(1, 0, 1, 2, 3, 4), "rdlength", mplrt.KindValue, 21},
		{"CNAME rdlength short", rr(5, 2, 1, 'a', 0), "rdlength", mplrt.KindValue, 21},
		{"MX rdlength long", rr(15, 6, 0, 10, 0, 9), "rdlength", mplrt.KindValue, 21},
		// At most one OPT record (RFC 6891 section 6.1.1): the error is
		// at the second.
		{"two OPT records", additionals(opt, opt), "additionals", mplrt.KindValue, 23},
		{"two OPT records apart", additionals(opt, a, a, opt), "additionals", mplrt.KindValue, 12 + 11 + 2*15},
		{"three OPT records", additionals(a, opt, opt, opt), "additionals", mplrt.KindValue, 12 + 15 + 11},
	} {
		_, err := dns.Parse(c.in)
		var me mplrt.Error
		if !errors.As(err, &me) || me.Field != c.field || me.Kind != c.kind || me.Offset != c.off {
			t.Errorf("%s: %v (field %q kind %v offset %d), want %s %v at %d", c.name, err, me.Field, me.Kind, me.Offset, c.field, c.kind, c.off)
		}
	}
	// Mutual pointers: the second question's name points at the first's,
	// which points forward at the second's.
	mutual := append(hdr(2, 0), 0xc0, 18, 0, 1, 0, 1, 0xc0, 12, 0, 1, 0, 1)
	if _, err := dns.Parse(mutual); err == nil {
		t.Error("mutual pointers parsed")
	}
}

// TestDNSOverUDP parses the DNS message of vector p4's frame straight from
// the frame: Ethernet, IPv4 and UDP views hand on their payloads, and the
// names the DNS view returns are views of the frame's own bytes. Nothing
// is copied and nothing allocated.
func TestDNSOverUDP(t *testing.T) {
	frame := vector(t, "p4_dns_udp.hex")
	parse := func() (dns.Packet, error) {
		eth, err := ethernet.Parse(frame)
		if err != nil {
			return dns.Packet{}, err
		}
		ip, err := ipv4.Parse(eth.Payload())
		if err != nil {
			return dns.Packet{}, err
		}
		u, err := udp.Parse(ip.Payload())
		if err != nil {
			return dns.Packet{}, err
		}
		if u.SrcPort() != 53 {
			return dns.Packet{}, fmt.Errorf("source port %d", u.SrcPort())
		}
		return dns.Parse(u.Payload())
	}
	p, err := parse()
	if err != nil {
		t.Fatal(err)
	}
	const at = 14 + 20 + 8 // the message's offset in the frame
	if b := p.Bytes(); len(b) != len(frame)-at || &b[0] != &frame[at] {
		t.Fatalf("the message is not the frame's bytes from %d", at)
	}
	n := 0
	for _, a := range p.Answers().All() {
		name := a.RR().Name()
		if m := name.Msg(); &m[0] != &frame[at] || name.String() != "www.example.com." {
			t.Errorf("answer %d: name %s is not a view of the frame", n, name)
		}
		n++
	}
	if n != 2 {
		t.Fatalf("%d answers", n)
	}
	if allocs := testing.AllocsPerRun(100, func() {
		p, _ := parse()
		for _, a := range p.Answers().All() {
			_ = a.RR().Name().Len()
		}
	}); allocs != 0 {
		t.Errorf("%v allocations", allocs)
	}
}
