package hostile

import (
	"bytes"
	"errors"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

func TestValueTag(t *testing.T) {
	var e mplrt.Error
	if _, err := Parse([]byte{48}); !errors.As(err, &e) || e.Field != "tag" || e.Kind != mplrt.KindValue || e.Offset != 0 {
		t.Fatalf("Parse(30) = %v, want a value error at tag", err)
	}
	in := []byte{2, 1, 2, 3, 4, 5, 6, 7, 8}
	p, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if p.Kind() != KindWords {
		t.Fatalf("kind %v", p.Kind())
	}
	out, err := (Builder{Data: p.Data()}).AppendTo(nil)
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("rebuilt %x, %v; want %x", out, err, in)
	}
}
