package gen_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"

	miekg "github.com/miekg/dns"
	"golang.org/x/net/dns/dnsmessage"

	"github.com/mplgo/mpl/gen/dns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// dnsBuilderOf is the builder of what p holds: its header, questions and
// records, every case and EDNS0 option with its own builder. Its names
// are p's, which read through p's compression pointers.
func dnsBuilderOf(p *dns.Packet) dns.Builder {
	b := dns.Builder{
		ID: p.ID(), QR: p.QR(), Opcode: p.Opcode(), AA: p.AA(), TC: p.TC(), RD: p.RD(),
		RA: p.RA(), Z: p.Z(), AD: p.AD(), CD: p.CD(), Rcode: p.Rcode(),
	}
	for _, q := range p.Questions().All() {
		b.Questions = append(b.Questions, dns.QuestionBuilder{Qname: q.Qname(), Qtype: q.Qtype(), Qclass: q.Qclass()})
	}
	for _, x := range p.Answers().All() {
		b.Answers = append(b.Answers, dns.AnswerBuilder{RR: rrBuilderOf(x.RR())})
	}
	for _, x := range p.Authorities().All() {
		b.Authorities = append(b.Authorities, dns.AuthorityBuilder{RR: rrBuilderOf(x.RR())})
	}
	for _, x := range p.Additionals().All() {
		b.Additionals = append(b.Additionals, dns.AdditionalBuilder{RR: rrBuilderOf(x.RR())})
	}
	return b
}

// rrBuilderOf is the builder of the record r, of its own case.
func rrBuilderOf(r *dns.RR) dns.RRBuilder {
	if o, ok := r.AsOPT(); ok {
		ob := dns.RROPTBuilder{Name: r.Name(), UDPSize: o.UDPSize(), ExtRcode: o.ExtRcode(),
			Version: o.Version(), Do: o.Do(), Flags: o.Flags()}
		for _, x := range o.Options().All() {
			ob.Options = append(ob.Options, optionBuilderOf(x))
		}
		return dns.RRBuilder{Kind: dns.RRKindOPT, OPT: ob}
	}
	rec, ok := r.AsRecord()
	if !ok {
		panic("a parsed record neither OPT nor Record")
	}
	n, class, ttl := r.Name(), rec.Class(), rec.TTL()
	rb := dns.RRRecordBuilder{Kind: rec.Kind()}
	switch rec.Kind() {
	case dns.RRRecordKindA:
		x, _ := rec.AsA()
		rb.A = dns.RRABuilder{Name: n, Class: class, TTL: ttl, A: x.A()}
	case dns.RRRecordKindNS:
		x, _ := rec.AsNS()
		rb.NS = dns.RRNSBuilder{Name: n, Class: class, TTL: ttl, NS: x.NS()}
	case dns.RRRecordKindMD:
		x, _ := rec.AsMD()
		rb.MD = dns.RRMDBuilder{Name: n, Class: class, TTL: ttl, Madname: x.Madname()}
	case dns.RRRecordKindMF:
		x, _ := rec.AsMF()
		rb.MF = dns.RRMFBuilder{Name: n, Class: class, TTL: ttl, Madname: x.Madname()}
	case dns.RRRecordKindCNAME:
		x, _ := rec.AsCNAME()
		rb.CNAME = dns.RRCNAMEBuilder{Name: n, Class: class, TTL: ttl, CNAME: x.CNAME()}
	case dns.RRRecordKindSOA:
		x, _ := rec.AsSOA()
		rb.SOA = dns.RRSOABuilder{Name: n, Class: class, TTL: ttl, Mname: x.Mname(), Rname: x.Rname(),
			Serial: x.Serial(), Refresh: x.Refresh(), Retry: x.Retry(), Expire: x.Expire(), Minimum: x.Minimum()}
	case dns.RRRecordKindMB:
		x, _ := rec.AsMB()
		rb.MB = dns.RRMBBuilder{Name: n, Class: class, TTL: ttl, Madname: x.Madname()}
	case dns.RRRecordKindMG:
		x, _ := rec.AsMG()
		rb.MG = dns.RRMGBuilder{Name: n, Class: class, TTL: ttl, Mgmname: x.Mgmname()}
	case dns.RRRecordKindMR:
		x, _ := rec.AsMR()
		rb.MR = dns.RRMRBuilder{Name: n, Class: class, TTL: ttl, Newname: x.Newname()}
	case dns.RRRecordKindPTR:
		x, _ := rec.AsPTR()
		rb.PTR = dns.RRPTRBuilder{Name: n, Class: class, TTL: ttl, PTR: x.PTR()}
	case dns.RRRecordKindHINFO:
		x, _ := rec.AsHINFO()
		rb.HINFO = dns.RRHINFOBuilder{Name: n, Class: class, TTL: ttl, CPU: x.CPU(), OS: x.OS()}
	case dns.RRRecordKindMINFO:
		x, _ := rec.AsMINFO()
		rb.MINFO = dns.RRMINFOBuilder{Name: n, Class: class, TTL: ttl, Rmailbx: x.Rmailbx(), Emailbx: x.Emailbx()}
	case dns.RRRecordKindMX:
		x, _ := rec.AsMX()
		rb.MX = dns.RRMXBuilder{Name: n, Class: class, TTL: ttl, Preference: x.Preference(), Exchange: x.Exchange()}
	case dns.RRRecordKindTXT:
		x, _ := rec.AsTXT()
		rb.TXT = dns.RRTXTBuilder{Name: n, Class: class, TTL: ttl}
		for _, t := range x.Texts().All() {
			rb.TXT.Texts = append(rb.TXT.Texts, dns.RRTextBuilder{Text: t.Text()})
		}
	case dns.RRRecordKindRP:
		x, _ := rec.AsRP()
		rb.RP = dns.RRRPBuilder{Name: n, Class: class, TTL: ttl, Mbox: x.Mbox(), TXT: x.TXT()}
	case dns.RRRecordKindAFSDB:
		x, _ := rec.AsAFSDB()
		rb.AFSDB = dns.RRAFSDBBuilder{Name: n, Class: class, TTL: ttl, Subtype: x.Subtype(), Hostname: x.Hostname()}
	case dns.RRRecordKindRT:
		x, _ := rec.AsRT()
		rb.RT = dns.RRRTBuilder{Name: n, Class: class, TTL: ttl, Preference: x.Preference(), IntermediateHost: x.IntermediateHost()}
	case dns.RRRecordKindAAAA:
		x, _ := rec.AsAAAA()
		rb.AAAA = dns.RRAAAABuilder{Name: n, Class: class, TTL: ttl, AAAA: x.AAAA()}
	case dns.RRRecordKindSRV:
		x, _ := rec.AsSRV()
		rb.SRV = dns.RRSRVBuilder{Name: n, Class: class, TTL: ttl, Priority: x.Priority(), Weight: x.Weight(),
			Port: x.Port(), Target: x.Target()}
	case dns.RRRecordKindOther:
		x, _ := rec.AsOther()
		rb.Other = dns.RROtherBuilder{Name: n, Type: r.Type(), Class: class, TTL: ttl, Rdata: x.Rdata()}
	default:
		panic(fmt.Sprintf("record of kind %v", rec.Kind()))
	}
	return dns.RRBuilder{Kind: dns.RRKindRecord, Record: rb}
}

// optionBuilderOf is the builder of the EDNS0 option x, of its own case.
func optionBuilderOf(x dns.RROption) dns.RROptionBuilder {
	b := dns.RROptionBuilder{Kind: x.Kind()}
	switch x.Kind() {
	case dns.RROptionKindClientSubnet:
		c, _ := x.AsClientSubnet()
		b.ClientSubnet = dns.RRClientSubnetBuilder{Family: c.Family(), SourcePrefix: c.SourcePrefix(),
			ScopePrefix: c.ScopePrefix(), Address: c.Address()}
	case dns.RROptionKindCookie:
		c, _ := x.AsCookie()
		b.Cookie = dns.RRCookieBuilder{Client: c.Client(), Server: c.Server()}
	case dns.RROptionKindPadding:
		c, _ := x.AsPadding()
		b.Padding = dns.RRPaddingBuilder{Padding: c.Padding()}
	case dns.RROptionKindOtherOption:
		c, _ := x.AsOtherOption()
		b.OtherOption = dns.RROtherOptionBuilder{Code: x.Code(), Data: c.Data()}
	default:
		panic(fmt.Sprintf("option of kind %v", x.Kind()))
	}
	return b
}

// dnsmessageOpaque are the types whose data hold names that dnsmessage
// does not decode, but reads as an UnknownResource's raw bytes: MD, MF,
// MB, MG, MR, MINFO, RP, AFSDB and RT. A rebuild may write those names
// with other pointers, or whole where the original had pointers, so
// dnsmessageText leaves their data out (miekg/dns and the views read it).
var dnsmessageOpaque = map[dnsmessage.Type]bool{3: true, 4: true, 7: true, 8: true, 9: true, 14: true, 17: true, 18: true, 21: true}

// dnsmessageText is what dnsmessage's Parser reads of msg, every section
// whole, as text; records' lengths are left out, since compression
// changes them, and so is the data of dnsmessageOpaque's types.
func dnsmessageText(msg []byte) (string, error) {
	var p dnsmessage.Parser
	h, err := p.Start(msg)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%#v\n", h)
	qs, err := p.AllQuestions()
	if err != nil {
		return "", err
	}
	for _, q := range qs {
		b.WriteString(q.GoString() + "\n")
	}
	for _, all := range []func() ([]dnsmessage.Resource, error){p.AllAnswers, p.AllAuthorities, p.AllAdditionals} {
		rs, err := all()
		if err != nil {
			return "", err
		}
		for _, r := range rs {
			r.Header.Length = 0
			if u, ok := r.Body.(*dnsmessage.UnknownResource); ok && dnsmessageOpaque[u.Type] {
				r.Body = &dnsmessage.UnknownResource{Type: u.Type}
			}
			b.WriteString(r.GoString() + "\n")
		}
	}
	return b.String(), nil
}

// dnsKinds adds to seen the cases that p holds: "A", "SOA", "OPT",
// "Cookie", and so on.
func dnsKinds(p *dns.Packet, seen map[string]bool) {
	rr := func(r *dns.RR) {
		if o, ok := r.AsOPT(); ok {
			seen["OPT"] = true
			for _, x := range o.Options().All() {
				seen[x.Kind().String()] = true
			}
			return
		}
		if rec, ok := r.AsRecord(); ok {
			seen[rec.Kind().String()] = true
		}
	}
	for _, x := range p.Answers().All() {
		rr(x.RR())
	}
	for _, x := range p.Authorities().All() {
		rr(x.RR())
	}
	for _, x := range p.Additionals().All() {
		rr(x.RR())
	}
}

// dnsRebuilt is what checkDNSRebuild found for one message.
type dnsRebuilt struct {
	built      []byte
	packed     []byte // miekg/dns's Pack, compressed; nil if it rejects the message
	dnsmessage bool   // whether dnsmessage reads the message
}

// checkDNSRebuild rebuilds orig, which Parse accepts, from what its views
// read (dnsBuilderOf) and checks that:
//
//   - Parse reads the result as it reads orig (dnsText), and building
//     what it reads gives the same bytes again;
//   - where miekg/dns reads orig, it reads the result the same way
//     (miekgText and Msg.String), and the result is no longer than
//     miekg/dns's compressed Pack of what it read;
//   - where dnsmessage reads every section of orig, it reads the result
//     the same way.
func checkDNSRebuild(t *testing.T, name string, orig []byte) (r dnsRebuilt, ok bool) {
	t.Helper()
	p, err := dns.Parse(orig)
	if err != nil {
		t.Errorf("%s: %v", name, err)
		return r, false
	}
	built, err := dnsBuilderOf(&p).AppendTo(nil)
	if err != nil {
		t.Errorf("%s: build: %v\noriginal %x", name, err, orig)
		return r, false
	}
	r.built = built
	q, err := dns.Parse(built)
	if err != nil {
		t.Errorf("%s: the rebuilt message does not parse: %v\noriginal %x\nrebuilt  %x", name, err, orig, built)
		return r, false
	}
	if got, want := dnsText(&q), dnsText(&p); got != want {
		t.Errorf("%s: the rebuilt message reads\n%s\nthe original\n%s\noriginal %x\nrebuilt  %x", name, got, want, orig, built)
		return r, false
	}
	if again, err := dnsBuilderOf(&q).AppendTo(nil); err != nil || !bytes.Equal(again, built) {
		t.Errorf("%s: building the rebuilt message again gives %x, %v; want %x", name, again, err, built)
		return r, false
	}
	ok = true

	var m, mb miekg.Msg
	if m.Unpack(orig) == nil {
		if err := mb.Unpack(built); err != nil {
			t.Errorf("%s: miekg/dns rejects the rebuilt message: %v\noriginal %x\nrebuilt  %x", name, err, orig, built)
			return r, false
		}
		if got, want := miekgText(&mb), miekgText(&m); got != want {
			t.Errorf("%s: miekg/dns reads the rebuilt message as\n%s\nthe original as\n%s\noriginal %x\nrebuilt  %x", name, got, want, orig, built)
			ok = false
		}
		if got, want := mb.String(), m.String(); got != want {
			t.Errorf("%s: miekg/dns prints the rebuilt message as\n%s\nthe original as\n%s", name, got, want)
			ok = false
		}
		m.Compress = true
		packed, err := m.Pack()
		if err != nil {
			t.Errorf("%s: miekg/dns's Pack: %v", name, err)
			return r, false
		}
		var back miekg.Msg
		if err := back.Unpack(packed); err != nil || miekgText(&back) != miekgText(&mb) {
			t.Errorf("%s: miekg/dns's Pack reads back as another message (%v)\n%x", name, err, packed)
			return r, false
		}
		r.packed = packed
		if len(built) > len(packed) {
			t.Errorf("%s: built %d bytes, miekg/dns packs %d\nbuilt %x\nmiekg %x", name, len(built), len(packed), built, packed)
			ok = false
		}
	}

	if want, err := dnsmessageText(orig); err == nil {
		r.dnsmessage = true
		got, err := dnsmessageText(built)
		if err != nil {
			t.Errorf("%s: dnsmessage rejects the rebuilt message: %v\noriginal %x\nrebuilt  %x", name, err, orig, built)
			ok = false
		} else if got != want {
			t.Errorf("%s: dnsmessage reads the rebuilt message as\n%s\nthe original as\n%s", name, got, want)
			ok = false
		}
	}
	return r, ok
}

// TestDNSRoundTrip rebuilds every DNS message of the vectors and captures
// that Parse accepts, and the messages of dnsSampleMessages, with
// checkDNSRebuild: each case of a record and of an EDNS0 option is built
// by its own builder, names are compressed with the message's NameTable,
// and miekg/dns and dnsmessage read the result as they read the original.
// Names are the parsed ones (views of the original message). A message
// that repeated a name in another case would read back in the case of
// the earlier one (TestDNSCompressionCase); none of these does.
func TestDNSRoundTrip(t *testing.T) {
	names, msgs := dnsMessages(t)
	samples := dnsSampleMessages(t)
	for _, s := range samples {
		names, msgs = append(names, s.name), append(msgs, s.msg)
	}
	seen := map[string]bool{}
	var rebuilt, miekgRead, dnsmessageRead, smaller, equal, sameBytes int
	var ours, theirs int
	for i, orig := range msgs {
		p, err := dns.Parse(orig)
		if err != nil {
			if i >= len(msgs)-len(samples) {
				t.Errorf("%s: %v", names[i], err)
			}
			continue
		}
		r, ok := checkDNSRebuild(t, names[i], orig)
		if !ok {
			continue
		}
		rebuilt++
		dnsKinds(&p, seen)
		if r.dnsmessage {
			dnsmessageRead++
		}
		if r.packed == nil {
			continue
		}
		miekgRead++
		ours, theirs = ours+len(r.built), theirs+len(r.packed)
		if len(r.built) < len(r.packed) {
			smaller++
		} else {
			equal++
		}
		if bytes.Equal(r.built, r.packed) {
			sameBytes++
		}
	}
	t.Logf("%d messages (%d made here): %d rebuilt; %d read by miekg/dns, %d by dnsmessage; built against miekg/dns's compressed Pack: %d shorter, %d of equal length (%d the same bytes); %d bytes against %d",
		len(msgs), len(samples), rebuilt, miekgRead, dnsmessageRead, smaller, equal, sameBytes, ours, theirs)
	if rebuilt < 100 || miekgRead < 100 || dnsmessageRead < 100 {
		t.Errorf("only %d messages rebuilt, %d read by miekg/dns, %d by dnsmessage", rebuilt, miekgRead, dnsmessageRead)
	}
	for _, k := range []string{"A", "NS", "MD", "MF", "CNAME", "SOA", "MB", "MG", "MR", "PTR", "HINFO",
		"MINFO", "MX", "TXT", "RP", "AFSDB", "RT", "AAAA", "SRV", "Other", "OPT", "ClientSubnet", "Cookie", "Padding", "OtherOption"} {
		if !seen[k] {
			t.Errorf("no rebuilt message holds a %s", k)
		}
	}
}

// dnsSample is a message made by the tests, by name.
type dnsSample struct {
	name string
	msg  []byte
}

// dnsRec is an RRBuilder of the Record case.
func dnsRec(r dns.RRRecordBuilder) dns.RRBuilder {
	return dns.RRBuilder{Kind: dns.RRKindRecord, Record: r}
}

// dnsSampleResponse is a response with a record of each case, several
// in each section, whose names share suffixes, and an OPT record with an
// option of each case.
func dnsSampleResponse() dns.Builder {
	n := mplrt.MustName
	zone, www, web, ns1 := n("example.org."), n("www.example.org."), n("web.example.org."), n("ns1.example.org.")
	const in, ttl = 1, 300
	return dns.Builder{
		ID: 0xbeef, QR: true, AA: true, RD: true, RA: true, AD: true,
		Questions: []dns.QuestionBuilder{{Qname: www, Qtype: 1, Qclass: in}},
		Answers: []dns.AnswerBuilder{
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindCNAME, CNAME: dns.RRCNAMEBuilder{Name: www, Class: in, TTL: ttl, CNAME: web}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindA, A: dns.RRABuilder{Name: web, Class: in, TTL: ttl, A: netip.MustParseAddr("192.0.2.10")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindAAAA, AAAA: dns.RRAAAABuilder{Name: web, Class: in, TTL: ttl, AAAA: netip.MustParseAddr("2001:db8::10")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindTXT, TXT: dns.RRTXTBuilder{Name: www, Class: in, TTL: ttl, Texts: []dns.RRTextBuilder{
				{Text: []byte("v=spf1 -all")}, {Text: []byte{}}, {Text: []byte("say \"hi\" \\ \x00\xff")}}}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindSRV, SRV: dns.RRSRVBuilder{Name: n("_sip._udp.example.org."), Class: in, TTL: ttl,
				Priority: 10, Weight: 60, Port: 5060, Target: n("sip.example.org.")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindPTR, PTR: dns.RRPTRBuilder{Name: n("10.2.0.192.in-addr.arpa."), Class: in, TTL: ttl, PTR: web}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindMX, MX: dns.RRMXBuilder{Name: zone, Class: in, TTL: ttl, Preference: 10, Exchange: n("mail.example.org.")}})},
			// CAA (RFC 8659): flags 0, tag "issue", value "ca.example.net".
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindOther, Other: dns.RROtherBuilder{Name: zone, Type: 257, Class: in, TTL: ttl,
				Rdata: append([]byte("\x00\x05issue"), "ca.example.net"...)}})},
			// The types of RFC 1035 with names in their data, which are
			// compressed; then RFC 1183's, whose names are not.
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindMD, MD: dns.RRMDBuilder{Name: zone, Class: in, TTL: ttl, Madname: n("mail.example.org.")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindMF, MF: dns.RRMFBuilder{Name: zone, Class: in, TTL: ttl, Madname: n("relay.example.org.")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindMB, MB: dns.RRMBBuilder{Name: n("alice.example.org."), Class: in, TTL: ttl, Madname: n("mail.example.org.")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindMG, MG: dns.RRMGBuilder{Name: n("staff.example.org."), Class: in, TTL: ttl, Mgmname: n("alice.example.org.")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindMR, MR: dns.RRMRBuilder{Name: n("bob.example.org."), Class: in, TTL: ttl, Newname: n("alice.example.org.")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindHINFO, HINFO: dns.RRHINFOBuilder{Name: web, Class: in, TTL: ttl,
				CPU: []byte("AMD64"), OS: []byte("Linux \"6.1\" \\ \xff")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindMINFO, MINFO: dns.RRMINFOBuilder{Name: n("staff.example.org."), Class: in, TTL: ttl,
				Rmailbx: n("alice.example.org."), Emailbx: n("errors.staff.example.org.")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindRP, RP: dns.RRRPBuilder{Name: www, Class: in, TTL: ttl,
				Mbox: n("hostmaster.example.org."), TXT: n("info.example.org.")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindAFSDB, AFSDB: dns.RRAFSDBBuilder{Name: zone, Class: in, TTL: ttl,
				Subtype: 1, Hostname: n("afs.example.org.")}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindRT, RT: dns.RRRTBuilder{Name: zone, Class: in, TTL: ttl,
				Preference: 10, IntermediateHost: n("relay.example.org.")}})},
		},
		Authorities: []dns.AuthorityBuilder{
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindNS, NS: dns.RRNSBuilder{Name: zone, Class: in, TTL: 86400, NS: ns1}})},
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindSOA, SOA: dns.RRSOABuilder{Name: zone, Class: in, TTL: 3600,
				Mname: ns1, Rname: n("hostmaster.example.org."), Serial: 2024010101, Refresh: 7200, Retry: 3600, Expire: 1209600, Minimum: 300}})},
		},
		Additionals: []dns.AdditionalBuilder{
			{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindA, A: dns.RRABuilder{Name: ns1, Class: in, TTL: 86400, A: netip.MustParseAddr("192.0.2.53")}})},
			{RR: dns.RRBuilder{Kind: dns.RRKindOPT, OPT: dns.RROPTBuilder{Name: n("."), UDPSize: 1232, Do: true, Options: []dns.RROptionBuilder{
				{Kind: dns.RROptionKindClientSubnet, ClientSubnet: dns.RRClientSubnetBuilder{Family: 1, SourcePrefix: 24, Address: []byte{192, 0, 2}}},
				{Kind: dns.RROptionKindCookie, Cookie: dns.RRCookieBuilder{Client: []byte("\x01\x02\x03\x04\x05\x06\x07\x08"), Server: []byte("0123456789abcdef")}},
				{Kind: dns.RROptionKindPadding, Padding: dns.RRPaddingBuilder{Padding: make([]byte, 12)}},
				{Kind: dns.RROptionKindOtherOption, OtherOption: dns.RROtherOptionBuilder{Code: 65001, Data: []byte("mpl")}},
			}}}},
		},
	}
}

// dnsSampleResponseText is dnsSampleResponse in zone-file syntax, as
// miekg/dns reads it: the records that a test asks miekg/dns to parse
// from text, and its OPT record.
var dnsSampleResponseText = struct {
	answers, authorities []string
	additional           string
}{
	answers: []string{
		`www.example.org. 300 IN CNAME web.example.org.`,
		`web.example.org. 300 IN A 192.0.2.10`,
		`web.example.org. 300 IN AAAA 2001:db8::10`,
		`www.example.org. 300 IN TXT "v=spf1 -all" "" "say \"hi\" \\ \000\255"`,
		`_sip._udp.example.org. 300 IN SRV 10 60 5060 sip.example.org.`,
		`10.2.0.192.in-addr.arpa. 300 IN PTR web.example.org.`,
		`example.org. 300 IN MX 10 mail.example.org.`,
		`example.org. 300 IN CAA 0 issue "ca.example.net"`,
		`example.org. 300 IN MD mail.example.org.`,
		`example.org. 300 IN MF relay.example.org.`,
		`alice.example.org. 300 IN MB mail.example.org.`,
		`staff.example.org. 300 IN MG alice.example.org.`,
		`bob.example.org. 300 IN MR alice.example.org.`,
		`web.example.org. 300 IN HINFO "AMD64" "Linux \"6.1\" \\ \255"`,
		`staff.example.org. 300 IN MINFO alice.example.org. errors.staff.example.org.`,
		`www.example.org. 300 IN RP hostmaster.example.org. info.example.org.`,
		`example.org. 300 IN AFSDB 1 afs.example.org.`,
		`example.org. 300 IN RT 10 relay.example.org.`,
	},
	authorities: []string{
		`example.org. 86400 IN NS ns1.example.org.`,
		`example.org. 3600 IN SOA ns1.example.org. hostmaster.example.org. 2024010101 7200 3600 1209600 300`,
	},
	additional: `ns1.example.org. 86400 IN A 192.0.2.53`,
}

// dnsSampleMessages are messages that the captures lack: dnsSampleResponse
// and variants of it with other header fields, the sections in another
// order, a name at a pointer's reach and names in other cases.
func dnsSampleMessages(t testing.TB) []dnsSample {
	var out []dnsSample
	add := func(name string, b dns.Builder) {
		msg, err := b.AppendTo(nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out = append(out, dnsSample{name, msg})
	}
	r := dnsSampleResponse()
	add("sample response", r)

	// Every header bit, another opcode and rcode, an extended rcode and
	// EDNS version, and OPT flags beyond DO.
	h := dnsSampleResponse()
	h.ID, h.Opcode, h.Rcode = 0xffff, dns.OpcodeNotify, dns.RcodeNXDomain
	h.TC, h.Z, h.CD = true, true, true
	opt := &h.Additionals[len(h.Additionals)-1].RR.OPT
	opt.ExtRcode, opt.Version, opt.Flags = 1, 1, 0x1234
	add("sample response with every header bit", h)

	// The records in reverse order, each section's: names compress
	// against others.
	rev := dnsSampleResponse()
	slices.Reverse(rev.Answers)
	slices.Reverse(rev.Authorities)
	add("sample response reversed", rev)

	// A record with 16 KiB of data first: the names after it lie past
	// 0x4000, where pointers cannot reach, so they point to the names
	// before it and are not recorded themselves.
	far := dnsSampleResponse()
	big := dns.AnswerBuilder{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindOther, Other: dns.RROtherBuilder{
		Name: mplrt.MustName("big.example.org."), Type: 65280, Class: 1, TTL: 1, Rdata: make([]byte, 0x4000)}})}
	far.Answers = append([]dns.AnswerBuilder{big}, far.Answers...)
	add("sample response past 0x4000", far)
	return out
}

// TestDNSBuildQuery builds a query from scratch, with one question, RD
// and EDNS0 (1232-byte UDP payloads, DNSSEC OK): miekg/dns reads exactly
// that, and it is the message miekg/dns's SetQuestion and SetEdns0 make.
func TestDNSBuildQuery(t *testing.T) {
	b := dns.Builder{
		ID: 0x4d2, RD: true,
		Questions: []dns.QuestionBuilder{{Qname: mplrt.MustName("example.org."), Qtype: miekg.TypeAAAA, Qclass: miekg.ClassINET}},
		Additionals: []dns.AdditionalBuilder{{RR: dns.RRBuilder{Kind: dns.RRKindOPT, OPT: dns.RROPTBuilder{
			Name: mplrt.MustName("."), UDPSize: 1232, Do: true}}}},
	}
	msg, err := b.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	var m miekg.Msg
	if err := m.Unpack(msg); err != nil {
		t.Fatalf("miekg/dns: %v\n%x", err, msg)
	}
	if m.Id != 0x4d2 || m.Response || m.Opcode != miekg.OpcodeQuery || !m.RecursionDesired ||
		m.Authoritative || m.Truncated || m.RecursionAvailable || m.Zero || m.AuthenticatedData || m.CheckingDisabled || m.Rcode != 0 {
		t.Errorf("header: %+v", m.MsgHdr)
	}
	if want := (miekg.Question{Name: "example.org.", Qtype: miekg.TypeAAAA, Qclass: miekg.ClassINET}); len(m.Question) != 1 || m.Question[0] != want {
		t.Errorf("questions: %v, want %v", m.Question, want)
	}
	if len(m.Answer) != 0 || len(m.Ns) != 0 || len(m.Extra) != 1 {
		t.Errorf("%d answers, %d authorities, %d additionals; want 0, 0, 1", len(m.Answer), len(m.Ns), len(m.Extra))
	}
	opt := m.IsEdns0()
	if opt == nil || opt.Hdr.Name != "." || opt.UDPSize() != 1232 || !opt.Do() || opt.Version() != 0 || opt.ExtendedRcode() != 0 || len(opt.Option) != 0 {
		t.Errorf("OPT: %v", opt)
	}

	want := new(miekg.Msg)
	want.SetQuestion("example.org.", miekg.TypeAAAA)
	want.Id = 0x4d2
	want.SetEdns0(1232, true)
	packed, err := want.Pack()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(msg, packed) {
		t.Errorf("built\n%x\nmiekg/dns packs\n%x", msg, packed)
	}
}

// TestDNSBuildResponse builds dnsSampleResponse, a record of each case
// and an option of each case, with names from MustName: miekg/dns reads
// what it reads from the same records in zone-file syntax, and each EDNS0
// field and option as built. The message is no longer than miekg/dns's
// compressed Pack of it, and built after a 2-byte length prefix (DNS over
// TCP) its pointers count from the message's start.
func TestDNSBuildResponse(t *testing.T) {
	msg, err := dnsSampleResponse().AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	var got miekg.Msg
	if err := got.Unpack(msg); err != nil {
		t.Fatalf("miekg/dns: %v\n%x", err, msg)
	}

	want := new(miekg.Msg)
	want.Id, want.Response, want.Authoritative, want.RecursionDesired, want.RecursionAvailable, want.AuthenticatedData = 0xbeef, true, true, true, true, true
	want.Question = []miekg.Question{{Name: "www.example.org.", Qtype: miekg.TypeA, Qclass: miekg.ClassINET}}
	rrs := func(texts []string) []miekg.RR {
		var out []miekg.RR
		for _, s := range texts {
			r, err := miekg.NewRR(s)
			if err != nil {
				t.Fatalf("%s: %v", s, err)
			}
			out = append(out, r)
		}
		return out
	}
	want.Answer = rrs(dnsSampleResponseText.answers)
	want.Ns = rrs(dnsSampleResponseText.authorities)
	want.Extra = rrs([]string{dnsSampleResponseText.additional})
	opt := &miekg.OPT{Hdr: miekg.RR_Header{Name: ".", Rrtype: miekg.TypeOPT}}
	opt.SetUDPSize(1232)
	opt.SetDo()
	opt.Option = []miekg.EDNS0{
		&miekg.EDNS0_SUBNET{Code: miekg.EDNS0SUBNET, Family: 1, SourceNetmask: 24, Address: net.IPv4(192, 0, 2, 0).To4()},
		&miekg.EDNS0_COOKIE{Code: miekg.EDNS0COOKIE, Cookie: "0102030405060708" + hex.EncodeToString([]byte("0123456789abcdef"))},
		&miekg.EDNS0_PADDING{Padding: make([]byte, 12)},
		&miekg.EDNS0_LOCAL{Code: 65001, Data: []byte("mpl")},
	}
	want.Extra = append(want.Extra, opt)
	want.Compress = true
	packed, err := want.Pack()
	if err != nil {
		t.Fatal(err)
	}
	var back miekg.Msg
	if err := back.Unpack(packed); err != nil {
		t.Fatal(err)
	}
	if g, w := miekgText(&got), miekgText(&back); g != w {
		t.Errorf("miekg/dns reads\n%s\nwant\n%s", g, w)
	}
	if g, w := got.String(), back.String(); g != w {
		t.Errorf("miekg/dns prints\n%s\nwant\n%s", g, w)
	}
	// The EDNS0 fields and options, as miekg/dns decodes them.
	o := got.IsEdns0()
	if o == nil || o.UDPSize() != 1232 || !o.Do() || o.Version() != 0 || len(o.Option) != 4 {
		t.Fatalf("OPT: %v", o)
	}
	if s, ok := o.Option[0].(*miekg.EDNS0_SUBNET); !ok || s.Family != 1 || s.SourceNetmask != 24 || s.SourceScope != 0 || !s.Address.Equal(net.IPv4(192, 0, 2, 0)) {
		t.Errorf("client subnet: %v", o.Option[0])
	}
	if c, ok := o.Option[1].(*miekg.EDNS0_COOKIE); !ok || c.Cookie != "0102030405060708"+hex.EncodeToString([]byte("0123456789abcdef")) {
		t.Errorf("cookie: %v", o.Option[1])
	}
	if p, ok := o.Option[2].(*miekg.EDNS0_PADDING); !ok || !bytes.Equal(p.Padding, make([]byte, 12)) {
		t.Errorf("padding: %v", o.Option[2])
	}
	if l, ok := o.Option[3].(*miekg.EDNS0_LOCAL); !ok || l.Code != 65001 || string(l.Data) != "mpl" {
		t.Errorf("local option: %v", o.Option[3])
	}
	if len(msg) > len(packed) {
		t.Errorf("built %d bytes, miekg/dns packs %d\nbuilt %x\nmiekg %x", len(msg), len(packed), msg, packed)
	}

	tcp, err := dnsSampleResponse().AppendTo([]byte{0, 0})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(tcp[2:], msg) {
		t.Errorf("built after a 2-byte prefix\n%x\nwant\n%x", tcp[2:], msg)
	}
}

// TestDNSCompressionCase: a name equal to an earlier one but for ASCII
// case is compressed to a pointer to it, and so reads in the earlier
// one's case (NameTable.Append; BIND compresses so too, while miekg/dns
// and dnsmessage match names case-sensitively). Rebuilding a message
// whose names differ in case alone thus keeps them equal (Name.Equal),
// not byte for byte.
func TestDNSCompressionCase(t *testing.T) {
	n := mplrt.MustName
	b := dns.Builder{ID: 1, QR: true,
		Questions: []dns.QuestionBuilder{{Qname: n("www.example.org."), Qtype: 1, Qclass: 1}},
		Answers: []dns.AnswerBuilder{{RR: dnsRec(dns.RRRecordBuilder{Kind: dns.RRRecordKindA, A: dns.RRABuilder{
			Name: n("WWW.Example.ORG."), Class: 1, TTL: 60, A: netip.MustParseAddr("192.0.2.1")}})}},
	}
	msg, err := b.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	// Header, question (17-byte name), answer (a 2-byte pointer).
	if want := 12 + 17 + 4 + 2 + 10 + 4; len(msg) != want {
		t.Fatalf("built %d bytes, want %d:\n%x", len(msg), want, msg)
	}
	p, err := dns.Parse(msg)
	if err != nil {
		t.Fatal(err)
	}
	it := p.Answers()
	a, _ := it.Next()
	if got := a.RR().Name(); !got.Equal(n("WWW.Example.ORG.")) || got.String() != "www.example.org." {
		t.Errorf("the answer's name reads %s", got)
	}
	var m miekg.Msg
	if err := m.Unpack(msg); err != nil || len(m.Answer) != 1 || m.Answer[0].Header().Name != "www.example.org." {
		t.Errorf("miekg/dns reads %v, %v", m.Answer, err)
	}
}

// appendTestRR appends a record of class IN and TTL 300 to msg.
func appendTestRR(msg, owner []byte, typ uint16, rdata []byte) []byte {
	msg = append(msg, owner...)
	msg = append(msg, byte(typ>>8), byte(typ), 0, 1, 0, 0, 1, 44, byte(len(rdata)>>8), byte(len(rdata)))
	return append(msg, rdata...)
}

// checkHandMessage checks that miekg/dns reads the answers of msg, a
// message written by hand, as want says, and that the views read what
// miekg/dns reads.
func checkHandMessage(t *testing.T, msg []byte, want []string) {
	t.Helper()
	var m miekg.Msg
	if err := m.Unpack(msg); err != nil {
		t.Fatalf("miekg/dns: %v", err)
	}
	if len(m.Answer) != len(want) {
		t.Errorf("miekg/dns reads %d answers, want %d", len(m.Answer), len(want))
	}
	for i, r := range m.Answer {
		if got := miekgRecordText(r); i >= len(want) || got != want[i] {
			t.Errorf("miekg/dns reads answer %d as %s, want %v", i, got, want)
		}
	}
	p, err := dns.Parse(msg)
	if err != nil {
		t.Fatalf("%v\n%x", err, msg)
	}
	if got, want := dnsText(&p), miekgText(&m); got != want {
		t.Fatalf("the views read\n%s\nmiekg/dns read\n%s", got, want)
	}
}

// TestDNSRebuildMovesNames: the names in the data of RFC 1035's MD, MF,
// MB, MG, MR and MINFO records point into an answer's owner name that
// the original writes whole and the rebuild compresses, so that what
// they pointed at moves. The rebuild writes them from their values,
// compressed anew, and miekg/dns and the views read it as they read the
// original (checkDNSRebuild); data copied as it was would point at the
// wrong bytes.
func TestDNSRebuildMovesNames(t *testing.T) {
	www := []byte{3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0}
	msg := append([]byte{0, 1, 0x81, 0x80, 0, 1, 0, 7, 0, 0, 0, 0}, www...)
	msg = append(msg, 0, 1, 0, 1)
	rr := func(owner []byte, typ uint16, rdata ...byte) { msg = appendTestRR(msg, owner, typ, rdata) }
	// www.example.org. written whole at 33, its example.org. at 37.
	rr(www, miekg.TypeA, 192, 0, 2, 1)
	ptr := []byte{0xc0, 12}
	name := func(label string) []byte { return append(append([]byte{byte(len(label))}, label...), 0xc0, 37) }
	rr(ptr, miekg.TypeMD, name("mail")...)
	rr(ptr, miekg.TypeMF, name("relay")...)
	rr(ptr, miekg.TypeMB, name("mail")...)
	rr(ptr, miekg.TypeMG, name("alice")...)
	rr(ptr, miekg.TypeMR, name("bob")...)
	rr(ptr, miekg.TypeMINFO, append(name("alice"), name("errors")...)...)

	checkHandMessage(t, msg, []string{
		"www.example.org. 1 1 300 192.0.2.1",
		"www.example.org. 3 1 300 mail.example.org.",
		"www.example.org. 4 1 300 relay.example.org.",
		"www.example.org. 7 1 300 mail.example.org.",
		"www.example.org. 8 1 300 alice.example.org.",
		"www.example.org. 9 1 300 bob.example.org.",
		"www.example.org. 14 1 300 alice.example.org. errors.example.org.",
	})
	// The first owner name becomes a pointer (15 bytes fewer), and so do
	// the names that repeat earlier ones whole: MB's mail.example.org.
	// (5 fewer) and MINFO's alice.example.org. (6 fewer).
	r, ok := checkDNSRebuild(t, "names that move", msg)
	if want := len(msg) - 15 - 5 - 6; ok && len(r.built) != want {
		t.Errorf("rebuilt %d bytes, want %d\n%x", len(r.built), want, r.built)
	}
}

// TestDNSNamesOfRFC3597: RP, AFSDB, RT and SRV records whose names end
// in compression pointers, which senders must not write but receivers
// should read (RFC 3597 section 4; RFC 2782 for SRV), parse as miekg/dns
// reads them, and rebuild (checkDNSRebuild) with those names written
// whole, every label in the record's data.
func TestDNSNamesOfRFC3597(t *testing.T) {
	// The question's name www.example.org. is at offset 12, example.org.
	// at 16.
	msg := []byte{0xab, 0xcd, 0x81, 0x80, 0, 1, 0, 4, 0, 0, 0, 0,
		3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'o', 'r', 'g', 0, 0, 1, 0, 1}
	rr := func(owner []byte, typ uint16, rdata ...byte) { msg = appendTestRR(msg, owner, typ, rdata) }
	zone := []byte{0xc0, 16}
	// RP hostmaster.example.org. www.example.org.
	rr(zone, miekg.TypeRP, append(append([]byte{10}, "hostmaster"...), 0xc0, 16, 0xc0, 12)...)
	// AFSDB 1 afs.example.org.
	rr(zone, miekg.TypeAFSDB, 0, 1, 3, 'a', 'f', 's', 0xc0, 16)
	// RT 10 relay.example.org.
	rr(zone, miekg.TypeRT, 0, 10, 5, 'r', 'e', 'l', 'a', 'y', 0xc0, 16)
	// _sip._udp.example.org. SRV 10 60 5060 sip.example.org.
	rr(append([]byte{4, '_', 's', 'i', 'p', 4, '_', 'u', 'd', 'p'}, zone...), miekg.TypeSRV,
		0, 10, 0, 60, 0x13, 0xc4, 3, 's', 'i', 'p', 0xc0, 16)

	checkHandMessage(t, msg, []string{
		"example.org. 17 1 300 hostmaster.example.org. www.example.org.",
		"example.org. 18 1 300 1 afs.example.org.",
		"example.org. 21 1 300 10 relay.example.org.",
		"_sip._udp.example.org. 33 1 300 10 60 5060 sip.example.org.",
	})
	r, ok := checkDNSRebuild(t, "RFC 3597 names", msg)
	if !ok {
		return
	}
	q, err := dns.Parse(r.built)
	if err != nil {
		t.Fatal(err)
	}
	whole := func(what string, raw []byte, n mplrt.Name) {
		if len(raw) != n.Len() {
			t.Errorf("%s %s written as %x, not whole", what, n, raw)
		}
	}
	for _, a := range q.Answers().All() {
		rec, _ := a.RR().AsRecord()
		switch rec.Kind() {
		case dns.RRRecordKindRP:
			x, _ := rec.AsRP()
			whole("RP mbox", x.MboxBytes(), x.Mbox())
			whole("RP txt", x.TXTBytes(), x.TXT())
		case dns.RRRecordKindAFSDB:
			x, _ := rec.AsAFSDB()
			whole("AFSDB hostname", x.HostnameBytes(), x.Hostname())
		case dns.RRRecordKindRT:
			x, _ := rec.AsRT()
			whole("RT intermediate host", x.IntermediateHostBytes(), x.IntermediateHost())
		case dns.RRRecordKindSRV:
			x, _ := rec.AsSRV()
			whole("SRV target", x.TargetBytes(), x.Target())
		default:
			t.Errorf("answer of kind %v", rec.Kind())
		}
	}
}

// dnsWalkNames reads every name of p, in every section and in the data of
// every record, label by label, with each name's text appended to buf.
// It returns how many labels it read.
func dnsWalkNames(p *dns.Packet, buf []byte) int {
	labels := 0
	name := func(n mplrt.Name) {
		it := n.Labels()
		for {
			if _, ok := it.Next(); !ok {
				break
			}
			labels++
		}
		buf = n.AppendText(buf[:0])
	}
	rr := func(r *dns.RR) {
		name(r.Name())
		rec, ok := r.AsRecord()
		if !ok {
			return
		}
		switch rec.Kind() {
		case dns.RRRecordKindNS:
			x, _ := rec.AsNS()
			name(x.NS())
		case dns.RRRecordKindMD:
			x, _ := rec.AsMD()
			name(x.Madname())
		case dns.RRRecordKindMF:
			x, _ := rec.AsMF()
			name(x.Madname())
		case dns.RRRecordKindCNAME:
			x, _ := rec.AsCNAME()
			name(x.CNAME())
		case dns.RRRecordKindSOA:
			x, _ := rec.AsSOA()
			name(x.Mname())
			name(x.Rname())
		case dns.RRRecordKindMB:
			x, _ := rec.AsMB()
			name(x.Madname())
		case dns.RRRecordKindMG:
			x, _ := rec.AsMG()
			name(x.Mgmname())
		case dns.RRRecordKindMR:
			x, _ := rec.AsMR()
			name(x.Newname())
		case dns.RRRecordKindPTR:
			x, _ := rec.AsPTR()
			name(x.PTR())
		case dns.RRRecordKindMINFO:
			x, _ := rec.AsMINFO()
			name(x.Rmailbx())
			name(x.Emailbx())
		case dns.RRRecordKindMX:
			x, _ := rec.AsMX()
			name(x.Exchange())
		case dns.RRRecordKindRP:
			x, _ := rec.AsRP()
			name(x.Mbox())
			name(x.TXT())
		case dns.RRRecordKindAFSDB:
			x, _ := rec.AsAFSDB()
			name(x.Hostname())
		case dns.RRRecordKindRT:
			x, _ := rec.AsRT()
			name(x.IntermediateHost())
		case dns.RRRecordKindSRV:
			x, _ := rec.AsSRV()
			name(x.Target())
		}
	}
	for _, q := range p.Questions().All() {
		name(q.Qname())
	}
	for _, x := range p.Answers().All() {
		rr(x.RR())
	}
	for _, x := range p.Authorities().All() {
		rr(x.RR())
	}
	for _, x := range p.Additionals().All() {
		rr(x.RR())
	}
	return labels
}

// TestDNSAllocs extends TestDNSBuildVector's allocation checks (a
// message of A records) to every case: building dnsSampleResponse, and
// every message of the captures rebuilt from its views, into a buffer
// with room allocates nothing; nor does parsing the sample and reading
// every name in it, label by label and as text, nor Walk over every
// field.
func TestDNSAllocs(t *testing.T) {
	b := dnsSampleResponse()
	buf := make([]byte, 0, 2048)
	msg, err := b.AppendTo(buf)
	if err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = b.AppendTo(buf[:0]) }); n != 0 {
		t.Errorf("building the sample response allocates %v times", n)
	}
	msg = bytes.Clone(msg)

	var text [256]byte
	p, err := dns.Parse(msg)
	if err != nil {
		t.Fatal(err)
	}
	// The question's name, then each record's owner and the names in its
	// data: CNAME, A, AAAA, TXT, SRV, PTR, MX, CAA, MD, MF, MB, MG, MR,
	// HINFO, MINFO, RP, AFSDB, RT, NS, SOA, A, OPT.
	labels := 3 + 3 + 3 + 3 + 3 + 3 + 4 + 3 + 6 + 3 + 2 + 3 + 2 +
		(2 + 3) + (2 + 3) + (3 + 3) + (3 + 3) + (3 + 3) + 3 + (3 + 3 + 4) + (3 + 3 + 3) + (2 + 3) + (2 + 3) +
		2 + 3 + 2 + 3 + 3 + 3 + 0
	if got := dnsWalkNames(&p, text[:0]); got != labels {
		t.Errorf("read %d labels, want %d", got, labels)
	}
	if n := testing.AllocsPerRun(100, func() {
		p, err := dns.Parse(msg)
		if err != nil {
			panic(err)
		}
		dnsWalkNames(&p, text[:0])
		p.Walk(func(f mplrt.Field) bool { return true })
	}); n != 0 {
		t.Errorf("parsing the sample response and reading its names allocates %v times", n)
	}

	names, msgs := dnsMessages(t)
	buf = make([]byte, 0, 1<<16)
	for i, orig := range msgs {
		p, err := dns.Parse(orig)
		if err != nil {
			continue
		}
		b := dnsBuilderOf(&p)
		if n := testing.AllocsPerRun(10, func() { _, _ = b.AppendTo(buf[:0]) }); n != 0 {
			t.Errorf("%s: rebuilding allocates %v times", names[i], n)
		}
	}
}
