package mplrt

import (
	"strconv"
	"unsafe"
)

// WireType is the contract between generated code and the Go side of a
// custom wire type: a type that a protocol adds to the spec language, such
// as SSH's string32, mpint and boolean or DNS's string8. V is the Go type
// of the field's value in accessors and builders.
//
// A wire type is a zero-size struct type with value-receiver methods, so
// that generated code calls it statically, with no interface in between:
//
//	n, err := mplrt.String8{}.Size(b, off)
//
// Every method must be safe for concurrent use and must not allocate
// (Append may grow dst; AppendText may grow dst). Size must not panic
// for any msg and off; Value and AppendText may assume that Size
// accepted msg[off:off+n].
type WireType[V any] interface {
	WireTexter

	// ValueKind says what the field's value is in spec expressions;
	// it must agree with V (see [ValueKind]). The spec checker keeps
	// its own registry of types and mirrors this.
	ValueKind() ValueKind

	// Size returns how many bytes the value that starts at msg[off]
	// takes. msg is the whole input the enclosing packet is parsed from,
	// and offsets count from its start, as generated code's offsets do;
	// the value lies in msg[off:off+n], but a type may read other parts
	// of msg (DNS compression pointers point back into it). Generated
	// code passes msg cut at the end of the region the field must lie
	// in. Malformed bytes give n == 0 and an error that is a *[Reason]
	// (or a [Reason.At] error that points at the bad byte); generated
	// code turns it into a positioned error with [Site.Wrap] without
	// allocating. Other errors work but allocate when wrapped.
	Size(msg []byte, off int) (n int, err error)

	// Value returns the value at msg[off:off+n], with n from Size,
	// without copying or allocating: a []byte value aliases msg.
	Value(msg []byte, off, n int) V

	// Append appends v's wire encoding to dst. If v cannot be encoded
	// (a string8 of more than 255 bytes) it returns dst unchanged and an
	// error as Size does, a *Reason, which generated builders pass to
	// [Site.Wrap] with the field's offset.
	Append(dst []byte, v V) ([]byte, error)
}

// WireTexter is the part of a [WireType] that does not depend on its
// value's Go type. A [Field] of [FormatCustom] holds one to print itself.
type WireTexter interface {
	// AppendText appends a human-readable form of the value at
	// msg[off:off+n] (n from Size) to dst, for Walk and String. It
	// allocates nothing beyond growing dst.
	AppendText(dst []byte, msg []byte, off, n int) []byte
}

// ValueKind is the kind of value a custom wire type has in spec
// expressions, with its Go type in generated code.
type ValueKind uint8

// The value kinds. Their String forms, "none", "int", "bool", "string"
// and "view", are the names the spec checker's registry uses.
const (
	// ValueNone: opaque bytes (Go []byte); only sizeof applies.
	ValueNone ValueKind = iota
	// ValueInt: an unsigned integer (Go uint64).
	ValueInt
	// ValueBool: a boolean (Go bool).
	ValueBool
	// ValueString: a byte string (Go []byte aliasing the packet);
	// string patterns compare its bytes.
	ValueString
	// ValueView: a value of the type's own Go type, such as a DNS [Name]
	// that reads labels from the message; it has no value in spec
	// expressions.
	ValueView
)

var valueKindNames = [...]string{
	ValueNone:   "none",
	ValueInt:    "int",
	ValueBool:   "bool",
	ValueString: "string",
	ValueView:   "view",
}

// String returns "none", "int", "bool", "string" or "view", or
// "valuekind(N)".
func (k ValueKind) String() string {
	if int(k) < len(valueKindNames) {
		return valueKindNames[k]
	}
	return "valuekind(" + strconv.Itoa(int(k)) + ")"
}

// appendQuoted appends v as a double-quoted Go string literal, as
// strconv.Quote would, without converting v to a string.
func appendQuoted(dst, v []byte) []byte {
	return strconv.AppendQuote(dst, unsafe.String(unsafe.SliceData(v), len(v)))
}

// String8 is a byte string with a one-byte length prefix (DNS
// character-string, RFC 1035 section 3.3): 0 to 255 bytes. Its value is
// a string ([]byte aliasing the packet); its text is Go-quoted.
type String8 struct{}

var (
	errString8Short = NewReason(KindTruncated, "string8: length byte missing")
	errString8Past  = NewReason(KindTruncated, "string8: length runs past the end")
	errString8Long  = NewReason(KindMax, "string8: longer than 255 bytes")
)

// ValueKind returns [ValueString].
func (String8) ValueKind() ValueKind { return ValueString }

// Size returns 1 plus the length byte at msg[off].
func (String8) Size(msg []byte, off int) (int, error) {
	if uint(off) >= uint(len(msg)) {
		return 0, errString8Short
	}
	n := 1 + int(msg[off])
	if n > len(msg)-off {
		return 0, errString8Past
	}
	return n, nil
}

// Value returns the string's bytes, msg[off+1:off+n].
func (String8) Value(msg []byte, off, n int) []byte {
	// (The tests, false after Size, spare the slicing a bounds check.)
	if off < 0 || off >= len(msg) {
		return nil
	}
	s := msg[off:]
	if n < 1 || n > len(s) {
		return nil
	}
	return s[1:n:n]
}

// Append appends the length byte and v; v must not be longer than 255
// bytes.
func (String8) Append(dst []byte, v []byte) ([]byte, error) {
	if len(v) > 255 {
		return dst, errString8Long
	}
	dst = append(dst, byte(len(v)))
	return append(dst, v...), nil
}

// AppendText appends the string Go-quoted, as in "abc\x00".
func (String8) AppendText(dst []byte, msg []byte, off, n int) []byte {
	return appendQuoted(dst, msg[off+1:off+n])
}

// Each shipped type implements the contract.
var (
	_ WireType[[]byte] = String8{}
)
