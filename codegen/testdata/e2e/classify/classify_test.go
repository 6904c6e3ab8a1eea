package classify

// These tests run the code mplc generates from classify.mpl: which case a
// packet parses to under each kind of pattern, guards with the strict
// parameter, the nested classify, unknown tags, and the case builders.

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"

	"github.com/mplgo/mpl/internal/fuzzcheck"
	mplrt "github.com/mplgo/mpl/runtime"
)

// bug skips a test that fails because of a generator bug, unless
// MPL_E2E_BUGS is set.
func bug(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("MPL_E2E_BUGS") == "" {
		t.Skip("generator bug: " + what)
	}
}

// kinds returns which AsX methods of p succeed, as Kind values.
func kinds(p *Packet) []Kind {
	var out []Kind
	if _, ok := p.AsEmpty(); ok {
		out = append(out, KindEmpty)
	}
	if _, ok := p.AsEcho(); ok {
		out = append(out, KindEcho)
	}
	if _, ok := p.AsShort(); ok {
		out = append(out, KindShort)
	}
	if _, ok := p.AsLong(); ok {
		out = append(out, KindLong)
	}
	if _, ok := p.AsNested(); ok {
		out = append(out, KindNested)
	}
	if _, ok := p.AsFlagged(); ok {
		out = append(out, KindFlagged)
	}
	if _, ok := p.AsAny(); ok {
		out = append(out, KindAny)
	}
	return out
}

// checkKind checks that p holds kind k and that only the matching AsX
// succeeds.
func checkKind(t *testing.T, p *Packet, k Kind) {
	t.Helper()
	if p.Kind() != k {
		t.Errorf("Kind() = %v, want %v", p.Kind(), k)
	}
	got := kinds(p)
	if k == KindUnknown {
		if len(got) != 0 {
			t.Errorf("unknown packet, but As succeeds for %v", got)
		}
		return
	}
	if len(got) != 1 || got[0] != k {
		t.Errorf("As succeeds for %v, want only %v", got, k)
	}
}

func parse(t *testing.T, b []byte, strict bool) Packet {
	t.Helper()
	p, err := Parse(b, strict)
	if err != nil {
		t.Fatalf("Parse(%x, %v): %v", b, strict, err)
	}
	return p
}

// TestCases parses one packet of each case, and packets no case takes.
func TestCases(t *testing.T) {
	for _, tc := range []struct {
		name   string
		in     []byte
		strict bool
		kind   Kind
		text   string // String()
		rest   int    // bytes left in Rest
	}{
		{"empty", []byte{0, 0}, false, KindEmpty, "classify tag=0 len=0 case=Empty", 0},
		{"empty with trailer", []byte{0, 0, 9, 9}, true, KindEmpty, "classify tag=0 len=0 case=Empty", 2},
		{"echo", []byte{1, 4, 1, 2, 3, 4}, true, KindEcho, "classify tag=1 len=4 case=Echo id=258 seq=772", 0},
		{"short, not strict", []byte{2, 6, 1, 2, 3, 4, 5, 6}, false, KindShort, "classify tag=2 len=6 case=Short data=010203040506", 0},
		{"short, strict", []byte{9, 4, 1, 2, 3, 4}, true, KindShort, "classify tag=9 len=4 case=Short data=01020304", 0},
		{"long", []byte{5, 5, 1, 2, 3, 4, 5, 7}, true, KindLong, "classify tag=5 len=5 case=Long data=0102030405", 1},
		{"nested word", []byte{10, 5, 1, 0, 0, 1, 0}, false, KindNested, "classify tag=10 len=5 case=Nested sub=Word case=Word w=256", 0},
		{"nested pair", []byte{10, 3, 3, 7, 8}, false, KindNested, "classify tag=10 len=3 case=Nested sub=Pair2 case=Pair x=7 y=8", 0},
		{"nested unknown", []byte{10, 3, 9, 7, 8}, false, KindNested, "classify tag=10 len=3 case=Nested sub=9", 2},
		{"nested pair, guard fails", []byte{10, 4, 2, 7, 8, 0}, false, KindNested, "classify tag=10 len=4 case=Nested sub=Pair", 3},
		{"flagged", []byte{20, 1, 0x59}, true, KindFlagged, "classify tag=20 len=1 case=Flagged flags=5 level=9", 0},
		{"flagged 29", []byte{29, 1, 0xf0}, true, KindFlagged, "classify tag=29 len=1 case=Flagged flags=15 level=0", 0},
		{"25 is any", []byte{25, 1, 0x59}, true, KindAny, "classify tag=25 len=1 case=Any raw=59", 0},
		{"any", []byte{200, 2, 1, 2}, true, KindAny, "classify tag=200 len=2 case=Any raw=0102", 0},
		{"unknown", []byte{200, 2, 1, 2}, false, KindUnknown, "classify tag=200 len=2", 2},
		{"flagged, not strict", []byte{20, 1, 0x59}, false, KindUnknown, "classify tag=20 len=1", 1},
		{"unknown, empty body", []byte{11, 0}, false, KindUnknown, "classify tag=11 len=0", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := parse(t, tc.in, tc.strict)
			checkKind(t, &p, tc.kind)
			if got := p.String(); got != tc.text {
				t.Errorf("String() = %q, want %q", got, tc.text)
			}
			n := len(tc.in) - tc.rest
			if !bytes.Equal(p.Bytes(), tc.in[:n]) || !bytes.Equal(p.Rest(), tc.in[n:]) {
				t.Errorf("Bytes() = %x, Rest() = %x; want %x and %x", p.Bytes(), p.Rest(), tc.in[:n], tc.in[n:])
			}
			if p.End() != n {
				t.Errorf("End() = %d, want %d", p.End(), n)
			}
			if p.Tag() != tc.in[0] || p.Len() != tc.in[1] {
				t.Errorf("Tag, Len = %d, %d", p.Tag(), p.Len())
			}
			var q Packet
			if err := q.Decode(tc.in, tc.strict); err != nil || q.Kind() != tc.kind || q.String() != tc.text {
				t.Errorf("Decode: %v, %v, %q", err, q.Kind(), q.String())
			}
		})
	}
}

// TestCaseViews reads the fields of each case view.
func TestCaseViews(t *testing.T) {
	p := parse(t, []byte{1, 4, 0xab, 0xcd, 0x12, 0x34}, false)
	e, ok := p.AsEcho()
	if !ok || e.ID() != 0xabcd || e.Seq() != 0x1234 {
		t.Errorf("AsEcho = %v, %v", e, ok)
	}
	e.SetSeq(0x5678)
	if q := parse(t, p.Bytes(), false); func() uint16 { e, _ := q.AsEcho(); return e.Seq() }() != 0x5678 {
		t.Errorf("SetSeq did not write the packet")
	}

	buf := []byte{20, 1, 0x59}
	p = parse(t, buf, true)
	f, _ := p.AsFlagged()
	f.SetFlags(0xfa) // only the low 4 bits are kept
	if buf[2] != 0xa9 || f.Flags() != 0xa || f.Level() != 9 {
		t.Errorf("SetFlags(0xfa): byte %#x, flags %d, level %d", buf[2], f.Flags(), f.Level())
	}
	// level has max(9): in a case, which cannot validate its packet, it
	// has no setter.
	if _, ok := reflect.TypeOf(&f).MethodByName("SetLevel"); ok {
		t.Errorf("Flagged has SetLevel, for a field with max")
	}

	p = parse(t, []byte{10, 5, 1, 0xde, 0xad, 0xbe, 0xef}, false)
	n, ok := p.AsNested()
	if !ok || n.Sub() != NestedSubWord || n.Kind() != NestedKindWord {
		t.Fatalf("AsNested = %v, %v", n.Kind(), ok)
	}
	if w, ok := n.AsWord(); !ok || w.W() != 0xdeadbeef {
		t.Errorf("AsWord = %v, %v", w, ok)
	}
	if _, ok := n.AsPair(); ok {
		t.Errorf("AsPair succeeds on a Word")
	}
	// sub decides a nested case: no setter.
	if _, ok := reflect.TypeOf(&n).MethodByName("SetSub"); ok {
		t.Errorf("Nested has SetSub, for a classify's field")
	}

	p = parse(t, []byte{7, 3, 1, 2, 3}, false)
	s, ok := p.AsShort()
	if !ok || !bytes.Equal(s.Data(), []byte{1, 2, 3}) {
		t.Errorf("AsShort = %v, %v", s, ok)
	}
	if _, ok := p.AsEmpty(); ok {
		t.Error("AsEmpty succeeds on a Short")
	}
	var em Empty
	if em.String() != "classify.Empty" {
		t.Errorf("Empty.String() = %q", em.String())
	}

	if KindEcho.String() != "Echo" || KindUnknown.String() != "Unknown" || Kind(99).String() != "Kind(99)" {
		t.Error("Kind.String")
	}
	if NestedSubPair2.String() != "Pair2" || NestedSub(7).String() != "NestedSub(7)" || NestedKindPair.String() != "Pair" {
		t.Error("NestedSub.String or NestedKind.String")
	}
}

// TestCaseErrors: errors inside case bodies name the field and offset.
func TestCaseErrors(t *testing.T) {
	for _, tc := range []struct {
		in     []byte
		strict bool
		field  string
		kind   mplrt.Kind
		off    int
	}{
		{[]byte{}, false, "tag", mplrt.KindTruncated, 0},
		{[]byte{1}, false, "len", mplrt.KindTruncated, 1},
		{[]byte{1, 4, 1}, false, "id", mplrt.KindTruncated, 2},
		{[]byte{1, 4, 1, 2, 3}, false, "seq", mplrt.KindTruncated, 4},
		{[]byte{3, 4, 1, 2, 3}, false, "data", mplrt.KindLength, 2},
		{[]byte{3, 9, 1, 2, 3, 4, 5, 6, 7, 8}, true, "data", mplrt.KindLength, 2}, // Long
		{[]byte{10, 1}, false, "sub", mplrt.KindTruncated, 2},
		{[]byte{10, 5, 1, 0, 0}, false, "w", mplrt.KindTruncated, 3},
		{[]byte{10, 3, 2, 7}, false, "y", mplrt.KindTruncated, 4},
		{[]byte{20, 1}, true, "flags", mplrt.KindTruncated, 2},
		{[]byte{20, 1, 0x0a}, true, "level", mplrt.KindMax, 2},
		{[]byte{99, 3, 1}, true, "raw", mplrt.KindLength, 2},
	} {
		_, err := Parse(tc.in, tc.strict)
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != tc.field || e.Kind != tc.kind || e.Offset != tc.off || e.Packet != "classify" {
			t.Errorf("Parse(%x, %v) = %v, want %s %s at %d", tc.in, tc.strict, err, tc.field, tc.kind, tc.off)
		}
	}
}

// build returns the bytes a builder appends after a prefix, checking that
// the prefix stays as it was.
func build(t *testing.T, b mplrt.Appender) ([]byte, error) {
	t.Helper()
	prefix := []byte{0xee, 0xee, 0xee}
	out, err := b.AppendTo(append([]byte(nil), prefix...))
	if !bytes.Equal(out[:len(prefix)], prefix) {
		t.Fatalf("%T.AppendTo changed dst", b)
	}
	if err != nil {
		if len(out) != len(prefix) {
			t.Errorf("%T.AppendTo returned %d bytes with an error, want dst unchanged", b, len(out))
		}
		return nil, err
	}
	return out[len(prefix):], nil
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// TestBuilders builds random packets of every case and parses them back.
func TestBuilders(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 3000; iter++ {
		strict := r.IntN(2) == 0
		var b mplrt.Appender
		var want Kind
		var check func(p *Packet) bool
		switch r.IntN(8) {
		case 0:
			b, want = EmptyBuilder{Strict: strict}, KindEmpty
			check = func(p *Packet) bool { return p.Len() == 0 }
		case 1:
			eb := EchoBuilder{Strict: strict, ID: uint16(r.Uint32()), Seq: uint16(r.Uint32())}
			b, want = eb, KindEcho
			check = func(p *Packet) bool { e, _ := p.AsEcho(); return e.ID() == eb.ID && e.Seq() == eb.Seq && p.Len() == 4 }
		case 2:
			n := r.IntN(5)
			if !strict {
				n = r.IntN(40)
			}
			sb := ShortBuilder{Strict: strict, Tag: uint8(2 + r.IntN(8)), Data: randBytes(r, n)}
			b, want = sb, KindShort
			check = func(p *Packet) bool {
				s, _ := p.AsShort()
				return bytes.Equal(s.Data(), sb.Data) && p.Tag() == sb.Tag && int(p.Len()) == n
			}
		case 3:
			// Long only when Short's guard fails: strict and longer
			// than 4.
			n := 5 + r.IntN(250)
			lb := LongBuilder{Strict: true, Tag: uint8(2 + r.IntN(8)), Data: randBytes(r, n)}
			strict = true
			b, want = lb, KindLong
			check = func(p *Packet) bool { l, _ := p.AsLong(); return bytes.Equal(l.Data(), lb.Data) && int(p.Len()) == n }
		case 4:
			sub := NestedSub(1 + r.IntN(3))
			body := randBytes(r, 4)
			if sub != NestedSubWord {
				body = body[:2]
			}
			nb := NestedBuilder{Strict: strict, Sub: sub, Body: body}
			b, want = nb, KindNested
			check = func(p *Packet) bool {
				n, _ := p.AsNested()
				if n.Sub() != sub {
					return false
				}
				if sub == NestedSubWord {
					w, ok := n.AsWord()
					return ok && w.W() == uint32(body[0])<<24|uint32(body[1])<<16|uint32(body[2])<<8|uint32(body[3])
				}
				x, ok := n.AsPair()
				return ok && x.X() == body[0] && x.Y() == body[1] && p.Len() == 3
			}
		case 5:
			tag := uint8(20 + r.IntN(10))
			if tag == 25 {
				tag = 26
			}
			fb := FlaggedBuilder{Strict: true, Tag: tag, Flags: uint8(r.IntN(16)), Level: uint8(r.IntN(10))}
			strict = true
			b, want = fb, KindFlagged
			check = func(p *Packet) bool {
				f, _ := p.AsFlagged()
				return f.Flags() == fb.Flags && f.Level() == fb.Level && p.Tag() == tag && p.Len() == 1
			}
		case 6:
			tag := uint8(30 + r.IntN(226))
			if r.IntN(4) == 0 {
				tag = 25
			}
			ab := AnyBuilder{Strict: true, Tag: tag, Raw: randBytes(r, r.IntN(256))}
			strict = true
			b, want = ab, KindAny
			check = func(p *Packet) bool { a, _ := p.AsAny(); return bytes.Equal(a.Raw(), ab.Raw) && p.Tag() == tag }
		case 7:
			// The raw builder with a body of some case.
			body := randBytes(r, r.IntN(10))
			rb := Builder{Strict: strict, Tag: uint8(11 + r.IntN(9)), Body: body}
			b, want = rb, KindUnknown
			check = func(p *Packet) bool { return bytes.Equal(p.Rest(), body) && int(p.Len()) == len(body) }
			if strict {
				// Strict, no case but Any takes tags 11..19.
				want = KindAny
				check = func(p *Packet) bool { a, _ := p.AsAny(); return bytes.Equal(a.Raw(), body) }
			}
		}
		out, err := build(t, b)
		if err != nil {
			t.Fatalf("%#v: %v", b, err)
		}
		p := parse(t, out, strict)
		checkKind(t, &p, want)
		if !check(&p) {
			t.Fatalf("%#v built %x, which parses as %s", b, out, p.String())
		}
		if want != KindUnknown && (!bytes.Equal(p.Bytes(), out) || len(p.Rest()) != 0) {
			t.Fatalf("%#v: Bytes %x Rest %x", b, p.Bytes(), p.Rest())
		}
	}
}

// TestBuilderClassifyErrors: a case builder whose values would parse as
// another case fails with KindClassify on the tag.
func TestBuilderClassifyErrors(t *testing.T) {
	for _, b := range []mplrt.Appender{
		// Short's guard fails: strict and longer than 4.
		ShortBuilder{Strict: true, Tag: 3, Data: make([]byte, 5)},
		// Short's pattern fails.
		ShortBuilder{Tag: 1, Data: nil},
		ShortBuilder{Tag: 10, Data: nil},
		// Long would parse as the earlier Short.
		LongBuilder{Strict: true, Tag: 3, Data: make([]byte, 4)},
		LongBuilder{Strict: false, Tag: 3, Data: make([]byte, 100)},
		LongBuilder{Strict: true, Tag: 11, Data: make([]byte, 100)},
		// Flagged: the guard on the parameter and the tag.
		FlaggedBuilder{Strict: false, Tag: 20},
		FlaggedBuilder{Strict: true, Tag: 25},
		FlaggedBuilder{Strict: true, Tag: 30},
		// Any: the guard is the parameter; earlier cases.
		AnyBuilder{Strict: false, Tag: 100},
		AnyBuilder{Strict: true, Tag: 0},
		AnyBuilder{Strict: true, Tag: 1, Raw: make([]byte, 4)},
		AnyBuilder{Strict: true, Tag: 4, Raw: make([]byte, 2)},
		AnyBuilder{Strict: true, Tag: 4, Raw: make([]byte, 20)},
		AnyBuilder{Strict: true, Tag: 10},
		AnyBuilder{Strict: true, Tag: 21},
	} {
		_, err := build(t, b)
		var e mplrt.Error
		if !errors.As(err, &e) || e.Kind != mplrt.KindClassify || e.Field != "tag" || e.Offset != 0 {
			t.Errorf("%#v: error %v, want a classify error on tag at 0", b, err)
		}
		if !errors.Is(err, mplrt.ErrClassify) {
			t.Errorf("%#v: error %v is not ErrClassify", b, err)
		}
	}
	// Lengths the len field cannot hold.
	_, err := build(t, AnyBuilder{Strict: true, Tag: 100, Raw: make([]byte, 256)})
	var e mplrt.Error
	if !errors.As(err, &e) || e.Field != "len" || e.Kind != mplrt.KindValue || e.Offset != 1 {
		t.Errorf("Raw of 256 bytes: %v, want a value error on len at 1", err)
	}
	// Bit fields that do not fit.
	_, err = build(t, FlaggedBuilder{Strict: true, Tag: 20, Flags: 16})
	if !errors.As(err, &e) || e.Field != "flags" || e.Kind != mplrt.KindMax || e.Offset != 2 {
		t.Errorf("Flags 16: %v, want a max error on flags at 2", err)
	}
}

// TestBuilderMax: level has max(9); the builder should not write 10..15,
// which Parse rejects.
func TestBuilderMax(t *testing.T) {
	out, err := build(t, FlaggedBuilder{Strict: true, Tag: 20, Level: 12})
	if err == nil {
		_, perr := Parse(out, true)
		t.Errorf("FlaggedBuilder{Level: 12} builds %x; Parse: %v", out, perr)
	}
}

// TestDecodeReuse decodes packets of different cases into one view: the
// view must hold the last one's case, including "unknown".
func TestDecodeReuse(t *testing.T) {
	var p Packet
	if err := p.Decode([]byte{1, 4, 1, 2, 3, 4}, false); err != nil || p.Kind() != KindEcho {
		t.Fatalf("Decode echo: %v %v", err, p.Kind())
	}
	unknown := []byte{200, 4, 9, 9, 9, 9}
	if err := p.Decode(unknown, false); err != nil {
		t.Fatal(err)
	}
	if p.Kind() != KindUnknown {
		e, ok := p.AsEcho()
		t.Errorf("after decoding an unknown tag, Kind() = %v (AsEcho = %v, %v), want Unknown", p.Kind(), e.String(), ok)
	}
	if !bytes.Equal(p.Rest(), unknown[2:]) {
		t.Errorf("Rest() = %x", p.Rest())
	}
}

// TestPrefixes parses every prefix of packets of each case: no panic, and
// any error is an mplrt.Error within the input.
func TestPrefixes(t *testing.T) {
	for _, in := range [][]byte{
		{1, 4, 1, 2, 3, 4}, {5, 5, 1, 2, 3, 4, 5}, {10, 5, 1, 0, 0, 1, 0}, {10, 3, 3, 7, 8},
		{20, 1, 0x59}, {200, 2, 1, 2},
	} {
		for _, strict := range []bool{false, true} {
			for n := 0; n <= len(in); n++ {
				p, err := Parse(in[:n], strict)
				if err != nil {
					var e mplrt.Error
					if !errors.As(err, &e) || e.Offset > n || e.Offset < 0 {
						t.Errorf("Parse(%x): %v", in[:n], err)
					}
					continue
				}
				_ = p.String()
				kinds(&p)
			}
		}
	}
}

// FuzzParse: Parse never panics; what it accepts walks, prints, and
// rebuilds with the builder of its case to the same bytes (but for len,
// which Parse does not check against the body).
func FuzzParse(f *testing.F) {
	for _, s := range [][]byte{
		{0, 0}, {1, 4, 1, 2, 3, 4}, {5, 5, 1, 2, 3, 4, 5}, {10, 5, 1, 0, 0, 1, 0}, {10, 3, 3, 7, 8},
		{20, 1, 0x59}, {200, 2, 1, 2}, {25, 1, 0}, {10, 3, 9, 1, 1},
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		p, err := Parse(data, strict)
		if err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "classify" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		p.Walk(func(mplrt.Field) bool { return true })
		_ = p.String()
		checkKind(t, &p, p.Kind())
		var b mplrt.Appender
		switch p.Kind() {
		case KindEmpty:
			b = EmptyBuilder{Strict: strict}
		case KindEcho:
			e, _ := p.AsEcho()
			b = EchoBuilder{Strict: strict, ID: e.ID(), Seq: e.Seq()}
		case KindShort:
			s, _ := p.AsShort()
			b = ShortBuilder{Strict: strict, Tag: p.Tag(), Data: s.Data()}
		case KindLong:
			l, _ := p.AsLong()
			b = LongBuilder{Strict: strict, Tag: p.Tag(), Data: l.Data()}
		case KindNested:
			n, _ := p.AsNested()
			_ = n.String()
			b = NestedBuilder{Strict: strict, Sub: n.Sub(), Body: p.Bytes()[3:]}
		case KindFlagged:
			fl, _ := p.AsFlagged()
			b = FlaggedBuilder{Strict: strict, Tag: p.Tag(), Flags: fl.Flags(), Level: fl.Level()}
		case KindAny:
			a, _ := p.AsAny()
			b = AnyBuilder{Strict: strict, Tag: p.Tag(), Raw: a.Raw()}
		default:
			return
		}
		out, err := b.AppendTo(nil)
		if err != nil {
			t.Fatalf("rebuilding %s: %v", p.String(), err)
		}
		want := append([]byte(nil), p.Bytes()...)
		want[1] = out[1]
		if !bytes.Equal(out, want) {
			t.Fatalf("rebuilt %x, want %x", out, want)
		}
		q, err := Parse(out, strict)
		if err != nil || q.Kind() != p.Kind() {
			t.Fatalf("rebuilt packet parses as %v, %v", q.Kind(), err)
		}
	})
}

// TestParamClassify: a classify on an int parameter.
func TestParamClassify(t *testing.T) {
	for _, tc := range []struct {
		mode int
		in   []byte
		kind SelKind
		n    int
	}{
		{0, []byte{7, 1, 2}, SelKindZero, 1},
		{1, []byte{7, 1, 2}, SelKindLow, 2},
		{3, []byte{7, 1, 2}, SelKindLow, 2},
		{4, []byte{7, 1, 2}, SelKindHigh, 0},
		{-1, []byte{}, SelKindHigh, 0},
	} {
		p, err := ParseSel(tc.in, tc.mode)
		if err != nil || p.Kind() != tc.kind || len(p.Bytes()) != tc.n {
			t.Errorf("ParseSel(%x, %d) = %v, %d bytes, %v; want %v, %d bytes", tc.in, tc.mode, p.Kind(), len(p.Bytes()), err, tc.kind, tc.n)
		}
	}
	if z, ok := func() (SelZero, bool) { p, _ := ParseSel([]byte{9}, 0); return p.AsZero() }(); !ok || z.Z() != 9 {
		t.Errorf("AsZero: %v %v", z.Z(), ok)
	}
	var e mplrt.Error
	if _, err := ParseSel([]byte{1}, 2); !errors.As(err, &e) || e.Field != "l" || e.Kind != mplrt.KindTruncated || e.Offset != 0 {
		t.Errorf("ParseSel(01, 2): %v", err)
	}
	// Builders with the right mode.
	for _, tc := range []struct {
		b    mplrt.Appender
		mode int
		kind SelKind
	}{
		{SelZeroBuilder{Mode: 0, Z: 5}, 0, SelKindZero},
		{SelLowBuilder{Mode: 2, L: 0x1234}, 2, SelKindLow},
		{SelHighBuilder{Mode: 9}, 9, SelKindHigh},
	} {
		out, err := build(t, tc.b)
		if err != nil {
			t.Fatalf("%#v: %v", tc.b, err)
		}
		if p, err := ParseSel(out, tc.mode); err != nil || p.Kind() != tc.kind || len(p.Rest()) != 0 {
			t.Errorf("%#v built %x: %v %v", tc.b, out, p.Kind(), err)
		}
	}
	// Builders with a mode of another case.
	for _, b := range []mplrt.Appender{
		SelLowBuilder{Mode: 0}, SelLowBuilder{Mode: 4}, SelHighBuilder{Mode: 0}, SelHighBuilder{Mode: 3},
	} {
		if _, err := build(t, b); !errors.As(err, &e) || e.Kind != mplrt.KindClassify || e.Field != "mode" {
			t.Errorf("%#v: %v, want a classify error on mode", b, err)
		}
	}
}

// TestParamClassifyValueCase: the builder of a case chosen by a single
// value of a parameter must check the parameter, as it does for ranges.
func TestParamClassifyValueCase(t *testing.T) {
	out, err := build(t, SelZeroBuilder{Mode: 2, Z: 5})
	if err == nil {
		p, perr := ParseSel(out, 2)
		t.Errorf("SelZeroBuilder{Mode: 2} built %x, which parses with mode 2 as %v (%v)", out, p.Kind(), perr)
	}
}

// diffPackets are the packets of the package for internal/fuzzcheck.
var diffPackets = []fuzzcheck.Packet{
	{Spec: "classify.mpl", Name: "classify", Parse: Parse, Params: [][]any{{false}, {true}},
		Builders: []any{Builder{}, EmptyBuilder{}, EchoBuilder{}, ShortBuilder{}, LongBuilder{},
			NestedBuilder{}, FlaggedBuilder{}, AnyBuilder{}}},
	{Spec: "classify.mpl", Name: "sel", Parse: ParseSel, Params: [][]any{{0}, {1}, {3}, {4}, {-1}},
		Builders: []any{SelBuilder{}, SelZeroBuilder{}, SelLowBuilder{}, SelHighBuilder{}}},
}

// FuzzDifferentialClassify parses the input as each packet, works the view
// through every accessor, case, Walk and String, rebuilds it with the
// builders and compares (see internal/fuzzcheck).
func FuzzDifferentialClassify(f *testing.F) {
	for _, s := range [][]byte{
		{0, 0}, {1, 4, 1, 2, 3, 4}, {5, 5, 1, 2, 3, 4, 5}, {10, 5, 1, 0, 0, 1, 0}, {10, 3, 3, 7, 8},
		{20, 1, 0x59}, {200, 2, 1, 2}, {25, 1, 0}, {10, 3, 9, 1, 1},
	} {
		f.Add(s)
	}
	for _, p := range diffPackets {
		for _, s := range fuzzcheck.Seeds(p) {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range diffPackets {
			fuzzcheck.Check(t, p, b)
		}
	})
}

// TestFailedSetterKeepsView: a setter whose new value fails validation
// puts the old bytes back and leaves the view as it was, its parameter
// included (the view is small enough to be parsed by value).
func TestFailedSetterKeepsView(t *testing.T) {
	b := []byte{1, 5, 0xee}
	p, err := ParseLimit(b, 5)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.SetN(11); err == nil {
		t.Fatal("SetN(11) accepted a value above max(10)")
	}
	if p.N() != 1 || p.M() != 5 || len(p.Bytes()) != 2 || len(p.Rest()) != 1 || b[0] != 1 {
		t.Errorf("after a failed SetN: n=%d m=%d bytes=%x rest=%x input=%x", p.N(), p.M(), p.Bytes(), p.Rest(), b)
	}
	if err := p.SetN(7); err != nil || p.N() != 7 || b[0] != 7 {
		t.Errorf("SetN(7) after a failed SetN: err=%v n=%d input=%x", err, p.N(), b)
	}
	// A parameter that the bytes contradict.
	if _, err := ParseLimit(b, 6); err == nil {
		t.Error("ParseLimit with w=6 accepted m=5")
	}
}
