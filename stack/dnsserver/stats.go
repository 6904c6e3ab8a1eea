package dnsserver

import (
	"fmt"
	"io"
	"sync/atomic"
)

// Drop is why the server sent no reply to a datagram.
type Drop uint8

// The reasons the server counts.
const (
	DropShort    Drop = iota // shorter than a DNS header (12 bytes)
	DropResponse             // QR set: a response, which is never answered
	DropInternal             // the reply could not be built (a bug)
	numDrops
)

var dropNames = [numDrops]string{
	DropShort:    "dns short",
	DropResponse: "dns response",
	DropInternal: "dns internal error",
}

// String returns the reason as the counters print it, as "dns short".
func (d Drop) String() string {
	if d < numDrops {
		return dropNames[d]
	}
	return fmt.Sprintf("drop %d", uint8(d))
}

// NumRcodes is the size of Stats.Answered: the RCODEs the server sends,
// BADVERS (16) the largest.
const NumRcodes = rcodeBadVers + 1

// counters are updated by HandleUDP (or a ServeUDP worker, each its own)
// and read by anyone (Server.Stats). A reply from the cache costs one
// atomic add (two if truncated): the queries are the replies and the
// drops, the hits are the replies from the cache.
type counters struct {
	_                 [64]byte                 // a cache line of its own, for the workers' counters
	answered          [NumRcodes]atomic.Uint64 // replies not from the cache, by RCODE
	hits              [NumRcodes]atomic.Uint64 // replies from the cache, by RCODE
	truncated         atomic.Uint64
	dropped           [numDrops]atomic.Uint64
	misses, evictions atomic.Uint64
	_                 [64]byte
}

// add adds c to st.
func (c *counters) add(st *Stats) {
	for i := range c.answered {
		a, h := c.answered[i].Load(), c.hits[i].Load()
		st.Answered[i] += a + h
		st.CacheHits += h
		st.Queries += a + h
	}
	for i := range c.dropped {
		d := c.dropped[i].Load()
		st.Dropped[i] += d
		st.Queries += d
	}
	st.Truncated += c.truncated.Load()
	st.CacheMisses += c.misses.Load()
	st.CacheEvictions += c.evictions.Load()
}

// Stats is a snapshot of a server's counters (Server.Stats). Each is
// read atomically, not all at the same instant.
type Stats struct {
	Queries uint64 // datagrams given to HandleUDP
	// Answered counts replies by RCODE, extended by EDNS (BADVERS is 16).
	Answered  [NumRcodes]uint64
	Truncated uint64 // replies with TC set
	// Dropped counts, by reason, datagrams not answered.
	Dropped        [numDrops]uint64
	CacheHits      uint64 // answers copied from the cache
	CacheMisses    uint64 // answers built and cached
	CacheEvictions uint64 // answers dropped from a full cache for others
	CacheEntries   int    // answers in the cache now
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	var st Stats
	s.stats.add(&st)
	s.mu.Lock()
	for _, c := range s.shards {
		c.add(&st)
	}
	st.CacheEntries = s.cache.len()
	s.mu.Unlock()
	return st
}

// rcodeNames are the mnemonics of RFC 6895 section 2.3.
var rcodeNames = [NumRcodes]string{"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
	"YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "RCODE11", "RCODE12", "RCODE13", "RCODE14",
	"RCODE15", "BADVERS"}

// WriteTo writes the counters as a table, one line each: queries, each
// RCODE answered, truncated, each reason dropped and the cache's, with
// the zero lines of RCODEs and drops left out.
func (st Stats) WriteTo(w io.Writer) (int64, error) {
	var n int64
	put := func(name string, v uint64) error {
		k, err := fmt.Fprintf(w, "%-22s %d\n", name, v)
		n += int64(k)
		return err
	}
	if err := put("dns queries", st.Queries); err != nil {
		return n, err
	}
	for rc, v := range st.Answered {
		if v == 0 {
			continue
		}
		if err := put("dns answered "+rcodeNames[rc], v); err != nil {
			return n, err
		}
	}
	if err := put("dns truncated", st.Truncated); err != nil {
		return n, err
	}
	for d, v := range st.Dropped {
		if v == 0 {
			continue
		}
		if err := put("dropped "+Drop(d).String(), v); err != nil {
			return n, err
		}
	}
	for _, c := range []struct {
		name string
		v    uint64
	}{{"dns cache hits", st.CacheHits}, {"dns cache misses", st.CacheMisses},
		{"dns cache evictions", st.CacheEvictions}, {"dns cache entries", uint64(st.CacheEntries)}} {
		if err := put(c.name, c.v); err != nil {
			return n, err
		}
	}
	return n, nil
}
