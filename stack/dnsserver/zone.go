package dnsserver

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	miekg "github.com/miekg/dns"

	"github.com/mplgo/mpl/gen/dns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// Record types with a meaning of their own for the server.
const (
	typeA     = 1
	typeNS    = 2
	typeCNAME = 5
	typeSOA   = 6
	typeAAAA  = 28
	typeDNAME = 39
	typeOPT   = 41
	typeDS    = 43
	typeRRSIG = 46
	typeNSEC  = 47
	typeTKEY  = 249
	typeTSIG  = 250
	typeIXFR  = 251
	typeAXFR  = 252
	typeMAILB = 253
	typeMAILA = 254
	typeANY   = 255

	classIN   = 1
	classCH   = 3
	classHS   = 4
	classNONE = 254
	classANY  = 255
)

// A Zone is the data of one zone, read from a zone file (LoadZone,
// LoadZoneFile) and never changed afterwards: its records by owner name
// (compared in lower case, RFC 4343) and type. Its empty non-terminals
// (names with no records but with names below them) exist, without data,
// and every name below the apex that has NS records is a zone cut.
type Zone struct {
	origin  mplrt.Name // the apex, as the SOA's owner is written
	key     string     // the apex's lower-cased wire form
	nodes   map[string]*node
	soa     *rrset
	ns      *rrset
	negTTL  uint32 // the TTL of the SOA in negative answers (RFC 2308 section 5)
	records int
}

// A node is one owner name of a zone.
type node struct {
	name mplrt.Name // as the zone file first wrote it
	sets []*rrset   // in the order of the file
	cut  bool       // NS records below the apex: a delegation
}

// An rrset is the records of one owner and type, each a gen/dns view of
// its uncompressed wire form, with the TTL of the first (as BIND, which
// sets the others' to it).
type rrset struct {
	typ uint16
	ttl uint32
	rrs []dns.RR
}

// set returns n's records of type t, or nil.
func (n *node) set(t uint16) *rrset {
	for _, s := range n.sets {
		if s.typ == t {
			return s
		}
	}
	return nil
}

// Origin returns the zone's apex in presentation format, as
// "test.example.".
func (z *Zone) Origin() string { return z.origin.String() }

// Len returns how many records the zone holds.
func (z *Zone) Len() int { return z.records }

// LoadZone reads a zone in the format of RFC 1035 section 5 (BIND's),
// with github.com/miekg/dns's ZoneParser: origin is the zone's apex, which
// relative names are completed with and where its one SOA must be;
// filename is used in error messages only ($INCLUDE is refused). Errors of
// syntax are the parser's, with the file and the line and column; errors
// of content name the file and line where the parser was (for a record
// spread over lines, its last): a record outside the origin, of a class
// other than IN, of a meta type or DNAME (not implemented), an SOA other
// than one at the apex, no NS at the apex, a CNAME beside other data or
// two CNAMEs. Identical records are kept once, and the records of a set
// take the TTL of the first, as BIND does.
func LoadZone(r io.Reader, origin, filename string) (*Zone, error) {
	return load(r, miekg.Fqdn(origin), filename, false, false)
}

// LoadZoneFile reads the zone file at path, as LoadZone, allowing
// $INCLUDE (relative to the file's folder; errors in included files give
// the line of the $INCLUDE). The apex is the owner of the zone's one SOA;
// names before the first $ORIGIN are relative to the file's name without
// a leading "db." or a trailing ".zone" or ".db" (test.example.zone holds
// the zone test.example.).
func LoadZoneFile(path string) (*Zone, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	base := filepath.Base(path)
	base = strings.TrimPrefix(base, "db.")
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".zone"), ".db")
	return load(f, miekg.Fqdn(base), path, true, true)
}

// lineReader counts the lines that the zone parser has read, for errors
// about records: the parser reads byte by byte from an io.ByteReader.
type lineReader struct {
	r    *bufio.Reader
	line int  // lines read whole
	nl   bool // the last byte read ended a line
}

func (l *lineReader) Read(p []byte) (int, error) { return l.r.Read(p) }

func (l *lineReader) ReadByte() (byte, error) {
	c, err := l.r.ReadByte()
	if err == nil {
		l.nl = c == '\n'
		if l.nl {
			l.line++
		}
	}
	return c, err
}

// at is the line of the record that the parser has just returned.
func (l *lineReader) at() int {
	if l.nl {
		return l.line
	}
	return l.line + 1
}

// A parsed record and where it ended.
type parsed struct {
	rr   miekg.RR
	line int
}

func load(r io.Reader, origin, file string, include, apexFromSOA bool) (*Zone, error) {
	if _, ok := miekg.IsDomainName(origin); !ok {
		return nil, fmt.Errorf("dnsserver: bad origin %q", origin)
	}
	lr := &lineReader{r: bufio.NewReader(r)}
	zp := miekg.NewZoneParser(lr, origin, file)
	zp.SetIncludeAllowed(include)
	var rrs []parsed
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		rrs = append(rrs, parsed{rr, lr.at()})
	}
	if err := zp.Err(); err != nil {
		return nil, err
	}
	where := func(p parsed) string {
		name := file
		if name == "" {
			name = "zone"
		}
		return fmt.Sprintf("%s:%d: %s", name, p.line, strings.TrimSuffix(p.rr.Header().Name, "."))
	}

	// The apex: the SOA's owner, which LoadZone requires at the origin.
	var soa *parsed
	for i := range rrs {
		if rrs[i].rr.Header().Rrtype != typeSOA {
			continue
		}
		if soa != nil {
			return nil, fmt.Errorf("%s: a second SOA record (one at %d)", where(rrs[i]), soa.line)
		}
		soa = &rrs[i]
	}
	if soa == nil {
		return nil, fmt.Errorf("%s: no SOA record for %s", fileOr(file), origin)
	}
	apex := origin
	if apexFromSOA {
		apex = soa.rr.Header().Name
	} else if !strings.EqualFold(soa.rr.Header().Name, origin) {
		return nil, fmt.Errorf("%s: SOA record not at the top of zone %s", where(*soa), origin)
	}

	z := &Zone{nodes: make(map[string]*node)}
	for _, p := range rrs {
		h := p.rr.Header()
		switch {
		case !miekg.IsSubDomain(apex, h.Name):
			return nil, fmt.Errorf("%s: outside the zone %s", where(p), apex)
		case h.Class != classIN:
			return nil, fmt.Errorf("%s: class %s, not IN", where(p), miekg.Class(h.Class))
		case h.Rrtype == typeDNAME:
			return nil, fmt.Errorf("%s: DNAME records are not supported", where(p))
		case h.Rrtype == typeOPT || h.Rrtype == 0 || h.Rrtype >= typeTKEY && h.Rrtype <= typeANY:
			return nil, fmt.Errorf("%s: meta type %s in a zone", where(p), miekg.Type(h.Rrtype))
		}
		if err := z.add(p.rr); err != nil {
			return nil, fmt.Errorf("%s: %v", where(p), err)
		}
	}

	apexNode := z.nodes[string(nameKey(nil, mustName(apex)))]
	z.origin, z.key = apexNode.name, string(nameKey(nil, apexNode.name))
	z.soa, z.ns = apexNode.set(typeSOA), apexNode.set(typeNS)
	if z.ns == nil {
		return nil, fmt.Errorf("%s: zone %s has no NS records", fileOr(file), apex)
	}
	var soaView dns.RRSOA
	{
		rec, _ := z.soa.rrs[0].AsRecord()
		soaView, _ = rec.AsSOA()
	}
	z.negTTL = min(z.soa.ttl, soaView.Minimum())

	// Empty non-terminals, and zone cuts.
	for key, n := range z.nodes {
		if key != z.key && n.set(typeNS) != nil {
			n.cut = true
		}
		for k := parentKey(key); len(k) > len(z.key); k = parentKey(k) {
			if _, ok := z.nodes[k]; ok {
				continue
			}
			name, _ := mplrt.NameFromWire([]byte(k))
			z.nodes[k] = &node{name: name}
		}
	}
	return z, nil
}

func fileOr(file string) string {
	if file == "" {
		return "zone"
	}
	return file
}

// add files rr under its owner, as a gen/dns view of its uncompressed
// wire form.
func (z *Zone) add(rr miekg.RR) error {
	wire := make([]byte, miekg.Len(rr))
	n, err := miekg.PackRR(rr, wire, 0, nil, false)
	if err != nil {
		return err
	}
	v, err := dns.ParseRR(wire[:n])
	if err != nil {
		return fmt.Errorf("record does not parse as gen/dns reads it: %v", err)
	}
	rec, ok := v.AsRecord()
	if !ok {
		return errors.New("not a record")
	}
	owner := v.Name()
	key := string(nameKey(nil, owner))
	nd := z.nodes[key]
	if nd == nil {
		nd = &node{name: owner}
		z.nodes[key] = nd
	}
	t := v.Type()
	if t == typeCNAME || nd.set(typeCNAME) != nil {
		for _, s := range nd.sets {
			if s.typ != typeRRSIG && s.typ != typeNSEC && s.typ != t {
				return errors.New("CNAME and other data")
			}
		}
	}
	s := nd.set(t)
	if s == nil {
		s = &rrset{typ: t, ttl: rec.TTL()}
		nd.sets = append(nd.sets, s)
	}
	for i := range s.rrs {
		if bytes.Equal(rdata(&s.rrs[i]), rdata(&v)) {
			return nil // a duplicate
		}
	}
	if (t == typeCNAME || t == typeSOA) && len(s.rrs) > 0 {
		return errors.New("multiple RRs of singleton type")
	}
	s.rrs = append(s.rrs, v)
	z.records++
	return nil
}

// rdata returns the record data of a record's view.
func rdata(v *dns.RR) []byte {
	rec, _ := v.AsRecord()
	b := v.Bytes()
	return b[rec.RDStart():rec.RDEnd()]
}

// nameKey appends n's uncompressed wire form with ASCII letters in lower
// case: the key of a name in a zone and in the cache. Length bytes (at
// most 63) are below 'A', so the whole form is lowered at once.
func nameKey(dst []byte, n mplrt.Name) []byte {
	start := len(dst)
	dst = n.AppendWire(dst)
	lower(dst[start:])
	return dst
}

func lower(b []byte) {
	for i, c := range b {
		if c-'A' < 26 {
			b[i] = c + 'a' - 'A'
		}
	}
}

// parentKey returns the key of the name above key's ("" for the root).
func parentKey(key string) string {
	if len(key) <= 1 {
		return ""
	}
	return key[1+int(key[0]):]
}

// mustName is mplrt.MustName for names that miekg/dns has checked.
func mustName(s string) mplrt.Name { return mplrt.MustName(s) }
