package mplrt

import (
	"encoding/binary"
	"strconv"
)

// DNS domain names (RFC 1035 sections 3.1 and 4.1.4).

// Name is a domain name inside a DNS message, without a copy: the
// message and the offset where the name starts. The name may end in a
// compression pointer, which Name's methods follow back into the message.
//
// Names come from [DNSName.Value] and [DNSNameNoComp.Value] (names in a
// parsed message), [NameFromText], [MustName] and [NameFromWire]. The zero
// Name is no name: its methods behave as for an empty one (Len 0, String
// "", Equal false) and Append rejects it, as they do for a Name over bytes
// that Size rejects (whose Labels stop at the fault). Names are compared
// with [Name.Equal], not ==.
type Name struct {
	msg []byte
	off int
}

// maxNamePointers is how many compression pointers a name may take.
const maxNamePointers = 127

var (
	errNameMissing     = NewReason(KindTruncated, "dns name: missing")
	errNameNoLength    = NewReason(KindTruncated, "dns name: label length byte missing")
	errNameLabelPast   = NewReason(KindTruncated, "dns name: label runs past the end")
	errNamePtrShort    = NewReason(KindTruncated, "dns name: pointer runs past the end")
	errNameLong        = NewReason(KindMax, "dns name: longer than 255 bytes")
	errNameLabelLong   = NewReason(KindMax, "dns name: label longer than 63 bytes")
	errNameType40      = NewReason(KindValue, "dns name: extended label type 0x40 (or a length over 63)")
	errNameType80      = NewReason(KindValue, "dns name: reserved label type 0x80")
	errNamePtrNoComp   = NewReason(KindValue, "dns name: compression pointer not allowed")
	errNamePtrPastEnd  = NewReason(KindValue, "dns name: pointer points past the end")
	errNamePtrForward  = NewReason(KindValue, "dns name: pointer does not point back")
	errNamePtrOwn      = NewReason(KindValue, "dns name: pointer points into the labels that hold it")
	errNamePtrOverlap  = NewReason(KindValue, "dns name: pointer target runs into the name that points to it")
	errNamePtrMany     = NewReason(KindValue, "dns name: more than 127 pointers")
	errNameZero        = NewReason(KindValue, "dns name: zero Name")
	errNameTrailing    = NewReason(KindLength, "dns name: bytes after the root label")
	errNameEmptyLabel  = NewReason(KindValue, "dns name: empty label")
	errNameBadEscape   = NewReason(KindValue, "dns name: bad escape")
	errNameEmptyString = NewReason(KindValue, "dns name: empty string")
)

// nameReader reads a name's labels, following pointers, and checks the
// rules of DNSName.Size as it goes.
type nameReader struct {
	msg   []byte
	p     int // the next length byte
	limit int // every byte read lies before limit
	run   int // where the current run of labels starts
	ptr   int // the pointer that led to the current run
	end   int // where the name ends in place; 0 until known
	wire  int // the uncompressed length so far, with the root byte
	hops  int // pointers followed
	bad   *Reason
	at    int // the offset of the byte bad is about
}

func (r *nameReader) init(msg []byte, off int) {
	*r = nameReader{msg: msg, p: off, limit: len(msg), run: off, wire: 1}
}

// next returns the next label, aliasing msg, or ok == false at the root
// label or, with r.bad set, at a fault. It must not be called again after
// it has returned false. comp says whether pointers are allowed.
func (r *nameReader) next(comp bool) (label []byte, ok bool) {
	for {
		p := r.p
		if uint(p) >= uint(r.limit) {
			return nil, r.cut(errNameNoLength, p)
		}
		c := int(r.msg[p])
		switch c >> 6 {
		case 0:
			if c == 0 {
				if r.end == 0 {
					r.end = p + 1
				}
				return nil, false
			}
			if c >= r.limit-p {
				return nil, r.cut(errNameLabelPast, p)
			}
			if r.wire += 1 + c; r.wire > 255 {
				return nil, r.fail(errNameLong, p)
			}
			r.p = p + 1 + c
			return r.msg[p+1 : p+1+c : p+1+c], true
		case 3:
			if !comp {
				return nil, r.fail(errNamePtrNoComp, p)
			}
			if r.limit-p < 2 {
				return nil, r.cut(errNamePtrShort, p)
			}
			t := (c&0x3f)<<8 | int(r.msg[p+1])
			if r.end == 0 {
				r.end = p + 2
			}
			switch {
			case t >= len(r.msg):
				return nil, r.fail(errNamePtrPastEnd, p)
			case t > p:
				return nil, r.fail(errNamePtrForward, p)
			case t >= r.run:
				return nil, r.fail(errNamePtrOwn, p)
			case r.hops >= maxNamePointers:
				return nil, r.fail(errNamePtrMany, p)
			}
			r.hops++
			r.limit, r.run, r.p, r.ptr = r.run, t, t, p
		case 1:
			return nil, r.fail(errNameType40, p)
		default:
			return nil, r.fail(errNameType80, p)
		}
	}
}

// cut records a read past r.limit: the end of the message in the name's
// own first run, or else the start of the run whose pointer led here.
func (r *nameReader) cut(reason *Reason, p int) bool {
	if r.hops > 0 {
		return r.fail(errNamePtrOverlap, r.ptr)
	}
	return r.fail(reason, p)
}

func (r *nameReader) fail(reason *Reason, at int) bool {
	r.bad, r.at = reason, at
	return false
}

// skip reads the whole name; it reports whether the name is valid.
func (r *nameReader) skip(comp bool) bool {
	for {
		if _, ok := r.next(comp); !ok {
			return r.bad == nil
		}
	}
}

// scanName reads the name at msg[off] as nameReader does, with the same
// checks, and returns where it ends in place and its uncompressed length
// (with the root byte); ok is false if the name is invalid, and then
// nameReader tells why. It is the fast path of Size and Len: its state
// stays in registers.
func scanName(msg []byte, off int, comp bool) (end, wire int, ok bool) {
	p, limit, run, hops := off, len(msg), off, 0
	wire = 1
	for {
		if uint(p) >= uint(limit) || uint(limit) > uint(len(msg)) {
			return 0, 0, false
		}
		c := int(msg[p])
		switch {
		case c == 0:
			if end == 0 {
				end = p + 1
			}
			return end, wire, true
		case c < 0x40:
			if c >= limit-p {
				return 0, 0, false
			}
			if wire += 1 + c; wire > 255 {
				return 0, 0, false
			}
			p += 1 + c
		case c >= 0xc0 && comp:
			if limit-p < 2 || uint(p+1) >= uint(len(msg)) {
				return 0, 0, false
			}
			t := (c&0x3f)<<8 | int(msg[p+1])
			if end == 0 {
				end = p + 2
			}
			if t >= run || hops >= maxNamePointers {
				return 0, 0, false
			}
			hops++
			limit, run, p = run, t, t
		default:
			return 0, 0, false
		}
	}
}

// nameSize is DNSName.Size, and DNSNameNoComp.Size with comp false.
func nameSize(msg []byte, off int, comp bool) (int, error) {
	if uint(off) >= uint(len(msg)) {
		return 0, errNameMissing
	}
	if end, _, ok := scanName(msg, off, comp); ok {
		return end - off, nil
	}
	var r nameReader
	r.init(msg, off)
	if !r.skip(comp) {
		return 0, r.bad.At(r.at)
	}
	return r.end - off, nil
}

// DNSName is a domain name that may end in a compression pointer
// (dns_label_comp in specs; RFC 1035 section 4.1.4). Its value is a
// [Name] that follows pointers back into the message; its text is the
// name in presentation format, as in "www.example.com.". Append writes
// the name uncompressed; [NameTable.Append] compresses.
//
// On the wire a name is a run of labels, each a length byte of 1 to 63
// and that many bytes, ended by the root label (a zero byte) or by a
// compression pointer: two bytes whose top bits are 11 and whose other 14
// bits are the offset in the message where the rest of the name starts.
// Length bytes with top bits 01 (the extended label type 0x40 of RFC 6891
// section 6.2; a "length" of 64 to 127 reads as one) and 10 (reserved)
// are rejected. Size also requires, pointers followed:
//
//   - that the name uncompressed (labels with their length bytes, and the
//     root byte) is at most 255 bytes long;
//   - that a pointer points strictly before the start of the run of
//     labels that holds it, and that the run it points to ends before
//     that start too: what a pointer refers to lies wholly before it, as
//     in what every encoder writes, so the name's bytes all lie before
//     off+n, and reading a name ends;
//   - that at most 127 pointers are followed.
//
// Reading a name thus takes at most 127 labels and 127 pointers.
type DNSName struct{}

// DNSNameNoComp is a domain name that is written without compression
// pointers (dns_label in specs; RFC 1035 section 3.1), for the places
// where senders must not compress, such as the data of record types newer
// than RFC 1035 (RFC 3597 section 4; SRV, RFC 2782). Receivers decompress
// such names all the same (RFC 3597 section 4 asks it for RP, AFSDB, RT,
// SIG, PX, NXT, NAPTR and SRV; miekg/dns and dnsmessage do it): Size
// reads a name as [DNSName.Size] does, pointers followed, while Append and
// AppendCtx write it whole.
type DNSNameNoComp struct{}

// ValueKind returns [ValueView].
func (DNSName) ValueKind() ValueKind { return ValueView }

// Size returns how many bytes the name at msg[off] takes in place: its
// labels up to and including the root byte, or up to and including the
// 2-byte pointer that ends it. It checks the whole name, pointers
// followed. An off outside msg gives a plain [Reason]; other faults come
// from [Reason.At] with the offset of the bad length byte or pointer
// (for a target that runs into the name that points to it, that pointer;
// for a missing byte, where it should be).
func (DNSName) Size(msg []byte, off int) (int, error) { return nameSize(msg, off, true) }

// Skip returns how many bytes the name at msg[off] takes in place, as
// Size does for a name it accepts, but without checking the name or
// following its pointer: it reads the labels up to the root byte or the
// pointer that ends the name. Generated iterators use it to step over a
// name that Parse has checked. It reads no byte outside msg, and returns
// -1 where Size would fail for want of bytes or on a label type other
// than a length or a pointer.
func (DNSName) Skip(msg []byte, off int) int { return skipName(msg, off) }

func skipName(msg []byte, off int) int {
	for p := off; uint(p) < uint(len(msg)); {
		switch c := int(msg[p]); {
		case c == 0:
			return p + 1 - off
		case c < 0x40:
			p += 1 + c
		case c >= 0xc0 && p+1 < len(msg):
			return p + 2 - off
		default:
			return -1
		}
	}
	return -1
}

// Value returns the name at msg[off]: Name over msg, which pointers
// index.
func (DNSName) Value(msg []byte, off, n int) Name { return Name{msg: msg, off: off} }

// Append appends v uncompressed. An invalid v (the zero Name) leaves dst
// as it is and returns an error.
func (DNSName) Append(dst []byte, v Name) ([]byte, error) { return v.appendWire(dst) }

// AppendText appends the name in presentation format, as [Name.AppendText].
func (DNSName) AppendText(dst []byte, msg []byte, off, n int) []byte {
	return Name{msg: msg, off: off}.AppendText(dst)
}

// ValueKind returns [ValueView].
func (DNSNameNoComp) ValueKind() ValueKind { return ValueView }

// Size returns how many bytes the name at msg[off] takes in place, as
// [DNSName.Size] does: a pointer that ends it is followed and checked.
func (DNSNameNoComp) Size(msg []byte, off int) (int, error) { return nameSize(msg, off, true) }

// Skip returns how many bytes a name that Size accepted takes in place,
// as [DNSName.Skip] does.
func (DNSNameNoComp) Skip(msg []byte, off int) int { return skipName(msg, off) }

// Value returns the name at msg[off].
func (DNSNameNoComp) Value(msg []byte, off, n int) Name { return Name{msg: msg, off: off} }

// Append appends v uncompressed; v itself may hold pointers, which are
// followed. An invalid v leaves dst as it is and returns an error.
func (DNSNameNoComp) Append(dst []byte, v Name) ([]byte, error) { return v.appendWire(dst) }

// AppendText appends the name in presentation format, as [Name.AppendText].
func (DNSNameNoComp) AppendText(dst []byte, msg []byte, off, n int) []byte {
	return Name{msg: msg, off: off}.AppendText(dst)
}

// Msg returns the message the name lies in.
func (n Name) Msg() []byte { return n.msg }

// Offset returns where in Msg the name starts.
func (n Name) Offset() int { return n.off }

func (n Name) reader() nameReader {
	var r nameReader
	r.init(n.msg, n.off)
	return r
}

// Labels returns an iterator over the name's labels, first to last,
// without the root label. It stops early at a fault of an invalid name.
func (n Name) Labels() NameLabels { return NameLabels{r: n.reader()} }

// NameLabels iterates over the labels of a [Name].
type NameLabels struct {
	r    nameReader
	done bool
}

// Next returns the next label, its bytes aliasing the message (with their
// capacity cut so that appending to them copies), or ok == false after
// the last one.
func (l *NameLabels) Next() (label []byte, ok bool) {
	if l.done {
		return nil, false
	}
	if label, ok = l.r.next(true); !ok {
		l.done = true
	}
	return label, ok
}

// IsRoot reports whether n is the root name, ".".
func (n Name) IsRoot() bool {
	r := n.reader()
	_, ok := r.next(true)
	return !ok && r.bad == nil
}

// NumLabels returns how many labels n has, not counting the root label:
// 0 for the root, 3 for "www.example.com.".
func (n Name) NumLabels() int {
	r := n.reader()
	k := 0
	for {
		if _, ok := r.next(true); !ok {
			break
		}
		k++
	}
	if r.bad != nil {
		return 0
	}
	return k
}

// Len returns the length of n's uncompressed wire form: its labels with
// their length bytes, and the root byte; 1 to 255, or 0 if n is invalid.
func (n Name) Len() int {
	if _, wire, ok := scanName(n.msg, n.off, true); ok {
		return wire
	}
	return 0
}

// AppendWire appends n's uncompressed wire form (nothing if n is
// invalid).
func (n Name) AppendWire(dst []byte) []byte {
	dst, _ = n.appendWire(dst)
	return dst
}

func (n Name) appendWire(dst []byte) ([]byte, error) {
	if n.msg == nil {
		return dst, errNameZero
	}
	start := len(dst)
	r := n.reader()
	for {
		label, ok := r.next(true)
		if !ok {
			break
		}
		dst = append(dst, byte(len(label)))
		dst = append(dst, label...)
	}
	if r.bad != nil {
		return dst[:start], r.bad
	}
	return append(dst, 0), nil
}

// nameEscape says how AppendText writes each byte of a label: as it is
// (0), after a backslash (1), or as \DDD in decimal (2). The bytes with
// a backslash are those miekg/dns escapes, so that the text is what it
// and dig print.
var nameEscape = func() (t [256]uint8) {
	for c := range t {
		if c < 0x20 || c > 0x7e {
			t[c] = 2
		}
	}
	for _, c := range `. '@;()"\` {
		t[c] = 1
	}
	return t
}()

// AppendText appends n in presentation format (RFC 1035 section 5.1):
// its labels, each followed by a dot, as in "www.example.com.", or "."
// for the root. In labels, the bytes . space ' @ ; ( ) " and \ are
// written after a backslash, and bytes outside printable ASCII as \DDD,
// three decimal digits, as dig and miekg/dns print them. An invalid n
// appends nothing.
func (n Name) AppendText(dst []byte) []byte {
	start := len(dst)
	r := n.reader()
	for {
		label, ok := r.next(true)
		if !ok {
			break
		}
		for _, c := range label {
			switch nameEscape[c] {
			case 0:
				dst = append(dst, c)
			case 1:
				dst = append(dst, '\\', c)
			default:
				dst = append(dst, '\\', '0'+c/100, '0'+c/10%10, '0'+c%10)
			}
		}
		dst = append(dst, '.')
	}
	if r.bad != nil {
		return dst[:start]
	}
	if len(dst) == start {
		dst = append(dst, '.')
	}
	return dst
}

// String returns n in presentation format, as AppendText writes it.
func (n Name) String() string {
	var buf [128]byte
	return string(n.AppendText(buf[:0]))
}

// lower returns c in lower case if it is an ASCII letter.
func lower(c byte) byte {
	if c-'A' < 26 {
		return c + 'a' - 'A'
	}
	return c
}

// equalFold reports whether a and b are equal ignoring ASCII case.
func equalFold(a, b []byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i, c := range a {
		if lowerTab[c] != lowerTab[b[i]] {
			return false
		}
	}
	return true
}

// Equal reports whether n and m are the same name, comparing ASCII
// letters without regard to case (RFC 4343) and following pointers on
// both sides. An invalid name equals no name, itself included.
func (n Name) Equal(m Name) bool {
	a, b := n.reader(), m.reader()
	for {
		x, okx := a.next(true)
		y, oky := b.next(true)
		if okx != oky || !equalFold(x, y) {
			return false
		}
		if !okx {
			return a.bad == nil && b.bad == nil
		}
	}
}

// NameFromText parses s, a name in presentation format such as
// "www.example.com." (the final dot may be left out) or "." for the
// root, into a new uncompressed wire form. In labels, \DDD (three
// decimal digits, at most 255) stands for that byte and \ before any
// other byte for the byte itself. Empty labels, labels over 63 bytes and
// names over 255 bytes in wire form are errors.
func NameFromText(s string) (Name, error) {
	var buf [255]byte
	n, err := parseName(&buf, s)
	if err != nil {
		return Name{}, err
	}
	b := make([]byte, n)
	copy(b, buf[:n])
	return Name{msg: b}, nil
}

// parseName writes the wire form of the name s in presentation format
// to buf, and returns its length.
func parseName(buf *[255]byte, s string) (int, error) {
	switch s {
	case "":
		return 0, errNameEmptyString
	case ".":
		buf[0] = 0
		return 1, nil
	}
	lp, w := 0, 1 // the current label's length byte, and the next byte
	for i := 0; i < len(s); {
		c := s[i]
		i++
		switch c {
		case '.':
			if w == lp+1 {
				return 0, errNameEmptyLabel
			}
			if w >= len(buf) {
				return 0, errNameLong
			}
			buf[lp] = byte(w - lp - 1)
			lp, w = w, w+1
			continue
		case '\\':
			if i >= len(s) {
				return 0, errNameBadEscape
			}
			c = s[i]
			i++
			if c-'0' < 10 {
				if len(s)-i < 2 || s[i]-'0' >= 10 || s[i+1]-'0' >= 10 {
					return 0, errNameBadEscape
				}
				v := int(c-'0')*100 + int(s[i]-'0')*10 + int(s[i+1]-'0')
				if v > 255 {
					return 0, errNameBadEscape
				}
				c = byte(v)
				i += 2
			}
		}
		if w-lp > 63 {
			return 0, errNameLabelLong
		}
		if w >= len(buf) {
			return 0, errNameLong
		}
		buf[w] = c
		w++
	}
	if w > lp+1 { // the last label, with no dot after it
		if w >= len(buf) {
			return 0, errNameLong
		}
		buf[lp] = byte(w - lp - 1)
		lp = w
	}
	buf[lp] = 0
	return lp + 1, nil
}

// MustName is [NameFromText] for names known to be good, such as
// constants: it panics if s does not parse.
func MustName(s string) Name {
	n, err := NameFromText(s)
	if err != nil {
		panic("mplrt: MustName(" + strconv.Quote(s) + "): " + err.Error())
	}
	return n
}

// NameFromWire returns the name whose uncompressed wire form is b, which
// must hold exactly one name, without pointers. The Name aliases b.
func NameFromWire(b []byte) (Name, error) {
	n, err := nameSize(b, 0, false)
	if err != nil {
		return Name{}, err
	}
	if n != len(b) {
		return Name{}, errNameTrailing.At(n)
	}
	return Name{msg: b}, nil
}

// NameTable compresses the names of one message as they are appended to
// it (RFC 1035 section 4.1.4): it remembers where each suffix of the names
// written so far lies, if it lies within reach of a pointer (before
// offset 0x4000), and Append replaces the longest suffix of a new name
// that is already in the message by a pointer to it.
//
// A NameTable is a fixed-size table that allocates nothing; once it holds
// 768 suffixes it takes no more, which costs only compression. (A message
// of up to 1232 bytes, the EDNS0 size of DNS Flag Day 2020, holds at most
// 616 labels, so all of its suffixes fit.) Its zero
// value is ready for a message that starts at dst[0]; [NameTable.Reset]
// starts a new message. A builder that owns one calls Reset(len(dst))
// before it appends the message's first byte.
type NameTable struct {
	start int
	n     int
	slots [nameTableSlots]nameSlot
	// recent are the last names appended without pointers and in at
	// most 32 bytes, by the address of their bytes, with those bytes and
	// where each was written: appending the same Name again (an owner
	// name shared by the records of a set) writes a pointer after
	// comparing the bytes, without a search.
	recent [nameRecent]recentName
	next   int // the entry of recent to replace next
	// Scratch space of appendSearch, here so that it is not cleared for
	// each name: where each label of the name starts, and the hash of
	// the suffix from there.
	pos  [maxNameLabels]uint8
	hash [maxNameLabels]uint32
}

type recentName struct {
	at    *byte // &n.msg[n.off]; nil if free
	n     int   // the name's length
	words recentWords
	off   int // where the name starts in the message
}

const (
	nameRecent    = 4
	maxRecentName = 48
)

// recentWords are a recent name's bytes, zero-padded, as words: they
// compare in a few loads.
type recentWords [maxRecentName / 8]uint64

// wordsOf returns b, at most maxRecentName bytes, as recentWords.
func wordsOf(b []byte) (w recentWords) {
	var buf [maxRecentName]byte
	copy(buf[:], b)
	for i := range w {
		w[i] = binary.LittleEndian.Uint64(buf[8*i:])
	}
	return w
}

const (
	nameTableSlots = 1024
	nameTableMax   = 768
	maxNameLabels  = 127 // in 255 bytes
	pointerReach   = 0x4000
)

// nameSlot is a suffix in a NameTable: the top 16 bits of its hash, and
// its offset in the message plus 1 (0 marks a free slot), which is at most
// pointerReach and so fits in the low 16 bits.
type nameSlot uint32

func (e nameSlot) off() int { return int(e&0xffff) - 1 }

// Reset empties t for a new message that starts at dst[start], so that
// pointers count from there.
func (t *NameTable) Reset(start int) {
	if t.n > 0 {
		t.slots = [nameTableSlots]nameSlot{}
	}
	t.n, t.start = 0, start
	t.recent, t.next = [nameRecent]recentName{}, 0
}

// The hash of a name's suffix runs over its labels, last to first,
// mixing in each label's length and its first and last four bytes (all
// of a shorter label), each byte with bit 0x20 set so that case does not
// count; the root has hash nameHashSeed. It need not tell names apart:
// a match is checked against the message's bytes.
const (
	nameHashSeed  = 2166136261
	nameHashPrime = 16777619
)

func hashLabel(h uint32, label []byte) uint32 {
	var a, z uint32
	if n := len(label); n >= 4 {
		a = uint32(label[0]) | uint32(label[1])<<8 | uint32(label[2])<<16 | uint32(label[3])<<24
		z = uint32(label[n-4]) | uint32(label[n-3])<<8 | uint32(label[n-2])<<16 | uint32(label[n-1])<<24
	} else {
		for _, c := range label {
			a = a<<8 | uint32(c)
		}
	}
	h = (h ^ uint32(len(label))) * nameHashPrime
	h = (h ^ (a | 0x20202020)) * nameHashPrime
	return (h ^ (z | 0x20202020)) * nameHashPrime
}

// lowerTab maps ASCII upper-case letters to lower case and every other
// byte to itself.
var lowerTab = func() (t [256]byte) {
	for c := range t {
		t[c] = lower(byte(c))
	}
	return t
}()

func nameSlotOf(h uint32) uint32 { return (h * 0x9e3779b1) >> (32 - 10) } // 10 bits: nameTableSlots

// Append appends n to dst, which holds the message from dst[start] of
// the last Reset, replacing the longest suffix of n that the table knows
// by a pointer to it. Suffixes match when their labels are equal ignoring
// ASCII case, as checked against the bytes in dst; a match reuses the
// earlier suffix's case. It then records the suffixes it wrote out. The
// same Name appended again (one over the same address as one of the last
// few appended, and equal to it) becomes a pointer to where it was
// written without a search of the table. An
// invalid n leaves dst as it is and returns an error, as [DNSName.Append]
// does. If dst is shorter than start, Append writes n uncompressed.
func (t *NameTable) Append(dst []byte, n Name) ([]byte, error) {
	return t.append(dst, n, true)
}

// AppendNoComp appends n to dst uncompressed, as [DNSNameNoComp] names
// are written, and records its suffixes so that later names can point to
// them.
func (t *NameTable) AppendNoComp(dst []byte, n Name) ([]byte, error) {
	return t.append(dst, n, false)
}

// append is Append, and with comp false AppendNoComp.
func (t *NameTable) append(dst []byte, n Name, comp bool) ([]byte, error) {
	if comp && uint(n.off) < uint(len(n.msg)) && t.start >= 0 && t.start <= len(dst) {
		at := &n.msg[n.off]
		for i := range t.recent {
			// (The bytes behind n may have changed since: they are
			// compared. A recent name has no pointer, so its bytes are
			// the whole name.)
			r := &t.recent[i]
			if r.at == at && r.n <= len(n.msg)-n.off && wordsOf(n.msg[n.off:n.off+r.n]) == r.words {
				return append(dst, 0xc0|byte(r.off>>8), byte(r.off)), nil
			}
		}
	}
	return t.appendSearch(dst, n, comp)
}

// appendSearch is append for a name that is not a recent one.
func (t *NameTable) appendSearch(dst []byte, n Name, comp bool) ([]byte, error) {
	var (
		pos, hash = &t.pos, &t.hash
		k         int
		w         []byte // n uncompressed
	)
	end, size, ok := scanName(n.msg, n.off, true)
	switch {
	case !ok:
		_, err := n.appendWire(nil)
		if err == nil { // (scanName and the reader agree: not reached)
			err = errNameZero
		}
		return dst, err
	case end-n.off == size && uint(end) <= uint(len(n.msg)):
		w = n.msg[n.off:end] // no pointers: in place
	default:
		var buf [255]byte
		w, _ = n.appendWire(buf[:0])
	}
	base := t.start
	if base < 0 || base > len(dst) {
		return append(dst, w...), nil
	}
	for p := 0; p < len(w) && w[p] != 0 && k < len(pos); k++ {
		pos[k] = uint8(p)
		p += 1 + int(w[p])
	}
	h := uint32(nameHashSeed)
	for i := k - 1; i >= 0; i-- {
		p := int(pos[i])
		if p+1+int(w[p]) > len(w) {
			return append(dst, w...), nil // (w is a valid name: not reached)
		}
		h = hashLabel(h, w[p+1:p+1+int(w[p])])
		hash[i] = h
	}
	// The longest known suffix.
	match, ptr := k, 0
	if comp && t.n > 0 {
		m := dst[base:]
		for i := 0; i < k; i++ {
			if o, ok := t.find(hash[i], m, w[pos[i]:]); ok {
				match, ptr = i, o
				break
			}
		}
	}
	for i := 0; i < match; i++ {
		if o := len(dst) - base + int(pos[i]); o < pointerReach {
			t.add(hash[i], o)
		}
	}
	if o := len(dst) - base; k > 0 && len(w) <= maxRecentName && end-n.off == len(w) && (match == 0 || o < pointerReach) {
		// A name without pointers (w is in place), short enough to keep.
		if match == 0 {
			o = ptr // the name is all there
		}
		t.recent[t.next] = recentName{at: &n.msg[n.off], n: len(w), words: wordsOf(w), off: o}
		t.next = (t.next + 1) % nameRecent
	}
	if match < k {
		dst = append(dst, w[:pos[match]]...)
		return append(dst, 0xc0|byte(ptr>>8), byte(ptr)), nil
	}
	return append(dst, w...), nil
}

// find returns the offset in m of a recorded suffix with hash h that
// equals the uncompressed name w, ignoring ASCII case.
func (t *NameTable) find(h uint32, m, w []byte) (int, bool) {
	tag := nameSlot(h>>16) << 16
	for s := nameSlotOf(h); ; s = (s + 1) % nameTableSlots {
		e := t.slots[s]
		if e == 0 {
			return 0, false
		}
		if e&^0xffff == tag && sameName(m, e.off(), w) {
			return e.off(), true
		}
	}
}

// sameName reports whether the name at m[o], pointers followed, equals the
// uncompressed valid name w, ignoring ASCII case. It reads no byte
// outside m and follows at most maxNamePointers pointers.
func sameName(m []byte, o int, w []byte) bool {
	hops := 0
	for i := 0; ; {
		if uint(o) >= uint(len(m)) || i >= len(w) {
			return false
		}
		c := int(m[o])
		if c >= 0xc0 {
			if o+1 >= len(m) || hops >= maxNamePointers {
				return false
			}
			t := (c&0x3f)<<8 | int(m[o+1])
			if t >= o {
				return false
			}
			o = t
			hops++
			continue
		}
		if c != int(w[i]) || c >= 0x40 || o+1+c > len(m) || i+1+c > len(w) {
			return false
		}
		if c == 0 {
			return true
		}
		a, b := m[o+1:o+1+c], w[i+1:i+1+c]
		for j := range a {
			if lowerTab[a[j]] != lowerTab[b[j]] {
				return false
			}
		}
		o += 1 + c
		i += 1 + c
	}
}

// add records a suffix with hash h at offset o, if there is room.
func (t *NameTable) add(h uint32, o int) {
	if t.n >= nameTableMax {
		return
	}
	s := nameSlotOf(h)
	for t.slots[s] != 0 {
		s = (s + 1) % nameTableSlots
	}
	t.slots[s] = nameSlot(h>>16)<<16 | nameSlot(o+1)
	t.n++
}

// AppendCtx appends v as a builder does with the context of the message
// it builds: compressed against the names t has recorded, or uncompressed
// when t is nil (an element built on its own, which does not know where
// its message starts).
func (DNSName) AppendCtx(dst []byte, v Name, t *NameTable) ([]byte, error) {
	if t == nil {
		return v.appendWire(dst)
	}
	return t.Append(dst, v)
}

// AppendCtx appends v uncompressed; with t, it records v's suffixes for
// the names after it to point to.
func (DNSNameNoComp) AppendCtx(dst []byte, v Name, t *NameTable) ([]byte, error) {
	if t == nil {
		return v.appendWire(dst)
	}
	return t.AppendNoComp(dst, v)
}

// Both name types implement the contract.
var (
	_ WireType[Name] = DNSName{}
	_ WireType[Name] = DNSNameNoComp{}
)
