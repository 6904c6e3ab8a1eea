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
	if _, err := Parse(in); !errors.As(err, &e) || e.Field != "b" || e.Kind != mplrt.KindLength || e.Offset != 6 {
		t.Fatalf("Parse: %v, want a length error at b, offset 6", err)
	}
	// m = 0 everywhere: 4096 elements of 4 bytes parse.
	for i := 0; i < 4096; i++ {
		binary.BigEndian.PutUint32(in[2+4*i:], 0)
	}
	p, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if it := p.A(); it.Len() != 4096 {
		t.Fatalf("%d elements", it.Len())
	}
}
