package dnsserver

import (
	"sync/atomic"
)

// An entry is the response to one question, as wire bytes without the
// ID, the query's flags, the question's letter case and the OPT record,
// which each reply patches in or adds: its header (QR, AA and RCODE set;
// the counts those of the whole response), the question in lower case,
// and the sections, cut at a record boundary to at most the server's UDP
// size (answer and authority whole, or only the question, tcOnly).
type entry struct {
	key     string // the question's lower-cased name, type and class
	wire    []byte
	ede     bool  // SERVFAIL for a long CNAME chain: EDNS replies say why (Server.optEDE)
	qEnd    int   // end of the question
	ansEnd  int   // end of the answer section
	authEnd int   // end of the authority section
	adds    []int // end of each additional record kept
	an, ns  uint16
	minimal bool // small EDNS buffers get the answer alone (BIND's choice)
	tcOnly  bool // the answer and authority sections never fit: TC, the question alone
	rcode   uint16
	ref     atomic.Bool // used since the clock hand last passed
}

// A cache maps questions to entries. It holds at most max entries; when
// full, an insertion evicts an entry with the CLOCK algorithm (second
// chance): the hand passes over entries used since it last passed,
// clearing their mark, and takes the first one unmarked, reusing its
// buffers. A hit only sets the mark (atomically), so that hits run
// under a read lock. A flood of names asked once cycles through the
// entries without growing memory: at most max entries of at most the
// server's UDP size each, plus their keys.
type cache struct {
	max     int
	index   map[string]*entry
	entries []*entry
	hand    int
}

func newCache(max int) *cache {
	return &cache{max: max, index: make(map[string]*entry, max)}
}

// get returns the entry for key and marks it used. Run it with at least
// the read lock held.
func (c *cache) get(key []byte) *entry {
	e := c.index[string(key)]
	if e != nil && !e.ref.Load() {
		e.ref.Store(true)
	}
	return e
}

// slot returns an entry to fill for key, new or evicted (evicted
// reports which), and files it under key. Run it with the write lock
// held.
func (c *cache) slot(key string) (e *entry, evicted bool) {
	if len(c.entries) < c.max {
		e = new(entry)
		c.entries = append(c.entries, e)
	} else {
		// Two turns at most: the first clears every mark.
		for range 2 * len(c.entries) {
			e = c.entries[c.hand]
			c.hand = (c.hand + 1) % len(c.entries)
			if !e.ref.Load() {
				break
			}
			e.ref.Store(false)
		}
		delete(c.index, e.key)
		evicted = true
	}
	*e = entry{wire: e.wire[:0], adds: e.adds[:0]}
	e.key = key
	c.index[key] = e
	return e, evicted
}

// drop forgets e, whose building failed; the hand reuses it later. Run it
// with the write lock held.
func (c *cache) drop(e *entry) {
	delete(c.index, e.key)
	e.key = ""
	e.ref.Store(false)
}
