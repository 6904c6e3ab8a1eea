package mplrt

import (
	"encoding/hex"
	"net/netip"
	"strconv"
)

// Format says how a field's value reads to people.
type Format uint8

// The formats of Field values.
const (
	FormatUint   Format = iota // a decimal number: Uint
	FormatHex                  // a hexadecimal number (Uint) or hex bytes (Bytes)
	FormatEnum                 // a named value: Enum, or Uint when unnamed
	FormatBytes                // a byte string: Bytes, shown by length and leading bytes
	FormatIPv4                 // an IPv4 address: Uint, or Bytes of length 4
	FormatIPv6                 // an IPv6 address: Bytes of length 16
	FormatMAC                  // a MAC address: Bytes of length 6
	FormatBool                 // a boolean: Uint is 0 or 1
	FormatKind                 // the case a classify chose: Enum
	FormatCustom               // a custom wire type's value: Type, Bytes, and Msg and Off
)

// Field is one field of a parsed packet, as a generated view's Walk method
// hands it to tools. It refers to the packet's bytes; it allocates nothing.
type Field struct {
	Name  string // the field's name in the spec
	Array string // for a field of an array element, the array's name
	Index int    // and the element's index
	// Outer holds the arrays around Array, outermost first, for a field
	// of an element of an array that is itself in an element.
	Outer  Path
	Format Format
	Bits   int // the width of an integer field, for hex digits
	Uint   uint64
	Bytes  []byte
	Enum   string // the name of an enum value; "" if the value has none

	// For a field of a custom wire type (FormatCustom): Type is the
	// wire type, whose AppendText AppendValue calls; Bytes is the
	// field's wire bytes, Msg[Off:Off+len(Bytes)]; Msg is the whole
	// message the view was parsed from, or nil if the type needs only
	// the field's own bytes. Generated Walk methods fill these with what
	// the type's Size accepted, and AppendValue trusts them as far as
	// they lie within Msg. Uint also holds the value of types whose
	// ValueKind is int or bool, for tools that want a number.
	Type WireTexter
	Msg  []byte
	Off  int
}

// MaxPathDepth is how many enclosing arrays a Path holds; a field nested
// deeper keeps the innermost ones and prints "..." for the rest.
const MaxPathDepth = 4

// Path is a list of arrays and element indexes, outermost first: where an
// array element lies in its packet. It is a value; it allocates nothing.
type Path struct {
	n, skipped int
	names      [MaxPathDepth]string
	index      [MaxPathDepth]int
}

// Push returns p with one more array, element index of array name; an
// index below zero stands for a field that holds a packet, name alone.
func (p Path) Push(name string, index int) Path {
	i := uint(p.n)
	if i >= MaxPathDepth {
		copy(p.names[:], p.names[1:])
		copy(p.index[:], p.index[1:])
		p.skipped++
	}
	i = min(i, MaxPathDepth-1)
	p.names[i], p.index[i] = name, index
	p.n = int(i) + 1
	return p
}

// Len returns the number of arrays in p.
func (p Path) Len() int { return p.n }

// At returns the array and element index at depth i, 0 the outermost.
func (p Path) At(i int) (name string, index int) { return p.names[i], p.index[i] }

// AppendText appends p as "a[1].b[2]." (with a leading "...." when
// arrays were left out).
func (p Path) AppendText(b []byte) []byte {
	if p.skipped > 0 {
		b = append(b, "...."...)
	}
	for i := 0; i < p.n; i++ {
		b = append(b, p.names[i]...)
		if p.index[i] >= 0 {
			b = append(b, '[')
			b = strconv.AppendInt(b, int64(p.index[i]), 10)
			b = append(b, ']')
		}
		b = append(b, '.')
	}
	return b
}

// maxShownBytes is how many bytes AppendValue shows of a long byte field.
const maxShownBytes = 16

// AppendText appends name=value to b, as in "ttl=64" or "answers[1].ttl=300",
// or "records[1].sources[0].address=192.0.2.1" in nested arrays.
func (f Field) AppendText(b []byte) []byte {
	b = f.Outer.AppendText(b)
	if f.Array != "" {
		b = append(b, f.Array...)
		b = append(b, '[')
		b = strconv.AppendInt(b, int64(f.Index), 10)
		b = append(b, "]."...)
	}
	b = append(b, f.Name...)
	b = append(b, '=')
	return f.AppendValue(b)
}

// AppendValue appends the field's value to b in its usual notation:
// addresses dotted or colon-separated, enums by name, long byte strings
// abbreviated to their length and first bytes, custom wire types as their
// AppendText writes them (raw bytes if Type is nil).
func (f Field) AppendValue(b []byte) []byte {
	switch f.Format {
	case FormatHex:
		if f.Bytes != nil {
			return appendBytes(b, f.Bytes)
		}
		if f.Enum != "" {
			return append(b, f.Enum...)
		}
		b = append(b, "0x"...)
		for d := (f.Bits+3)/4 - 1; d >= 0; d-- {
			if d < 16 {
				b = append(b, hexDigits[f.Uint>>(4*uint(d))&15])
			}
		}
		if f.Bits <= 0 {
			b = strconv.AppendUint(b, f.Uint, 16)
		}
		return b
	case FormatEnum, FormatKind:
		if f.Enum != "" {
			return append(b, f.Enum...)
		}
		return strconv.AppendUint(b, f.Uint, 10)
	case FormatBytes:
		return appendBytes(b, f.Bytes)
	case FormatIPv4:
		var a [4]byte
		if len(f.Bytes) == 4 {
			copy(a[:], f.Bytes)
		} else if f.Bytes == nil {
			a = [4]byte{byte(f.Uint >> 24), byte(f.Uint >> 16), byte(f.Uint >> 8), byte(f.Uint)}
		} else {
			return appendBytes(b, f.Bytes)
		}
		return netip.AddrFrom4(a).AppendTo(b)
	case FormatIPv6:
		if len(f.Bytes) != 16 {
			return appendBytes(b, f.Bytes)
		}
		return netip.AddrFrom16([16]byte(f.Bytes)).AppendTo(b)
	case FormatMAC:
		if len(f.Bytes) != 6 {
			return appendBytes(b, f.Bytes)
		}
		for i, c := range f.Bytes {
			if i > 0 {
				b = append(b, ':')
			}
			b = append(b, hexDigits[c>>4], hexDigits[c&15])
		}
		return b
	case FormatBool:
		return strconv.AppendBool(b, f.Uint != 0)
	case FormatCustom:
		if f.Type == nil {
			return appendBytes(b, f.Bytes)
		}
		if f.Msg != nil && f.Off >= 0 && f.Off <= len(f.Msg) && len(f.Bytes) <= len(f.Msg)-f.Off {
			return f.Type.AppendText(b, f.Msg, f.Off, len(f.Bytes))
		}
		return f.Type.AppendText(b, f.Bytes, 0, len(f.Bytes))
	}
	return strconv.AppendUint(b, f.Uint, 10)
}

const hexDigits = "0123456789abcdef"

// appendBytes writes short byte strings in hex and long ones as
// "[N]hex..." with their first bytes.
func appendBytes(b, v []byte) []byte {
	if len(v) == 0 {
		return append(b, `""`...)
	}
	if len(v) <= maxShownBytes {
		return hex.AppendEncode(b, v)
	}
	b = append(b, '[')
	b = strconv.AppendInt(b, int64(len(v)), 10)
	b = append(b, ']')
	b = hex.AppendEncode(b, v[:maxShownBytes])
	return append(b, "..."...)
}
