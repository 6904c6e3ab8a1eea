package mplrt

import (
	"encoding/binary"
	"math"
	"strconv"
)

// The SSH data types of RFC 4251 section 5.

// String32 is an SSH string (RFC 4251 section 5): a uint32 length, big
// endian, then that many bytes. Its value is a string ([]byte aliasing
// the packet); its text is Go-quoted.
type String32 struct{}

var (
	errString32Short = NewReason(KindTruncated, "string32: length missing")
	errString32Past  = NewReason(KindTruncated, "string32: length runs past the end")
	errString32Long  = NewReason(KindMax, "string32: longer than 4294967295 bytes")
)

// ValueKind returns [ValueString].
func (String32) ValueKind() ValueKind { return ValueString }

// Size returns 4 plus the length at msg[off:off+4].
func (String32) Size(msg []byte, off int) (int, error) {
	if off < 0 || len(msg)-off < 4 {
		return 0, errString32Short
	}
	l := binary.BigEndian.Uint32(msg[off:])
	if uint64(l) > uint64(len(msg)-off-4) {
		return 0, errString32Past
	}
	return 4 + int(l), nil
}

// Value returns the string's bytes, msg[off+4:off+n].
func (String32) Value(msg []byte, off, n int) []byte {
	return msg[off+4 : off+n : off+n]
}

// Append appends the length and v.
func (String32) Append(dst []byte, v []byte) ([]byte, error) {
	if uint64(len(v)) > math.MaxUint32 {
		return dst, errString32Long
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(v)))
	return append(dst, v...), nil
}

// AppendText appends the string Go-quoted, as in "ssh-ed25519".
func (String32) AppendText(dst []byte, msg []byte, off, n int) []byte {
	return appendQuoted(dst, msg[off+4:off+n])
}

// Boolean is an SSH boolean (RFC 4251 section 5): one byte, where any
// nonzero value reads as true; Append writes 1 or 0. Its value is a bool;
// its text is "true" or "false".
type Boolean struct{}

var errBooleanShort = NewReason(KindTruncated, "boolean: byte missing")

// ValueKind returns [ValueBool].
func (Boolean) ValueKind() ValueKind { return ValueBool }

// Size returns 1.
func (Boolean) Size(msg []byte, off int) (int, error) {
	if uint(off) >= uint(len(msg)) {
		return 0, errBooleanShort
	}
	return 1, nil
}

// Value reports whether msg[off] is nonzero.
func (Boolean) Value(msg []byte, off, n int) bool { return msg[off] != 0 }

// Append appends 1 for true and 0 for false.
func (Boolean) Append(dst []byte, v bool) ([]byte, error) {
	if v {
		return append(dst, 1), nil
	}
	return append(dst, 0), nil
}

// AppendText appends "true" or "false".
func (Boolean) AppendText(dst []byte, msg []byte, off, n int) []byte {
	return strconv.AppendBool(dst, msg[off] != 0)
}

// Mpint is an SSH multiple precision integer (RFC 4251 section 5): a
// uint32 length, big endian, then the number in two's complement, big
// endian, in that many bytes. Size rejects what the RFC says must not
// occur: unnecessary leading 0x00 or 0xff bytes, and a zero that is not
// stored with length 0. Its value is opaque: the two's complement bytes
// (empty for zero), aliasing the packet. Its text is hexadecimal with a
// sign, as in "0x0", "0x80" or "-0xdeadbeef".
type Mpint struct{}

var (
	errMpintShort = NewReason(KindTruncated, "mpint: length missing")
	errMpintPast  = NewReason(KindTruncated, "mpint: length runs past the end")
	errMpint00    = NewReason(KindValue, "mpint: unnecessary leading 0x00 byte")
	errMpintFF    = NewReason(KindValue, "mpint: unnecessary leading 0xff byte")
	errMpintLong  = NewReason(KindMax, "mpint: longer than 4294967295 bytes")

	errMpintLead = [2]error{errMpint00, errMpintFF} // by the leading byte's low bit
)

// ValueKind returns [ValueNone].
func (Mpint) ValueKind() ValueKind { return ValueNone }

// Size returns 4 plus the length at msg[off:off+4], once the number is
// in the canonical form the RFC requires.
func (Mpint) Size(msg []byte, off int) (int, error) {
	if off < 0 || len(msg)-off < 4 {
		return 0, errMpintShort
	}
	l, v := binary.BigEndian.Uint32(msg[off:]), msg[off+4:]
	if uint64(l) > uint64(len(v)) {
		return 0, errMpintPast
	}
	// The first byte is unnecessary if it and the top bit of the next
	// are all 0 or all 1, or if it is a lone 0x00 (zero has length 0).
	if l > 1 {
		if s := binary.BigEndian.Uint16(v) >> 7; s == 0 || s == 0x1ff {
			return 0, errMpintLead[s&1]
		}
	} else if l == 1 && v[0] == 0 {
		return 0, errMpint00
	}
	return 4 + int(l), nil
}

// Value returns the number's two's complement bytes, msg[off+4:off+n].
func (Mpint) Value(msg []byte, off, n int) []byte {
	return msg[off+4 : off+n : off+n]
}

// Append appends v, a number in two's complement, big endian (an empty v
// is zero). Leading bytes that only repeat the sign are dropped, so that
// the encoding is the canonical one the RFC requires: 00 00 80 is written
// as 00 80, ff ff 80 as ff 80, 00 as nothing.
func (Mpint) Append(dst []byte, v []byte) ([]byte, error) {
	for len(v) > 0 && v[0] == 0 && (len(v) == 1 || v[1] < 0x80) {
		v = v[1:]
	}
	for len(v) > 1 && v[0] == 0xff && v[1] >= 0x80 {
		v = v[1:]
	}
	if uint64(len(v)) > math.MaxUint32 {
		return dst, errMpintLong
	}
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(v)))
	return append(dst, v...), nil
}

// AppendText appends the number in hexadecimal with its sign, as in
// "0x9a378f9b2e332a7", "-0x1234" or "0x0".
func (Mpint) AppendText(dst []byte, msg []byte, off, n int) []byte {
	return appendMpint(dst, msg[off+4:off+n])
}

// appendMpint appends the two's complement number v in hexadecimal.
// A negative number's magnitude is ^v + 1: the complement of each byte,
// except that the carry of the +1 turns the last nonzero byte of v into
// its negation and leaves the zero bytes after it zero.
func appendMpint(dst, v []byte) []byte {
	neg := len(v) > 0 && v[0] >= 0x80
	last := -1 // the last nonzero byte, for negation
	if neg {
		dst = append(dst, '-')
		for i := len(v) - 1; i >= 0; i-- {
			if v[i] != 0 {
				last = i
				break
			}
		}
	}
	dst = append(dst, "0x"...)
	leading := true
	for i, c := range v {
		if neg {
			switch {
			case i < last:
				c = ^c
			case i == last:
				c = -c
			}
		}
		if leading {
			if c == 0 {
				continue
			}
			leading = false
			if c < 0x10 {
				dst = append(dst, hexDigits[c])
				continue
			}
		}
		dst = append(dst, hexDigits[c>>4], hexDigits[c&15])
	}
	if leading {
		dst = append(dst, '0')
	}
	return dst
}

// Each shipped type implements the contract.
var (
	_ WireType[[]byte] = String32{}
	_ WireType[bool]   = Boolean{}
	_ WireType[[]byte] = Mpint{}
)
