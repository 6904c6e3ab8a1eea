package dnsserver

import (
	mplrt "github.com/mplgo/mpl/runtime"
)

// maxRestarts bounds CNAME chains as BIND's max-restarts does: after the
// 12th CNAME the answer is SERVFAIL.
const maxRestarts = 11

// Extended DNS errors (RFC 8914) that the server adds, as BIND does.
const (
	edeOther      = 0  // with the text edeRestarts: a CNAME chain too long, or a loop
	edeProhibited = 18 // a class the server has no data for
)

const edeRestarts = "max. restarts reached"

// A plan is what a response holds, before it is built: its RCODE, AA,
// and the record sets of each section.
type plan struct {
	rcode      uint16
	aa         bool
	minimal    bool // a positive answer: its authority and additional sections may go (small EDNS buffers)
	ede        bool // SERVFAIL for a CNAME chain: Extended DNS Error edeOther with edeRestarts
	answer     []ref
	authority  []ref
	additional []ref
}

// A ref is a record set to write, under owner (the records' own owner
// name when owner is the zero Name) with ttl.
type ref struct {
	set   *rrset
	nd    *node
	owner mplrt.Name
	ttl   uint32
}

func (p *plan) reset() {
	*p = plan{answer: p.answer[:0], authority: p.authority[:0], additional: p.additional[:0]}
}

// has reports whether the set of type t at nd (under owner) is in the
// answer or additional section already.
func (p *plan) has(nd *node, owner mplrt.Name, t uint16) bool {
	for _, sec := range [2][]ref{p.answer, p.additional} {
		for _, r := range sec {
			if r.nd != nd || r.set.typ != t {
				continue
			}
			if r.owner.Len() == 0 || owner.Len() == 0 {
				if r.owner.Len() == owner.Len() {
					return true
				}
			} else if r.owner.Equal(owner) {
				return true
			}
		}
	}
	return false
}

// A match is where a name leads in a zone.
type match struct {
	nd       *node // the node of the name, of the wildcard that matched it, or of the zone cut above it
	wildcard bool
	cut      bool // nd is a zone cut at or above the name: a referral
}

// find looks key (a name's lower-cased wire form, at or below the apex)
// up in z, as RFC 1034 section 4.3.2 step 3 and RFC 4592 do: a zone cut
// on the way down (at the name itself unless qtype is DS, which the
// parent side answers) is a referral; then the name's node, or the
// wildcard at its closest encloser. A nil nd is a name that does not
// exist.
func (z *Zone) find(key string, qtype uint16) match {
	// The ancestors of key below the apex, from the top down.
	var starts [128]int
	n := 0
	for off := 0; off < len(key)-len(z.key); off += 1 + int(key[off]) {
		starts[n] = off
		n++
	}
	starts[n] = len(key) - len(z.key)
	for i := n - 1; i >= 0; i-- {
		nd := z.nodes[key[starts[i]:]]
		if nd == nil {
			// The closest encloser is the name below which nothing matched.
			if w := z.nodes["\x01*"+key[starts[i+1]:]]; w != nil {
				return match{nd: w, wildcard: true}
			}
			return match{}
		}
		if nd.cut && (i > 0 || qtype != typeDS) {
			return match{nd: nd, cut: true}
		}
	}
	return match{nd: z.nodes[key]}
}

// resolve plans the answer to a query for name (key, its lower-cased
// wire form) and qtype in z, with BIND 9.18's choices for an
// authoritative server with minimal-responses no: a positive answer gets
// the zone's NS records in authority unless it holds them, and the
// addresses of the names its records and those NS records point to in
// additional; a negative one gets the SOA, with the negative TTL; a
// referral gets the cut's NS records and their glue, AA clear; CNAMEs
// are followed inside the zone, at most maxRestarts times (then
// SERVFAIL), and not into another zone (the answer then stops at the
// CNAME, with nothing in authority).
func (z *Zone) resolve(p *plan, name mplrt.Name, key string, qtype uint16) {
	p.aa = true
	for restarts := 0; ; restarts++ {
		m := z.find(key, qtype)
		var owner mplrt.Name
		if m.wildcard {
			owner = name
		}
		switch {
		case m.cut:
			ns := m.nd.set(typeNS)
			p.authority = append(p.authority, ref{set: ns, nd: m.nd, ttl: ns.ttl})
			z.glue(p, m.nd, ns)
			p.aa = restarts > 0
			return
		case m.nd == nil:
			p.rcode = rcodeNXDomain
			p.authority = append(p.authority, ref{set: z.soa, nd: z.nodes[z.key], ttl: z.negTTL})
			return
		case qtype == typeANY:
			for _, s := range m.nd.sets {
				p.answer = append(p.answer, ref{set: s, nd: m.nd, owner: owner, ttl: s.ttl})
			}
			p.minimal = len(m.nd.sets) > 0
			if len(m.nd.sets) == 0 {
				p.authority = append(p.authority, ref{set: z.soa, nd: z.nodes[z.key], ttl: z.negTTL})
			} else if key != z.key {
				p.authority = append(p.authority, ref{set: z.ns, nd: z.nodes[z.key], ttl: z.ns.ttl})
			}
			return
		}
		if cn := m.nd.set(typeCNAME); cn != nil && qtype != typeCNAME {
			if !p.has(m.nd, owner, typeCNAME) {
				p.answer = append(p.answer, ref{set: cn, nd: m.nd, owner: owner, ttl: cn.ttl})
			}
			if restarts == maxRestarts {
				p.rcode, p.ede = rcodeServFail, true
				return
			}
			name = cnameTarget(&cn.rrs[0])
			key = string(nameKey(nil, name))
			if !z.contains(key) {
				return
			}
			continue
		}
		s := m.nd.set(qtype)
		if s == nil {
			p.authority = append(p.authority, ref{set: z.soa, nd: z.nodes[z.key], ttl: z.negTTL})
			return
		}
		p.answer = append(p.answer, ref{set: s, nd: m.nd, owner: owner, ttl: s.ttl})
		p.minimal = true
		var targets []mplrt.Name
		targets = appendTargets(targets, s)
		if s != z.ns {
			p.authority = append(p.authority, ref{set: z.ns, nd: z.nodes[z.key], ttl: z.ns.ttl})
			targets = appendTargets(targets, z.ns)
		}
		z.additional(p, targets)
		return
	}
}

// contains reports whether the name key is at or below z's apex.
func (z *Zone) contains(key string) bool { return under(key, z.key) }

// under reports whether the name key is at or below the name parent
// (both keys): parent is key's suffix from one of key's labels on.
func under(key, parent string) bool {
	if len(key) < len(parent) || key[len(key)-len(parent):] != parent {
		return false
	}
	for off := 0; off < len(key); off += 1 + int(key[off]) {
		if off == len(key)-len(parent) {
			return true
		}
	}
	return false
}

func appendTargets(ts []mplrt.Name, s *rrset) []mplrt.Name {
	for i := range s.rrs {
		if t, ok := target(&s.rrs[i]); ok {
			ts = append(ts, t)
		}
	}
	return ts
}

// additional adds the A, then the AAAA, records of targets that z holds
// with authority (not below a zone cut; a wildcard's, under the target's
// name), except those in the answer already; BIND writes every A before
// every AAAA.
func (z *Zone) additional(p *plan, targets []mplrt.Name) {
	for _, t := range [2]uint16{typeA, typeAAAA} {
		for _, name := range targets {
			key := string(nameKey(nil, name))
			if !z.contains(key) {
				continue
			}
			m := z.find(key, t)
			if m.nd == nil || m.cut {
				continue
			}
			var owner mplrt.Name
			if m.wildcard {
				owner = name
			}
			if s := m.nd.set(t); s != nil && !p.has(m.nd, owner, t) {
				p.additional = append(p.additional, ref{set: s, nd: m.nd, owner: owner, ttl: s.ttl})
			}
		}
	}
}

// glue adds the addresses of the name servers of the cut at nd that lie
// at or below it: the glue of a referral (BIND adds no others).
func (z *Zone) glue(p *plan, cut *node, ns *rrset) {
	cutKey := string(nameKey(nil, cut.name))
	for _, t := range [2]uint16{typeA, typeAAAA} {
		for i := range ns.rrs {
			name, _ := target(&ns.rrs[i])
			key := string(nameKey(nil, name))
			if !under(key, cutKey) {
				continue
			}
			nd := z.nodes[key]
			if nd == nil {
				continue
			}
			if s := nd.set(t); s != nil && !p.has(nd, mplrt.Name{}, t) {
				p.additional = append(p.additional, ref{set: s, nd: nd, ttl: s.ttl})
			}
		}
	}
}
