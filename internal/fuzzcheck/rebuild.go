package fuzzcheck

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/mplgo/mpl/lang"
	mplrt "github.com/mplgo/mpl/runtime"
)

func asError(err error, e *mplrt.Error) bool { return errors.As(err, e) }

// fieldInfo is what the spec says of the fields of one name.
type fieldInfo struct {
	value    bool   // some field of the name has value() or is a checksum
	def      uint64 // and a default, if hasDef
	hasDef   bool
	n        int       // the number of fields of the name
	min, max lang.Expr // of the field, if it is the only one of its name
}

var specCache sync.Map // Spec+"\x00"+Name -> map[string]fieldInfo

// packet reads the spec and returns the checked packet; the caller caches
// what it derives from it.
func (c *checker) packet() *lang.Packet {
	spec, err := lang.LoadFiles(c.p.Spec)
	if err != nil {
		c.fatalf("fuzzcheck: reading the spec: %v", err)
	}
	p := spec.Packet(c.p.Name)
	if p == nil {
		c.fatalf("fuzzcheck: %s has no packet %s", c.p.Spec, c.p.Name)
	}
	return p
}

// fieldInfos reads the spec's attributes of the packet's fields, by name.
func (c *checker) fieldInfos() map[string]fieldInfo {
	key := c.p.Spec + "\x00" + c.p.Name
	if m, ok := specCache.Load(key); ok {
		return m.(map[string]fieldInfo)
	}
	p := c.packet()
	m := map[string]fieldInfo{}
	lang.Walk(p.Body, func(s lang.Stmt) {
		f, ok := s.(*lang.Field)
		if !ok {
			return
		}
		fi := m[f.Name]
		fi.n++
		fi.min, fi.max = f.Attrs.Min, f.Attrs.Max
		if f.Attrs.Value != nil || f.Attrs.Checksum != nil {
			fi.value = true
		}
		// Builders write every field as given, zero included: a default
		// changes nothing that is rebuilt (hasDef stays false).
		m[f.Name] = fi
	})
	specCache.Store(key, m)
	return m
}

// param is a parameter of the packet in the spec.
type param struct {
	name string
	addr bool // an addr parameter: Parse does not take it
}

// paramList returns the packet's parameters in the spec.
func (c *checker) paramList() []param {
	key := c.p.Spec + "\x00" + c.p.Name + "\x00params"
	if m, ok := specCache.Load(key); ok {
		return m.([]param)
	}
	var out []param
	for _, p := range c.packet().Params {
		out = append(out, param{name: p.Name, addr: p.Type == lang.TypeAddr})
	}
	specCache.Store(key, out)
	return out
}

// checksumBytes returns the offsets of the bytes of the packet's checksum
// fields (all at static offsets in its body).
func (c *checker) checksumBytes() []int {
	key := c.p.Spec + "\x00" + c.p.Name + "\x00checksums"
	if m, ok := specCache.Load(key); ok {
		return m.([]int)
	}
	var out []int
	for _, st := range c.packet().Body.Stmts {
		if f, ok := st.(*lang.Field); ok && f.Attrs.Checksum != nil {
			out = append(out, f.Offset, f.Offset+1)
		}
	}
	specCache.Store(key, out)
	return out
}

// builders returns the packet's builder types by name.
func (c *checker) builders() map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for _, b := range c.p.Builders {
		t := reflect.TypeOf(b)
		if t.Kind() != reflect.Struct {
			c.fatalf("fuzzcheck: builder %v is not a struct", t)
		}
		m[t.Name()] = t
	}
	return m
}

// builderFor returns the builder of the view type named v, as the
// generator names it: Builder for the root view Packet, else v+"Builder".
func builderFor(bs map[string]reflect.Type, v string) reflect.Type {
	n := v + "Builder"
	if v == "Packet" {
		n = "Builder"
	}
	for _, x := range []string{n, n + "_"} {
		if t, ok := bs[x]; ok {
			return t
		}
	}
	return nil
}

// plan is one way to rebuild a packet: a builder type, the views it takes
// its fields from (the case first), and the As method giving the case.
type plan struct {
	bt    reflect.Type
	as    string
	views []reflect.Value
}

// plans returns the ways to rebuild root: the packet's builder, and the
// builder of the case it holds.
func (c *checker) plans(root reflect.Value) []plan {
	bs := c.builders()
	var ps []plan
	if bt := builderFor(bs, typeName(root)); bt != nil {
		ps = append(ps, plan{bt: bt, views: []reflect.Value{root}})
	}
	for _, m := range methods(root.Type()) {
		if !m.isAs {
			continue
		}
		out := root.Method(m.Index).Call(nil)
		if !out[1].Bool() {
			continue
		}
		cv := reflect.New(out[0].Type())
		cv.Elem().Set(out[0])
		if bt := builderFor(bs, typeName(cv)); bt != nil {
			ps = append(ps, plan{bt: bt, as: m.Name, views: []reflect.Value{cv, root}})
		}
	}
	return ps
}

// rebuild builds root again with each builder that fits it and checks
// what comes out. At depth 1 it checks a fixed point: the build must give
// the packet exactly.
func (c *checker) rebuild(root reflect.Value, depth int) {
	ps := c.plans(root)
	if len(ps) == 0 {
		c.fatalf("fuzzcheck: no builder for %v among %d given", root.Type(), len(c.p.Builders))
	}
	for _, pl := range ps {
		c.checkBuild(pl, root, depth)
	}
}

var rawName = regexp.MustCompile(`^Body[0-9]*_*$`)

func (c *checker) checkBuild(pl plan, root reflect.Value, depth int) {
	name := pl.bt.Name()
	if depth > 0 {
		name += " (rebuilding what it built)"
	}
	orig := view(root).bytes(c)
	origFields := c.walk("the view", root)
	exp, subst := c.expected(origFields)
	bv, err := c.fill(pl.bt, pl.views, orig)
	if err != nil {
		if subst != "" {
			c.t.Logf("%s: not comparable (%s): %v", c.where(), subst, err)
			return
		}
		c.errorf("%s: %v", name, err)
		return
	}
	out, err := c.appendTo(name, bv)
	if err != nil {
		if subst != "" {
			c.t.Logf("%s: %s.AppendTo: %v; not comparable (%s)", c.where(), name, err, subst)
			return
		}
		c.errorf("%s.AppendTo refuses the fields of a packet Parse accepted: %v\nbuilder %+v\nfields %s", name, err, bv.Interface(), fieldsText(origFields))
		return
	}
	pv, err := c.parse(out)
	if err != nil {
		if subst != "" {
			return
		}
		c.errorf("what %s built does not parse: %v\nbuilt %s\nfields %s", name, err, short(out), fieldsText(origFields))
		return
	}
	got := c.walk("the rebuilt view", pv)
	diff, valueOnly := c.compare(exp, got, depth == 0)
	switch {
	case diff != "" && !valueOnly && subst != "" && !onlyDefaults(exp, got):
		// The default chose another case or another layout.
		c.t.Logf("%s: %s: not comparable (%s): %s", c.where(), name, subst, diff)
	case diff != "" && !valueOnly:
		c.errorf("what %s built parses to other fields: %s\nbuilt %s\nparsed %s\nbuilt  %s", name, diff, short(out), fieldsText(origFields), fieldsText(got))
	case diff != "":
		// Only value() fields differ: the rebuild must be a fixed point.
		c.rebuildFixed(pl, pv, out)
	case subst == "" && !bytes.Equal(out, orig) && reencoded(origFields, got):
		// A value with several encodings was written in its own: the
		// rebuild must be a fixed point.
		c.rebuildFixed(pl, pv, out)
	case subst == "" && !bytes.Equal(out, orig):
		c.errorf("%s built other bytes with the same fields:\nbuilt %s\nwant  %s", name, short(out), short(orig))
	}
}

// onlyDefaults reports whether the fields got differ from exp only in
// fields whose zero expected their default: then the builder did not write
// the default. Otherwise the default changed the packet's case or layout.
func onlyDefaults(exp, got []mplrt.Field) bool {
	if len(exp) != len(got) {
		return false
	}
	for i, e := range exp {
		g := got[i]
		if e.Enum == "\x00default" {
			g.Uint, g.Enum = e.Uint, e.Enum
		}
		if !fieldEqual(e, g) {
			return false
		}
	}
	return true
}

// rebuildFixed checks that the builder of pl, filled from the packet it
// built (pv, out), builds out again.
func (c *checker) rebuildFixed(pl plan, pv reflect.Value, out []byte) {
	q := plan{bt: pl.bt, as: pl.as, views: []reflect.Value{pv}}
	if pl.as != "" {
		r := pv.MethodByName(pl.as).Call(nil)
		if !r[1].Bool() {
			c.errorf("what %s built is not the %s case", pl.bt.Name(), pl.as)
			return
		}
		cv := reflect.New(r[0].Type())
		cv.Elem().Set(r[0])
		q.views = []reflect.Value{cv, pv}
	}
	c2 := &checker{t: c.t, p: c.p, params: c.params, in: out}
	c2.checkBuild(q, pv, 1)
}

// expected returns the fields a builder must produce from fields: a zero
// in a field with a default becomes the default. subst says which.
func (c *checker) expected(fields []mplrt.Field) ([]mplrt.Field, string) {
	info := c.fieldInfos()
	exp := make([]mplrt.Field, len(fields))
	var subst []string
	for i, f := range fields {
		if fi := info[f.Name]; fi.hasDef && f.Bytes == nil && f.Uint == 0 && f.Format != mplrt.FormatKind {
			f.Uint = fi.def
			if f.Bits > 0 && f.Bits < 64 {
				f.Uint &= 1<<uint(f.Bits) - 1
			}
			f.Enum = "\x00default" // the name of the default is not known
			subst = append(subst, fmt.Sprintf("%s is 0 and has default %d", f.Name, f.Uint))
		}
		exp[i] = f
	}
	return exp, strings.Join(subst, ", ")
}

// compare compares the fields of a rebuilt packet with those expected. If
// only fields with value() differ in their values (and tolerateValue),
// valueOnly is true.
func (c *checker) compare(exp, got []mplrt.Field, tolerateValue bool) (diff string, valueOnly bool) {
	info := c.fieldInfos()
	var diffs []string
	valueOnly = true
	for i := 0; i < max(len(exp), len(got)); i++ {
		if i >= len(exp) || i >= len(got) {
			valueOnly = false
			diffs = append(diffs, fmt.Sprintf("%d fields, want %d", len(got), len(exp)))
			break
		}
		e, g := exp[i], got[i]
		if e.Enum == "\x00default" {
			e.Enum = g.Enum
		}
		if fieldEqual(e, g) {
			continue
		}
		diffs = append(diffs, fmt.Sprintf("field %d: %s, want %s", i, g.AppendText(nil), e.AppendText(nil)))
		e.Uint, e.Enum = g.Uint, g.Enum
		if !tolerateValue || !info[e.Name].value || !fieldEqual(e, g) {
			valueOnly = false
		}
	}
	return strings.Join(diffs, "; "), valueOnly && len(diffs) > 0
}

// accessor calls the accessor of views named like a builder field. A
// view method that a spec's field could not take (Kind, Rest) leaves the
// field's accessor a trailing underscore: that comes first.
func (c *checker) accessor(views []reflect.Value, name string) (reflect.Value, bool) {
	names := []string{name + "_", name}
	if s := strings.TrimRight(name, "_"); s != name {
		names = append(names, s)
	}
	for _, v := range views {
		ms := methods(v.Type())
		for _, n := range names {
			i, ok := slices.BinarySearchFunc(ms, n, func(m method, n string) int { return strings.Compare(m.Name, n) })
			if !ok || !ms[i].one || strings.HasPrefix(n, "Set") {
				continue
			}
			return c.call(typeName(v)+"."+n, v.Method(ms[i].Index))[0], true
		}
	}
	return reflect.Value{}, false
}

// fill makes a builder of type bt from views. A raw classify body is cut
// from orig, the bytes of the packet (nil for an array element).
func (c *checker) fill(bt reflect.Type, views []reflect.Value, orig []byte) (reflect.Value, error) {
	bv := reflect.New(bt).Elem()
	// The parameters come first, in order: all of them in a packet's
	// builders, those its elements read in an element's builder (matched
	// by name).
	// An addr parameter, which only checksums read, stays the zero
	// Addr: the rebuild's checksums differ, as value() fields may.
	np, ip := 0, 0
	for _, prm := range c.paramList() {
		if np >= bt.NumField() {
			break
		}
		sf := bt.Field(np)
		if !strings.EqualFold(sf.Name, strings.ReplaceAll(prm.name, "_", "")) {
			if !prm.addr {
				ip++
			}
			continue
		}
		if prm.addr {
			np++
			continue
		}
		p := c.params[ip]
		ip++
		pv := reflect.ValueOf(p)
		if !pv.CanConvert(sf.Type) || pv.Kind() != sf.Type.Kind() {
			c.fatalf("fuzzcheck: %s.%s (%v) is not the parameter %v", bt.Name(), sf.Name, sf.Type, p)
		}
		bv.Field(np).Set(pv.Convert(sf.Type))
		np++
	}
	var raws []int
	for i := np; i < bt.NumField(); i++ {
		sf := bt.Field(i)
		if !sf.IsExported() {
			continue
		}
		if sf.Type.Kind() == reflect.Struct && strings.HasSuffix(sf.Type.Name(), "Builder") {
			// The builder of a case inside an element's builder: filled
			// from the case's view when the element holds that case
			// (its Kind, filled from the view's, chooses it).
			if err := c.fillCase(bv.Field(i), sf, views); err != nil {
				return bv, err
			}
			continue
		}
		src, ok := c.accessor(views, sf.Name)
		if !ok {
			if rawName.MatchString(sf.Name) && sf.Type == bytesType {
				raws = append(raws, i)
				continue
			}
			c.fatalf("fuzzcheck: no accessor for %s.%s in %v", bt.Name(), sf.Name, views[0].Type())
		}
		c.set(bt.Name()+"."+sf.Name, bv.Field(i), src)
	}
	if k := bv.FieldByName("Kind"); k.IsValid() && !k.IsZero() && len(raws) > 0 {
		raws = nil // a case's builder builds the element
	}
	switch {
	case len(raws) == 0:
	case orig == nil:
		c.fatalf("fuzzcheck: %s has a raw body %s but its view has no Bytes to cut it from", bt.Name(), bt.Field(raws[0]).Name)
	case len(raws) > 1:
		c.fatalf("fuzzcheck: %s has %d raw bodies; the harness fills only one", bt.Name(), len(raws))
	default:
		if err := c.fillRaw(bv, raws[0], orig); err != nil {
			return bv, err
		}
	}
	return bv, nil
}

// fillCase fills dst, the field sf of an element's builder that builds one
// case of its classify, from the view AsX gives for that case, if the
// element holds it.
func (c *checker) fillCase(dst reflect.Value, sf reflect.StructField, views []reflect.Value) error {
	for _, v := range views {
		m := v.MethodByName("As" + sf.Name)
		if !m.IsValid() {
			continue
		}
		r := c.call(typeName(v)+".As"+sf.Name, m)
		if !r[1].Bool() {
			return nil
		}
		cv := reflect.New(r[0].Type())
		cv.Elem().Set(r[0])
		fv, err := c.fill(sf.Type, append([]reflect.Value{cv}, views...), nil)
		if err != nil {
			return err
		}
		dst.Set(fv)
		return nil
	}
	c.fatalf("fuzzcheck: no As%s method for the case builder %s", sf.Name, sf.Type.Name())
	return nil
}

// set sets a builder field from an accessor's result.
func (c *checker) set(what string, dst, src reflect.Value) {
	st, dt := src.Type(), dst.Type()
	switch {
	case isIter(st) && dt.Kind() == reflect.Slice && dt.Elem().Kind() == reflect.Struct:
		els := c.elements(what, src)
		s := reflect.MakeSlice(dt, 0, len(els))
		for _, e := range els {
			ev, err := c.fill(dt.Elem(), []reflect.Value{e}, nil)
			if err != nil {
				c.fatalf("fuzzcheck: %s: %v", what, err)
			}
			// Built alone, the element must build the same after a
			// prefix and, for a Layer, with AppendHeader and Finish.
			_, _ = c.appendTo(dt.Elem().Name(), ev)
			s = reflect.Append(s, ev)
		}
		dst.Set(s)
	case st.AssignableTo(dt):
		dst.Set(src)
	case st.ConvertibleTo(dt) && (isNumber(st) && isNumber(dt) || isBytes(st) && isBytes(dt)):
		dst.Set(src.Convert(dt))
	default:
		c.fatalf("fuzzcheck: %s is %v, but its accessor returns %v", what, dt, st)
	}
}

func isNumber(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

func isBytes(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8
}

// fillRaw sets the raw classify body bv.Field(i) to the bytes of orig the
// classify took. It finds them by building: the body's length is what a
// build without it lacks, and where it goes is where a body of zeros and
// one of 0xff bytes differ.
func (c *checker) fillRaw(bv reflect.Value, i int, orig []byte) error {
	name := bv.Type().Name() + "." + bv.Type().Field(i).Name
	f := bv.Field(i)
	f.SetBytes(nil)
	out0, err := c.appendTo(name, bv)
	if err != nil {
		return fmt.Errorf("building with an empty %s, to find the body: %v", name, err)
	}
	n := len(orig) - len(out0)
	if n < 0 {
		return fmt.Errorf("with an empty %s the build is %d bytes, longer than the packet's %d", name, len(out0), len(orig))
	}
	if n == 0 {
		f.SetBytes(orig[len(orig):])
		return nil
	}
	f.SetBytes(make([]byte, n))
	a, err := c.appendTo(name, bv)
	if err != nil {
		return fmt.Errorf("building with %d zeros as %s: %v", n, name, err)
	}
	f.SetBytes(bytes.Repeat([]byte{0xff}, n))
	b, err := c.appendTo(name, bv)
	if err != nil {
		return fmt.Errorf("building with %d 0xff bytes as %s: %v", n, name, err)
	}
	s, e := -1, -1
	sums := c.checksumBytes()
	for j := 0; j < len(a) && j < len(b); j++ {
		if a[j] != b[j] && !slices.Contains(sums, j) {
			if s < 0 {
				s = j
			}
			e = j + 1
		}
	}
	if len(a) != len(orig) || len(b) != len(orig) || e-s != n {
		return fmt.Errorf("cannot find where %s goes: builds of %d and %d bytes (packet %d) differ in [%d, %d), not in %d bytes", name, len(a), len(b), len(orig), s, e, n)
	}
	f.SetBytes(orig[s:e])
	return nil
}

// appendTo builds bv and checks AppendTo after a prefix, and AppendHeader
// and Finish around the payload for a builder that has them.
func (c *checker) appendTo(name string, bv reflect.Value) ([]byte, error) {
	app, ok := bv.Interface().(mplrt.Appender)
	if !ok {
		c.fatalf("fuzzcheck: %s is no mplrt.Appender", name)
	}
	var out []byte
	var err error
	c.guard(name+".AppendTo", func() { out, err = app.AppendTo(nil) })
	prefix := []byte{0x5a, 0x5a, 0x5a}
	buf := bytes.Repeat([]byte{0xa5}, len(prefix)+len(out)+32)
	copy(buf, prefix)
	var out2 []byte
	var err2 error
	c.guard(name+".AppendTo after a prefix", func() { out2, err2 = app.AppendTo(buf[:len(prefix)]) })
	if (err == nil) != (err2 == nil) {
		c.errorf("%s.AppendTo: %v; after a prefix: %v", name, err, err2)
	}
	switch {
	case err2 != nil && (len(out2) != len(prefix) || !bytes.Equal(out2, prefix)):
		c.errorf("%s.AppendTo failed (%v) but did not return dst unchanged: %s", name, err2, short(out2))
	case err2 == nil && (len(out2) < len(prefix) || !bytes.Equal(out2[:len(prefix)], prefix) || !bytes.Equal(out2[len(prefix):], out)):
		c.errorf("%s.AppendTo after a prefix gives %s; without %s", name, short(out2), short(out))
	}
	if l, ok := bv.Interface().(mplrt.Layer); ok && err == nil {
		c.checkLayer(name, bv, l, out)
	}
	return out, err
}

// checkLayer builds a Layer builder's packet as mplrt.Nest does, with
// AppendHeader, its payload (the last field) and Finish, after a prefix.
func (c *checker) checkLayer(name string, bv reflect.Value, l mplrt.Layer, want []byte) {
	payload := bv.Field(bv.NumField() - 1)
	if !isBytes(payload.Type()) {
		c.fatalf("fuzzcheck: the last field of the Layer %s is %v, not the payload", name, payload.Type())
	}
	pl := payload.Bytes()
	prefix := []byte{1, 2}
	var dst []byte
	var err error
	c.guard(name+".AppendHeader", func() { dst, err = l.AppendHeader(bytes.Clone(prefix)) })
	if err != nil {
		c.errorf("%s.AppendTo succeeds but AppendHeader fails: %v", name, err)
		return
	}
	dst = append(dst, pl...)
	c.guard(name+".Finish", func() { dst, err = l.Finish(dst, len(prefix)) })
	if err != nil || !bytes.Equal(dst[:len(prefix)], prefix) || !bytes.Equal(dst[len(prefix):], want) {
		c.errorf("%s: AppendHeader, payload, Finish give %s, %v; AppendTo gives %s", name, short(dst[len(prefix):]), err, short(want))
	}
}

// checkMinMax checks that the integer fields Parse accepted lie within
// their min() and max(), evaluated on the fields Walk reports. It skips
// bounds it cannot evaluate (offsets, sizes, parameters) and names that
// several fields of the packet share.
func (c *checker) checkMinMax(fields []mplrt.Field) {
	info := c.fieldInfos()
	for _, f := range fields {
		fi := info[f.Name]
		if fi.n != 1 || f.Bytes != nil || (fi.min == nil && fi.max == nil) {
			continue
		}
		v := new(big.Int).SetUint64(f.Uint)
		env := func(name string) (*big.Int, bool) {
			var found *mplrt.Field
			for i := range fields {
				g := &fields[i]
				if g.Name == name && g.Bytes == nil && (g.Array == f.Array && g.Index == f.Index || g.Array == "") {
					if found != nil && found.Array == g.Array {
						return nil, false
					}
					if found == nil || g.Array != "" {
						found = g
					}
				}
			}
			if found == nil {
				return nil, false
			}
			return new(big.Int).SetUint64(found.Uint), true
		}
		if lo, ok := eval(fi.min, env); ok && v.Cmp(lo) < 0 {
			c.errorf("Parse accepted %s, below its min(%s) = %v", f.AppendText(nil), lang.ExprString(fi.min), lo)
		}
		if hi, ok := eval(fi.max, env); ok && v.Cmp(hi) > 0 {
			c.errorf("Parse accepted %s, above its max(%s) = %v", f.AppendText(nil), lang.ExprString(fi.max), hi)
		}
	}
}

// eval evaluates an integer expression of constants and fields.
func eval(e lang.Expr, env func(string) (*big.Int, bool)) (*big.Int, bool) {
	switch e := e.(type) {
	case *lang.IntLit:
		return new(big.Int).SetUint64(e.Value), true
	case *lang.FieldRef:
		return env(e.Field.Name)
	case *lang.Unary:
		x, ok := eval(e.X, env)
		if !ok || e.Op != "-" {
			return nil, false
		}
		return x.Neg(x), true
	case *lang.Binary:
		x, ok1 := eval(e.X, env)
		y, ok2 := eval(e.Y, env)
		if !ok1 || !ok2 {
			return nil, false
		}
		switch e.Op {
		case "+":
			return x.Add(x, y), true
		case "-":
			return x.Sub(x, y), true
		case "*":
			return x.Mul(x, y), true
		case "/":
			if y.Sign() != 0 {
				return x.Quo(x, y), true
			}
		case "%":
			if y.Sign() != 0 {
				return x.Rem(x, y), true
			}
		}
	}
	return nil, false
}

// reencoded reports whether a field of a custom int or bool wire type has
// other bytes in b than in a (fieldEqual compares only their values).
func reencoded(a, b []mplrt.Field) bool {
	for i := range min(len(a), len(b)) {
		if a[i].Format == mplrt.FormatCustom && !bytes.Equal(a[i].Bytes, b[i].Bytes) {
			return true
		}
	}
	return false
}
