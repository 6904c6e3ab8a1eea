package hostile

import (
	"bytes"
	"errors"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// A byte-bounded option list: elements fill its length exactly, offsets
// count from the packet's start, errors point into the list.
func TestTLV(t *testing.T) {
	in := []byte{6, 1, 2, 4, 0x05, 0xb4, 0, 7, 'a', 'b'}
	p, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []OptionKind
	var mss uint16
	it := p.Options()
	for {
		o, ok := it.Next()
		if !ok {
			break
		}
		kinds = append(kinds, o.Kind())
		if m, ok := o.AsMSS(); ok {
			mss = m.MSS()
		}
	}
	if len(kinds) != 3 || kinds[0] != OptionKindNOP || kinds[1] != OptionKindMSS || kinds[2] != OptionKindEnd || mss != 1460 {
		t.Fatalf("options %v, mss %d", kinds, mss)
	}
	tit := p.Tail()
	if e, ok := tit.Next(); !ok || e.T() != 7 || string(e.Rest()) != "ab" {
		t.Fatalf("tail %v %v", ok, e)
	}
	// An option that runs past the list's length is an error inside the
	// list, even though the packet has bytes after it.
	var me mplrt.Error
	bad := []byte{3, 1, 2, 4, 0x05, 0xb4, 0}
	if _, err := Parse(bad); !errors.As(err, &me) || me.Offset < 2 || me.Offset > 4 {
		t.Fatalf("Parse(%x) = %v, want an error in the MSS option", bad, err)
	}
	// Rebuild from the elements' bytes.
	out, err := Builder{
		Options: []OptionBuilder{{Kind: 1}, {Kind: 2, Body: []byte{4, 0x05, 0xb4}}, {Kind: 0}},
		Tail:    []TailElemBuilder{{T: 7, Rest: []byte("ab")}},
	}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("built %x, %v; want %x", out, err, in)
	}
	if n := testing.AllocsPerRun(100, func() {
		q, _ := Parse(in)
		it := q.Options()
		for {
			if _, ok := it.Next(); !ok {
				break
			}
		}
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
