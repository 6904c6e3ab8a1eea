package dnsserver

import (
	"encoding/binary"
	"hash/maphash"
	"math/bits"
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
	key     []byte // the question's lower-cased name, type and class
	hash    uint64 // of key (cache.hash)
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
	seed    uint64
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
	return &cache{max: max, seed: maphash.Comparable(maphash.MakeSeed(), 0), mask: uint64(size - 1),
		slots: make([]atomic.Pointer[entry], size)}
}

// hash returns the hash of a question's key, the name's nameLen bytes
// as in lower case: the query's bytes (name, type and class) hash as the
// entry's key does. It reads 8 bytes at a time, lower-cases them in
// place (the length bytes, at most 63, are no letters) and mixes them
// with the cache's random seed as wyhash does.
func (c *cache) hash(key []byte, nameLen int) uint64 {
	const k0, k1, k2 = 0xa0761d6478bd642f, 0xe7037ed1a0b428db, 0x8ebc6af09c88c6e3
	h := c.seed ^ uint64(len(key))*k0
	i := 0
	for ; i+8 <= len(key); i += 8 {
		h = mix(h^lowerWord(binary.LittleEndian.Uint64(key[i:]), nameLen-i), k1)
	}
	if i < len(key) {
		// The last 8 bytes, or all there are.
		var w uint64
		if len(key) >= 8 {
			i = len(key) - 8
			w = binary.LittleEndian.Uint64(key[i:])
		} else {
			for j := len(key) - 1; j >= i; j-- {
				w = w<<8 | uint64(key[j])
			}
		}
		h = mix(h^lowerWord(w, nameLen-i), k2)
	}
	return mix(h, k1)
}

func mix(a, b uint64) uint64 {
	hi, lo := bits.Mul64(a, b)
	return hi ^ lo
}

// lowerWord returns w, 8 bytes in little-endian order, with the letters
// of its first n bytes (all if n >= 8, none if n <= 0) in lower case.
func lowerWord(w uint64, n int) uint64 {
	const low7, high = 0x7f7f7f7f7f7f7f7f, 0x8080808080808080
	x := w & low7
	// High bits of the bytes 'A' to 'Z': at or above 'A', not above 'Z',
	// not above 0x7f.
	upper := ((x + (0x80-'A')*0x0101010101010101) ^ (x + (0x80-'Z'-1)*0x0101010101010101)) &^ w & high
	if n < 8 {
		if n <= 0 {
			return w
		}
		upper &= 1<<(8*n) - 1
	}
	return w | upper>>2
}

// equal reports whether key, the name's nameLen bytes read as in lower
// case, is the key k of an entry.
func equal(k, key []byte, nameLen int) bool {
	if len(k) != len(key) {
		return false
	}
	i := 0
	for ; i+8 <= len(key); i += 8 {
		if lowerWord(binary.LittleEndian.Uint64(key[i:]), nameLen-i) != binary.LittleEndian.Uint64(k[i:]) {
			return false
		}
	}
	for ; i < len(key); i++ {
		b := key[i]
		if i < nameLen && b-'A' < 26 {
			b += 'a' - 'A'
		}
		if b != k[i] {
			return false
		}
	}
	return true
}

// get returns the entry for key, whose name's nameLen bytes are read as in
// lower case and whose hash is h, and marks it used. It takes no lock;
// nil may be a miss that races with a writer.
func (c *cache) get(key []byte, nameLen int, h uint64) *entry {
	for i, n := h&c.mask, 0; n <= int(c.mask); i, n = (i+1)&c.mask, n+1 {
		e := c.slots[i].Load()
		if e == nil {
			return nil
		}
		if e.hash == h && equal(e.key, key, nameLen) {
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
