package dnsserver

import (
	"hash/maphash"
	"sync/atomic"
)

// An entry is the response to one question, as wire bytes without the
// ID, the query's flags, the question's letter case and the OPT record,
// which each reply patches in or adds: its header (QR, AA and RCODE set;
// the counts those of the whole response), the question in lower case,
// and the sections, cut at a record boundary to at most the server's UDP
// size (answer and authority whole, or only the question, tcOnly). An
// entry does not change once in the cache, but for its mark (ref).
type entry struct {
	key     string // the question's lower-cased name, type and class
	hash    uint64 // of key
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
// clearing their mark, and takes the first one unmarked. A flood of names
// asked once cycles through the entries without growing memory: at most
// max entries of at most the server's UDP size each, plus their keys
// (an evicted entry is garbage once no reader holds it).
//
// The index is an open-addressing hash table (linear probing, at most
// half full) of atomic pointers to entries that never change once filed,
// so that a hit takes no lock: get loads pointers and compares keys. The
// writers (file, remove), serialised by the server's mutex, store
// each pointer atomically; a reader that races with a deletion (which
// shifts the entries after it back) may miss an entry that is there, and
// then asks again under the mutex, but never finds a wrong one.
type cache struct {
	max     int
	seed    maphash.Seed
	mask    uint64
	slots   []atomic.Pointer[entry]
	entries []*entry // the clock's ring: the entries filed
	hand    int
	n       int // entries filed
}

func newCache(max int) *cache {
	size := 2
	for size < 2*max {
		size *= 2
	}
	return &cache{max: max, seed: maphash.MakeSeed(), mask: uint64(size - 1),
		slots: make([]atomic.Pointer[entry], size)}
}

// hash returns the hash of key.
func (c *cache) hash(key []byte) uint64 { return maphash.Bytes(c.seed, key) }

// get returns the entry for key, whose hash is h, and marks it used. It
// takes no lock; nil may be a miss that races with a writer.
func (c *cache) get(key []byte, h uint64) *entry {
	for i, n := h&c.mask, 0; n <= int(c.mask); i, n = (i+1)&c.mask, n+1 {
		e := c.slots[i].Load()
		if e == nil {
			return nil
		}
		if e.hash == h && e.key == string(key) {
			if !e.ref.Load() {
				e.ref.Store(true)
			}
			return e
		}
	}
	return nil
}

// file files e, filled and with its key and hash set, evicting
// an entry if the cache is full, and reports whether it did. Run it with
// the mutex held, after get found no entry for e's key.
func (c *cache) file(e *entry) (evicted bool) {
	if len(c.entries) < c.max {
		c.entries = append(c.entries, e)
	} else {
		// Two turns at most: the first clears every mark.
		var old *entry
		i := c.hand
		for range 2 * len(c.entries) {
			i = c.hand
			old = c.entries[i]
			c.hand = (c.hand + 1) % len(c.entries)
			if !old.ref.Load() {
				break
			}
			old.ref.Store(false)
		}
		c.remove(old)
		evicted = true
		c.entries[i] = e
	}
	i := e.hash & c.mask
	for c.slots[i].Load() != nil {
		i = (i + 1) & c.mask
	}
	c.slots[i].Store(e)
	c.n++
	return evicted
}

// remove takes e out of the index, shifting back the entries after it
// that probing would no longer reach. Run it with the mutex held.
func (c *cache) remove(e *entry) {
	i := e.hash & c.mask
	for c.slots[i].Load() != e {
		i = (i + 1) & c.mask
	}
	for j := (i + 1) & c.mask; ; j = (j + 1) & c.mask {
		x := c.slots[j].Load()
		if x == nil {
			break
		}
		// x may move to i if its home is not in (i, j], cyclically.
		home := x.hash & c.mask
		if (j-home)&c.mask >= (j-i)&c.mask {
			c.slots[i].Store(x) // before j is cleared: a reader sees x twice, or misses it
			i = j
		}
	}
	c.slots[i].Store(nil)
	c.n--
}

// len returns how many entries are filed. Run it with the mutex held.
func (c *cache) len() int { return c.n }
