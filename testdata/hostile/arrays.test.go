package hostile

import (
	"encoding/binary"
	"errors"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// Each m set to the bytes left made parsing cubic. An array element
// takes at least one byte: an empty element is an error at once.
func TestEmptyElements(t *testing.T) {
	in := make([]byte, 2+4*4096)
	binary.BigEndian.PutUint16(in, 4096)
	for i := 0; i < 4096; i++ {
		binary.BigEndian.PutUint32(in[2+4*i:], uint32(len(in)))
	}
	var e mplrt.Error
	if _, err := Parse(in, 0); !errors.As(err, &e) || e.Field != "b" || e.Kind != mplrt.KindLength || e.Offset != 6 {
		t.Fatalf("Parse: %v, want a length error at b, offset 6", err)
	}
	// m = 0 everywhere: 4096 elements of 4 bytes parse.
	for i := 0; i < 4096; i++ {
		binary.BigEndian.PutUint32(in[2+4*i:], 0)
	}
	p, err := Parse(in, 0)
	if err != nil {
		t.Fatal(err)
	}
	if it := p.A(); it.Len() != 4096 {
		t.Fatalf("%d elements", it.Len())
	}
}

// The iterators range, without allocating.
func TestRange(t *testing.T) {
	in := make([]byte, 2+4*3)
	binary.BigEndian.PutUint16(in, 3)
	p, err := Parse(in, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for i, e := range p.A().All() {
		if i != n || e.M() != 0 {
			t.Fatalf("element %d: index %d, m %d", n, i, e.M())
		}
		n++
	}
	if n != 3 {
		t.Fatalf("%d elements", n)
	}
	if a := testing.AllocsPerRun(100, func() {
		for _, e := range p.A().All() {
			_ = e.M()
		}
	}); a != 0 {
		t.Errorf("%v allocations", a)
	}
}
