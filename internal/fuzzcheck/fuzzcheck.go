// Package fuzzcheck is a differential fuzz harness for the packages mplc
// generates. It is test support: the tests of gen/ and of the e2e packages
// import it; generated code never does.
//
// Given a packet's Parse function, its parameters, its builder types and
// its spec, Check parses any bytes. A parse error must be an mplrt.Error
// within the input. When Parse succeeds, Check works the view through
// reflection: every exported method without arguments (accessors, Kind,
// Bytes, Rest, labels), every array iterator (to the end, and fresh ones
// stopped after each element), every AsX case accessor (into the case
// views and the array elements, at any depth), Walk (to the end and
// stopped after each field), String and AppendText. None may panic, and
// they must agree: Bytes and Rest are the input; each accessor returns
// what Walk reports for its field; a case's or an element's fields are
// among its parent's; Kind names the one AsX that succeeds; Len counts the
// elements Next returns; String is a name and the fields Walk reports;
// labels lie within the input; fields lie within their min() and max()
// (when the spec's bounds are constants and fields). The packet's Bytes
// alone parse to the same fields, and Decode into a view that decoded a
// prefix of the input gives what Parse gives.
//
// Then it rebuilds the packet with the generated builders, filled from the
// view: each exported builder field from the accessor of the same name,
// arrays from their iterators (element builders recursively), a classify's
// raw Body from the packet's bytes, the parameters from the values Parse
// got. AppendTo must give the same after a prefix, and a Layer's
// AppendHeader, payload and Finish the same as AppendTo. What a builder
// makes must parse, with the same parameters, to the same fields as Walk
// reports them, and be the same bytes. Builders write every field as
// given, and Parse checks value() fields that set no length, so the
// encoding is unique; a rebuild that differs only in value() fields must
// still be a fixed point (rebuilding it again gives the same bytes).
//
// Each package needs a table of Packet values; see gen/differential_test.go
// and the FuzzDifferential targets of codegen/testdata/e2e.
package fuzzcheck

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net"
	"net/netip"
	"reflect"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"unsafe"

	mplrt "github.com/mplgo/mpl/runtime"
)

// Packet describes one packet of a generated package: all that the
// harness cannot find by reflection.
type Packet struct {
	// Spec is the path of the spec file, from the test's directory, and
	// Name the packet's name in it.
	Spec, Name string
	// Parse is the package's parse function for the packet:
	// func([]byte, params...) (View, error).
	Parse any
	// Params are the parameter sets to parse and build with; none for a
	// packet without parameters.
	Params [][]any
	// Builders are zero values of the packet's builder structs: the
	// packet's Builder, the builders of its cases and of its array
	// elements.
	Builders []any
}

// Check parses b as p with each of p's parameter sets and checks the view
// and its rebuild. It does not modify b.
func Check(t testing.TB, p Packet, b []byte) {
	t.Helper()
	sets := p.Params
	if len(sets) == 0 {
		sets = [][]any{nil}
	}
	for _, params := range sets {
		c := &checker{t: t, p: p, params: params, in: b}
		c.run()
	}
}

type checker struct {
	t      testing.TB
	p      Packet
	params []any
	in     []byte
}

func (c *checker) where() string {
	s := c.p.Name
	if len(c.params) > 0 {
		s += fmt.Sprint(c.params)
	}
	return fmt.Sprintf("%s, input %s", s, short(c.in))
}

// short formats b in hex, cut to its first 256 bytes.
func short(b []byte) string {
	if len(b) > 256 {
		return fmt.Sprintf("%x... (%d bytes)", b[:256], len(b))
	}
	return fmt.Sprintf("%x", b)
}

func (c *checker) fatalf(format string, args ...any) {
	c.t.Fatalf("%s: %s", c.where(), fmt.Sprintf(format, args...))
}

func (c *checker) errorf(format string, args ...any) {
	c.t.Errorf("%s: %s", c.where(), fmt.Sprintf(format, args...))
}

// call calls m with args, turning a panic into a test failure that names
// the call.
func (c *checker) call(what string, m reflect.Value, args ...reflect.Value) (out []reflect.Value) {
	defer func() {
		if r := recover(); r != nil {
			c.fatalf("%s panicked: %v\n%s", what, r, debug.Stack())
		}
	}()
	return m.Call(args)
}

// guard runs fn, turning a panic into a test failure that names it.
func (c *checker) guard(what string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			c.fatalf("%s panicked: %v\n%s", what, r, debug.Stack())
		}
	}()
	fn()
}

// parse parses b with the checker's parameters. The view is a pointer.
func (c *checker) parse(b []byte) (reflect.Value, error) {
	fn := reflect.ValueOf(c.p.Parse)
	ft := fn.Type()
	if ft.Kind() != reflect.Func || ft.NumIn() != 1+len(c.params) || ft.NumOut() != 2 {
		c.fatalf("fuzzcheck: Parse is %v; want func([]byte, %d params) (View, error)", ft, len(c.params))
	}
	args := []reflect.Value{reflect.ValueOf(b)}
	for i, v := range c.params {
		args = append(args, reflect.ValueOf(v).Convert(ft.In(i+1)))
	}
	out := c.call("Parse", fn, args...)
	if err, _ := out[1].Interface().(error); err != nil {
		return reflect.Value{}, err
	}
	v := reflect.New(out[0].Type())
	v.Elem().Set(out[0])
	return v, nil
}

func (c *checker) run() {
	in := bytes.Clone(c.in)
	v, err := c.parse(in)
	if err != nil {
		var e mplrt.Error
		if !asError(err, &e) {
			c.fatalf("Parse error %v (%T) is not an mplrt.Error", err, err)
		}
		if e.Offset < 0 || e.Offset > len(in) {
			c.errorf("Parse error %v has offset %d outside the %d bytes", err, e.Offset, len(in))
		}
		return
	}
	root := view(v)
	bs, rest := root.bytes(c), root.rest(c)
	if !bytes.Equal(append(bytes.Clone(bs), rest...), c.in) {
		c.errorf("Bytes %s and Rest %s are not the input", short(bs), short(rest))
	}
	fields := c.exercise(typeName(v), v, nil)
	if !bytes.Equal(in, c.in) {
		c.fatalf("reading the view changed its bytes")
	}
	c.checkMinMax(fields)
	c.checkPlaces(fields, bs)
	c.reparse(v, fields, bs)
	c.rebuild(v, 0)
}

// reparse checks that the packet alone (its Bytes, without the Rest)
// parses to the same fields, and that Decode into a view that decoded a
// prefix of the input before gives what Parse gives.
func (c *checker) reparse(v reflect.Value, fields []mplrt.Field, bs []byte) {
	if w, err := c.parse(bs); err != nil {
		c.errorf("Parse accepts the input, but not the packet's Bytes alone (%s): %v", short(bs), err)
	} else if wf := c.walk("the view of Bytes()", w); !fieldsEqual(wf, fields) {
		c.errorf("the packet's Bytes alone (%s) parse to other fields:\n%s\nnot\n%s", short(bs), fieldsText(wf), fieldsText(fields))
	} else if r := view(w).rest(c); len(r) != 0 {
		c.errorf("the packet's Bytes alone (%s) parse with a Rest %s", short(bs), short(r))
	}
	dec, ok := v.Type().MethodByName("Decode")
	if !ok {
		return
	}
	// Before: a prefix of the input, and packets the builders make (of
	// other cases, other lengths), which Decode accepts.
	var before [][]byte
	for _, k := range []int{len(c.in) - 1, len(c.in) / 2} {
		if k >= 0 {
			before = append(before, c.in[:k])
		}
	}
	if seeds := cachedSeeds(c.p); len(seeds) > 0 {
		for i := range 3 {
			before = append(before, seeds[(len(c.in)+i*7)%len(seeds)])
		}
	}
	for _, prev := range before {
		w := reflect.New(v.Type().Elem())
		what := fmt.Sprintf("Decode after Decode of %s", short(prev))
		c.decode(what, w, dec, bytes.Clone(prev))
		if err := c.decode(what, w, dec, c.in); err != nil {
			c.errorf("%s: %v; Parse accepts the input", what, err)
		} else if wf := c.walk(what, w); !fieldsEqual(wf, fields) {
			c.errorf("%s gives other fields than Parse:\n%s\nnot\n%s", what, fieldsText(wf), fieldsText(fields))
		}
	}
}

// decode calls Decode on view w with the checker's parameters.
func (c *checker) decode(what string, w reflect.Value, dec reflect.Method, b []byte) error {
	ft := dec.Type
	if ft.NumIn() != 2+len(c.params) {
		c.fatalf("fuzzcheck: Decode is %v; want %d parameters", ft, len(c.params))
	}
	args := []reflect.Value{w, reflect.ValueOf(b)}
	for i, p := range c.params {
		args = append(args, reflect.ValueOf(p).Convert(ft.In(i+2)))
	}
	err, _ := c.call(what, dec.Func, args...)[0].Interface().(error)
	return err
}

// view is a pointer to a generated view struct.
type view reflect.Value

func (v view) v() reflect.Value { return reflect.Value(v) }

func (v view) bytes(c *checker) []byte {
	m := v.v().MethodByName("Bytes")
	if !m.IsValid() {
		return nil
	}
	b := c.call("Bytes", m)[0].Bytes()
	if b == nil {
		b = []byte{} // not nil: the view has Bytes
	}
	return b
}

func (v view) rest(c *checker) []byte {
	m := v.v().MethodByName("Rest")
	if !m.IsValid() {
		return nil
	}
	return c.call("Rest", m)[0].Bytes()
}

func typeName(v reflect.Value) string {
	t := v.Type()
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}

type walker interface {
	Walk(func(mplrt.Field) bool) bool
}

type texter interface {
	AppendText([]byte) []byte
	String() string
}

// walk returns the fields Walk reports.
func (c *checker) walk(what string, v reflect.Value) []mplrt.Field {
	w, ok := v.Interface().(walker)
	if !ok {
		c.fatalf("fuzzcheck: %s (%v) has no Walk method", what, v.Type())
	}
	var fs []mplrt.Field
	var all bool
	c.guard(what+".Walk", func() {
		all = w.Walk(func(f mplrt.Field) bool { fs = append(fs, f); return true })
	})
	if !all {
		c.errorf("%s.Walk reported false though fn never stopped it", what)
	}
	return fs
}

// stopPoints are the calls after which to stop a Walk of n fields, or
// the elements after which to stop an iterator: all of them for small n,
// else the first and last few and some between.
func stopPoints(n, all int) []int {
	if n <= all {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	}
	var s []int
	for i := 0; i < n; i++ {
		if i < all/2 || i >= n-all/2 || i%(n/all+1) == 0 {
			s = append(s, i)
		}
	}
	return s
}

// exercise calls every method of view v without arguments, walks its
// iterators and cases and checks Walk, String and AppendText. It returns
// the fields Walk reports.
func (c *checker) exercise(what string, v reflect.Value, depth []string) []mplrt.Field {
	if len(depth) > 32 {
		c.fatalf("fuzzcheck: views nested more than 32 deep: %v", depth)
	}
	fields := c.walk(what, v)
	w := v.Interface().(walker)
	for _, stop := range stopPoints(len(fields), 64) {
		calls := 0
		var all bool
		c.guard(fmt.Sprintf("%s.Walk stopped after field %d", what, stop+1), func() {
			all = w.Walk(func(mplrt.Field) bool { calls++; return calls <= stop })
		})
		if all || calls != stop+1 {
			c.errorf("%s.Walk told to stop after field %d made %d calls and reported %v", what, stop+1, calls, all)
		}
	}
	if tx, ok := v.Interface().(texter); ok {
		var s string
		var b []byte
		c.guard(what+".String", func() { s = tx.String() })
		c.guard(what+".AppendText", func() { b = tx.AppendText([]byte("prefix:")) })
		if string(b) != "prefix:"+s {
			c.errorf("%s.AppendText after a prefix gives %q; String gives %q", what, b, s)
		}
		// String is the view's name and then the fields Walk reports.
		var text []byte
		for _, f := range fields {
			text = f.AppendText(append(text, ' '))
		}
		if name, ok := strings.CutSuffix(s, string(text)); !ok || name == "" || strings.Contains(name, " ") {
			c.errorf("%s.String() = %q is not a name and then the fields Walk reports, %q", what, s, text)
		}
	} else {
		c.fatalf("fuzzcheck: %s (%v) has no String or AppendText", what, v.Type())
	}

	var byName map[string]int // the fields by normalized name
	var kind string
	hasKind := false
	asOK := map[string]bool{}
	nAs := 0
	for _, m := range methods(v.Type()) {
		if !m.noArgs {
			continue // setters, Decode, Walk, AppendText
		}
		name := what + "." + m.Name
		out := c.call(name, v.Method(m.Index))
		switch {
		case m.isAs:
			nAs++
			if out[1].Bool() {
				asOK[m.Name] = true
				cv := reflect.New(out[0].Type())
				cv.Elem().Set(out[0])
				cf := c.exercise(name+"()", cv, append(depth, m.Name))
				if !containsRun(fields, cf) {
					c.errorf("the fields of %s() are not among those %s.Walk reports:\n%s\nnot in\n%s", name, what, fieldsText(cf), fieldsText(fields))
				}
			} else if !out[0].IsZero() {
				c.errorf("%s() reported false with a non-zero view", name)
			}
		case len(out) == 1 && isIter(out[0].Type()):
			c.iterate(name+"()", out[0], fields, depth)
		case len(out) == 1:
			if byName == nil {
				byName = map[string]int{}
				for i, f := range fields {
					if f.Array == "" && f.Format != mplrt.FormatKind {
						n := norm(f.Name)
						if _, dup := byName[n]; dup {
							byName[n] = -1
						} else {
							byName[n] = i
						}
					}
				}
			}
			c.agree(what, m.Name, out[0], fields, byName)
			if m.Name == "Kind" {
				if s, ok := out[0].Interface().(fmt.Stringer); ok {
					hasKind = true
					c.guard(name+"().String", func() { kind = s.String() })
				}
			}
			c.stringify(name+"()", out[0])
		}
	}
	if hasKind && nAs > 0 {
		switch {
		case kind == "Unknown":
			if len(asOK) != 0 {
				c.errorf("%s.Kind() is Unknown, but %v reported true", what, keys(asOK))
			}
		case len(asOK) != 1:
			c.errorf("%s.Kind() is %s, and %d As methods reported true: %v", what, kind, len(asOK), keys(asOK))
		case !asOK["As"+kind] && !asOK["As"+kind+"_"]:
			c.errorf("%s.Kind() is %s, but %v reported true", what, kind, keys(asOK))
		}
	}
	return fields
}

func keys(m map[string]bool) []string {
	var s []string
	for k := range m {
		s = append(s, k)
	}
	return s
}

// norm is a name without case and underscores: a spec's field name and
// the Go name made of it normalize alike.
func norm(s string) string {
	return strings.ToLower(strings.ReplaceAll(s, "_", ""))
}

// agree checks that accessor name of a view returned what Walk reports for
// the field of that name, when exactly one field of the view (outside its
// arrays) has it.
func (c *checker) agree(what, name string, x reflect.Value, fields []mplrt.Field, byName map[string]int) {
	switch name {
	case "Bytes", "Rest", "Kind", "String":
		return // the view's own methods: a field of the name has name_
	}
	i, found := byName[norm(name)]
	if i < 0 {
		return // several fields
	}
	var f *mplrt.Field
	if found {
		f = &fields[i]
	}
	if f == nil {
		// A label: a byte offset, in the packet or the element.
		if x.Kind() == reflect.Int && (x.Int() < 0 || x.Int() > int64(len(c.in))) {
			c.errorf("%s.%s() = %d, outside the %d bytes of input", what, name, x.Int(), len(c.in))
		}
		return
	}
	var ok bool
	switch {
	case f.Format == mplrt.FormatCustom:
		// Walk reports a custom type's wire bytes, and its value in Uint
		// for int and bool types; the accessor returns the value.
		switch {
		case x.CanUint():
			ok = x.Uint() == f.Uint
		case x.Kind() == reflect.Bool:
			ok = x.Bool() == (f.Uint != 0)
		default:
			return
		}
	case x.Type() == addrType:
		a := x.Interface().(netip.Addr)
		ok = a.IsValid() && (f.Bytes != nil && bytes.Equal(a.AsSlice(), f.Bytes) ||
			f.Bytes == nil && a.Is4() && uint64(binary.BigEndian.Uint32(a.AsSlice())) == f.Uint)
	case isBytes(x.Type()):
		ok = bytes.Equal(x.Bytes(), f.Bytes)
	case x.CanUint():
		ok = f.Bytes == nil && x.Uint() == f.Uint
	case x.CanInt():
		ok = f.Bytes == nil && uint64(x.Int()) == f.Uint
	case x.Kind() == reflect.Bool:
		ok = f.Bytes == nil && x.Bool() == (f.Uint != 0)
	default:
		return
	}
	if !ok {
		c.errorf("%s.%s() = %v, but Walk reports %s", what, name, x, f.AppendText(nil))
	}
}

// stringify formats an accessor's result if it has a String method.
func (c *checker) stringify(what string, x reflect.Value) {
	if s, ok := x.Interface().(fmt.Stringer); ok {
		c.guard(what+".String", func() { _ = s.String() })
	}
}

// method is what the harness needs to know of a method.
type method struct {
	reflect.Method
	noArgs bool // it takes no arguments
	isAs   bool // and it is a case accessor AsX() (X, bool)
	one    bool // or it returns one value
}

var methodCache, iterCache sync.Map // reflect.Type -> []method, bool

// methods returns the methods of t.
func methods(t reflect.Type) []method {
	if ms, ok := methodCache.Load(t); ok {
		return ms.([]method)
	}
	var ms []method
	for i := 0; i < t.NumMethod(); i++ {
		m := method{Method: t.Method(i)}
		mt := m.Type
		m.noArgs = mt.NumIn() == 1 && !mt.IsVariadic()
		m.isAs = m.noArgs && mt.NumOut() == 2 && mt.Out(1).Kind() == reflect.Bool && strings.HasPrefix(m.Name, "As")
		m.one = m.noArgs && mt.NumOut() == 1
		ms = append(ms, m)
	}
	methodCache.Store(t, ms)
	return ms
}

// isIter reports whether t is an array iterator: *t has Next() (E, bool)
// and Len() int.
func isIter(t reflect.Type) bool {
	if ok, found := iterCache.Load(t); found {
		return ok.(bool)
	}
	ok := isIterType(t)
	iterCache.Store(t, ok)
	return ok
}

func isIterType(t reflect.Type) bool {
	p := reflect.PointerTo(t)
	n, ok := p.MethodByName("Next")
	if !ok || n.Type.NumIn() != 1 || n.Type.NumOut() != 2 || n.Type.Out(1).Kind() != reflect.Bool {
		return false
	}
	l, ok := p.MethodByName("Len")
	return ok && l.Type.NumIn() == 1 && l.Type.NumOut() == 1 && l.Type.Out(0).Kind() == reflect.Int
}

// elements runs iterator it (a value) to the end and returns the elements
// (pointers), checking Len along the way.
func (c *checker) elements(what string, it reflect.Value) []reflect.Value {
	p := reflect.New(it.Type())
	p.Elem().Set(it)
	n := int(c.call(what+".Len", p.MethodByName("Len"))[0].Int())
	if n < 0 {
		c.errorf("%s.Len() = %d", what, n)
	}
	var els []reflect.Value
	for {
		out := c.call(what+".Next", p.MethodByName("Next"))
		if !out[1].Bool() {
			break
		}
		e := reflect.New(out[0].Type())
		e.Elem().Set(out[0])
		els = append(els, e)
		if l := int(c.call(what+".Len", p.MethodByName("Len"))[0].Int()); l != n-len(els) {
			c.errorf("%s.Len() = %d after %d of %d elements", what, l, len(els), n)
		}
		if len(els) > n+1 {
			c.fatalf("%s.Next returns more than the %d elements Len promised", what, n)
		}
	}
	if len(els) != n {
		c.errorf("%s returned %d elements; Len() said %d", what, len(els), n)
	}
	if out := c.call(what+".Next", p.MethodByName("Next")); out[1].Bool() {
		c.errorf("%s.Next returned an element after reporting the end", what)
	}
	return els
}

// iterate checks the iterator an accessor returned: its elements, and
// fresh iterators stopped after each element.
func (c *checker) iterate(what string, it reflect.Value, parent []mplrt.Field, depth []string) {
	els := c.elements(what, it)
	var ef [][]mplrt.Field
	for i, e := range els {
		name := fmt.Sprintf("%s[%d]", what, i)
		fs := c.exercise(name, e, append(depth, what))
		ef = append(ef, fs)
		if !containsRun(parent, fs) {
			c.errorf("the fields of %s are not among those of the view holding it:\n%s\nnot in\n%s", name, fieldsText(fs), fieldsText(parent))
		}
	}
	for _, stop := range stopPoints(len(els), 16) {
		p := reflect.New(it.Type())
		p.Elem().Set(it)
		for i := 0; i <= stop; i++ {
			out := c.call(what+".Next", p.MethodByName("Next"))
			if !out[1].Bool() {
				c.errorf("%s: a second iterator ended after %d elements of %d", what, i, len(els))
				break
			}
			if i == stop {
				e := reflect.New(out[0].Type())
				e.Elem().Set(out[0])
				if fs := c.walk(what, e); !fieldsEqual(fs, ef[i]) {
					c.errorf("%s: element %d differs between two iterations", what, i)
				}
			}
		}
	}
}

// containsRun reports whether sub appears as consecutive fields of all,
// ignoring Array and Index (a view walked on its own has none).
func containsRun(all, sub []mplrt.Field) bool {
	if len(sub) == 0 {
		return true
	}
outer:
	for i := 0; i+len(sub) <= len(all); i++ {
		for j, f := range sub {
			g := all[i+j]
			g.Array, g.Index = f.Array, f.Index
			if !fieldEqual(g, f) {
				continue outer
			}
		}
		return true
	}
	return false
}

func fieldEqual(a, b mplrt.Field) bool {
	same := a.Name == b.Name && a.Array == b.Array && a.Index == b.Index && a.Format == b.Format &&
		a.Bits == b.Bits && a.Uint == b.Uint && a.Enum == b.Enum
	if same && a.Format == mplrt.FormatCustom {
		// An int or bool wire type may have several encodings of a
		// value (SSH's boolean: any nonzero byte is true): its value,
		// in Uint, is what must agree.
		if k, ok := a.Type.(interface{ ValueKind() mplrt.ValueKind }); ok && (k.ValueKind() == mplrt.ValueInt || k.ValueKind() == mplrt.ValueBool) {
			return true
		}
	}
	return same && bytes.Equal(a.Bytes, b.Bytes)
}

func fieldsEqual(a, b []mplrt.Field) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !fieldEqual(a[i], b[i]) {
			return false
		}
	}
	return true
}

// fieldsText formats fields as name=value, the first 64 of them.
func fieldsText(fs []mplrt.Field) string {
	var b []byte
	for i, f := range fs {
		if i == 64 {
			b = fmt.Appendf(b, " ... (%d fields)", len(fs))
			break
		}
		if i > 0 {
			b = append(b, ' ')
		}
		b = f.AppendText(b)
	}
	return string(b)
}

var (
	hardwareAddrType = reflect.TypeFor[net.HardwareAddr]()
	addrType         = reflect.TypeFor[netip.Addr]()
	bytesType        = reflect.TypeFor[[]byte]()
)

// checkPlaces checks that the integer fields Walk reports fit in their
// bits, and that the byte fields lie in the packet's bytes, in order and
// without overlapping.
func (c *checker) checkPlaces(fields []mplrt.Field, bs []byte) {
	if len(bs) == 0 {
		return
	}
	base := uintptr(unsafe.Pointer(unsafe.SliceData(bs)))
	end := 0 // where the last byte field ended, from base
	last := ""
	for _, f := range fields {
		if f.Bytes == nil && f.Bits > 0 && f.Bits < 64 && f.Uint>>uint(f.Bits) != 0 {
			c.errorf("field %s does not fit in its %d bits", f.AppendText(nil), f.Bits)
		}
		if len(f.Bytes) == 0 {
			continue
		}
		p := uintptr(unsafe.Pointer(unsafe.SliceData(f.Bytes)))
		if p < base || p-base+uintptr(len(f.Bytes)) > uintptr(len(bs)) {
			c.errorf("field %s (%d bytes) does not lie in the packet's %d bytes", f.AppendText(nil), len(f.Bytes), len(bs))
			return
		}
		off := int(p - base)
		if off < end {
			c.errorf("field %s at byte %d overlaps %s, which ends at byte %d", f.AppendText(nil), off, last, end)
			return
		}
		end, last = off+len(f.Bytes), f.Name
	}
}
