// Command miekgdns is a small authoritative DNS server written with
// github.com/miekg/dns, the library Go DNS servers are usually built on:
// the peer that mplstack's responder is measured against with dnsperf
// (scripts/stack-bench.sh).
//
//	miekgdns -listen 198.18.0.3:53 -zone test.example.zone [-origin test.example]
//
// It loads the zone with miekg's zone parser and answers from it as an
// authoritative server does: AA set, CNAMEs followed inside the zone,
// NXDOMAIN and NODATA with the SOA in authority, REFUSED outside the
// zone, EDNS0 echoed with the client's size honoured (TC when the answer
// does not fit). It answers each query from the records (no cache of
// whole responses), the way a server on miekg/dns is written.
package main

import (
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/miekg/dns"
)

// zone is the records of one zone by lower-case owner name and type.
type zone struct {
	origin string
	soa    *dns.SOA
	names  map[string]map[uint16][]dns.RR
}

// load reads the zone file at path, whose origin is origin (as a zone
// statement of named.conf gives it) unless the file sets $ORIGIN.
func load(path, origin string) (*zone, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zp := dns.NewZoneParser(f, dns.Fqdn(origin), path)
	z := &zone{names: map[string]map[uint16][]dns.RR{}}
	for rr, ok := zp.Next(); ok; rr, ok = zp.Next() {
		h := rr.Header()
		name := strings.ToLower(h.Name)
		if soa, ok := rr.(*dns.SOA); ok {
			z.soa, z.origin = soa, name
		}
		if z.names[name] == nil {
			z.names[name] = map[uint16][]dns.RR{}
		}
		z.names[name][h.Rrtype] = append(z.names[name][h.Rrtype], rr)
	}
	if err := zp.Err(); err != nil {
		return nil, err
	}
	if z.soa == nil {
		return nil, fmt.Errorf("%s: no SOA", path)
	}
	return z, nil
}

// ServeDNS answers one query.
func (z *zone) ServeDNS(w dns.ResponseWriter, q *dns.Msg) {
	m := new(dns.Msg)
	if len(q.Question) != 1 {
		m.SetRcode(q, dns.RcodeFormatError)
		w.WriteMsg(m)
		return
	}
	m.SetReply(q)
	m.Compress = true
	question := q.Question[0]
	name := strings.ToLower(question.Name)
	if question.Qclass != dns.ClassINET || !dns.IsSubDomain(z.origin, name) {
		m.Rcode = dns.RcodeRefused
		m.RecursionDesired = q.RecursionDesired
		w.WriteMsg(m)
		return
	}
	m.Authoritative = true
	for hops := 0; hops < 8; hops++ {
		types, ok := z.names[name]
		if !ok {
			if len(m.Answer) == 0 {
				m.Rcode = dns.RcodeNameError
			}
			m.Ns = append(m.Ns, z.negative())
			break
		}
		if rrs, ok := types[question.Qtype]; ok {
			m.Answer = append(m.Answer, rrs...)
			if name == z.origin || len(m.Answer) > 0 {
				m.Ns = append(m.Ns, z.names[z.origin][dns.TypeNS]...)
			}
			break
		}
		if c, ok := types[dns.TypeCNAME]; ok && question.Qtype != dns.TypeCNAME {
			m.Answer = append(m.Answer, c...)
			name = strings.ToLower(c[0].(*dns.CNAME).Target)
			if !dns.IsSubDomain(z.origin, name) {
				break
			}
			continue
		}
		m.Ns = append(m.Ns, z.negative())
		break
	}
	size := dns.MinMsgSize
	if opt := q.IsEdns0(); opt != nil {
		size = max(int(opt.UDPSize()), dns.MinMsgSize)
		m.SetEdns0(1232, false)
	}
	m.Truncate(min(size, 1232))
	w.WriteMsg(m)
}

// negative is the SOA for an authority section, with the TTL of RFC 2308.
func (z *zone) negative() dns.RR {
	soa := dns.Copy(z.soa).(*dns.SOA)
	soa.Hdr.Ttl = min(soa.Hdr.Ttl, soa.Minttl)
	return soa
}

func main() {
	listen := flag.String("listen", "198.18.0.3:53", "the UDP `address` to serve on")
	zoneFile := flag.String("zone", "", "the zone `file`")
	origin := flag.String("origin", "", "the zone's `name` (default: the file's name without .zone)")
	flag.Parse()
	if *origin == "" {
		*origin = strings.TrimSuffix(filepath.Base(*zoneFile), ".zone")
	}
	z, err := load(*zoneFile, *origin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "miekgdns:", err)
		os.Exit(1)
	}
	srv := &dns.Server{Addr: *listen, Net: "udp", Handler: z}
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sigc
		srv.Shutdown()
	}()
	if err := srv.ListenAndServe(); err != nil {
		fmt.Fprintln(os.Stderr, "miekgdns:", err)
		os.Exit(1)
	}
}
