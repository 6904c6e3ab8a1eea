package hostile

import (
	"bytes"
	"errors"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// nestIn has two outer elements: the first with inner elements Zero and
// Value(2 bytes) in 4 bytes, the second with none.
var nestIn = []byte{
	2,
	3, 4, 0, 1, 1, 0xaa, 0x25,
	7, 0, 0xa1,
}

// TestNestedElems parses elements nested in elements, whose checks are
// written out in their arrays' loops, and checks the errors inside them.
func TestNestedElems(t *testing.T) {
	p, err := Parse(nestIn)
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	for _, o := range p.Outer().All() {
		got = append(got, o.K(), o.Hi(), o.Lo())
		for _, i := range o.Inner().All() {
			got = append(got, byte(i.Kind()))
			if v, ok := i.AsValue(); ok {
				got = append(got, v.D()...)
			}
		}
	}
	want := []byte{3, 1, 5, byte(InnerElemKindZero), byte(InnerElemKindValue), 0xaa, 7, 5, 1}
	if !bytes.Equal(got, want) {
		t.Fatalf("got %x, want %x", got, want)
	}
	for _, c := range []struct {
		at    int
		to    byte
		field string
		kind  mplrt.Kind
		off   int
	}{
		{1, 8, "k", mplrt.KindMax, 1},
		{5, 5, "l", mplrt.KindMax, 5},
		{5, 2, "d", mplrt.KindLength, 6},
		{7, 0xc0, "hi", mplrt.KindMax, 7},
		{10, 0xc0, "hi", mplrt.KindMax, 10},
		{9, 9, "inner", mplrt.KindLength, 10},
	} {
		b := bytes.Clone(nestIn)
		b[c.at] = c.to
		var me mplrt.Error
		if _, err := Parse(b); !errors.As(err, &me) || me.Field != c.field || me.Kind != c.kind || me.Offset != c.off {
			t.Errorf("byte %d = %#x: %v, want %s %v at %d", c.at, c.to, err, c.field, c.kind, c.off)
		}
	}
	for n := range len(nestIn) {
		if _, err := Parse(nestIn[:n]); err == nil {
			t.Errorf("truncated to %d bytes: parsed", n)
		}
	}
}
