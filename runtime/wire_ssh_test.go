package mplrt

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/big"
	"strconv"
	"testing"
)

func be32(n int) []byte { return binary.BigEndian.AppendUint32(nil, uint32(n)) }

func TestString32(t *testing.T) {
	typ := String32{}
	checkSizes(t, typ, []sizeCase{
		{name: "empty", msg: be32(0), n: 4, text: `""`},
		{name: "RFC 4251 testing", msg: cat(be32(7), []byte("testing")), n: 11, text: `"testing"`},
		{name: "at offset", msg: cat([]byte{1, 2}, be32(2), []byte("hi"), []byte{9}), off: 2, n: 6, text: `"hi"`},
		{name: "escapes", msg: cat(be32(3), []byte{0, '\t', 0x80}), n: 7, text: `"\x00\t\x80"`},
		{name: "255", msg: cat(be32(255), repeat('x', 255)), n: 259, text: strconv.Quote(string(repeat('x', 255)))},
		{name: "256", msg: cat(be32(256), repeat('x', 256)), n: 260, text: strconv.Quote(string(repeat('x', 256)))},
		{name: "nothing", msg: nil, reason: errString32Short},
		{name: "3 length bytes", msg: []byte{0, 0, 0}, reason: errString32Short},
		{name: "off past end", msg: be32(0), off: 1, reason: errString32Short},
		{name: "off far past end", msg: be32(0), off: 5, reason: errString32Short},
		{name: "negative off", msg: be32(0), off: -1, reason: errString32Short},
		{name: "truncated", msg: cat(be32(7), []byte("testin")), reason: errString32Past},
		{name: "256 truncated", msg: cat(be32(256), repeat('x', 255)), reason: errString32Past},
		{name: "huge length", msg: cat([]byte{0xff, 0xff, 0xff, 0xff}, repeat('x', 10)), reason: errString32Past},
		{name: "2^31", msg: cat([]byte{0x80, 0, 0, 0}, repeat('x', 10)), reason: errString32Past},
	})
	eq := func(a, b []byte) bool { return bytes.Equal(a, b) }
	for _, v := range [][]byte{nil, []byte("testing"), repeat(0, 255), repeat(1, 256), repeat(2, 70000)} {
		if enc := roundTrip(t, typ, v, eq); enc != nil && !bytes.Equal(enc, cat(be32(len(v)), v)) {
			t.Errorf("Append(%d bytes) = % x...", len(v), enc[:4])
		}
	}
}

func TestBoolean(t *testing.T) {
	typ := Boolean{}
	checkSizes(t, typ, []sizeCase{
		{name: "false", msg: []byte{0}, n: 1, text: "false"},
		{name: "true", msg: []byte{1}, n: 1, text: "true"},
		{name: "nonzero is true", msg: []byte{0x02}, n: 1, text: "true"},
		{name: "0xff is true", msg: []byte{0xff}, n: 1, text: "true"},
		{name: "at offset", msg: []byte{0, 1, 0}, off: 1, n: 1, text: "true"},
		{name: "empty", msg: nil, reason: errBooleanShort},
		{name: "off at end", msg: []byte{1}, off: 1, reason: errBooleanShort},
		{name: "negative off", msg: []byte{1}, off: -1, reason: errBooleanShort},
	})
	for _, b := range []byte{0, 1, 2, 0x80, 0xff} {
		if got := typ.Value([]byte{b}, 0, 1); got != (b != 0) {
			t.Errorf("Value(%#x) = %v", b, got)
		}
	}
	eq := func(a, b bool) bool { return a == b }
	if enc := roundTrip(t, typ, true, eq); !bytes.Equal(enc, []byte{1}) {
		t.Errorf("Append(true) = % x", enc)
	}
	if enc := roundTrip(t, typ, false, eq); !bytes.Equal(enc, []byte{0}) {
		t.Errorf("Append(false) = % x", enc)
	}
}

// mpintText is what Mpint's text must be, computed with math/big from the
// two's complement bytes v.
func mpintText(v []byte) string {
	x := new(big.Int).SetBytes(v)
	if len(v) > 0 && v[0] >= 0x80 {
		x.Sub(x, new(big.Int).Lsh(big.NewInt(1), uint(8*len(v))))
	}
	return fmt.Sprintf("%#x", x)
}

// The examples of RFC 4251 section 5.
var rfc4251Mpints = []struct {
	text string
	wire []byte
}{
	{"0x0", []byte{0, 0, 0, 0}},
	{"0x9a378f9b2e332a7", []byte{0, 0, 0, 8, 0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7}},
	{"0x80", []byte{0, 0, 0, 2, 0, 0x80}},
	{"-0x1234", []byte{0, 0, 0, 2, 0xed, 0xcc}},
	{"-0xdeadbeef", []byte{0, 0, 0, 5, 0xff, 0x21, 0x52, 0x41, 0x11}},
}

func TestMpint(t *testing.T) {
	typ := Mpint{}
	var cases []sizeCase
	for _, ex := range rfc4251Mpints {
		cases = append(cases, sizeCase{name: "RFC " + ex.text, msg: ex.wire, n: len(ex.wire), text: ex.text})
	}
	cases = append(cases, []sizeCase{
		{name: "1", msg: cat(be32(1), []byte{1}), n: 5, text: "0x1"},
		{name: "0x7f", msg: cat(be32(1), []byte{0x7f}), n: 5, text: "0x7f"},
		{name: "-1", msg: cat(be32(1), []byte{0xff}), n: 5, text: "-0x1"},
		{name: "-0x80", msg: cat(be32(1), []byte{0x80}), n: 5, text: "-0x80"},
		{name: "-0x81", msg: cat(be32(2), []byte{0xff, 0x7f}), n: 6, text: "-0x81"},
		{name: "-0x100", msg: cat(be32(2), []byte{0xff, 0x00}), n: 6, text: "-0x100"},
		{name: "-0x8000", msg: cat(be32(2), []byte{0x80, 0x00}), n: 6, text: "-0x8000"},
		{name: "0x100", msg: cat(be32(2), []byte{0x01, 0x00}), n: 6, text: "0x100"},
		{name: "0xff", msg: cat(be32(2), []byte{0x00, 0xff}), n: 6, text: "0xff"},
		{name: "0x1000", msg: cat(be32(2), []byte{0x10, 0x00}), n: 6, text: "0x1000"},
		{name: "at offset", msg: cat([]byte{7}, be32(1), []byte{5}, []byte{0xff}), off: 1, n: 5, text: "0x5"},
		{name: "nothing", msg: nil, reason: errMpintShort},
		{name: "3 length bytes", msg: []byte{0, 0, 0}, reason: errMpintShort},
		{name: "negative off", msg: be32(0), off: -2, reason: errMpintShort},
		{name: "off past end", msg: be32(0), off: 9, reason: errMpintShort},
		{name: "truncated", msg: []byte{0, 0, 0, 2, 0xed}, reason: errMpintPast},
		{name: "huge length", msg: cat([]byte{0xff, 0xff, 0xff, 0xfe}, repeat(1, 8)), reason: errMpintPast},
		{name: "zero as 00", msg: cat(be32(1), []byte{0}), reason: errMpint00},
		{name: "zero as 00 00", msg: cat(be32(2), []byte{0, 0}), reason: errMpint00},
		{name: "1 as 00 01", msg: cat(be32(2), []byte{0, 1}), reason: errMpint00},
		{name: "0x7f as 00 7f", msg: cat(be32(2), []byte{0, 0x7f}), reason: errMpint00},
		{name: "0x80 as 00 00 80", msg: cat(be32(3), []byte{0, 0, 0x80}), reason: errMpint00},
		{name: "-1 as ff ff", msg: cat(be32(2), []byte{0xff, 0xff}), reason: errMpintFF},
		{name: "-0x80 as ff 80", msg: cat(be32(2), []byte{0xff, 0x80}), reason: errMpintFF},
		{name: "-0x1234 as ff ed cc", msg: cat(be32(3), []byte{0xff, 0xed, 0xcc}), reason: errMpintFF},
	}...)
	checkSizes(t, typ, cases)
	for _, tc := range cases {
		if tc.reason == nil {
			if want := mpintText(tc.msg[tc.off+4 : tc.off+tc.n]); want != tc.text {
				t.Errorf("%s: math/big says %s, the table %s", tc.name, want, tc.text)
			}
		}
	}

	eq := func(a, b []byte) bool { return bytes.Equal(a, b) }
	for _, ex := range rfc4251Mpints {
		if enc := roundTrip(t, typ, ex.wire[4:], eq); !bytes.Equal(enc, ex.wire) {
			t.Errorf("Append(%s) = % x, want % x", ex.text, enc, ex.wire)
		}
	}
	roundTrip(t, typ, repeat(0x42, 300), eq)
	// Append drops leading bytes that only repeat the sign.
	for _, tc := range []struct{ v, want []byte }{
		{[]byte{0}, be32(0)},
		{[]byte{0, 0, 0}, be32(0)},
		{[]byte{0, 0x7f}, cat(be32(1), []byte{0x7f})},
		{[]byte{0, 0, 0x80}, cat(be32(2), []byte{0, 0x80})},
		{[]byte{0xff}, cat(be32(1), []byte{0xff})},
		{[]byte{0xff, 0xff, 0xff}, cat(be32(1), []byte{0xff})},
		{[]byte{0xff, 0xff, 0x7f}, cat(be32(2), []byte{0xff, 0x7f})},
		{[]byte{0xff, 0xed, 0xcc}, cat(be32(2), []byte{0xed, 0xcc})},
	} {
		got, err := typ.Append(nil, tc.v)
		if err != nil || !bytes.Equal(got, tc.want) {
			t.Errorf("Append(% x) = % x, %v; want % x", tc.v, got, err, tc.want)
		}
		if n, err := typ.Size(got, 0); err != nil || n != len(got) {
			t.Errorf("Size(Append(% x)) = %d, %v", tc.v, n, err)
		}
	}
}

func TestSSHValueKinds(t *testing.T) {
	if (String32{}).ValueKind() != ValueString || (Boolean{}).ValueKind() != ValueBool || (Mpint{}).ValueKind() != ValueNone {
		t.Error("value kinds of String32, Boolean, Mpint")
	}
}

func TestSSHAllocs(t *testing.T) {
	s32 := cat(be32(7), []byte("test\x00ng"))
	mp := rfc4251Mpints[4].wire
	dst := make([]byte, 0, 1024)
	var err error
	if a := testing.AllocsPerRun(100, func() {
		n, _ := String32{}.Size(s32, 0)
		dst, err = String32{}.Append(dst[:0], String32{}.Value(s32, 0, n))
		dst = String32{}.AppendText(dst[:0], s32, 0, n)
		n, _ = Boolean{}.Size(s32, 0)
		dst, err = Boolean{}.Append(dst[:0], Boolean{}.Value(s32, 3, n))
		dst = Boolean{}.AppendText(dst[:0], s32, 3, n)
		n, _ = Mpint{}.Size(mp, 0)
		dst, err = Mpint{}.Append(dst[:0], Mpint{}.Value(mp, 0, n))
		dst = Mpint{}.AppendText(dst[:0], mp, 0, n)
		_, err = Mpint{}.Size(mp[:5], 0)
		_, err = Mpint{}.Size([]byte{0, 0, 0, 1, 0}, 0)
		_, err = String32{}.Size(s32[:3], 0)
		_, err = Boolean{}.Size(nil, 0)
	}); a != 0 {
		t.Errorf("SSH types allocate %v times", a)
	}
	_ = err
}

// FuzzWireTypes checks every shipped type on arbitrary bytes: Size never
// panics; what it accepts lies in msg[off:], reads back without panics,
// and re-encodes to the same bytes when the encoding is canonical.
func FuzzWireTypes(f *testing.F) {
	for _, ex := range rfc4251Mpints {
		f.Add(ex.wire, 0)
	}
	f.Add([]byte{3, 'a', 'b', 'c'}, 0)
	f.Add(cat([]byte{9}, be32(2), []byte("hi")), 1)
	f.Add([]byte{0xff, 0xff, 0xff, 0xff, 1}, 0)
	f.Fuzz(func(t *testing.T, msg []byte, off int) {
		fuzzType(t, String8{}, msg, off, func(v []byte) string { return strconv.Quote(string(v)) }, true)
		fuzzType(t, String32{}, msg, off, func(v []byte) string { return strconv.Quote(string(v)) }, true)
		fuzzType(t, Mpint{}, msg, off, mpintText, true)
		canonical := uint(off) < uint(len(msg)) && msg[off] <= 1
		fuzzType(t, Boolean{}, msg, off, strconv.FormatBool, canonical)
	})
}

func fuzzType[V any](t *testing.T, typ WireType[V], msg []byte, off int, text func(V) string, canonical bool) {
	n, err := typ.Size(msg, off)
	if err != nil {
		if n != 0 {
			t.Fatalf("%T.Size = %d with error %v", typ, n, err)
		}
		if _, ok := err.(*Reason); !ok {
			t.Fatalf("%T.Size error %v is not a Reason", typ, err)
		}
		return
	}
	if n <= 0 || off < 0 || off+n > len(msg) {
		t.Fatalf("%T.Size(%d bytes, %d) = %d", typ, len(msg), off, n)
	}
	v := typ.Value(msg, off, n)
	if got, want := string(typ.AppendText(nil, msg, off, n)), text(v); got != want {
		t.Fatalf("%T.AppendText = %s, want %s", typ, got, want)
	}
	enc, err := typ.Append(nil, v)
	if err != nil {
		t.Fatalf("%T.Append(Value): %v", typ, err)
	}
	if canonical && !bytes.Equal(enc, msg[off:off+n]) {
		t.Fatalf("%T: % x re-encodes as % x", typ, msg[off:off+n], enc)
	}
}
