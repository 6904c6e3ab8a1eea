package dnsserver

import (
	"github.com/mplgo/mpl/gen/dns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// builderOf returns the builder of the record that v views, with owner
// and ttl in place of its own: a wildcard's records are written with the
// name asked for, a set's with the set's TTL, and the SOA of a negative
// answer with the negative TTL. Names in its data compress against the
// message where RFC 3597 section 4 allows it (the gen/dns builders
// decide); types gen/dns does not know go out as raw data.
func builderOf(v *dns.RR, owner mplrt.Name, ttl uint32) dns.RRBuilder {
	rec, _ := v.AsRecord()
	n, class := owner, rec.Class()
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
	default:
		x, _ := rec.AsOther()
		rb.Kind = dns.RRRecordKindOther
		rb.Other = dns.RROtherBuilder{Name: n, Type: v.Type(), Class: class, TTL: ttl, Rdata: x.Rdata()}
	}
	return dns.RRBuilder{Kind: dns.RRKindRecord, Record: rb}
}

// target returns the name whose addresses go in the additional section
// when the record v is in the answer (RFC 1035 section 3.3; RFC 2782 for
// SRV; RFC 1183 for AFSDB and RT), as BIND adds them.
func target(v *dns.RR) (mplrt.Name, bool) {
	rec, _ := v.AsRecord()
	switch rec.Kind() {
	case dns.RRRecordKindNS:
		x, _ := rec.AsNS()
		return x.NS(), true
	case dns.RRRecordKindMX:
		x, _ := rec.AsMX()
		return x.Exchange(), true
	case dns.RRRecordKindSRV:
		x, _ := rec.AsSRV()
		return x.Target(), true
	case dns.RRRecordKindMB:
		x, _ := rec.AsMB()
		return x.Madname(), true
	case dns.RRRecordKindMD:
		x, _ := rec.AsMD()
		return x.Madname(), true
	case dns.RRRecordKindMF:
		x, _ := rec.AsMF()
		return x.Madname(), true
	case dns.RRRecordKindAFSDB:
		x, _ := rec.AsAFSDB()
		return x.Hostname(), true
	case dns.RRRecordKindRT:
		x, _ := rec.AsRT()
		return x.IntermediateHost(), true
	}
	return mplrt.Name{}, false
}

// cnameTarget returns the name a CNAME record points to.
func cnameTarget(v *dns.RR) mplrt.Name {
	rec, _ := v.AsRecord()
	x, _ := rec.AsCNAME()
	return x.CNAME()
}
