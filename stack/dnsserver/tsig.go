package dnsserver

import (
	"encoding/binary"
	"errors"
	"time"

	"github.com/mplgo/mpl/gen/dns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// tsigBadKey is the TSIG error of a key the server does not know (RFC
// 8945 section 5.2.1).
const tsigBadKey = 17

// badKey returns the TSIG record of the NOTAUTH reply to q, whose TSIG
// record names a key: the server knows none. As BIND writes it, it has
// the query's key name and algorithm, the time now, the query's fudge,
// no MAC, the message's ID and the error BADKEY. It fails if the query's
// TSIG data does not hold an algorithm name, a time, a fudge, a MAC, an
// ID, an error and other data, exactly.
func badKey(q *query, now time.Time) (dns.RRBuilder, error) {
	rec, _ := q.tsig.AsRecord()
	other, ok := rec.AsOther()
	if !ok {
		return dns.RRBuilder{}, errors.New("TSIG of a known type")
	}
	data := other.Rdata()
	// The algorithm's name, uncompressed (RFC 8945 section 4.2).
	n, err := mplrt.DNSNameNoComp{}.Size(data, 0)
	if err == nil {
		_, err = mplrt.NameFromWire(data[:n])
	}
	if err != nil || len(data) < n+10 {
		return dns.RRBuilder{}, errors.New("TSIG without an algorithm")
	}
	mac := int(binary.BigEndian.Uint16(data[n+8:]))
	if len(data) < n+10+mac+6 {
		return dns.RRBuilder{}, errors.New("TSIG cut short")
	}
	if other := int(binary.BigEndian.Uint16(data[n+10+mac+4:])); len(data) != n+10+mac+6+other {
		return dns.RRBuilder{}, errors.New("TSIG of the wrong length")
	}
	rdata := make([]byte, 0, n+16)
	rdata = append(rdata, data[:n]...)
	t := uint64(now.Unix())
	rdata = append(rdata, byte(t>>40), byte(t>>32), byte(t>>24), byte(t>>16), byte(t>>8), byte(t))
	rdata = append(rdata, data[n+6:n+8]...) // fudge
	rdata = binary.BigEndian.AppendUint16(rdata, 0)
	rdata = binary.BigEndian.AppendUint16(rdata, q.id)
	rdata = binary.BigEndian.AppendUint16(rdata, tsigBadKey)
	rdata = binary.BigEndian.AppendUint16(rdata, 0)
	return dns.RRBuilder{Kind: dns.RRKindRecord, Record: dns.RRRecordBuilder{Kind: dns.RRRecordKindOther,
		Other: dns.RROtherBuilder{Name: q.tsig.Name(), Type: typeTSIG, Class: classANY, Rdata: rdata}}}, nil
}
