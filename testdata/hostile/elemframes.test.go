package hostile

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// framesIn is a frames packet with w = 1: one named element (a string8
// and two pairs), then the plain array of 15 bytes: One at 12, Two at 16
// (its label 5 bytes into the element), Rest at 22.
var framesIn = []byte{
	1,
	2, 'a', 'b', 2, 1, 2, 3, 9, 4, 5,
	15,
	1, 0xee, 0, 1,
	2, 0xdd, 2, 7, 8, 1,
	5, 0xcc, 1, 2, 3,
}

// TestElemFrames reads every element of both kinds of array, nested, and
// checks that errors inside elements count from the packet's start.
func TestElemFrames(t *testing.T) {
	p, err := Parse(framesIn, 1)
	if err != nil {
		t.Fatal(err)
	}
	named := p.Named()
	e, ok := named.Next()
	if !ok || string(e.Name()) != "ab" || e.Count() != 2 {
		t.Fatalf("named: %v %q %d", ok, e.Name(), e.Count())
	}
	var pairs []uint32
	for _, x := range e.Pairs().All() {
		pairs = append(pairs, uint32(x.A())<<16|uint32(x.B()))
	}
	if len(pairs) != 2 || pairs[0] != 0x10203 || pairs[1] != 0x90405 {
		t.Fatalf("pairs %x", pairs)
	}
	if _, ok := named.Next(); ok {
		t.Fatal("a second named element")
	}
	var kinds []PlainElemKind
	for _, x := range p.Plain().All() {
		kinds = append(kinds, x.Kind())
		if len(x.Wide()) != 1 {
			t.Fatalf("wide %x", x.Wide())
		}
		switch x.Kind() {
		case PlainElemKindOne:
			c, ok := x.AsOne()
			if !ok || c.X() != 1 || x.Wide()[0] != 0xee {
				t.Fatalf("One: %v %d %x", ok, c.X(), x.Wide())
			}
		case PlainElemKindTwo:
			c, ok := x.AsTwo()
			if !ok || c.Len() != 2 || !bytes.Equal(c.Data(), []byte{7, 8}) || c.At() != 5 || c.Y() != 1 {
				t.Fatalf("Two: %v %d %x %d %d", ok, c.Len(), c.Data(), c.At(), c.Y())
			}
			if _, ok := x.AsOne(); ok {
				t.Fatal("Two is also One")
			}
		case PlainElemKindRest:
			c, ok := x.AsRest()
			if !ok || !bytes.Equal(c.More(), []byte{1, 2, 3}) {
				t.Fatalf("Rest: %v %x", ok, c.More())
			}
		}
	}
	if want := []PlainElemKind{PlainElemKindOne, PlainElemKindTwo, PlainElemKindRest}; len(kinds) != 3 || kinds[0] != want[0] || kinds[1] != want[1] || kinds[2] != want[2] {
		t.Fatalf("kinds %v", kinds)
	}
	if s := p.String(); !strings.Contains(s, `name="ab"`) || !strings.Contains(s, "more=010203") {
		t.Errorf("String() = %s", s)
	}
	// Setters in an element write the packet's bytes.
	in := bytes.Clone(framesIn)
	q, _ := Parse(in, 1)
	it := q.Named()
	ne, _ := it.Next()
	pi := ne.Pairs()
	x, _ := pi.Next()
	x.SetB(0xabcd)
	if in[6] != 0xab || in[7] != 0xcd {
		t.Fatalf("SetB wrote %x", in)
	}

	// Errors inside elements: field, kind and offset from the packet's start.
	for _, c := range []struct {
		at    int
		to    byte
		field string
		kind  mplrt.Kind
		off   int
	}{
		{8, 10, "a", mplrt.KindMax, 8},         // a pair's a over 9, in a named element
		{15, 0, "x", mplrt.KindMin, 14},        // One's x, 0
		{21, 2, "y", mplrt.KindMax, 21},        // Two's y over w
		{18, 20, "data", mplrt.KindLength, 19}, // Two's data past the array
		{11, 16, "plain", mplrt.KindLength, 12},
	} {
		b := bytes.Clone(framesIn)
		b[c.at] = c.to
		_, err := Parse(b, 1)
		var me mplrt.Error
		if !errors.As(err, &me) || me.Field != c.field || me.Kind != c.kind || me.Offset != c.off {
			t.Errorf("byte %d = %d: %v (field %q kind %v offset %d), want %s %v at %d", c.at, c.to, err, me.Field, me.Kind, me.Offset, c.field, c.kind, c.off)
		}
	}
	// Every truncation fails cleanly; no accessor of a parsed view panics.
	for n := range len(framesIn) {
		if _, err := Parse(framesIn[:n], 1); err == nil {
			t.Errorf("truncated to %d bytes: parsed", n)
		}
	}
	if n := testing.AllocsPerRun(100, func() {
		q, _ := Parse(framesIn, 1)
		for _, x := range q.Plain().All() {
			if c, ok := x.AsTwo(); ok {
				_ = c.Data()
			}
		}
		it := q.Named()
		e, _ := it.Next()
		for _, x := range e.Pairs().All() {
			_ = x.B()
		}
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
