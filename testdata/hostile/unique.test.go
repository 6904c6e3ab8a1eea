package hostile

import (
	"errors"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// uniqMsg is a message of the given elements of flat, capped, opts and
// named, each given as its bytes; with the offset of each element.
func uniqMsg(arrays ...[][]byte) (msg []byte, offs [][]int) {
	for i, xs := range arrays {
		if i == 2 { // opts: bounded by bytes
			n := 0
			for _, x := range xs {
				n += len(x)
			}
			msg = append(msg, byte(n))
		} else {
			msg = append(msg, byte(len(xs)))
		}
		var o []int
		for _, x := range xs {
			o = append(o, len(msg))
			msg = append(msg, x...)
		}
		offs = append(offs, o)
	}
	return msg, offs
}

// TestUnique parses messages whose arrays hold a case named by unique
// once (they parse) and twice (they fail at the second element), for an
// element's own case, a case nested in a case, and a case of a packet the
// element holds, in compact and in parsed elements; and builds them.
func TestUnique(t *testing.T) {
	var (
		stop, deep, shallow, plain = []byte{0}, []byte{1, 7, 0, 1}, []byte{1, 5}, []byte{3, 3}
		// List: items One, Many, Many; One, One.
		list, list2     = []byte{2, 3, 1, 2, 2}, []byte{2, 2, 1, 1}
		big, small      = []byte{9, 0, 2}, []byte{4}
		oDeep, oShallow = []byte{7, 0, 3}, []byte{5}
		// rec: the root name, then k.
		rStop, rDeep, rShallow, rOther = []byte{0, 0}, []byte{0, 1, 7, 0, 4}, []byte{0, 1, 5}, []byte{0, 2}
	)
	each := func(xs ...[]byte) [][]byte { return xs }
	ok := [][][][]byte{
		{each(stop, deep, shallow, plain, shallow), each(big, small, small), each(oDeep, oShallow, oShallow), each(rStop, rDeep, rShallow, rOther, rShallow)},
		{nil, nil, nil, nil},
		{each(plain, deep), each(small, big), each(oShallow, oDeep), each(rOther, rShallow, rDeep, rStop)},
		{each(list, list, plain), nil, nil, nil},
	}
	for i, arrays := range ok {
		msg, _ := uniqMsg(arrays...)
		if _, err := Parse(msg, 10); err != nil {
			t.Errorf("ok %d: %x: %v", i, msg, err)
		}
	}
	for _, c := range []struct {
		name   string
		arrays [][][]byte
		field  string
		array  int // the array, and the element at fault
		elem   int
		plus   int // bytes into the element
	}{
		{"two Stop", [][][]byte{each(stop, plain, stop), nil, nil, nil}, "flat", 0, 2, 0},
		{"two Deep in a case", [][][]byte{each(deep, shallow, plain, deep, stop, deep), nil, nil, nil}, "flat", 0, 3, 0},
		{"two One in an element's array", [][][]byte{each(list, plain, list2), nil, nil, nil}, "items", 0, 2, 3},
		{"two Big", [][][]byte{nil, each(small, big, big), nil, nil}, "capped", 1, 2, 0},
		{"two Deep in a packet", [][][]byte{nil, nil, each(oDeep, oShallow, oDeep), nil}, "opts", 2, 2, 0},
		{"two Stop in a packet", [][][]byte{each(stop), each(big), each(oDeep), each(rStop, rOther, rStop)}, "named", 3, 2, 0},
		{"two Deep in a case of a packet", [][][]byte{each(deep), each(big), each(oDeep), each(rDeep, rShallow, rStop, rDeep)}, "named", 3, 3, 0},
	} {
		msg, offs := uniqMsg(c.arrays...)
		_, err := Parse(msg, 10)
		var me mplrt.Error
		if !errors.As(err, &me) || me.Field != c.field || me.Kind != mplrt.KindValue || me.Offset != offs[c.array][c.elem]+c.plus {
			t.Errorf("%s: %x: %v, want %s %v at %d", c.name, msg, err, c.field, mplrt.KindValue, offs[c.array][c.elem]+c.plus)
		}
	}
	// The check inlined is the check called: the same errors from Decode.
	msg, _ := uniqMsg(each(stop, stop), nil, nil, nil)
	var p Packet
	if err := p.Decode(msg, 10); err == nil {
		t.Errorf("Decode accepts two Stop")
	}

	// Builders: by Kind, by a discriminant with the zero Kind, nested.
	root := mplrt.MustName(".")
	bStop := FlatElemBuilder{Kind: FlatElemKindStop}
	bRawStop := FlatElemBuilder{T: 0}
	bDeep := FlatElemBuilder{Kind: FlatElemKindNest, Nest: NestBuilder{Kind: NestKindDeep, Deep: DeepBuilder{D: 1}}}
	bRawDeep := FlatElemBuilder{Kind: FlatElemKindNest, Nest: NestBuilder{U: 7, Body: []byte{0, 1}}}
	bPlain := FlatElemBuilder{Kind: FlatElemKindPlain, Plain: PlainBuilder{T: 3, V: 3}}
	nDeep := NamedElemBuilder{R: RecBuilder{Name: root, Kind: RecKindNest, Nest: RecNestBuilder{Name: root, X: InnerBuilder{Kind: InnerKindDeep, Deep: InnerDeepBuilder{D: 4}}}}}
	nOther := NamedElemBuilder{R: RecBuilder{Name: root, K: 2}}
	for _, c := range []struct {
		name  string
		b     Builder
		field string
		off   int // 0: builds
	}{
		{"one of each", Builder{Cap: 10, Flat: []FlatElemBuilder{bStop, bDeep, bPlain}, Named: []NamedElemBuilder{nOther, nDeep, nOther}}, "", 0},
		{"two Stop", Builder{Cap: 10, Flat: []FlatElemBuilder{bStop, bPlain, bStop}}, "flat", 1 + 1 + 2},
		{"Stop and a raw Stop", Builder{Cap: 10, Flat: []FlatElemBuilder{bPlain, bRawStop, bStop}}, "flat", 1 + 2 + 1},
		{"Deep and a raw Deep", Builder{Cap: 10, Flat: []FlatElemBuilder{bDeep, bRawDeep}}, "flat", 1 + 4},
		{"two Deep in a packet", Builder{Cap: 10, Named: []NamedElemBuilder{nDeep, nOther, nDeep}}, "named", 1 + 1 + 1 + 1 + 5 + 2},
	} {
		got, err := c.b.AppendTo(nil)
		if c.off == 0 {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			} else if _, err := Parse(got, 10); err != nil {
				t.Errorf("%s: built %x, which fails to parse: %v", c.name, got, err)
			}
			continue
		}
		var me mplrt.Error
		if !errors.As(err, &me) || me.Field != c.field || me.Kind != mplrt.KindValue || me.Offset != c.off || got != nil {
			t.Errorf("%s: %x, %v, want %s %v at %d", c.name, got, err, c.field, mplrt.KindValue, c.off)
		}
	}
}
