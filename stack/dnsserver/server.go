package dnsserver

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"sync"
	"time"

	"github.com/mplgo/mpl/gen/dns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// RCODEs (RFC 1035 section 4.1.1, RFC 6891 section 9 for BADVERS).
const (
	rcodeNoError  = 0
	rcodeFormErr  = 1
	rcodeServFail = 2
	rcodeNXDomain = 3
	rcodeNotImp   = 4
	rcodeRefused  = 5
	rcodeNotAuth  = 9
	rcodeBadVers  = 16
)

// Defaults of Options.
const (
	// DefaultUDPSize is the EDNS UDP payload size of DNS Flag Day 2020,
	// BIND's edns-udp-size and max-udp-size.
	DefaultUDPSize = 1232
	// DefaultCacheEntries bounds the answer cache: at most this many
	// answers of at most UDPSize bytes.
	DefaultCacheEntries = 4096
)

// Options tune a Server; a zero field takes its default.
type Options struct {
	// UDPSize is the EDNS UDP payload size the server offers in its OPT
	// records and the largest reply it sends (at least 512).
	UDPSize int
	// CacheEntries is how many answers the cache keeps (at least 1).
	CacheEntries int
}

// A Server answers DNS queries over UDP for its zones. It is safe for
// concurrent use.
type Server struct {
	zones   map[string]*Zone // by the apex's key
	udpSize int
	opt     []byte // the OPT record of EDNS replies, with no options

	cache   *cache     // read without a lock (cache.get)
	mu      sync.Mutex // guards the cache's writers, builder and shards
	builder builder
	shards  []*counters // the counters of ServeUDP's workers, which Stats adds up

	stats counters // HandleUDP's
}

// New returns a server for zones with the default Options. It panics if
// two zones have the same apex.
func New(zones ...*Zone) *Server { return NewWithOptions(Options{}, zones...) }

// NewWithOptions returns a server for zones tuned by o. It panics if two
// zones have the same apex.
func NewWithOptions(o Options, zones ...*Zone) *Server {
	if o.UDPSize == 0 {
		o.UDPSize = DefaultUDPSize
	}
	if o.CacheEntries == 0 {
		o.CacheEntries = DefaultCacheEntries
	}
	s := &Server{
		zones:   make(map[string]*Zone, len(zones)),
		udpSize: min(max(o.UDPSize, 512), 65535),
		cache:   newCache(max(o.CacheEntries, 1)),
	}
	for _, z := range zones {
		if _, dup := s.zones[z.key]; dup {
			panic(fmt.Sprintf("dnsserver: two zones %s", z.Origin()))
		}
		s.zones[z.key] = z
	}
	var err error
	s.opt, err = dns.RRBuilder{Kind: dns.RRKindOPT, OPT: dns.RROPTBuilder{Name: rootName, UDPSize: uint16(s.udpSize)}}.AppendTo(nil)
	if err != nil {
		panic("dnsserver: building the OPT record: " + err.Error())
	}
	return s
}

// A query is what a reply needs of the message it answers.
type query struct {
	id            uint16
	opcode        uint8
	rd, cd        bool
	qd            int
	qname         mplrt.Name // as the query wrote it
	qtype, qclass uint16
	edns          bool
	udpSize       int
	do            bool
	version       uint8
	key           [255 + 4]byte // the lower-cased qname, qtype and qclass
	nameLen       int
	optErr        bool         // an EDNS option malformed as BIND's parser sees it
	ecs           bool         // a Client Subnet option (RFC 7871) to echo
	ecsScope      bool         // its SCOPE PREFIX-LENGTH is not 0 (section 6)
	subnet        clientSubnet // the Client Subnet option, if ecs
	hasTSIG       bool
	tsig          dns.RR // the TSIG record, if hasTSIG

	stats *counters // where the cache counts misses and evictions
	rcode uint16    // of the reply, for the counters
	tc    bool
	hit   bool // the reply came from the cache
}

// HandleUDP answers payload, a DNS message from src, appending the reply
// to dst; ok false means that it sends nothing: payload is shorter than
// a header, or a response (or, were there a bug, the reply could not be
// built; Stats counts each). src plays no part (no access lists, no rate
// limits). It does not keep payload or dst, never panics, and allocates
// nothing when the answer is in the cache or needs none.
func (s *Server) HandleUDP(dst []byte, src netip.AddrPort, payload []byte) (reply []byte, ok bool) {
	return s.handle(dst, payload, &s.stats)
}

// handle is HandleUDP, counting in c.
func (s *Server) handle(dst, payload []byte, c *counters) ([]byte, bool) {
	if out, ok := s.hit(dst, payload, c); ok {
		return out, true
	}
	return s.handleSlow(dst, payload, c)
}

// handleSlow is handle for any message: it parses it whole.
func (s *Server) handleSlow(dst, payload []byte, c *counters) ([]byte, bool) {
	if len(payload) < 12 {
		c.dropped[DropShort].Add(1)
		return dst, false
	}
	if payload[2]&0x80 != 0 {
		c.dropped[DropResponse].Add(1)
		return dst, false
	}
	q := query{stats: c}
	out, err := s.respond(dst, &q, payload)
	if err != nil {
		c.dropped[DropInternal].Add(1)
		return dst, false
	}
	rc := min(int(q.rcode), NumRcodes-1)
	if q.hit {
		c.hits[rc].Add(1)
	} else {
		c.answered[rc].Add(1)
	}
	if q.tc {
		c.truncated.Add(1)
	}
	return out, true
}

// respond answers a query (QR clear, a header at least), in the order
// BIND 9.18 checks it: the message (FORMERR; with an OPT record if only
// an option is malformed), EDNS (BADVERS), TSIG (NOTAUTH), the opcode
// (NOTIMP), the question and its class, then the opcode's own work.
func (s *Server) respond(dst []byte, q *query, payload []byte) ([]byte, error) {
	q.id = binary.BigEndian.Uint16(payload)
	q.opcode = payload[2] >> 3 & 0xf
	if q.opcode == uint8(dns.OpcodeQuery) {
		// Only QUERY's replies keep RD and CD, as BIND's do.
		q.rd, q.cd = payload[2]&0x01 != 0, payload[3]&0x10 != 0
	}
	known := q.opcode == uint8(dns.OpcodeQuery) || q.opcode == uint8(dns.OpcodeNotify) || q.opcode == uint8(dns.OpcodeUpdate)
	p, err := dns.Parse(payload)
	if err != nil {
		// An option too short for its layout (COOKIE, Client Subnet) is
		// an option error to BIND, and the rest of the message counts.
		var fixed []byte
		if p, fixed, err = parseBadOptions(payload, err); err == nil {
			q.optErr = true
			payload = fixed
		}
	}
	if err != nil || !q.read(&p) {
		return s.formErr(dst, q, payload, known)
	}
	if q.optErr {
		q.ecs = false
		return s.reply(dst, q, resp{rcode: rcodeFormErr, question: known && q.qd == 1})
	}
	if q.edns && q.version > 0 {
		q.ecs = false
		return s.reply(dst, q, resp{rcode: rcodeBadVers, question: known && q.qd == 1})
	}
	if q.ecsScope {
		q.edns = false
		return s.reply(dst, q, resp{rcode: rcodeFormErr, question: known && q.qd == 1})
	}
	if known && q.qd == 0 {
		return s.reply(dst, q, resp{rcode: rcodeFormErr})
	}
	if q.hasTSIG {
		// RFC 8945 section 5.2.1: no key is known; the error is unsigned.
		tsig, err := badKey(q, time.Now())
		if err != nil {
			return s.formErr(dst, q, payload, known)
		}
		return s.reply(dst, q, resp{rcode: rcodeNotAuth, question: known && q.qd == 1, tsig: &tsig})
	}
	if !known {
		return s.reply(dst, q, resp{rcode: rcodeNotImp})
	}
	switch q.qclass {
	case classIN:
	case 0, classNONE, classANY:
		return s.reply(dst, q, resp{rcode: rcodeFormErr, question: true})
	case classHS:
		return s.reply(dst, q, resp{rcode: rcodeRefused, question: true, ede: &edeProhibitedOption})
	case classCH:
		if q.opcode == uint8(dns.OpcodeQuery) {
			return s.reply(dst, q, resp{rcode: rcodeRefused, question: true})
		}
		fallthrough
	default:
		return s.reply(dst, q, resp{rcode: rcodeNotImp, question: true})
	}
	z, apex := s.zoneFor(q.key[:q.nameLen])
	switch q.opcode {
	case uint8(dns.OpcodeNotify):
		// RFC 1996: a primary ignores a NOTIFY for its own zone.
		switch {
		case q.qtype != typeSOA:
			return s.reply(dst, q, resp{rcode: rcodeFormErr, question: true})
		case apex:
			return s.reply(dst, q, resp{rcode: rcodeNoError, aa: true, question: true})
		}
		return s.reply(dst, q, resp{rcode: rcodeNotAuth, question: true})
	case uint8(dns.OpcodeUpdate):
		// RFC 2136: updates are refused.
		switch {
		case q.qtype != typeSOA:
			return s.reply(dst, q, resp{rcode: rcodeFormErr, question: true})
		case apex:
			return s.reply(dst, q, resp{rcode: rcodeRefused, question: true})
		}
		return s.reply(dst, q, resp{rcode: rcodeNotAuth, question: true})
	}
	switch q.qtype {
	case typeOPT, typeTSIG, typeTKEY:
		return s.reply(dst, q, resp{rcode: rcodeFormErr, question: true})
	case typeMAILA, typeMAILB:
		return s.reply(dst, q, resp{rcode: rcodeNotImp, question: true})
	case typeAXFR:
		// RFC 5936 section 4.2: zone transfers are for TCP.
		if apex {
			return s.reply(dst, q, resp{rcode: rcodeFormErr, question: true})
		}
		return s.reply(dst, q, resp{rcode: rcodeNotAuth, question: true})
	case typeIXFR:
		// RFC 1995 section 2: the SOA alone tells the client to use TCP
		// (or that it is up to date).
		if !apex {
			return s.reply(dst, q, resp{rcode: rcodeNotAuth, question: true})
		}
		auth := p.Authorities()
		if a, ok := auth.Next(); !ok || a.RR().Type() != typeSOA {
			return s.reply(dst, q, resp{rcode: rcodeFormErr, question: true})
		}
		soa := builderOf(&z.soa.rrs[0], z.soa.rrs[0].Name(), z.soa.ttl)
		return s.reply(dst, q, resp{rcode: rcodeNoError, question: true, answer: &soa})
	}
	if z == nil {
		return s.reply(dst, q, resp{rcode: rcodeRefused, question: true})
	}
	return s.answer(dst, q, z)
}

// read fills q from the parsed message p, and reports whether p is a
// query BIND would read: at most one question (RFC 9619), an OPT record
// only in the additional section and owned by the root (RFC 6891 section
// 6.1.1; Parse allows one at most).
func (q *query) read(p *dns.Packet) bool {
	q.qd = int(p.Qdcount())
	if q.qd > 1 {
		return false
	}
	if q.qd == 1 {
		qs := p.Questions()
		x, _ := qs.Next()
		q.qname, q.qtype, q.qclass = x.Qname(), x.Qtype(), x.Qclass()
		q.nameLen = len(nameKey(q.key[:0], q.qname))
		binary.BigEndian.PutUint16(q.key[q.nameLen:], q.qtype)
		binary.BigEndian.PutUint16(q.key[q.nameLen+2:], q.qclass)
	}
	// OPT and TSIG belong in the additional section.
	for _, a := range p.Answers().All() {
		if rr := a.RR(); rr.Kind() == dns.RRKindOPT || rr.Type() == typeTSIG {
			return false
		}
	}
	for _, a := range p.Authorities().All() {
		if rr := a.RR(); rr.Kind() == dns.RRKindOPT || rr.Type() == typeTSIG {
			return false
		}
	}
	n := int(p.Arcount())
	for i, a := range p.Additionals().All() {
		rr := a.RR()
		if rr.Type() == typeTSIG {
			// RFC 8945 section 5.1: the last record, or a format error.
			if i != n-1 {
				return false
			}
			q.tsig, q.hasTSIG = *rr, true
			continue
		}
		o, ok := rr.AsOPT()
		if !ok {
			continue
		}
		if !rr.Name().IsRoot() {
			return false
		}
		q.edns, q.udpSize, q.version, q.do = true, int(o.UDPSize()), o.Version(), o.Do()
		q.readOptions(&o)
	}
	return true
}

// formErr answers a message that does not parse, or that BIND's parser
// rejects, as BIND does: FORMERR, without OPT, with the question if
// there is one, it parses, and the opcode is known (QUERY, NOTIFY,
// UPDATE).
func (s *Server) formErr(dst []byte, q *query, payload []byte, known bool) ([]byte, error) {
	qq := query{id: q.id, opcode: q.opcode, rd: q.rd, cd: q.cd}
	question := false
	if known && binary.BigEndian.Uint16(payload[4:]) == 1 {
		// The question alone, read as Parse reads a name, type and class.
		var name mplrt.DNSName
		if n, err := name.Size(payload, 12); err == nil && 12+n+4 <= len(payload) {
			qq.qname = name.Value(payload, 12, n)
			qq.qtype = binary.BigEndian.Uint16(payload[12+n:])
			qq.qclass = binary.BigEndian.Uint16(payload[12+n+2:])
			question = true
		}
	}
	out, err := s.reply(dst, &qq, resp{rcode: rcodeFormErr, question: question})
	q.rcode = qq.rcode
	return out, err
}

// zoneFor returns the zone that holds the name key (its closest apex at
// or above it), and whether key is that apex.
func (s *Server) zoneFor(key []byte) (z *Zone, apex bool) {
	for off := 0; off < len(key); off += 1 + int(key[off]) {
		if z := s.zones[string(key[off:])]; z != nil {
			return z, off == 0
		}
	}
	return nil, false
}

// A resp is a reply built for one query, with no data of the cache.
type resp struct {
	rcode    uint16 // extended (BADVERS is 16)
	aa       bool
	question bool
	ede      *dns.RROptionBuilder
	answer   *dns.RRBuilder
	tsig     *dns.RRBuilder // after the OPT record
}

// reply builds r for q: the query's ID, opcode, RD and CD, QR set, RA
// and AD clear; the question as the query wrote it if r.question; and
// an OPT record if the query had one (RFC 6891 section 7; see
// appendOPT); then r.tsig.
func (s *Server) reply(dst []byte, q *query, r resp) ([]byte, error) {
	var (
		qs  [1]dns.QuestionBuilder
		ans [1]dns.AnswerBuilder
	)
	b := dns.Builder{ID: q.id, QR: true, Opcode: dns.Opcode(q.opcode), AA: r.aa, RD: q.rd, CD: q.cd,
		Rcode: dns.Rcode(r.rcode & 0xf)}
	if r.question {
		qs[0] = dns.QuestionBuilder{Qname: q.qname, Qtype: q.qtype, Qclass: q.qclass}
		b.Questions = qs[:]
	}
	if r.answer != nil {
		ans[0] = dns.AnswerBuilder{RR: *r.answer}
		b.Answers = ans[:]
	}
	q.rcode = r.rcode
	start := len(dst)
	dst, err := b.AppendTo(dst)
	if err != nil {
		return dst[:start], err
	}
	ar := uint16(0)
	if q.edns {
		if dst, err = s.appendOPT(dst, q.do, q.clientSubnet(), r.rcode, r.ede); err != nil {
			return dst[:start], err
		}
		ar++
	}
	if r.tsig != nil {
		if dst, err = r.tsig.AppendTo(dst); err != nil {
			return dst[:start], err
		}
		ar++
	}
	binary.BigEndian.PutUint16(dst[start+10:], ar)
	return dst, nil
}

// answer answers a query of class IN for a name in z from the cache,
// building the entry on a miss.
func (s *Server) answer(dst []byte, q *query, z *Zone) ([]byte, error) {
	key := q.key[:q.nameLen+4]
	h := s.cache.hash(key, q.nameLen)
	if e := s.cache.get(key, q.nameLen, h); e != nil {
		q.hit = true
		return s.emit(dst, q, e), nil
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if e := s.cache.get(key, q.nameLen, h); e != nil {
		q.hit = true
		return s.emit(dst, q, e), nil
	}
	q.stats.misses.Add(1)
	b := &s.builder
	b.key = append(b.key[:0], key...)
	qname, err := mplrt.NameFromWire(b.key[:q.nameLen])
	if err != nil {
		return dst, err
	}
	b.plan.reset()
	z.resolve(&b.plan, qname, string(b.key[:q.nameLen]), q.qtype)
	e := &entry{key: bytes.Clone(b.key), hash: h}
	if err := s.fill(e, &b.plan, qname, q.qtype, q.qclass); err != nil {
		return s.reply(dst, q, resp{rcode: rcodeServFail, question: true})
	}
	if s.cache.file(e) {
		q.stats.evictions.Add(1)
	}
	return s.emit(dst, q, e), nil
}

// cut returns where a reply from e ends, its ANCOUNT, NSCOUNT and
// ARCOUNT (before the OPT record), and whether it is truncated, for a
// query with EDNS (and its UDP size) or without, whose reply may take
// limit bytes before the OPT record: see emit.
func (e *entry) cut(edns bool, udpSize, limit int) (end int, an, ns, ar uint16, tc bool) {
	end = e.qEnd
	switch {
	case e.tcOnly:
		tc = true
	case edns && udpSize <= 512 && e.minimal && e.ansEnd <= limit:
		end, an = e.ansEnd, e.an
	case e.authEnd > limit:
		tc = true
	default:
		end, an, ns = e.authEnd, e.an, e.ns
		for _, a := range e.adds {
			if a > limit {
				break
			}
			end = a
			ar++
		}
	}
	return end, an, ns, ar, tc
}

// emit appends the reply to q from the entry e: its bytes up to what fits
// in the query's UDP size (512 without EDNS; RFC 1035 section 4.2.1, RFC
// 6891 section 6.2.5), then patches the ID, RD, CD, TC, the counts and
// the question's letter case (RFC 4343 section 4.1), and adds the OPT
// record. What does not fit goes, whole records from the end of the
// additional section (RFC 2181 section 9); if the answer and authority
// sections do not fit, the reply is the question alone with TC set, as
// BIND sends it to EDNS clients. An EDNS client whose buffer is 512
// bytes or less gets a positive answer without authority and additional
// records, as BIND sends it.
func (s *Server) emit(dst []byte, q *query, e *entry) []byte {
	limit := 512
	if q.edns {
		limit = min(max(q.udpSize, 512), s.udpSize) - s.optLen(q, e.ede)
	}
	end, an, ns, ar, tc := e.cut(q.edns, q.udpSize, limit)
	q.tc = tc
	start := len(dst)
	dst = append(dst, e.wire[:end]...)
	r := dst[start:]
	binary.BigEndian.PutUint16(r[0:2], q.id)
	if q.tc {
		r[2] |= 0x02
	}
	if q.rd {
		r[2] |= 0x01
	}
	if q.cd {
		r[3] |= 0x10
	}
	q.qname.AppendWire(dst[:start+12]) // in place: the same labels, in the query's case
	if q.edns {
		var ede *dns.RROptionBuilder
		if e.ede {
			ede = &edeRestartsOption
		}
		if opt, err := s.appendOPT(dst, q.do, q.clientSubnet(), e.rcode, ede); err == nil { // no failure is known
			dst = opt
			ar++
		}
	}
	r = dst[start:]
	binary.BigEndian.PutUint16(r[6:8], an)
	binary.BigEndian.PutUint16(r[8:10], ns)
	binary.BigEndian.PutUint16(r[10:12], ar)
	q.rcode = e.rcode
	return dst
}
