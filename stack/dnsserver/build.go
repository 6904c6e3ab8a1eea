package dnsserver

import (
	"encoding/binary"
	"errors"

	"github.com/mplgo/mpl/gen/dns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// A builder holds what building entries needs, reused from one cache
// miss to the next (under the server's write lock).
type builder struct {
	key         []byte // the question's key, which the plan's names may view
	plan        plan
	answers     []dns.AnswerBuilder
	authorities []dns.AuthorityBuilder
	additionals []dns.AdditionalBuilder
	buf         []byte
}

// fill builds the response that p plans to the question (qname, the
// lower-cased name, qtype, qclass) with the gen/dns builders, one name
// table compressing the whole message, and files it in e: the bytes up
// to what fits in the server's UDP size with an OPT record, and where
// the sections and the additional records end.
func (s *Server) fill(e *entry, p *plan, qname mplrt.Name, qtype, qclass uint16) error {
	b := &s.builder
	b.answers, b.authorities, b.additionals = b.answers[:0], b.authorities[:0], b.additionals[:0]
	for _, r := range p.answer {
		for i := range r.set.rrs {
			b.answers = append(b.answers, dns.AnswerBuilder{RR: r.builder(i)})
		}
	}
	for _, r := range p.authority {
		for i := range r.set.rrs {
			b.authorities = append(b.authorities, dns.AuthorityBuilder{RR: r.builder(i)})
		}
	}
	for _, r := range p.additional {
		for i := range r.set.rrs {
			b.additionals = append(b.additionals, dns.AdditionalBuilder{RR: r.builder(i)})
		}
	}
	msg, err := dns.Builder{
		QR: true, AA: p.aa, Rcode: dns.Rcode(p.rcode & 0xf),
		Questions:   []dns.QuestionBuilder{{Qname: qname, Qtype: qtype, Qclass: qclass}},
		Answers:     b.answers,
		Authorities: b.authorities,
		Additionals: b.additionals,
	}.AppendTo(b.buf[:0])
	if err != nil {
		return err
	}
	b.buf = msg

	// Where each section and additional record ends: the builder does not
	// say, so the message is read back.
	m, err := dns.Parse(msg)
	if err != nil {
		return err
	}
	off := 12 + qname.Len() + 4
	e.qEnd = off
	for _, a := range m.Answers().All() {
		off += len(a.RR().Bytes())
	}
	e.ansEnd = off
	for _, a := range m.Authorities().All() {
		off += len(a.RR().Bytes())
	}
	e.authEnd = off
	e.ede = p.ede
	keep := s.udpSize - s.optLen(nil, e.ede)
	e.tcOnly = e.authEnd > keep
	for _, a := range m.Additionals().All() {
		off += len(a.RR().Bytes())
		if off <= keep {
			e.adds = append(e.adds, off)
		}
	}
	if off != len(msg) {
		return errors.New("dnsserver: the built message's records do not add up")
	}
	end := e.authEnd
	if len(e.adds) > 0 {
		end = e.adds[len(e.adds)-1]
	}
	if e.tcOnly {
		end, e.adds = e.qEnd, e.adds[:0]
	}
	e.wire = append(e.wire[:0], msg[:end]...)
	e.an, e.ns = m.Ancount(), m.Nscount()
	e.rcode, e.minimal = p.rcode, p.minimal
	return nil
}

// builder returns the builder of the i-th record of r's set.
func (r ref) builder(i int) dns.RRBuilder {
	v := &r.set.rrs[i]
	owner := r.owner
	if owner.Len() == 0 {
		owner = v.Name()
	}
	return builderOf(v, owner, r.ttl)
}

// appendOPT appends the OPT record of a reply to a query (RFC 6891
// section 6.1.2): the server's UDP size, the upper bits of rcode, version
// 0 (section 6.1.3), the query's DO (RFC 3225 section 3), its Client
// Subnet option ecs, if not nil, with a scope of 0 (RFC 7871 section
// 7.2.1: the answer is the same for every client), then ede if not nil.
// It starts from the server's OPT record and appends the options to it,
// which allocates nothing, where a builder with options would.
func (s *Server) appendOPT(dst []byte, do bool, ecs *clientSubnet, rcode uint16, ede *dns.RROptionBuilder) ([]byte, error) {
	n := len(dst)
	dst = append(dst, s.opt...)
	rr, err := dns.ParseRR(dst[n:])
	if err != nil {
		return dst[:n], err
	}
	o, _ := rr.AsOPT()
	o.SetExtRcode(uint8(rcode >> 4))
	o.SetDo(do)
	if ecs != nil {
		b := dns.RROptionBuilder{Kind: dns.RROptionKindClientSubnet, ClientSubnet: dns.RRClientSubnetBuilder{
			Family: ecs.family, SourcePrefix: ecs.source, Address: ecs.address}}
		if dst, err = b.AppendTo(dst); err != nil {
			return dst[:n], err
		}
	}
	if ede != nil {
		if dst, err = ede.AppendTo(dst); err != nil {
			return dst[:n], err
		}
	}
	// RDLENGTH, the options' length: RROPT has no setter for it.
	binary.BigEndian.PutUint16(dst[n+len(s.opt)-2:], uint16(len(dst)-n-len(s.opt)))
	return dst, nil
}

// optLen returns the length of the OPT record of a reply to q (nil for
// none: no options of its own), with the option edeRestartsOption if ede.
func (s *Server) optLen(q *query, ede bool) int {
	n := len(s.opt)
	if q != nil && q.ecs {
		n += 4 + 4 + len(q.subnet.address)
	}
	if ede {
		n += edeRestartsLen
	}
	return n
}

// edeRestartsLen is the length of edeRestartsOption.
var edeRestartsLen = 4 + len(edeRestartsOption.OtherOption.Data)

// edeOption is an Extended DNS Error option (RFC 8914 section 2): the
// info code, then the text.
func edeOption(code uint16, text string) dns.RROptionBuilder {
	data := append([]byte{byte(code >> 8), byte(code)}, text...)
	return dns.RROptionBuilder{Kind: dns.RROptionKindOtherOption,
		OtherOption: dns.RROtherOptionBuilder{Code: optionEDE, Data: data}}
}

// optionEDE is the option code of Extended DNS Errors.
const optionEDE = 15

// The Extended DNS Errors that BIND adds: a CNAME chain too long or
// looping (SERVFAIL), and a query in a class it has no view for
// (REFUSED).
var (
	edeRestartsOption   = edeOption(edeOther, edeRestarts)
	edeProhibitedOption = edeOption(edeProhibited, "")
)

var rootName = mplrt.MustName(".")
