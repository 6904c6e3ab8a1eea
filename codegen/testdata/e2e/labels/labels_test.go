package labels

// These tests run the code mplc generates from labels.mpl: label
// accessors, offset() and sizeof() in lengths (in the view that declares
// them and in nested case views), remaining() in a case, align(32), and
// labels and offsets in array elements.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math/rand/v2"
	"os"
	"strings"
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

// frame holds the values of a frame; encode lays them out as the spec says.
type frame struct {
	mode             uint8
	opts, name, echo []byte
	// Tail
	tail, sig, rest []byte
	// Sized
	body []byte
	// Other
	data []byte
	crc  uint16
}

func padLen(name []byte) int { return (4 - (1+2*len(name))%4) % 4 }

func (f *frame) encode() []byte {
	b := []byte{byte(4 + len(f.opts)), f.mode, 0, 0}
	b = append(b, f.opts...)
	b = append(b, byte(len(f.name)))
	b = append(b, f.name...)
	b = append(b, f.echo...)
	b = append(b, make([]byte, padLen(f.name))...)
	switch f.mode {
	case 1:
		b = append(b, byte(len(f.tail)))
		b = append(b, f.tail...)
		b = append(b, f.sig...)
		b = append(b, f.rest...)
	case 2:
		b = append(b, f.body...)
	default:
		b = append(b, f.data...)
		b = binary.BigEndian.AppendUint16(b, f.crc)
	}
	binary.BigEndian.PutUint16(b[2:], uint16(len(b)))
	return b
}

// offsets of the labels and of the case body.
func (f *frame) optsEnd() int { return 4 + len(f.opts) }
func (f *frame) nameEnd() int { return f.optsEnd() + 1 + len(f.name) }
func (f *frame) caseAt() int  { return f.nameEnd() + len(f.echo) + padLen(f.name) }

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func randFrame(r *rand.Rand) *frame {
	f := &frame{mode: uint8(r.IntN(4))}
	if r.IntN(4) == 0 {
		f.mode = uint8(r.Uint32())
	}
	f.opts = randBytes(r, 4*r.IntN(5))
	f.name = randBytes(r, r.IntN(12))
	f.echo = randBytes(r, len(f.name))
	switch f.mode {
	case 1:
		f.tail = randBytes(r, r.IntN(9))
		f.sig = randBytes(r, len(f.name))
		f.rest = randBytes(r, r.IntN(9))
	case 2:
		f.body = randBytes(r, r.IntN(20))
	default:
		f.data = randBytes(r, r.IntN(20))
		f.crc = uint16(r.Uint32())
	}
	return f
}

// builder returns the builder of f's case.
func (f *frame) builder() mplrt.Appender {
	pad := make([]byte, padLen(f.name))
	switch f.mode {
	case 1:
		return TailBuilder{Opts: f.opts, Name: f.name, Echo: f.echo, Pad: pad, Tail: f.tail, Sig: f.sig, Rest: f.rest}
	case 2:
		return SizedBuilder{Opts: f.opts, Name: f.name, Echo: f.echo, Pad: pad, Body: f.body}
	}
	return OtherBuilder{Mode: f.mode, Opts: f.opts, Name: f.name, Echo: f.echo, Pad: pad, Data: f.data, CRC: f.crc}
}

// check compares a parsed frame with f.
func (f *frame) check(t *testing.T, p *Packet, n int) {
	t.Helper()
	fail := func(what string, got, want any) {
		t.Helper()
		t.Fatalf("%s = %v, want %v (frame %x)", what, got, want, p.Bytes())
	}
	if p.Hlen() != uint8(f.optsEnd()) || p.Mode() != f.mode || int(p.Total()) != n || int(p.Nlen()) != len(f.name) {
		t.Fatalf("header %d %d %d %d", p.Hlen(), p.Mode(), p.Total(), p.Nlen())
	}
	if p.FixedEnd() != 4 {
		fail("FixedEnd()", p.FixedEnd(), 4)
	}
	if p.OptsEnd() != f.optsEnd() {
		fail("OptsEnd()", p.OptsEnd(), f.optsEnd())
	}
	if p.NameEnd() != f.nameEnd() {
		fail("NameEnd()", p.NameEnd(), f.nameEnd())
	}
	if p.End() != n {
		fail("End()", p.End(), n)
	}
	if !bytes.Equal(p.Opts(), f.opts) || !bytes.Equal(p.Name(), f.name) || !bytes.Equal(p.Echo(), f.echo) || len(p.Pad()) != padLen(f.name) {
		t.Fatalf("opts %x name %x echo %x pad %x", p.Opts(), p.Name(), p.Echo(), p.Pad())
	}
	switch f.mode {
	case 1:
		c, ok := p.AsTail()
		if !ok || p.Kind() != KindTail {
			fail("Kind()", p.Kind(), KindTail)
		}
		if int(c.Tlen()) != len(f.tail) || !bytes.Equal(c.Tail(), f.tail) || !bytes.Equal(c.Sig(), f.sig) || !bytes.Equal(c.Rest(), f.rest) {
			t.Fatalf("Tail %s", c.String())
		}
		if want := f.caseAt() + 1 + len(f.tail); c.Mark() != want {
			fail("Mark()", c.Mark(), want)
		}
	case 2:
		c, ok := p.AsSized()
		if !ok || p.Kind() != KindSized {
			fail("Kind()", p.Kind(), KindSized)
		}
		if !bytes.Equal(c.Body(), f.body) {
			fail("Body()", c.Body(), f.body)
		}
	default:
		c, ok := p.AsOther()
		if !ok || p.Kind() != KindOther {
			fail("Kind()", p.Kind(), KindOther)
		}
		if !bytes.Equal(c.Data(), f.data) || c.CRC() != f.crc {
			t.Fatalf("Other %s", c.String())
		}
	}
}

// TestRoundTrip builds random frames of every case, compares them with the
// reference layout, and parses them back.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 3000; iter++ {
		f := randFrame(r)
		want := f.encode()
		out, err := f.builder().AppendTo([]byte{0xcc})
		if err != nil {
			t.Fatalf("%#v: %v", f.builder(), err)
		}
		if out[0] != 0xcc || !bytes.Equal(out[1:], want) {
			t.Fatalf("built %x, want %x", out[1:], want)
		}
		p, err := Parse(want)
		if err != nil {
			t.Fatalf("Parse(%x): %v", want, err)
		}
		f.check(t, &p, len(want))
		_ = p.String()

		// The raw builder with the case's bytes gives the same frame.
		raw := Builder{Mode: f.mode, Opts: f.opts, Name: f.name, Echo: f.echo, Pad: make([]byte, padLen(f.name)), Body: want[f.caseAt():]}
		out, err = raw.AppendTo(nil)
		if err != nil || !bytes.Equal(out, want) {
			t.Fatalf("raw builder: %x, %v; want %x", out, err, want)
		}

		// Bytes after the frame: in Sized, total ends the frame before
		// them; in Tail and Other, remaining() takes them, and total no
		// longer holds the frame's length.
		long := append(append([]byte(nil), want...), 1, 2, 3)
		q, err := Parse(long)
		if f.mode != 2 {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Field != "total" || e.Kind != mplrt.KindValue || e.Offset != 2 {
				t.Fatalf("Parse with 3 more bytes, mode %d: %v; want total's value error at 2", f.mode, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Parse with 3 more bytes: %v", err)
		}
		if q.End() != len(want) || !bytes.Equal(q.Rest(), []byte{1, 2, 3}) {
			t.Fatalf("Sized with 3 more bytes: End %d, Rest %x", q.End(), q.Rest())
		}
	}
}

// TestParseErrors: lengths that break the spec fail with the field, kind
// and offset of the length.
func TestParseErrors(t *testing.T) {
	f := &frame{mode: 2, opts: make([]byte, 4), name: []byte{1, 2, 3}, echo: []byte{4, 5, 6}, body: []byte{7, 8}}
	good := f.encode() // opts at 4, nlen at 8, name at 9, echo at 12, pad at 15, body at 16
	for _, tc := range []struct {
		name  string
		edit  func(b []byte) []byte
		field string
		kind  mplrt.Kind
		off   int
	}{
		{"hlen not a multiple of 4", func(b []byte) []byte { b[0] = 10; return b }, "opts", mplrt.KindAlign, 4},
		{"hlen below the fixed part", func(b []byte) []byte { b[0] = 3; return b }, "opts", mplrt.KindLength, 4},
		{"hlen beyond the input", func(b []byte) []byte { b[0] = 200; return b }, "opts", mplrt.KindLength, 4},
		{"no nlen", func(b []byte) []byte { return b[:8] }, "nlen", mplrt.KindTruncated, 8},
		{"name beyond the input", func(b []byte) []byte { return b[:11] }, "name", mplrt.KindLength, 9},
		{"echo beyond the input", func(b []byte) []byte { return b[:14] }, "echo", mplrt.KindLength, 12},
		{"pad beyond the input", func(b []byte) []byte { return b[:15] }, "pad", mplrt.KindLength, 15},
		{"total below the body", func(b []byte) []byte { b[3] = 15; return b }, "body", mplrt.KindLength, 16},
		{"total beyond the input", func(b []byte) []byte { b[3] = 19; return b }, "body", mplrt.KindLength, 16},
		{"tail beyond the input", func(b []byte) []byte { b[1] = 1; b[16] = 9; return b }, "tail", mplrt.KindLength, 17},
		{"sig beyond the input", func(b []byte) []byte { b[1] = 1; b[16] = 0; return b[:19] }, "sig", mplrt.KindLength, 17},
		{"no crc", func(b []byte) []byte { b[1] = 0; return b[:17] }, "data", mplrt.KindLength, 16},
	} {
		b := tc.edit(append([]byte(nil), good...))
		_, err := Parse(b)
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != tc.field || e.Kind != tc.kind || e.Offset != tc.off {
			t.Errorf("%s: Parse(%x) = %v, want %s %s at %d", tc.name, b, err, tc.field, tc.kind, tc.off)
		}
	}
	// Every prefix: an mplrt.Error within the input, or a frame (Tail and
	// Other end with remaining()) no longer than the input.
	r := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 300; iter++ {
		b := randFrame(r).encode()
		for n := 0; n < len(b); n++ {
			p, err := Parse(b[:n])
			if err != nil {
				var e mplrt.Error
				if !errors.As(err, &e) || e.Offset < 0 || e.Offset > n {
					t.Fatalf("Parse(%x): %v", b[:n], err)
				}
				continue
			}
			if p.End() > n || len(p.Bytes()) != p.End() {
				t.Fatalf("Parse(%x): End %d", b[:n], p.End())
			}
			_ = p.String()
		}
	}
}

// TestBuildErrors: lengths given to the builders that do not agree with
// the spec fail with the field and its offset.
func TestBuildErrors(t *testing.T) {
	name := []byte{1, 2, 3}
	pad := make([]byte, padLen(name))
	for _, tc := range []struct {
		b     mplrt.Appender
		field string
		kind  mplrt.Kind
		off   int
	}{
		{SizedBuilder{Opts: make([]byte, 3), Name: name, Echo: name, Pad: pad}, "opts", mplrt.KindAlign, 4},
		{OtherBuilder{Opts: make([]byte, 252), Name: name, Echo: name, Pad: pad}, "hlen", mplrt.KindValue, 0},
		{SizedBuilder{Name: name, Echo: name[:2], Pad: pad}, "echo", mplrt.KindLength, 8},
		{SizedBuilder{Name: name, Echo: name, Pad: nil}, "pad", mplrt.KindLength, 11},
		{TailBuilder{Name: name, Echo: name, Pad: pad, Sig: name[:1]}, "sig", mplrt.KindLength, 13},
		{TailBuilder{Name: name, Echo: name, Pad: pad, Tail: make([]byte, 256)}, "tlen", mplrt.KindValue, 12},
		{SizedBuilder{Name: make([]byte, 256)}, "nlen", mplrt.KindValue, 4},
		{OtherBuilder{Mode: 1, Name: name, Echo: name, Pad: pad}, "mode", mplrt.KindClassify, 1},
		{Builder{Name: name, Echo: name, Pad: pad, Body: make([]byte, 70000)}, "total", mplrt.KindValue, 2},
	} {
		out, err := tc.b.AppendTo([]byte{9})
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != tc.field || e.Kind != tc.kind || e.Offset != tc.off || e.Packet != "labels" {
			t.Errorf("%T: %v, want %s %s at %d", tc.b, err, tc.field, tc.kind, tc.off)
		}
		if !bytes.Equal(out, []byte{9}) {
			t.Errorf("%T: dst after an error: %x", tc.b, out)
		}
	}
}

// TestNest builds a Sized frame around another frame with mplrt.Nest:
// total counts the inner frame.
func TestNest(t *testing.T) {
	inner := &frame{mode: 0, name: []byte("in"), echo: []byte("in"), data: []byte{1}, crc: 7}
	outer := SizedBuilder{Opts: make([]byte, 8), Name: []byte("out"), Echo: []byte("out"), Pad: make([]byte, padLen([]byte("out")))}
	out, err := mplrt.Nest(outer, inner.builder()).AppendTo([]byte{0xff})
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(out[1:])
	if err != nil {
		t.Fatal(err)
	}
	s, ok := p.AsSized()
	if !ok || int(p.Total()) != len(out)-1 || !bytes.Equal(s.Body(), inner.encode()) {
		t.Fatalf("nested: %s", p.String())
	}
}

// elemsItem is one element of an elems packet; encodeElems lays them out
// with offsets counted from the start of each element, as static offsets
// in elements are (lang.Field.Offset) and as the element builders count.
func encodeElems(items [][]byte) []byte {
	b := []byte{byte(len(items))}
	for _, d := range items {
		b = append(b, byte(len(d)))
		b = append(b, d...)
		b = append(b, make([]byte, (1+len(d))%2)...)
	}
	return b
}

// TestElemsBuild builds elements; ElemsItemBuilder counts offset(idata)
// from the start of the element.
func TestElemsBuild(t *testing.T) {
	items := [][]byte{{1, 2}, {3}, {}, {4, 5, 6, 7}}
	var bs []ElemsItemBuilder
	for _, d := range items {
		bs = append(bs, ElemsItemBuilder{Idata: d, Ipad: make([]byte, (1+len(d))%2)})
	}
	out, err := ElemsBuilder{Items: bs}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, encodeElems(items)) {
		t.Fatalf("ElemsBuilder: %x, %v; want %x", out, err, encodeElems(items))
	}
	// The builder checks the pad against the element's own offsets.
	_, err = ElemsBuilder{Items: []ElemsItemBuilder{{Idata: []byte{1, 2}}}}.AppendTo(nil)
	var e mplrt.Error
	if !errors.As(err, &e) || e.Field != "ipad" || e.Kind != mplrt.KindLength {
		t.Errorf("ipad missing: %v", err)
	}
}

// TestElemsParse parses what ElemsBuilder built.
func TestElemsParse(t *testing.T) {
	items := [][]byte{{1, 2}, {3}, {}, {4, 5, 6, 7}}
	b := encodeElems(items)
	p, err := ParseElems(b)
	if err != nil {
		t.Fatalf("ParseElems(%x): %v", b, err)
	}
	it := p.Items()
	for i, d := range items {
		e, ok := it.Next()
		if !ok || !bytes.Equal(e.Idata(), d) || len(e.Ipad()) != (1+len(d))%2 {
			t.Fatalf("element %d: %s", i, e.String())
		}
	}
}

// TestElemsLabels: the labels at the start and the end of an element are
// as far apart as the element is long.
func TestElemsLabels(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	found := 0
	for iter := 0; iter < 20000 && found < 200; iter++ {
		b := randBytes(r, 1+r.IntN(9))
		b[0] = byte(r.IntN(4))
		p, err := ParseElems(b)
		if err != nil || len(p.Rest()) != 0 {
			continue
		}
		found++
		it := p.Items()
		for i := 0; i < int(p.Count()); i++ {
			e, _ := it.Next()
			size := 1 + len(e.Idata()) + len(e.Ipad())
			if e.ItemEnd()-e.ItemStart() != size {
				t.Fatalf("ParseElems(%x) element %d: ItemStart %d, ItemEnd %d, size %d", b, i, e.ItemStart(), e.ItemEnd(), size)
			}
		}
	}
	if found < 50 {
		t.Fatalf("only %d valid inputs", found)
	}
}

// TestElemsIterTrailing: the iterator yields the elements Parse
// validated, whatever follows the packet in the input.
func TestElemsIterTrailing(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	found := 0
	for iter := 0; iter < 20000 && found < 200; iter++ {
		b := randBytes(r, 1+r.IntN(9))
		b[0] = byte(r.IntN(4))
		p, err := ParseElems(b)
		if err != nil {
			continue
		}
		found++
		exact, err := ParseElems(p.Bytes())
		if err != nil {
			t.Fatalf("ParseElems(%x): %v", p.Bytes(), err)
		}
		want := exact.String()
		q, err := ParseElems(append(append([]byte(nil), p.Bytes()...), 0xff))
		if err != nil {
			t.Fatalf("ParseElems(%x ff): %v", p.Bytes(), err)
		}
		if got := q.String(); got != want {
			t.Errorf("ParseElems(%x): %s\nwith a byte after it: %s", p.Bytes(), want, got)
		}
		n := 0
		for it := q.Items(); ; n++ {
			if _, ok := it.Next(); !ok {
				break
			}
		}
		if n != int(q.Count()) {
			t.Errorf("ParseElems(%x ff): the iterator yields %d of %d elements", p.Bytes(), n, q.Count())
		}
	}
	if found < 50 {
		t.Fatalf("only %d valid inputs", found)
	}
}

// FuzzParse: Parse never panics; a frame it accepts walks, prints and
// rebuilds with its case's builder to the same bytes (but for total, which
// Parse checks only in the Sized case). ParseElems never panics either.
func FuzzParse(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 12; i++ {
		f.Add(randFrame(r).encode())
	}
	f.Add(encodeElems([][]byte{{1, 2}, {3}, {}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		if e, err := ParseElems(data); err == nil {
			_ = e.String()
			for it := e.Items(); ; {
				x, ok := it.Next()
				if !ok {
					break
				}
				_ = x.ItemEnd()
			}
		}
		p, err := Parse(data)
		if err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "labels" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		_ = p.String()
		fr := &frame{mode: p.Mode(), opts: p.Opts(), name: p.Name(), echo: p.Echo()}
		switch p.Kind() {
		case KindTail:
			c, _ := p.AsTail()
			fr.tail, fr.sig, fr.rest = c.Tail(), c.Sig(), c.Rest()
		case KindSized:
			c, _ := p.AsSized()
			fr.body = c.Body()
		case KindOther:
			c, _ := p.AsOther()
			fr.data, fr.crc = c.Data(), c.CRC()
		}
		b := fr.builder()
		switch x := b.(type) {
		case TailBuilder:
			x.Pad = p.Pad()
			b = x
		case SizedBuilder:
			x.Pad = p.Pad()
			b = x
		case OtherBuilder:
			x.Pad = p.Pad()
			b = x
		}
		out, err := b.AppendTo(nil)
		if err != nil {
			t.Fatalf("rebuilding %s: %v", p.String(), err)
		}
		want := append([]byte(nil), p.Bytes()...)
		copy(want[2:4], out[2:4])
		if !bytes.Equal(out, want) {
			t.Fatalf("rebuilt %x, want %x", out, want)
		}
	})
}

// diffPackets are the packets of the package for internal/fuzzcheck.
var diffPackets = []fuzzcheck.Packet{
	{Spec: "labels.mpl", Name: "labels", Parse: Parse,
		Builders: []any{Builder{}, TailBuilder{}, SizedBuilder{}, OtherBuilder{}}},
	{Spec: "labels.mpl", Name: "elems", Parse: ParseElems, Builders: []any{ElemsBuilder{}, ElemsItemBuilder{}}},
}

// FuzzDifferentialLabels parses the input as each packet, works the view
// through every accessor, case, iterator, Walk and String, rebuilds it
// with the builders and compares (see internal/fuzzcheck).
func FuzzDifferentialLabels(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 12; i++ {
		f.Add(randFrame(r).encode())
	}
	f.Add(encodeElems([][]byte{{1, 2}, {3}, {}}))
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

// TestElemsLabelDoc: the label accessors of an array element return
// offsets from the start of the element (item_start is 0 in every
// element), as the generator now counts them; their doc must say so.
func TestElemsLabelDoc(t *testing.T) {
	src, err := os.ReadFile("labels.go")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.ReplaceAll(string(src), "\n// ", " ")
	p, err := ParseElems(encodeElems([][]byte{{1, 2}, {3}}))
	if err != nil {
		t.Fatal(err)
	}
	it := p.Items()
	it.Next()
	e, _ := it.Next()
	if e.ItemStart() == 0 && strings.Contains(doc, "ItemStart returns the byte offset of the item_start label from the start of the packet.") {
		t.Errorf("the second element's ItemStart() is 0, but its doc says it is the offset from the start of the packet")
	}
}
