package codegen

import (
	"fmt"
	"strconv"

	"github.com/dave/jennifer/jen"

	"github.com/mplgo/mpl/lang"
)

// This file emits the reads and writes of integer fields at static offsets
// in an array (a view's segment, or a builder's output).

func be(fn string, args ...jen.Code) *jen.Statement {
	return jen.Qual("encoding/binary", "BigEndian").Dot(fn).Call(args...)
}

// uintType returns the Go type that holds an n-bit value.
func uintType(bits int) string {
	switch {
	case bits <= 8:
		return "uint8"
	case bits <= 16:
		return "uint16"
	case bits <= 32:
		return "uint32"
	}
	return "uint64"
}

// fieldBits returns the width in bits of an integer field.
func fieldBits(f *lang.Field) int {
	switch t := f.Type.(type) {
	case lang.BitsType:
		return t.N
	case lang.UintType:
		return t.Bytes * 8
	}
	return 0
}

// bitSpan locates a bit field within its run: the first byte (relative to
// the run), the number of bytes it touches, and the right shift of its
// value within those bytes.
func bitSpan(f *lang.Field) (first, k, shift int) {
	n := f.Type.(lang.BitsType).N
	start := f.Run.Bits - f.Shift - n
	first = start / 8
	last := (start + n - 1) / 8
	k = last - first + 1
	shift = (last+1)*8 - (start + n)
	return
}

func sl(arr string, a, b int) jen.Code {
	return jen.Id(fmt.Sprintf("%s[%d:%d]", arr, a, b))
}

// composite builds "a | b | c" from parts.
func composite(parts []jen.Code) jen.Code {
	s := jen.Null()
	for i, p := range parts {
		if i > 0 {
			s.Op("|")
		}
		s.Add(p)
	}
	return jen.Parens(s)
}

// loadBytesExpr returns an expression reading k big-endian bytes at
// arr[at:] as an unsigned integer, and its Go type.
func loadBytesExpr(arr string, at, k int) (jen.Code, string) {
	switch k {
	case 1:
		return jen.Id(fmt.Sprintf("%s[%d]", arr, at)), "uint8"
	case 2:
		return be("Uint16", sl(arr, at, at+2)), "uint16"
	case 4:
		return be("Uint32", sl(arr, at, at+4)), "uint32"
	case 8:
		return be("Uint64", sl(arr, at, at+8)), "uint64"
	}
	t := "uint32"
	if k > 4 {
		t = "uint64"
	}
	var parts []jen.Code
	for i := 0; i < k; i++ {
		s := fmt.Sprintf("%s(%s[%d])", t, arr, at+i)
		if sh := (k - 1 - i) * 8; sh > 0 {
			s += fmt.Sprintf("<<%d", sh)
		}
		parts = append(parts, jen.Id(s))
	}
	return composite(parts), t
}

// storeBytes returns statements writing the unsigned value x (an
// expression of the type loadBytesExpr gives) as k big-endian bytes.
func storeBytes(arr string, at, k int, x jen.Code) []jen.Code {
	switch k {
	case 1:
		return []jen.Code{jen.Id(fmt.Sprintf("%s[%d]", arr, at)).Op("=").Add(x)}
	case 2:
		return []jen.Code{be("PutUint16", sl(arr, at, at+2), x)}
	case 4:
		return []jen.Code{be("PutUint32", sl(arr, at, at+4), x)}
	case 8:
		return []jen.Code{be("PutUint64", sl(arr, at, at+8), x)}
	}
	stmts := []jen.Code{jen.Id("x").Op(":=").Add(x)}
	for i := 0; i < k; i++ {
		stmts = append(stmts, jen.Id(fmt.Sprintf("%s[%d]", arr, at+i)).Op("=").Id(fmt.Sprintf("byte(x >> %d)", (k-1-i)*8)))
	}
	return []jen.Code{jen.Block(stmts...)}
}

// readField returns an expression for the value of integer field f, which
// lies at byte rel of the array arr, in the field's natural Go type.
func readField(arr string, rel int, f *lang.Field) (jen.Code, string) {
	switch t := f.Type.(type) {
	case lang.UintType:
		return loadBytesExpr(arr, rel, t.Bytes)
	case lang.BitsType:
		first, k, shift := bitSpan(f)
		x, lt := loadBytesExpr(arr, rel+first, k)
		ft := uintType(t.N)
		mask := uint64(1)<<uint(t.N) - 1
		e := jen.Add(x)
		if shift > 0 {
			e = jen.Parens(jen.Add(x).Op(">>").Lit(shift))
		}
		if t.N < 64 && !(shift == 0 && k*8 == t.N) {
			e = jen.Parens(jen.Add(e).Op("&").Id(fmt.Sprintf("%#x", mask)))
		}
		if lt != ft {
			return jen.Id(ft).Call(e), ft
		}
		return e, ft
	}
	panic("readField: not an integer field")
}

// writeField returns statements storing v (an expression of the field's
// Go type) into integer field f at byte rel of arr. Bit fields keep their
// neighbours; bits of v beyond the field's width are dropped.
func writeField(arr string, rel int, f *lang.Field, v jen.Code) []jen.Code {
	switch t := f.Type.(type) {
	case lang.UintType:
		return storeBytes(arr, rel, t.Bytes, v)
	case lang.BitsType:
		first, k, shift := bitSpan(f)
		old, lt := loadBytesExpr(arr, rel+first, k)
		mask := uint64(1)<<uint(t.N) - 1
		if shift == 0 && k*8 == t.N {
			return storeBytes(arr, rel+first, k, jen.Id(lt).Call(v))
		}
		m := fmt.Sprintf("%#x", mask<<uint(shift))
		x := jen.Id(lt).Call(v)
		if shift > 0 {
			x = x.Op("<<").Lit(shift)
		}
		nv := jen.Add(old).Op("&^").Id(m).Op("|").Parens(x.Op("&").Id(m))
		return storeBytes(arr, rel+first, k, nv)
	}
	panic("writeField: not an integer field")
}

// ulit is an unsigned integer as an untyped Go constant.
func ulit(u uint64) string { return strconv.FormatUint(u, 10) }

// constUint evaluates a constant expression that must be a uint64.
func constUint(e lang.Expr) (uint64, bool) {
	v, ok := lang.ConstBig(e)
	if !ok || v.Sign() < 0 || !v.IsUint64() {
		return 0, false
	}
	return v.Uint64(), true
}

// isBool reports whether a field is a boolean: bit[1] without a variant.
func isBool(f *lang.Field) bool {
	t, ok := f.Type.(lang.BitsType)
	return ok && t.Bool
}

// customDef returns the definition of a custom-typed field, or nil.
func customDef(f *lang.Field) *lang.CustomDef {
	if t, ok := f.Type.(lang.CustomType); ok {
		return t.Def
	}
	return nil
}

// customType is the Go value of a custom wire type's implementation,
// whose methods generated code calls: mplrt.String8{}.
func customType(d *lang.CustomDef) *jen.Statement {
	// In parentheses: a composite literal may stand in an if or switch
	// header.
	return jen.Parens(jen.Qual(d.GoPath, d.GoType).Values())
}

// customValueType is the Go type of a custom field's value.
func customValueType(d *lang.CustomDef) jen.Code {
	if d.GoValue != "" {
		return jen.Qual(d.GoPath, d.GoValue)
	}
	switch d.Value {
	case lang.TypeInt:
		return jen.Uint64()
	case lang.TypeBool:
		return jen.Bool()
	}
	return jen.Index().Byte()
}

// customValue reads the value of custom field f of the view reached by
// path (p, p.up...).
func customValue(path string, v *view, f *lang.Field) *jen.Statement {
	n := v.id(f)
	return customType(customDef(f)).Dot("Value").Call(jen.Id(path+".b"), jen.Id(path+".u"+n), jen.Id(path+".w"+n))
}

// packetOf returns the packet a packet-typed field holds, or nil.
func packetOf(f *lang.Field) *lang.Packet {
	if t, ok := f.Type.(lang.PacketType); ok {
		return t.Packet
	}
	return nil
}

// runWriter collects the writes of a run of fixed fields into bytes that
// are all zero (a run that dst has just grown by): the fields that share
// bytes are or-ed together and stored once, instead of each reading,
// masking and storing its bytes again.
type runWriter struct {
	arr   string
	order []runStore // in the order of the fields
}

// runStore is one store: either stmt, or the parts or-ed into the k bytes
// at at.
type runStore struct {
	stmt  jen.Code
	at, k int
	parts []jen.Code
}

func newRunWriter(arr string) *runWriter { return &runWriter{arr: arr} }

// stmt adds a statement that writes bytes no integer field of the run
// shares (a byte field, an address).
func (w *runWriter) stmt(c jen.Code) { w.order = append(w.order, runStore{stmt: c}) }

// field adds integer field f, at rel in the run, with value v of Go type
// typ ("" for an untyped constant), which the caller has checked fits in
// the field's bits.
func (w *runWriter) field(f *lang.Field, rel int, v jen.Code, typ string) {
	at, k, shift := rel, 0, 0
	switch t := f.Type.(type) {
	case lang.UintType:
		k = t.Bytes
	case lang.BitsType:
		var first int
		first, k, shift = bitSpan(f)
		at += first
	}
	_, lt := loadBytesExpr(w.arr, at, k)
	if typ != "" && typ != lt {
		v = jen.Id(typ).Call(v)
	}
	x := jen.Id(lt).Call(v)
	if shift > 0 {
		x = x.Op("<<").Lit(shift)
	}
	for i := range w.order {
		if s := &w.order[i]; s.stmt == nil && s.at == at && s.k == k {
			s.parts = append(s.parts, x)
			return
		}
	}
	w.order = append(w.order, runStore{at: at, k: k, parts: []jen.Code{x}})
}

// code returns the statements. A store whose bytes overlap an earlier
// store's ors its value into them.
func (w *runWriter) code() []jen.Code {
	var out []jen.Code
	for i, s := range w.order {
		if s.stmt != nil {
			out = append(out, s.stmt)
			continue
		}
		var v jen.Code = s.parts[0]
		if len(s.parts) > 1 {
			v = composite(s.parts)
		}
		for _, e := range w.order[:i] {
			if e.stmt == nil && e.at < s.at+s.k && s.at < e.at+e.k {
				old, _ := loadBytesExpr(w.arr, s.at, s.k)
				v = jen.Add(old).Op("|").Add(v)
				break
			}
		}
		out = append(out, storeBytes(w.arr, s.at, s.k, v)...)
	}
	return out
}
