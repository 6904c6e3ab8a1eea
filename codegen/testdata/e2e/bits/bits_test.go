package bits

// These tests run the code mplc generates from bits.mpl. The reference they
// compare it with is computed here from the spec's text alone: each field
// line gives a width, and the fields follow each other bit by bit, most
// significant bit first. The generated accessors, setters and builder
// fields are reached by name through reflect, so that the same few loops
// test all of its 393 fields.

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/mplgo/mpl/internal/fuzzcheck"
	mplrt "github.com/mplgo/mpl/runtime"
)

type fieldKind int

const (
	kindBits  fieldKind = iota // bit[N]
	kindUint                   // byte, uint16, uint32, uint64
	kindBytes                  // byte[N]
)

// field is one field of bits.mpl as the spec's text describes it.
type field struct {
	name   string // spec name
	goName string
	kind   fieldKind
	pos    int // bit offset from the start of the packet
	width  int // in bits
	run    int // the byte where its run of bit fields starts (bit fields)
	first  string
	// constraints, as written
	hasConst, hasMin, hasMax, hasDefault bool
	constV, minV, maxV, defaultV         uint64
	minRef                               string // min(other field)
	format                               string
	// indexes of the accessor and setter (-1 if none) in *Packet's
	// method set, and of the field in Builder (-1 if none)
	getter, setter, builderField int
}

func (f *field) byteOff() int { return f.pos / 8 }

// mask is the largest value of the field.
func (f *field) mask() uint64 {
	if f.width >= 64 {
		return ^uint64(0)
	}
	return 1<<f.width - 1
}

// goBits is the width of the Go type of the field's accessor.
func (f *field) goBits() int {
	switch {
	case f.width <= 8:
		return 8
	case f.width <= 16:
		return 16
	case f.width <= 32:
		return 32
	}
	return 64
}

// settable: the builder and the view have a setter for the field.
func (f *field) settable() bool { return !f.hasConst }

var (
	layoutOnce sync.Once
	layout     []*field
	byName     map[string]*field
	packetLen  int
	layoutErr  error
)

var (
	lineRE = regexp.MustCompile(`^\s*(\w+)\s*:\s*(bit\[(\d+)\]|byte\[(\d+)\]|byte|uint16|uint32|uint64)\s*(.*);\s*$`)
	attrRE = regexp.MustCompile(`(\w+)\(([^)]*)\)`)
)

// fields returns the layout of bits.mpl, computed from its text.
func fields(t testing.TB) []*field {
	t.Helper()
	layoutOnce.Do(func() {
		src, err := os.ReadFile("bits.mpl")
		if err != nil {
			layoutErr = err
			return
		}
		byName = map[string]*field{}
		pos := 0
		prevBits := false
		runStart, runFirst := 0, ""
		for _, line := range strings.Split(string(src), "\n") {
			if i := strings.Index(line, "//"); i >= 0 {
				line = line[:i]
			}
			m := lineRE.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			f := &field{name: m[1], goName: strings.ToUpper(m[1][:1]) + m[1][1:], pos: pos}
			switch {
			case m[3] != "":
				f.kind = kindBits
				f.width, _ = strconv.Atoi(m[3])
				if !prevBits {
					runStart, runFirst = pos/8, f.name
				}
				f.run, f.first = runStart, runFirst
			case m[4] != "":
				f.kind = kindBytes
				n, _ := strconv.Atoi(m[4])
				f.width = 8 * n
			default:
				f.kind = kindUint
				f.width = map[string]int{"byte": 8, "uint16": 16, "uint32": 32, "uint64": 64}[m[2]]
			}
			prevBits = f.kind == kindBits
			if !prevBits && pos%8 != 0 {
				layoutErr = fmt.Errorf("field %s does not start on a byte boundary", f.name)
				return
			}
			for _, a := range attrRE.FindAllStringSubmatch(m[5], -1) {
				arg := strings.ReplaceAll(a[2], "_", "")
				v, err := strconv.ParseUint(arg, 0, 64)
				if a[1] == "format" {
					f.format = arg
					continue
				}
				if err != nil {
					if a[1] == "min" {
						f.minRef = arg
						f.hasMin = true
						continue
					}
					layoutErr = fmt.Errorf("field %s: cannot read %s(%s)", f.name, a[1], a[2])
					return
				}
				switch a[1] {
				case "const":
					f.hasConst, f.constV = true, v
				case "min":
					f.hasMin, f.minV = true, v
				case "max":
					f.hasMax, f.maxV = true, v
				case "default":
					f.hasDefault, f.defaultV = true, v
				}
			}
			pt := reflect.TypeFor[*Packet]()
			getter, ok := pt.MethodByName(f.goName)
			if !ok {
				layoutErr = fmt.Errorf("Packet has no method %s", f.goName)
				return
			}
			f.getter, f.setter, f.builderField = getter.Index, -1, -1
			if setter, ok := pt.MethodByName("Set" + f.goName); ok {
				f.setter = setter.Index
			}
			if sf, ok := reflect.TypeFor[Builder]().FieldByName(f.goName); ok {
				f.builderField = sf.Index[0]
			}
			pos += f.width
			layout = append(layout, f)
			byName[f.name] = f
		}
		if pos%8 != 0 {
			layoutErr = fmt.Errorf("the packet is %d bits", pos)
		}
		packetLen = pos / 8
	})
	if layoutErr != nil {
		t.Fatal(layoutErr)
	}
	return layout
}

// putBits writes the low width bits of v at bit pos of b.
func putBits(b []byte, pos, width int, v uint64) {
	for i := 0; i < width; i++ {
		bit := (v >> uint(width-1-i)) & 1
		p := pos + i
		if bit != 0 {
			b[p/8] |= 0x80 >> uint(p%8)
		} else {
			b[p/8] &^= 0x80 >> uint(p%8)
		}
	}
}

// getBits reads width bits at bit pos of b.
func getBits(b []byte, pos, width int) uint64 {
	var v uint64
	for i := 0; i < width; i++ {
		p := pos + i
		v = v<<1 | uint64(b[p/8]>>(7-uint(p%8))&1)
	}
	return v
}

// values are the values of the packet's fields, by name; byte fields are
// in bytesVals.
type values struct {
	ints  map[string]uint64
	bytes map[string][]byte
}

// encode is the reference encoding of vals.
func encode(fs []*field, vals values) []byte {
	b := make([]byte, packetLen)
	for _, f := range fs {
		if f.kind == kindBytes {
			copy(b[f.byteOff():], vals.bytes[f.name])
			continue
		}
		putBits(b, f.pos, f.width, vals.ints[f.name])
	}
	return b
}

// randValue returns a random value of the field's width, often an edge.
func randValue(r *rand.Rand, f *field) uint64 {
	switch r.IntN(8) {
	case 0:
		return 0
	case 1:
		return f.mask()
	case 2:
		return 1 << uint(r.IntN(f.width))
	case 3:
		return f.mask() >> 1
	}
	return r.Uint64() & f.mask()
}

// randValues returns values that satisfy every constraint of the spec.
func randValues(r *rand.Rand, fs []*field) values {
	vals := values{ints: map[string]uint64{}, bytes: map[string][]byte{}}
	for _, f := range fs {
		switch {
		case f.kind == kindBytes:
			b := make([]byte, f.width/8)
			for i := range b {
				b[i] = byte(r.Uint32())
			}
			vals.bytes[f.name] = b
			continue
		case f.hasConst:
			vals.ints[f.name] = f.constV
			continue
		}
		v := randValue(r, f)
		lo, hi := uint64(0), f.mask()
		if f.hasMin && f.minRef == "" {
			lo = f.minV
		}
		if f.minRef != "" {
			lo = vals.ints[f.minRef]
		}
		if f.hasMax {
			hi = f.maxV
		}
		if v < lo || v > hi {
			if r.IntN(2) == 0 {
				v = lo
			} else {
				v = hi
			}
			if span := hi - lo; span > 1 && r.IntN(2) == 0 {
				v = lo + r.Uint64N(span)
			}
		}
		vals.ints[f.name] = v
	}
	return vals
}

// builder returns a Builder holding vals. It starts from NewBuilder or,
// at random, from a zero Builder: every field is set anyway.
func builder(r *rand.Rand, fs []*field, vals values) Builder {
	var b Builder
	if r != nil && r.IntN(2) == 0 {
		b = NewBuilder()
	}
	bv := reflect.ValueOf(&b).Elem()
	for _, f := range fs {
		if f.hasConst {
			continue
		}
		if f.builderField < 0 {
			panic("Builder has no field " + f.goName)
		}
		fv := bv.Field(f.builderField)
		if f.kind == kindBytes {
			fv.SetBytes(vals.bytes[f.name])
			continue
		}
		setUint(fv, vals.ints[f.name])
	}
	return b
}

// uintOf is the value of an integer or boolean accessor as a uint64.
func uintOf(v reflect.Value) uint64 {
	if v.Kind() == reflect.Bool {
		if v.Bool() {
			return 1
		}
		return 0
	}
	return v.Uint()
}

// setUint sets an integer or boolean (to u&1 != 0).
func setUint(v reflect.Value, u uint64) {
	if v.Kind() == reflect.Bool {
		v.SetBool(u&1 != 0)
		return
	}
	v.SetUint(u)
}

// get calls the accessor of f.
func get(p *Packet, f *field) reflect.Value {
	return reflect.ValueOf(p).Method(f.getter).Call(nil)[0]
}

// set calls the setter of f with v, converted to its parameter type (which
// drops the bits above that type's width, not those above the field's).
// The setters of fields that Parse checks validate the packet again and
// return an error (putting the old value back) if it no longer parses.
func set(p *Packet, f *field, v uint64) error {
	m := reflect.ValueOf(p).Method(f.setter)
	arg := reflect.New(m.Type().In(0)).Elem()
	setUint(arg, v)
	out := m.Call([]reflect.Value{arg})
	if len(out) == 1 && !out[0].IsNil() {
		return out[0].Interface().(error)
	}
	return nil
}

// checkFields compares every accessor of p with vals.
func checkFields(t *testing.T, p *Packet, fs []*field, vals values) {
	t.Helper()
	for _, f := range fs {
		got := get(p, f)
		if f.kind == kindBytes {
			if !bytes.Equal(got.Bytes(), vals.bytes[f.name]) {
				t.Fatalf("%s() = %x, want %x", f.goName, got.Bytes(), vals.bytes[f.name])
			}
			continue
		}
		if f.width == 1 {
			// bit[1] is a boolean.
			if got.Kind() != reflect.Bool {
				t.Fatalf("%s() returns %s, want bool", f.goName, got.Type())
			}
		} else {
			if k := got.Kind(); k != reflect.Uint8 && k != reflect.Uint16 && k != reflect.Uint32 && k != reflect.Uint64 {
				t.Fatalf("%s() returns %s", f.goName, got.Type())
			}
			if bits := got.Type().Bits(); bits != f.goBits() {
				t.Errorf("%s() returns %s, want uint%d", f.goName, got.Type(), f.goBits())
			}
		}
		if uintOf(got) != vals.ints[f.name] {
			t.Fatalf("%s() = %#x, want %#x (bit %d, width %d)", f.goName, uintOf(got), vals.ints[f.name], f.pos, f.width)
		}
	}
}

func TestLayout(t *testing.T) {
	fs := fields(t)
	widths := map[int]bool{}
	spans := map[[2]int]bool{} // {bytes spanned, alignment}
	for _, f := range fs {
		if f.kind == kindBits {
			widths[f.width] = true
			spans[[2]int{(f.pos%8 + f.width + 7) / 8, f.pos % 8}] = true
		}
	}
	for w := 1; w <= 64; w++ {
		if !widths[w] {
			t.Errorf("no bit field of width %d", w)
		}
	}
	for k := 1; k <= 8; k++ {
		for a := 0; a < 8; a++ {
			if !spans[[2]int{k, a}] {
				t.Errorf("no bit field spans %d bytes starting %d bits into a byte", k, a)
			}
		}
	}
	var b Builder
	out, err := b.AppendTo(nil)
	if err == nil {
		t.Fatalf("the zero Builder builds: %x", out)
	}
}

// TestRoundTrip builds random packets, compares them with the reference
// encoding, parses them back and reads every field.
func TestRoundTrip(t *testing.T) {
	fs := fields(t)
	r := rand.New(rand.NewPCG(1, 2))
	prefix := []byte("prefix")
	for iter := 0; iter < 2000; iter++ {
		vals := randValues(r, fs)
		want := encode(fs, vals)
		b := builder(r, fs, vals)
		dst := append(make([]byte, 0, 2048), prefix...)
		out, err := b.AppendTo(dst)
		if err != nil {
			t.Fatalf("iteration %d: AppendTo: %v", iter, err)
		}
		if !bytes.Equal(out[:len(prefix)], prefix) {
			t.Fatalf("AppendTo changed dst before its end")
		}
		got := out[len(prefix):]
		if !bytes.Equal(got, want) {
			for _, f := range fs {
				if f.kind != kindBytes && getBits(got, f.pos, f.width) != vals.ints[f.name] {
					t.Errorf("field %s (bit %d, width %d): built %#x, want %#x", f.name, f.pos, f.width, getBits(got, f.pos, f.width), vals.ints[f.name])
				}
			}
			t.Fatalf("iteration %d: built bytes differ from the reference", iter)
		}
		p, err := Parse(got)
		if err != nil {
			t.Fatalf("iteration %d: Parse: %v", iter, err)
		}
		checkFields(t, &p, fs, vals)
		if !bytes.Equal(p.Bytes(), got) || len(p.Rest()) != 0 {
			t.Fatalf("Bytes/Rest wrong: %d bytes, rest %d", len(p.Bytes()), len(p.Rest()))
		}
		// Decode into a reused view gives the same.
		var q Packet
		if err := q.Decode(got); err != nil {
			t.Fatal(err)
		}
		checkFields(t, &q, fs, vals)
		if iter%100 == 0 {
			checkWalk(t, &p, fs, vals)
		}
	}
}

// checkWalk compares Walk with the fields and String with their formats.
func checkWalk(t *testing.T, p *Packet, fs []*field, vals values) {
	t.Helper()
	i := 0
	p.Walk(func(mf mplrt.Field) bool {
		if i >= len(fs) {
			t.Fatalf("Walk yields more fields than the spec has: %s", mf.Name)
		}
		f := fs[i]
		i++
		if mf.Name != f.name {
			t.Fatalf("Walk field %d is %s, want %s", i-1, mf.Name, f.name)
		}
		wantFormat := mplrt.FormatUint
		if f.format == "hex" {
			wantFormat = mplrt.FormatHex
		}
		if f.width == 1 && f.kind != kindBytes {
			wantFormat = mplrt.FormatBool
		}
		if f.kind == kindBytes {
			if f.format != "hex" {
				wantFormat = mplrt.FormatBytes
			}
			if !bytes.Equal(mf.Bytes, vals.bytes[f.name]) {
				t.Errorf("Walk %s = %x, want %x", f.name, mf.Bytes, vals.bytes[f.name])
			}
		} else {
			if mf.Uint != vals.ints[f.name] || mf.Bits != f.width {
				t.Errorf("Walk %s = %#x (%d bits), want %#x (%d bits)", f.name, mf.Uint, mf.Bits, vals.ints[f.name], f.width)
			}
		}
		if mf.Format != wantFormat {
			t.Errorf("Walk %s has format %d, want %d", f.name, mf.Format, wantFormat)
		}
		return true
	})
	if i != len(fs) {
		t.Fatalf("Walk yields %d fields, want %d", i, len(fs))
	}
	s := p.String()
	for _, name := range []string{"h12", "r5", "u64h"} {
		f := byName[name]
		want := fmt.Sprintf(" %s=0x%0*x", name, (f.width+3)/4, vals.ints[name])
		if !strings.Contains(s, want+" ") {
			t.Errorf("String lacks %q", want)
		}
	}
	if want := fmt.Sprintf(" tail=%x", vals.bytes["tail"]); !strings.HasSuffix(s, want) {
		t.Errorf("String does not end with %q: ...%s", want, s[max(0, len(s)-40):])
	}
	if want := fmt.Sprintf("bits w64a0=%d ", vals.ints["w64a0"]); !strings.HasPrefix(s, want) {
		t.Errorf("String does not start with %q", want)
	}
}

// TestSetters changes each field of parsed packets in place and compares
// the whole packet with the reference: a setter writes its own bits and no
// others, keeping the low bits of its argument.
func TestSetters(t *testing.T) {
	fs := fields(t)
	r := rand.New(rand.NewPCG(3, 4))
	for iter := 0; iter < 40; iter++ {
		vals := randValues(r, fs)
		buf := encode(fs, vals)
		p, err := Parse(buf)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fs {
			if !f.settable() {
				if f.setter >= 0 || f.builderField >= 0 {
					t.Errorf("const field %s has a setter or a builder field", f.name)
				}
				continue
			}
			if f.setter < 0 || f.builderField < 0 {
				t.Fatalf("field %s has no setter or no builder field", f.name)
			}
			if f.kind == kindBytes {
				var v [5]byte
				for i := range v {
					v[i] = byte(r.Uint32())
				}
				want := append([]byte(nil), buf...)
				copy(want[f.byteOff():], v[:])
				if !p.SetTail(v[:]) {
					t.Fatalf("SetTail of 5 bytes failed")
				}
				if !bytes.Equal(buf, want) || !bytes.Equal(p.Tail(), v[:]) {
					t.Fatalf("SetTail(%x): Tail() = %x, packet changed elsewhere: %v", v, p.Tail(), !bytes.Equal(buf, want))
				}
				continue
			}
			for k := 0; k < 8; k++ {
				before := append([]byte(nil), buf...)
				// Any value of the Go type: bits above the field's
				// width must be dropped.
				v := r.Uint64()
				if k == 0 {
					v = ^uint64(0)
				} else if k == 1 {
					v = 0
				}
				want := append([]byte(nil), before...)
				if err := set(&p, f, v); err != nil {
					// A checked setter refused: nothing changed.
					if !bytes.Equal(buf, before) {
						t.Fatalf("Set%s(%#x) failed (%v) but changed the packet", f.goName, v, err)
					}
					if _, err := Parse(buf); err != nil {
						t.Fatalf("Set%s(%#x) failed and left a packet Parse rejects: %v", f.goName, v, err)
					}
					continue
				}
				putBits(want, f.pos, f.width, v)
				if !bytes.Equal(buf, want) {
					for i := range buf {
						if buf[i] != want[i] {
							t.Fatalf("Set%s(%#x) (bit %d, width %d): byte %d is %08b, want %08b", f.goName, v, f.pos, f.width, i, buf[i], want[i])
						}
					}
				}
				if got := uintOf(get(&p, f)); got != v&f.mask() {
					t.Fatalf("Set%s(%#x): %s() = %#x, want %#x", f.goName, v, f.goName, got, v&f.mask())
				}
			}
		}
	}
}

// TestBuilderRejects gives each bit field whose Go type is wider than the
// field the smallest value that does not fit, and the byte field a wrong
// length: AppendTo fails with an mplrt.Error naming the field and leaves
// dst as it was.
func TestBuilderRejects(t *testing.T) {
	fs := fields(t)
	r := rand.New(rand.NewPCG(5, 6))
	base := randValues(r, fs)
	for _, f := range fs {
		if f.hasConst || f.kind == kindBytes || f.width == f.goBits() || f.width == 1 {
			continue
		}
		b := builder(nil, fs, base)
		bv := reflect.ValueOf(&b).Elem().Field(f.builderField)
		for _, bad := range []uint64{f.mask() + 1, 1<<uint(f.goBits()-1) | r.Uint64()&f.mask()} {
			bv.SetUint(bad)
			dst := []byte("xyz")
			out, err := b.AppendTo(dst)
			var e mplrt.Error
			if !errors.As(err, &e) {
				t.Fatalf("%s = %#x: AppendTo error %v, want an mplrt.Error", f.name, bad, err)
			}
			if e.Field != f.name || e.Kind != mplrt.KindMax || e.Packet != "bits" {
				t.Errorf("%s = %#x: error %+v, want field %s kind max", f.name, bad, e, f.name)
			}
			if e.Offset < f.run || e.Offset > f.byteOff() {
				t.Errorf("%s = %#x: error at offset %d, want between %d (its run) and %d (its first byte)", f.name, bad, e.Offset, f.run, f.byteOff())
			}
			if string(out) != "xyz" {
				t.Errorf("%s: AppendTo returned %q after an error, want dst unchanged", f.name, out)
			}
		}
	}
	for _, n := range []int{4, 6} {
		b := builder(nil, fs, base)
		b.Tail = make([]byte, n)
		_, err := b.AppendTo(nil)
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != "tail" || e.Kind != mplrt.KindLength || e.Offset != byName["tail"].byteOff() {
			t.Errorf("Tail of %d bytes: error %v, want tail length at %d", n, err, byName["tail"].byteOff())
		}
	}
	// A tail of no bytes is zeros.
	b := builder(nil, fs, base)
	b.Tail = nil
	out, err := b.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	if p, err := Parse(out); err != nil || !bytes.Equal(p.Tail(), make([]byte, 5)) {
		t.Errorf("Tail nil: parsed %x, %v; want zeros", p.Tail(), err)
	}
	// NewBuilder holds the default; zero builds zero.
	if NewBuilder().D7 != 100 {
		t.Errorf("NewBuilder().D7 = %d, want the default 100", NewBuilder().D7)
	}
	b.D7 = 0
	if out, err = b.AppendTo(nil); err != nil {
		t.Fatal(err)
	}
	if p, err := Parse(out); err != nil || p.D7() != 0 {
		t.Errorf("D7 zero: parsed %d, %v; want 0", p.D7(), err)
	}
}

// valid returns a valid packet and its values.
func valid(t *testing.T, seed uint64) ([]byte, values) {
	fs := fields(t)
	r := rand.New(rand.NewPCG(seed, seed))
	vals := randValues(r, fs)
	return encode(fs, vals), vals
}

// parseErr parses b and returns its error as an mplrt.Error.
func parseErr(t *testing.T, b []byte) mplrt.Error {
	t.Helper()
	_, err := Parse(b)
	if err == nil {
		t.Fatalf("Parse succeeded")
	}
	var e mplrt.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an mplrt.Error", err)
	}
	var q Packet
	if err2 := q.Decode(b); err2 == nil || err2.Error() != err.Error() {
		t.Errorf("Decode error %v, Parse error %v", err2, err)
	}
	return e
}

// TestParseRejects breaks each constraint of the spec in turn.
func TestParseRejects(t *testing.T) {
	fields(t)
	for _, tc := range []struct {
		field string
		value uint64
		kind  mplrt.Kind
	}{
		{"k5", 20, mplrt.KindConst},
		{"k5", 0, mplrt.KindConst},
		{"k5", 31, mplrt.KindConst},
		{"m11", 99, mplrt.KindMin},
		{"m11", 0, mplrt.KindMin},
		{"m11", 1501, mplrt.KindMax},
		{"m11", 2047, mplrt.KindMax},
		{"u16", 1, mplrt.KindMin},
		{"u16", 60001, mplrt.KindMax},
		{"u32", 0xdeadbeee, mplrt.KindConst},
		{"x40", 1000000000001, mplrt.KindMax},
		{"x40", 1<<40 - 1, mplrt.KindMax},
	} {
		buf, _ := valid(t, 7)
		f := byName[tc.field]
		putBits(buf, f.pos, f.width, tc.value)
		e := parseErr(t, buf)
		if e.Field != tc.field || e.Kind != tc.kind || e.Packet != "bits" {
			t.Errorf("%s = %d: error %+v, want field %s kind %s", tc.field, tc.value, e, tc.field, tc.kind)
		}
		// The generator reports a bit field's errors at the start of its
		// run; TestBitFieldErrorOffsets wants the field's own byte.
		if lo := min(f.run, f.byteOff()); f.kind == kindBits && (e.Offset < lo || e.Offset > f.byteOff()) || f.kind != kindBits && e.Offset != f.byteOff() {
			t.Errorf("%s = %d: error at offset %d, want %d", tc.field, tc.value, e.Offset, f.byteOff())
		}
	}
	// min(lo) with values that fit in an int64.
	buf, _ := valid(t, 8)
	lo, hi := byName["lo"], byName["hi"]
	putBits(buf, lo.pos, 64, 1000)
	putBits(buf, hi.pos, 64, 999)
	if e := parseErr(t, buf); e.Field != "hi" || e.Kind != mplrt.KindMin || e.Offset != hi.byteOff() {
		t.Errorf("hi < lo: error %+v, want hi min at %d", e, hi.byteOff())
	}
	putBits(buf, hi.pos, 64, 1000)
	if _, err := Parse(buf); err != nil {
		t.Errorf("hi == lo: %v", err)
	}
}

// TestMinAboveInt64 compares uint64 fields above the largest int64.
func TestMinAboveInt64(t *testing.T) {
	fields(t)
	lo, hi := byName["lo"], byName["hi"]
	buf, _ := valid(t, 9)
	// hi >= lo, and hi is above MaxInt64: valid.
	putBits(buf, lo.pos, 64, 1)
	putBits(buf, hi.pos, 64, 1<<63)
	if _, err := Parse(buf); err != nil {
		t.Errorf("lo=1 hi=2^63: %v, want success", err)
	}
	// hi < lo, lo above MaxInt64: invalid.
	putBits(buf, lo.pos, 64, 1<<63+1)
	putBits(buf, hi.pos, 64, 5)
	if _, err := Parse(buf); err == nil {
		t.Errorf("lo=2^63+1 hi=5: parsed, want a min error on hi")
	}
}

// TestBitFieldErrorOffsets wants the errors of a bit field in the middle of
// a run at the byte that holds its first bit, which is what mplrt.Error's
// Offset documents ("byte offset of the field within the packet").
func TestBitFieldErrorOffsets(t *testing.T) {
	fields(t)
	for _, tc := range []struct {
		field string
		value uint64
	}{{"k5", 0}, {"m11", 0}, {"x40", 1<<40 - 1}} {
		buf, _ := valid(t, 10)
		f := byName[tc.field]
		putBits(buf, f.pos, f.width, tc.value)
		if e := parseErr(t, buf); e.Offset != f.byteOff() {
			t.Errorf("%s: parse error at offset %d, want %d", tc.field, e.Offset, f.byteOff())
		}
	}
	fs := fields(t)
	b := builder(nil, fs, randValues(rand.New(rand.NewPCG(1, 1)), fs))
	b.M11 = 1 << 11
	_, err := b.AppendTo(nil)
	var e mplrt.Error
	if !errors.As(err, &e) || e.Offset != byName["m11"].byteOff() {
		t.Errorf("M11 too big: build error %v, want offset %d", err, byName["m11"].byteOff())
	}
}

// TestBuilderChecksMinMax: a builder should not produce a packet its own
// parser rejects.
func TestBuilderChecksMinMax(t *testing.T) {
	fs := fields(t)
	base := randValues(rand.New(rand.NewPCG(11, 11)), fs)
	for _, set := range []func(*Builder){
		func(b *Builder) { b.M11 = 5 },
		func(b *Builder) { b.M11 = 2000 },
		func(b *Builder) { b.U16 = 0 },
		func(b *Builder) { b.X40 = 1<<40 - 1 },
		func(b *Builder) { b.Lo, b.Hi = 10, 9 },
	} {
		b := builder(nil, fs, base)
		set(&b)
		out, err := b.AppendTo(nil)
		if err == nil {
			_, perr := Parse(out)
			t.Errorf("builder accepted values that Parse rejects: %v", perr)
		}
	}
}

// TestBigDefault: NewBuilder holds a default, however large.
func TestBigDefault(t *testing.T) {
	if NewBuilder().Bigdef != 0x8000_0000_0000_0001 {
		t.Errorf("NewBuilder().Bigdef = %#x, want the default 0x8000000000000001", NewBuilder().Bigdef)
	}
}

// TestTruncated parses every prefix of a valid packet: each fails with
// KindTruncated naming the field (or the first field of the run of bit
// fields) in which the input ends, at its first byte.
func TestTruncated(t *testing.T) {
	fs := fields(t)
	buf, _ := valid(t, 12)
	for n := 0; n < len(buf); n++ {
		_, err := Parse(buf[:n])
		if !errors.Is(err, mplrt.ErrTruncated) {
			t.Fatalf("%d bytes: error %v, want truncated", n, err)
		}
		var e mplrt.Error
		errors.As(err, &e)
		// The field holding byte n.
		var f *field
		for _, g := range fs {
			if g.pos/8 <= n && n < (g.pos+g.width+7)/8 {
				f = g
				break
			}
		}
		wantField, wantOff := f.name, f.byteOff()
		if f.kind == kindBits {
			wantField, wantOff = f.first, f.run
		}
		if e.Field != wantField || e.Offset != wantOff || e.Offset > n {
			t.Fatalf("%d bytes: error %+v, want field %s at %d", n, e, wantField, wantOff)
		}
	}
	// Bytes after the packet are its Rest.
	long := append(append([]byte(nil), buf...), 1, 2, 3)
	p, err := Parse(long)
	if err != nil || !bytes.Equal(p.Rest(), []byte{1, 2, 3}) || !bytes.Equal(p.Bytes(), buf) {
		t.Fatalf("Parse with 3 more bytes: %v, rest %x", err, p.Rest())
	}
}

// TestSignatures pins the Go types of a few accessors, setters and builder
// fields.
func TestSignatures(t *testing.T) {
	var p Packet
	var (
		_ func() uint64      = p.W64a0
		_ func(uint64)       = p.SetW64a0
		_ func() bool        = p.W1a0
		_ func(bool)         = p.SetW1a0
		_ func() uint16      = p.W9a0
		_ func() uint32      = p.W17a0
		_ func() uint64      = p.W33a0
		_ func() uint8       = p.K5
		_ func() uint32      = p.U32
		_ func() []byte      = p.Tail
		_ func([]byte) bool  = p.SetTail
		_ func() uint8       = p.S4
		_ func(uint16)       = p.SetS1
		_ func([]byte) error = p.Decode
	)
	var b Builder
	b.W64a0, b.W1a0, b.Tail = 1, true, nil
	_ = b
}

// FuzzParse: Parse never panics; a packet it accepts reads through every
// accessor, Walk and String, and the builder fed with what the accessors
// return builds the same bytes.
func FuzzParse(f *testing.F) {
	fs := fields(f)
	for i := uint64(0); i < 4; i++ {
		r := rand.New(rand.NewPCG(i, 99))
		buf := encode(fs, randValues(r, fs))
		f.Add(buf)
		f.Add(buf[:len(buf)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "bits" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		p.Walk(func(mplrt.Field) bool { return true })
		_ = p.String()
		var b Builder
		bv := reflect.ValueOf(&b).Elem()
		for _, f := range fs {
			v := get(&p, f)
			if f.hasConst {
				continue
			}
			if f.kind == kindBytes {
				bv.Field(f.builderField).SetBytes(v.Bytes())
			} else {
				setUint(bv.Field(f.builderField), uintOf(v))
			}
		}
		out, err := b.AppendTo(nil)
		if err != nil {
			t.Fatalf("rebuilding: %v", err)
		}
		if !bytes.Equal(out, p.Bytes()) {
			t.Fatalf("rebuilt packet differs")
		}
	})
}

// bug skips a test that fails because of a generator bug, unless
// MPL_E2E_BUGS is set: MPL_E2E_BUGS=1 go test ./codegen/testdata/e2e/...
// shows the failures.
func bug(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("MPL_E2E_BUGS") == "" {
		t.Skip("generator bug: " + what)
	}
}

// diffPackets are the packets of the package for internal/fuzzcheck.
var diffPackets = []fuzzcheck.Packet{
	{Spec: "bits.mpl", Name: "bits", Parse: Parse, Builders: []any{Builder{}}},
}

// FuzzDifferentialBits parses the input, works the view through every
// accessor, Walk and String, rebuilds it with the builder and compares
// (see internal/fuzzcheck).
func FuzzDifferentialBits(f *testing.F) {
	fs := fields(f)
	for i := uint64(0); i < 4; i++ {
		r := rand.New(rand.NewPCG(i, 99))
		buf := encode(fs, randValues(r, fs))
		f.Add(buf)
		f.Add(buf[:len(buf)/2])
	}
	// A zero in d7, which a builder writes as the default. (A zero in
	// bigdef is TestDifferentialBigDefault.)
	vals := randValues(rand.New(rand.NewPCG(7, 99)), fs)
	vals.ints["d7"] = 0
	f.Add(encode(fs, vals))
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

// TestDifferentialBigDefault runs the differential check on a packet whose
// bigdef, with a default above MaxInt64, is zero: the builder writes the
// zero it is given.
func TestDifferentialBigDefault(t *testing.T) {
	fs := fields(t)
	vals := randValues(rand.New(rand.NewPCG(7, 99)), fs)
	vals.ints["bigdef"] = 0
	fuzzcheck.Check(t, diffPackets[0], encode(fs, vals))
}

// TestDifferentialMinAboveInt64 runs the differential check on a packet
// with lo above MaxInt64 and hi below it: Parse must reject hi < lo.
func TestDifferentialMinAboveInt64(t *testing.T) {
	fields(t)
	buf, _ := valid(t, 9)
	putBits(buf, byName["lo"].pos, 64, 1<<63)
	putBits(buf, byName["hi"].pos, 64, 5)
	fuzzcheck.Check(t, diffPackets[0], buf)
}
