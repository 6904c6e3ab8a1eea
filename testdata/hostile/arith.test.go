package hostile

import (
	"bytes"
	"errors"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// Division by a field that is zero, and lengths whose arithmetic
// overflows, are length errors at the field, never panics or wrapped
// lengths.
func TestArith(t *testing.T) {
	head := append([]byte{1}, make([]byte, 10)...) // a = 1, b: 10 bytes, c: 0 bytes
	for _, tc := range []struct {
		in    []byte
		field string
		off   int
	}{
		{[]byte{0}, "b", 1},                                                              // 10 / 0
		{[]byte{3, 1, 2, 3, 4, 5, 6, 7, 8}, "e", 9},                                      // d = 0x05060708: d*d*d overflows
		{append(head, 0, 0x40, 0, 0, 0x99), "e", 15},                                     // d = 2^22: d*d*d = 2^66 used to wrap to 0
		{append(head, append([]byte{0, 0, 0, 0, 0x80}, make([]byte, 9)...)...), "g", 23}, // f = 2^63: f*2 overflows
		{append(head, append([]byte{0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}, make([]byte, 9)...)...), "g", 23},
	} {
		_, err := Parse(tc.in)
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != tc.field || e.Offset != tc.off || e.Kind != mplrt.KindLength {
			t.Errorf("Parse(%x) = %v, want a length error at %s, offset %d", tc.in, err, tc.field, tc.off)
		}
	}
	// With f = 0, h takes 1 byte and t the last one.
	in := append(head, make([]byte, 4+8+2)...)
	p, err := Parse(in)
	if err != nil || !bytes.Equal(p.Bytes(), in) {
		t.Errorf("Parse(%x) = %v", in, err)
	}
	// The builder checks the same arithmetic.
	if _, err := (Builder{A: 0}).AppendTo(nil); err == nil {
		t.Error("built a = 0, whose b length divides by zero")
	}
	if _, err := (Builder{A: 1, B: make([]byte, 10), D: 1 << 22}).AppendTo(nil); err == nil {
		t.Error("built d = 2^22, whose e length overflows")
	}
}
