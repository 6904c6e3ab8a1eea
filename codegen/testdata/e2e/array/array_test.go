package array

// These tests run the code mplc generates from array.mpl: counted arrays
// built from element builders, parsed back and iterated, and the errors of
// counts and elements that do not fit the input.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
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

// encode is the reference encoding of a table with the given rows.
func encode(rows []RowBuilder) []byte {
	b := []byte{2}
	b = binary.BigEndian.AppendUint16(b, uint16(len(rows)))
	for _, r := range rows {
		b = binary.BigEndian.AppendUint32(b, r.ID)
		b = append(b, r.Flags<<5|uint8(r.Kind), byte(len(r.Data)))
		b = append(b, r.Data...)
		b = binary.BigEndian.AppendUint16(b, r.Check)
	}
	return binary.BigEndian.AppendUint16(b, 0xbeef)
}

func randRows(r *rand.Rand) []RowBuilder {
	n := r.IntN(12)
	if r.IntN(10) == 0 {
		n = 0
	}
	rows := make([]RowBuilder, n)
	for i := range rows {
		data := make([]byte, r.IntN(20))
		if r.IntN(20) == 0 {
			data = make([]byte, 255)
		}
		for j := range data {
			data[j] = byte(r.Uint32())
		}
		rows[i] = RowBuilder{ID: 1 + r.Uint32N(1<<32-1), Flags: uint8(r.IntN(8)), Kind: RowKind(r.IntN(32)), Data: data, Check: uint16(r.Uint32())}
		if r.IntN(5) == 0 {
			rows[i].Data = nil
		}
	}
	return rows
}

func sameRow(e *Row, want RowBuilder) bool {
	return e.ID() == want.ID && e.Flags() == want.Flags && e.Kind() == want.Kind &&
		int(e.Size()) == len(want.Data) && bytes.Equal(e.Data(), want.Data) && e.Check() == want.Check
}

// TestRoundTrip builds random tables, compares them with the reference
// encoding, parses them and iterates over the rows.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for iter := 0; iter < 2000; iter++ {
		rows := randRows(r)
		want := encode(rows)
		out, err := Builder{Rows: rows}.AppendTo([]byte("head"))
		if err != nil {
			t.Fatalf("AppendTo: %v", err)
		}
		if string(out[:4]) != "head" || !bytes.Equal(out[4:], want) {
			t.Fatalf("built %x, want %x", out[4:], want)
		}
		buf := append(out[4:], 0xaa) // and a byte after the packet
		p, err := Parse(buf)
		if err != nil {
			t.Fatalf("Parse(%x): %v", buf, err)
		}
		if p.Version() != 2 || int(p.Count()) != len(rows) || p.Trailer() != 0xbeef {
			t.Fatalf("version %d count %d trailer %#x", p.Version(), p.Count(), p.Trailer())
		}
		if !bytes.Equal(p.Bytes(), want) || !bytes.Equal(p.Rest(), []byte{0xaa}) {
			t.Fatalf("Bytes %x Rest %x", p.Bytes(), p.Rest())
		}
		it := p.Rows()
		for i, w := range rows {
			if it.Len() != len(rows)-i {
				t.Fatalf("Len() = %d before element %d of %d", it.Len(), i, len(rows))
			}
			e, ok := it.Next()
			if !ok || !sameRow(&e, w) {
				t.Fatalf("element %d: %v %v, want %+v", i, e.String(), ok, w)
			}
		}
		if e, ok := it.Next(); ok || it.Len() != 0 {
			t.Fatalf("Next after the last element: %v %v", e.String(), ok)
		}
		// A second iterator starts again.
		if it2 := p.Rows(); it2.Len() != len(rows) {
			t.Fatalf("a new iterator has %d elements", it2.Len())
		}
		if iter%50 == 0 {
			checkWalk(t, &p, rows)
		}
	}
}

// checkWalk compares Walk with the rows: elements' fields carry the
// array's name and their index.
func checkWalk(t *testing.T, p *Packet, rows []RowBuilder) {
	t.Helper()
	var got []string
	p.Walk(func(f mplrt.Field) bool {
		got = append(got, string(f.AppendText(nil)))
		return true
	})
	want := []string{"version=2", fmt.Sprintf("count=%d", len(rows))}
	for i, r := range rows {
		kind := r.Kind.String()
		if r.Kind != RowKindText && r.Kind != RowKindBlob {
			kind = fmt.Sprint(uint8(r.Kind))
		}
		data := fmt.Sprintf("%x", r.Data)
		switch {
		case len(r.Data) == 0:
			data = `""`
		case len(r.Data) > 16:
			data = fmt.Sprintf("[%d]%x...", len(r.Data), r.Data[:16])
		}
		want = append(want,
			fmt.Sprintf("rows[%d].id=%d", i, r.ID),
			fmt.Sprintf("rows[%d].flags=%d", i, r.Flags),
			fmt.Sprintf("rows[%d].kind=%s", i, kind),
			fmt.Sprintf("rows[%d].size=%d", i, len(r.Data)),
			fmt.Sprintf("rows[%d].data=%s", i, data),
			fmt.Sprintf("rows[%d].check=0x%04x", i, r.Check))
	}
	want = append(want, "trailer=48879")
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("Walk:\n got %s\nwant %s", strings.Join(got, " "), strings.Join(want, " "))
	}
	if s := p.String(); s != "array "+strings.Join(want, " ") {
		t.Fatalf("String() = %s", s)
	}
	// Walk stops when fn returns false.
	n := 0
	if p.Walk(func(mplrt.Field) bool { n++; return n < 3 }) || n != 3 {
		t.Fatalf("Walk did not stop: %d calls", n)
	}
}

func TestCountZero(t *testing.T) {
	p, err := Parse([]byte{2, 0, 0, 0xbe, 0xef})
	if err != nil {
		t.Fatal(err)
	}
	it := p.Rows()
	if it.Len() != 0 {
		t.Errorf("Len() = %d", it.Len())
	}
	if _, ok := it.Next(); ok {
		t.Error("Next on an empty array")
	}
	out, err := Builder{}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, []byte{2, 0, 0, 0xbe, 0xef}) {
		t.Errorf("Builder{} = %x, %v", out, err)
	}
	if s := p.String(); s != "array version=2 count=0 trailer=48879" {
		t.Errorf("String() = %q", s)
	}
}

// refErr is what parsing b should report: a reference parser written from
// the spec. It returns the field, kind and offset of the first failure.
func refErr(b []byte) (string, mplrt.Kind, int) {
	if len(b) < 1 {
		return "version", mplrt.KindTruncated, 0
	}
	if len(b) < 3 {
		return "count", mplrt.KindTruncated, 1
	}
	if b[0] != 2 {
		return "version", mplrt.KindConst, 0
	}
	count := int(binary.BigEndian.Uint16(b[1:]))
	if count > 1000 {
		return "count", mplrt.KindMax, 1
	}
	off := 3
	if count > len(b)-off {
		return "rows", mplrt.KindLength, off
	}
	for i := 0; i < count; i++ {
		switch n := len(b) - off; {
		case n < 4:
			return "id", mplrt.KindTruncated, off
		case n < 5:
			return "flags", mplrt.KindTruncated, off + 4
		case n < 6:
			return "size", mplrt.KindTruncated, off + 5
		}
		if binary.BigEndian.Uint32(b[off:]) == 0 {
			return "id", mplrt.KindMin, off
		}
		size := int(b[off+5])
		off += 6
		if size > len(b)-off {
			return "data", mplrt.KindLength, off
		}
		off += size
		if len(b)-off < 2 {
			return "check", mplrt.KindTruncated, off
		}
		off += 2
	}
	if len(b)-off < 2 {
		return "trailer", mplrt.KindTruncated, off
	}
	if binary.BigEndian.Uint16(b[off:]) != 0xbeef {
		return "trailer", mplrt.KindConst, off
	}
	return "", 0, -1
}

func checkErr(t *testing.T, b []byte) {
	t.Helper()
	field, kind, off := refErr(b)
	p, err := Parse(b)
	if off < 0 {
		if err != nil {
			t.Fatalf("Parse(%x): %v, want success", b, err)
		}
		return
	}
	var e mplrt.Error
	if !errors.As(err, &e) || e.Field != field || e.Kind != kind || e.Offset != off || e.Packet != "array" {
		t.Fatalf("Parse(%x) = %v, %v; want %s %s at %d", b, p.String(), err, field, kind, off)
	}
}

// TestErrors: every prefix of random tables, and tables whose count does
// not match their rows, fail as the reference parser says.
func TestErrors(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 300; iter++ {
		rows := randRows(r)
		b := encode(rows)
		for n := 0; n <= len(b); n++ {
			checkErr(t, b[:n])
		}
		// Counts above and below the rows.
		for _, c := range []int{len(rows) + 1, len(rows) + 2, len(rows) + 100, 1000, 1001, 65535} {
			c2 := append([]byte(nil), b...)
			binary.BigEndian.PutUint16(c2[1:], uint16(c))
			checkErr(t, c2)
		}
		if len(rows) > 0 {
			c2 := append([]byte(nil), b...)
			binary.BigEndian.PutUint16(c2[1:], uint16(len(rows)-1))
			checkErr(t, c2)
			// A row's size beyond its data.
			c3 := append([]byte(nil), b...)
			c3[3+5] = 255
			checkErr(t, c3)
			// id 0 breaks min(1).
			c4 := append([]byte(nil), b...)
			binary.BigEndian.PutUint32(c4[3:], 0)
			checkErr(t, c4)
		}
	}
	checkErr(t, []byte{3, 0, 0, 0xbe, 0xef})
	checkErr(t, []byte{2, 0, 0, 0xbe, 0xee})
}

// TestIterAfterSetters changes element sizes in the bytes after parsing
// (elements have no setters for the fields Parse checks): the iterator
// stops at an element that no longer fits and never panics. The packet's
// checked SetCount refuses a count above max and keeps the view.
func TestIterAfterSetters(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for iter := 0; iter < 200; iter++ {
		rows := randRows(r)
		if len(rows) == 0 {
			continue
		}
		b := encode(rows)
		p, err := Parse(b)
		if err != nil {
			t.Fatal(err)
		}
		// Row k's size byte becomes 255.
		k := r.IntN(len(rows))
		off := 3
		for i := 0; i < k; i++ {
			off += 4 + 1 + 1 + len(rows[i].Data) + 2
		}
		b[off+5] = 255
		n := 0
		for it := p.Rows(); ; n++ {
			if _, ok := it.Next(); !ok {
				break
			}
		}
		if n > len(rows) {
			t.Fatalf("iterated %d elements of %d", n, len(rows))
		}
		_ = p.String()
		if err := p.SetCount(65535); err == nil {
			t.Fatal("SetCount(65535) above max(1000) succeeded")
		}
		if it := p.Rows(); it.Len() != len(rows) {
			t.Fatalf("after SetCount the iterator has %d elements, want the %d parsed", it.Len(), len(rows))
		}
		_ = p.String()
	}
	var zero RowsIter
	if _, ok := zero.Next(); ok {
		t.Error("Next on a zero iterator")
	}
}

// TestBuildErrors: element builders report their errors through the
// packet builder, which leaves dst unchanged.
func TestBuildErrors(t *testing.T) {
	ok := RowBuilder{ID: 1, Data: []byte{1, 2, 3}}
	for _, tc := range []struct {
		rows  []RowBuilder
		field string
		kind  mplrt.Kind
	}{
		{[]RowBuilder{{ID: 1, Flags: 8}}, "flags", mplrt.KindMax},
		{[]RowBuilder{ok, {ID: 1, Kind: 32}}, "kind", mplrt.KindMax},
		{[]RowBuilder{ok, ok, {ID: 1, Data: make([]byte, 256)}}, "size", mplrt.KindValue},
	} {
		out, err := Builder{Rows: tc.rows}.AppendTo([]byte("x"))
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != tc.field || e.Kind != tc.kind {
			t.Errorf("%+v: %v, want %s %s", tc.rows, err, tc.field, tc.kind)
		}
		if string(out) != "x" {
			t.Errorf("dst after an error: %q", out)
		}
	}
	rows := make([]RowBuilder, 65536)
	for i := range rows {
		rows[i] = RowBuilder{ID: 1}
	}
	_, err := Builder{Rows: rows}.AppendTo(nil)
	var e mplrt.Error
	if !errors.As(err, &e) || e.Field != "count" || e.Kind != mplrt.KindValue || e.Offset != 1 {
		t.Errorf("65536 rows: %v, want a value error on count at 1", err)
	}
}

// TestBuildErrorOffsets: an error in the third row names the field at its
// offset in the packet, as parse errors do.
func TestBuildErrorOffsets(t *testing.T) {
	ok := RowBuilder{ID: 1, Data: []byte{1, 2, 3}} // 11 bytes
	_, err := Builder{Rows: []RowBuilder{ok, ok, {ID: 1, Flags: 8}}}.AppendTo(nil)
	var e mplrt.Error
	if want := 3 + 11 + 11 + 4; !errors.As(err, &e) || e.Offset != want {
		t.Errorf("Flags 8 in the third row: %v, want offset %d", err, want)
	}
}

// TestBuilderChecksMinMax: builders should not build what Parse rejects.
func TestBuilderChecksMinMax(t *testing.T) {
	for _, rows := range [][]RowBuilder{{{ID: 0}}, make([]RowBuilder, 1001)} {
		for i := range rows[1:] {
			rows[i+1].ID = 1
		}
		out, err := Builder{Rows: rows}.AppendTo(nil)
		if err == nil {
			_, perr := Parse(out)
			t.Errorf("built %d rows that Parse rejects: %v", len(rows), perr)
		}
	}
}

// TestGrid: elements whose size is a packet parameter.
func TestGrid(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for iter := 0; iter < 300; iter++ {
		width := 1 + r.IntN(6)
		cells := make([]GridCellBuilder, r.IntN(10))
		want := []byte{byte(len(cells))}
		for i := range cells {
			c := make([]byte, width)
			for j := range c {
				c[j] = byte(r.Uint32())
			}
			cells[i] = GridCellBuilder{Width: width, Cell: c}
			want = append(want, c...)
		}
		want = append(want, 0x7e)
		out, err := GridBuilder{Width: width, Cells: cells}.AppendTo(nil)
		if err != nil || !bytes.Equal(out, want) {
			t.Fatalf("GridBuilder: %x, %v; want %x", out, err, want)
		}
		p, err := ParseGrid(out, width)
		if err != nil {
			t.Fatal(err)
		}
		it := p.Cells()
		for i := range cells {
			c, ok := it.Next()
			if !ok || !bytes.Equal(c.Cell(), cells[i].Cell) {
				t.Fatalf("cell %d: %x %v", i, c.Cell(), ok)
			}
		}
		if p.End() != 0x7e {
			t.Fatalf("End() = %#x", p.End())
		}
		// The same bytes with another width fail or give other cells.
		if len(cells) > 0 {
			if _, err := ParseGrid(out, width+1); err == nil && len(cells) > 1 {
				t.Fatalf("ParseGrid with width %d accepted %x", width+1, out)
			}
			var e mplrt.Error
			if _, err := ParseGrid(out, -1); !errors.As(err, &e) || e.Field != "cell" || e.Kind != mplrt.KindLength || e.Offset != 1 {
				t.Fatalf("ParseGrid with width -1: %v", err)
			}
		}
	}
}

// TestGridZeroWidth: with width 0 every cell is empty. An array element
// takes at least one byte (so that a count cannot make work beyond the
// size of the input): no cells parse and build, empty cells are errors.
func TestGridZeroWidth(t *testing.T) {
	out, err := GridBuilder{}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, []byte{0, 0x7e}) {
		t.Fatalf("GridBuilder with no cells: %x, %v", out, err)
	}
	p, err := ParseGrid(out, 0)
	if err != nil {
		t.Fatalf("ParseGrid(%x, 0): %v", out, err)
	}
	if it := p.Cells(); it.Len() != 0 {
		t.Fatalf("ParseGrid(%x, 0): %d cells", out, it.Len())
	}
	var e mplrt.Error
	if _, err := (GridBuilder{Cells: make([]GridCellBuilder, 3)}).AppendTo(nil); !errors.As(err, &e) || e.Field != "cells" || e.Kind != mplrt.KindLength || e.Offset != 1 {
		t.Fatalf("GridBuilder with 3 empty cells: %v", err)
	}
	for _, in := range [][]byte{{3, 0x7e}, {3, 0x7e, 0x7e, 0x7e, 0x7e}, {255, 0x7e}} {
		if _, err := ParseGrid(in, 0); !errors.As(err, &e) || e.Field != "cells" || e.Kind != mplrt.KindLength || e.Offset != 1 {
			t.Fatalf("ParseGrid(%x, 0): %v", in, err)
		}
	}
}

// TestGridBuilderParams: the grid's builder passes its width parameter to
// the builders of its cells.
func TestGridBuilderParams(t *testing.T) {
	out, err := GridBuilder{Width: 2, Cells: []GridCellBuilder{{Cell: []byte{1, 2}}}}.AppendTo(nil)
	if err != nil {
		t.Errorf("GridBuilder{Width: 2} with a cell of 2 bytes: %v", err)
	}
	_ = out
	out, err = GridBuilder{Width: 2, Cells: []GridCellBuilder{{Width: 3, Cell: []byte{1, 2, 3}}}}.AppendTo(nil)
	if err == nil {
		_, perr := ParseGrid(out, 2)
		t.Errorf("GridBuilder{Width: 2} built a cell of 3 bytes (%x), which ParseGrid rejects: %v", out, perr)
	}
}

// FuzzParse: Parse never panics; what it accepts iterates, walks, prints
// and rebuilds to the same bytes. The same for ParseGrid.
func FuzzParse(f *testing.F) {
	r := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 8; i++ {
		b := encode(randRows(r))
		f.Add(b, int8(2))
		f.Add(b[:len(b)/2], int8(0))
	}
	f.Add([]byte{2, 0x00, 0x01, 0x01, 0x02, 0x7e}, int8(2))
	f.Fuzz(func(t *testing.T, data []byte, width int8) {
		if p, err := Parse(data); err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "array" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
		} else {
			_ = p.String()
			var rows []RowBuilder
			for it := p.Rows(); ; {
				e, ok := it.Next()
				if !ok {
					break
				}
				rows = append(rows, RowBuilder{ID: e.ID(), Flags: e.Flags(), Kind: e.Kind(), Data: e.Data(), Check: e.Check()})
			}
			if len(rows) != int(p.Count()) {
				t.Fatalf("iterated %d rows of %d", len(rows), p.Count())
			}
			out, err := Builder{Rows: rows}.AppendTo(nil)
			if err != nil || !bytes.Equal(out, p.Bytes()) {
				t.Fatalf("rebuilt %x, %v; want %x", out, err, p.Bytes())
			}
		}
		g, err := ParseGrid(data, int(width))
		if err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "grid" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		_ = g.String()
		var cells []GridCellBuilder
		for it := g.Cells(); ; {
			c, ok := it.Next()
			if !ok {
				break
			}
			cells = append(cells, GridCellBuilder{Width: int(width), Cell: c.Cell()})
		}
		out, err := GridBuilder{Width: int(width), Cells: cells}.AppendTo(nil)
		if err != nil || !bytes.Equal(out, g.Bytes()) {
			t.Fatalf("rebuilt grid %x, %v; want %x", out, err, g.Bytes())
		}
	})
}

// diffPackets are the packets of the package for internal/fuzzcheck.
var diffPackets = []fuzzcheck.Packet{
	{Spec: "array.mpl", Name: "array", Parse: Parse, Builders: []any{Builder{}, RowBuilder{}}},
	{Spec: "array.mpl", Name: "grid", Parse: ParseGrid, Params: [][]any{{0}, {1}, {2}, {3}, {-1}},
		Builders: []any{GridBuilder{}, GridCellBuilder{}}},
}

// FuzzDifferentialArray parses the input as each packet, works the view
// through every accessor, iterator, Walk and String, rebuilds it with the
// builders and compares (see internal/fuzzcheck).
func FuzzDifferentialArray(f *testing.F) {
	r := rand.New(rand.NewPCG(9, 9))
	for i := 0; i < 8; i++ {
		b := encode(randRows(r))
		f.Add(b)
		f.Add(b[:len(b)/2])
	}
	f.Add([]byte{2, 0x00, 0x01, 0x01, 0x02, 0x7e})
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

// TestDifferentialGridZeroWidth: fuzzcheck on a grid of width 0 with two
// cells and a byte after it. Every element takes at least one byte, so
// Parse rejects it, with an error the check accepts.
func TestDifferentialGridZeroWidth(t *testing.T) {
	p := diffPackets[1]
	p.Params = [][]any{{0}}
	fuzzcheck.Check(t, p, []byte{0x02, 0x7e, 0x30})
}
