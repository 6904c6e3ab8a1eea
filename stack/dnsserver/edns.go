package dnsserver

import (
	"encoding/binary"
	"errors"
	"unicode/utf8"

	"github.com/mplgo/mpl/gen/dns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// EDNS option codes that BIND checks (RFC 7871, RFC 7314, RFC 7873,
// RFC 8145; optionEDE, RFC 8914, is in build.go).
const (
	optionECS    = 8
	optionExpire = 9
	optionCookie = 10
	optionKeyTag = 14
)

// readOptions checks the options of o as BIND's parser does, setting
// q.optErr for one malformed, and keeps the first Client Subnet option
// (RFC 7871 section 6) to echo.
func (q *query) readOptions(o *dns.RROPT) {
	for _, x := range o.Options().All() {
		n := x.Length()
		switch x.Code() {
		case optionExpire:
			q.optErr = q.optErr || n != 0 && n != 4
		case optionCookie:
			q.optErr = q.optErr || n != 8 && (n < 16 || n > 40)
		case optionKeyTag:
			q.optErr = q.optErr || n == 0 || n%2 != 0
		case optionEDE:
			// RFC 8914 section 2: an INFO-CODE, then UTF-8 text.
			o, _ := x.AsOtherOption()
			q.optErr = q.optErr || n < 2 || !utf8.Valid(o.Data()[2:])
		case optionECS:
			c, ok := x.AsClientSubnet()
			if !ok {
				q.optErr = true
				continue
			}
			family, src, scope, addr := c.Family(), c.SourcePrefix(), c.ScopePrefix(), c.Address()
			limit, known := uint8(0), true
			switch family {
			case 1:
				limit = 32
			case 2:
				limit = 128
			default:
				known = family == 0
			}
			if !known || src > limit || scope > limit || len(addr) != (int(src)+7)/8 ||
				src%8 != 0 && addr[len(addr)-1]&^(0xff<<(8-src%8)) != 0 {
				q.optErr = true
				continue
			}
			if q.ecs || q.ecsScope {
				continue
			}
			if scope != 0 {
				q.ecsScope = true
				continue
			}
			q.ecs, q.subnet = true, clientSubnet{family, src, addr}
		}
	}
}

// A clientSubnet is a Client Subnet option (RFC 7871 section 6) to echo.
type clientSubnet struct {
	family  uint16
	source  uint8
	address []byte
}

// clientSubnet returns q's Client Subnet option to echo, or nil.
func (q *query) clientSubnet() *clientSubnet {
	if !q.ecs {
		return nil
	}
	return &q.subnet
}

// parseBadOptions parses payload, which Parse rejected with err, again
// with each COOKIE or Client Subnet option too short for its layout (a
// COOKIE under 8 bytes, a Client Subnet under 4), where err points,
// renamed to an option code of no meaning: BIND's parser reads any
// option whose length fits, and calls those an option error, a FORMERR
// that gets an OPT record. It returns the parsed copy, or an error if
// err is not that or the copy does not parse either.
func parseBadOptions(payload []byte, err error) (dns.Packet, []byte, error) {
	var fixed []byte
	for range 8 {
		// The error names the field cut short (specs/dns.mpl), at its
		// offset in the message; the option starts before it.
		var e mplrt.Error
		if !errors.As(err, &e) || e.Packet != "rr" {
			break
		}
		code, min, off := uint16(optionECS), uint16(4), 0
		switch e.Field {
		case "client":
			code, min, off = optionCookie, 8, 4
		case "server": // the client field read past a short option
			code, min, off = optionCookie, 8, 12
		case "address":
			off = 8
		case "family":
			off = 4
		case "source_prefix":
			off = 6
		case "scope_prefix":
			off = 7
		}
		start := e.Offset - off
		if off == 0 || start < 0 || start+4 > len(payload) ||
			binary.BigEndian.Uint16(payload[start:]) != code || binary.BigEndian.Uint16(payload[start+2:]) >= min {
			break
		}
		if fixed == nil {
			fixed = append([]byte(nil), payload...)
			payload = fixed
		}
		binary.BigEndian.PutUint16(fixed[start:], optionUnassigned)
		var p dns.Packet
		if p, err = dns.Parse(fixed); err == nil {
			return p, fixed, nil
		}
	}
	return dns.Packet{}, nil, err
}

// optionUnassigned is an EDNS option code that IANA has not assigned,
// which stands for a malformed option once it has been seen.
const optionUnassigned = 0xfde9
