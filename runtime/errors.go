package mplrt

import (
	"errors"
	"strconv"
	"sync/atomic"
	"unsafe"
)

// Kind classifies why a packet failed validation.
type Kind uint8

// The failure classes reported by generated validators. The zero Kind is
// not a valid class; it prints as "kind(0)".
const (
	// KindTruncated: the buffer is shorter than the field needs.
	KindTruncated Kind = iota + 1
	// KindConst: a field that must hold a constant holds another value.
	KindConst
	// KindMin: a field is below its minimum.
	KindMin
	// KindMax: a field is above its maximum.
	KindMax
	// KindLength: a length field disagrees with the buffer or with
	// another field.
	KindLength
	// KindAlign: a field or length is not a multiple of its required
	// alignment.
	KindAlign
	// KindClassify: no branch of a choice matched, or a guard failed.
	KindClassify
	// KindValue: some other constraint on a field's value failed.
	KindValue
	// KindChecksum: a checksum does not verify.
	KindChecksum
)

var kindNames = [...]string{
	KindTruncated: "truncated",
	KindConst:     "const",
	KindMin:       "min",
	KindMax:       "max",
	KindLength:    "length",
	KindAlign:     "align",
	KindClassify:  "classify",
	KindValue:     "value",
	KindChecksum:  "checksum",
}

// String returns the lowercase name of k, such as "truncated" or "min",
// or "kind(N)" for a value that is not one of the declared constants.
func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// kindError is the type of the per-Kind sentinels.
type kindError Kind

func (k kindError) Error() string { return "mplrt: " + Kind(k).String() }

// Sentinels, one per Kind. Every error returned by [Site.At], and every
// [Error] value, matches the sentinel of its Kind under errors.Is:
//
//	if errors.Is(err, mplrt.ErrTruncated) { ... need more bytes ... }
var (
	ErrTruncated error = kindError(KindTruncated) // matches KindTruncated failures
	ErrConst     error = kindError(KindConst)     // matches KindConst failures
	ErrMin       error = kindError(KindMin)       // matches KindMin failures
	ErrMax       error = kindError(KindMax)       // matches KindMax failures
	ErrLength    error = kindError(KindLength)    // matches KindLength failures
	ErrAlign     error = kindError(KindAlign)     // matches KindAlign failures
	ErrClassify  error = kindError(KindClassify)  // matches KindClassify failures
	ErrValue     error = kindError(KindValue)     // matches KindValue failures
	ErrChecksum  error = kindError(KindChecksum)  // matches KindChecksum failures
)

// isKind reports whether target is the sentinel for k.
func isKind(target error, k Kind) bool {
	t, ok := target.(kindError)
	return ok && Kind(t) == k
}

// Error is the exported, inspectable form of a validation failure. Errors
// returned by [Site.At] are not of this type (so that they need no
// allocation), but they fill an Error under errors.As:
//
//	var e mplrt.Error
//	if errors.As(err, &e) {
//		log.Printf("bad %s.%s at byte %d", e.Packet, e.Field, e.Offset)
//	}
type Error struct {
	Packet     string // name of the packet (message) being parsed
	Field      string // name of the field whose check failed
	Offset     int    // byte offset of the field within the packet
	Kind       Kind   // failure class
	Constraint string // the constraint as written in the spec, if any
	// Reason is a custom wire type's own explanation, such as
	// "string8: length runs past the end"; see [Reason] and [Site.Wrap].
	Reason string
}

// Error formats e as "packet: field at offset N: kind: constraint: reason",
// for example "ipv4: total_length at offset 2: min: total_length >= ihl*4"
// or "dns: qname at offset 12: truncated: string8: length runs past the
// end". Empty parts are left out together with their separators.
func (e Error) Error() string {
	var buf [128]byte
	b := buf[:0]
	if e.Packet != "" {
		b = append(b, e.Packet...)
	}
	if e.Field != "" {
		if len(b) > 0 {
			b = append(b, ": "...)
		}
		b = append(b, e.Field...)
	}
	if len(b) > 0 {
		b = append(b, ' ')
	}
	b = append(b, "at offset "...)
	b = strconv.AppendInt(b, int64(e.Offset), 10)
	b = append(b, ": "...)
	b = append(b, e.Kind.String()...)
	if e.Constraint != "" {
		b = append(b, ": "...)
		b = append(b, e.Constraint...)
	}
	if e.Reason != "" {
		b = append(b, ": "...)
		b = append(b, e.Reason...)
	}
	return string(b)
}

// Is reports whether target is the sentinel of e's Kind (see [ErrTruncated]).
func (e Error) Is(target error) bool { return isKind(target, e.Kind) }

// A Site is one check in generated code: a packet, a field, a failure
// Kind and the constraint text. Sites are created once, at package
// initialization, with [NewSite]; a Site must not be copied after its
// first use.
type Site struct {
	packet     string
	field      string
	constraint string
	kind       Kind
	table      atomic.Pointer[chunkTable]

	// reason is set on the sites that Wrap derives from a site, one per
	// Reason, and on the site inside a Reason itself.
	reason *Reason
	// derived heads the list of sites Wrap derived from this one; next
	// links that list. Apart from its error table, a derived site does
	// not change once published.
	derived atomic.Pointer[Site]
	next    *Site
}

// A Need is one field of a run of fixed fields, for [Truncated]: the
// field's site, its offset in the run, and the bytes the run must have for
// the field to fit.
type Need struct {
	Site     *Site
	Off, End int
}

// Truncated returns the error for a run of fixed fields at byte offset at
// of which only n bytes are present: the error of the first field in
// needs, which lists the run's fields in order, that does not fit (the
// last when none of the others is cut). Generated parsers call it on
// their cold path, so that a run's many truncation errors cost one call.
func Truncated(needs []Need, n, at int) error {
	for i := range needs {
		if x := &needs[i]; n < x.End || i == len(needs)-1 {
			return x.Site.At(at + x.Off)
		}
	}
	return nil
}

// NewSite returns the site for a check of field in packet that fails with
// kind; constraint is the check's source text (may be empty). Generated
// code calls it in package-level variable declarations:
//
//	var errIPv4TotalLength = mplrt.NewSite("ipv4", "total_length", mplrt.KindMin, "total_length >= ihl*4")
func NewSite(packet, field string, kind Kind, constraint string) *Site {
	return &Site{packet: packet, field: field, constraint: constraint, kind: kind}
}

// errorAt returns the failure at site s and byte offset off as an [Error].
func (s *Site) errorAt(off int) Error {
	e := Error{Packet: s.packet, Field: s.field, Offset: off, Kind: s.kind, Constraint: s.constraint}
	if s.reason != nil {
		e.Reason = s.reason.text
	}
	return e
}

// Allocation-free errors.
//
// Offsets in [0, maxOffset) are split into chunks of chunkSize. A chunk
// is allocated the first time one of its offsets is reported, and holds a
// back pointer to its site, its first offset, and chunkSize one-byte
// slots; slot i holds the value i. The error for offset off is the
// pointer &chunk.slots[off%chunkSize]: a pointer fits in an interface
// without allocation, and from it the methods recover the slot index (the
// byte it points to) and hence the chunk start (by going back index bytes
// and the offset of the slots field, all within one allocation), and
// from the chunk the site and the offset. Chunks are published with
// atomic compare-and-swap after they are fully initialized and never
// change afterwards.
const (
	maxOffset  = 1 << 16
	chunkBits  = 8
	chunkSize  = 1 << chunkBits
	chunkCount = maxOffset / chunkSize
)

type chunkTable [chunkCount]atomic.Pointer[chunk]

type chunk struct {
	site  *Site
	base  int
	slots [chunkSize]errAt
}

// errAt is one slot of a chunk; its value is its own index in the chunk.
type errAt uint8

const slotsOffset = unsafe.Offsetof(chunk{}.slots)

// At returns the error for a failure of s at byte offset off. For
// 0 <= off < 65536 it does not allocate once the chunk of 256 offsets
// holding off has been used before at this site (the first use allocates
// about 300 bytes, plus a 2 KiB table on the site's first failure); other
// offsets get a heap-allocated [Error]. At is safe for concurrent use.
//
// The returned error formats like [Error.Error], fills an [Error] under
// errors.As, and matches the sentinel of the site's Kind under errors.Is.
// Errors for the same site and offset compare equal.
func (s *Site) At(off int) error {
	if uint(off) >= maxOffset {
		return s.errorAt(off)
	}
	t := s.table.Load()
	if t == nil {
		t = s.newTable()
	}
	slot := &t[(off>>chunkBits)&(chunkCount-1)]
	c := slot.Load()
	if c == nil {
		c = s.newChunk(slot, off&^(chunkSize-1))
	}
	return &c.slots[off&(chunkSize-1)]
}

//go:noinline
func (s *Site) newTable() *chunkTable {
	t := new(chunkTable)
	if s.table.CompareAndSwap(nil, t) {
		return t
	}
	return s.table.Load()
}

//go:noinline
func (s *Site) newChunk(slot *atomic.Pointer[chunk], base int) *chunk {
	c := &chunk{site: s, base: base}
	for j := range c.slots {
		c.slots[j] = errAt(j)
	}
	if slot.CompareAndSwap(nil, c) {
		return c
	}
	return slot.Load()
}

// chunk returns the chunk that e is a slot of.
func (e *errAt) chunk() *chunk {
	return (*chunk)(unsafe.Add(unsafe.Pointer(e), -(int(*e) + int(slotsOffset))))
}

func (e *errAt) value() Error {
	c := e.chunk()
	return c.site.errorAt(c.base + int(*e))
}

func (e *errAt) Error() string { return e.value().Error() }

// Is matches the sentinel of the site's Kind.
func (e *errAt) Is(target error) bool { return isKind(target, e.chunk().site.kind) }

// Unwrap returns the [Reason] of an error made by [Site.Wrap] or
// [Reason.At], so that errors.Is can test for a particular reason.
func (e *errAt) Unwrap() error {
	if r := e.chunk().site.reason; r != nil {
		return r
	}
	return nil
}

// As fills *Error targets.
func (e *errAt) As(target any) bool {
	if p, ok := target.(*Error); ok {
		*p = e.value()
		return true
	}
	return false
}

// Shift returns err with its byte offset moved by delta, for errors of an
// inner packet or array element reported within an outer one. Errors that
// are not positioned come back unchanged. It does not allocate for errors
// made by [Site.At] whose new offset is in [0, 65536).
func Shift(err error, delta int) error {
	switch e := err.(type) {
	case *errAt:
		c := e.chunk()
		return c.site.At(c.base + int(*e) + delta)
	case Error:
		e.Offset += delta
		return e
	case *wrapped:
		w := *e
		w.e.Offset += delta
		return &w
	}
	return err
}

// A Reason is why a custom wire type (see [WireType]) rejects bytes it
// parses or a value it encodes: a failure [Kind] and a short text that
// starts with the type's name, such as "string8: length runs past the
// end". A type declares its reasons once, as package-level variables made
// with [NewReason], and returns them as errors from Size and Append, which
// allocates nothing; generated code then turns them into positioned
// errors with [Site.Wrap]. A Reason must not be copied.
type Reason struct {
	site Site // packet and field empty, constraint empty, reason self
	text string
}

// NewReason returns a reason for failures of class kind explained by
// text. Call it in package-level variable declarations:
//
//	var errString8Past = mplrt.NewReason(mplrt.KindTruncated, "string8: length runs past the end")
func NewReason(kind Kind, text string) *Reason {
	r := &Reason{text: text}
	r.site.kind = kind
	r.site.reason = r
	return r
}

// Error returns the reason's text.
func (r *Reason) Error() string { return r.text }

// Is matches the sentinel of the reason's Kind, as errors of [Site.At] do.
func (r *Reason) Is(target error) bool { return isKind(target, r.site.kind) }

// Kind returns the reason's failure class.
func (r *Reason) Kind() Kind { return r.site.kind }

// At returns r positioned at byte offset off of the message a wire type's
// Size was given, for a type that can say more precisely than "the value
// at off" where the bad byte is (a DNS compression pointer, for example).
// [Site.Wrap] keeps that offset. Like [Site.At], it does not allocate for
// offsets in [0, 65536) once warmed up.
func (r *Reason) At(off int) error { return r.site.At(off) }

// Wrap returns the failure of s's field because of err, an error that a
// custom wire type's Size or Append returned for the value at byte offset
// off. The result names s's packet, field and constraint, the offset, and
// the reason's Kind and text (in [Error.Reason]); errors.Is matches the
// sentinel of the reason's Kind and the Reason itself. If err came from
// [Reason.At], its offset is used instead of off. Wrap(nil, off) is nil.
//
// For errors that are a [Reason] or come from [Reason.At] with an offset
// in [0, 65536), Wrap does not allocate once the (site, reason, offset
// chunk) has been used before, like [Site.At]. Any other error is wrapped
// in a new heap-allocated error that keeps s's Kind unless err matches a
// Kind sentinel, and that unwraps to err.
func (s *Site) Wrap(err error, off int) error {
	switch e := err.(type) {
	case nil:
		return nil
	case *Reason:
		return s.because(e).At(off)
	case *errAt:
		c := e.chunk()
		if r := c.site.reason; r != nil && c.site == &r.site {
			return s.because(r).At(c.base + int(*e))
		}
	}
	return s.wrapOther(err, off)
}

// because returns the site derived from s for failures because of r.
func (s *Site) because(r *Reason) *Site {
	for d := s.derived.Load(); d != nil; d = d.next {
		if d.reason == r {
			return d
		}
	}
	return s.addBecause(r)
}

//go:noinline
func (s *Site) addBecause(r *Reason) *Site {
	for {
		head := s.derived.Load()
		for d := head; d != nil; d = d.next {
			if d.reason == r {
				return d
			}
		}
		d := &Site{packet: s.packet, field: s.field, constraint: s.constraint, kind: r.site.kind, reason: r, next: head}
		if s.derived.CompareAndSwap(head, d) {
			return d
		}
	}
}

//go:noinline
func (s *Site) wrapOther(err error, off int) error {
	e := s.errorAt(off)
	e.Reason = err.Error()
	var inner Error
	if errors.As(err, &inner) && inner.Packet == "" && inner.Field == "" && inner.Reason != "" {
		// A Reason.At error beyond the allocation-free offsets.
		e.Offset, e.Kind, e.Reason = inner.Offset, inner.Kind, inner.Reason
	} else {
		for k := KindTruncated; int(k) < len(kindNames); k++ {
			if errors.Is(err, kindError(k)) {
				e.Kind = k
				break
			}
		}
	}
	return &wrapped{e: e, err: err}
}

// wrapped is what Wrap makes of errors other than reasons.
type wrapped struct {
	e   Error
	err error
}

func (w *wrapped) Error() string        { return w.e.Error() }
func (w *wrapped) Unwrap() error        { return w.err }
func (w *wrapped) Is(target error) bool { return isKind(target, w.e.Kind) }
func (w *wrapped) As(target any) bool {
	if p, ok := target.(*Error); ok {
		*p = w.e
		return true
	}
	return false
}
