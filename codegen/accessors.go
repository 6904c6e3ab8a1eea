package codegen

import (
	"fmt"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mplgo/mpl/lang"
)

// enumType returns the Go type of a variant field, or "".
func (g *gen) enumType(v *view, f *lang.Field) string {
	if f.Attrs.Variant == nil {
		return ""
	}
	if t, ok := g.enumNames[f]; ok {
		return t
	}
	// The field's name, after the view's unless it starts with it
	// (a record's record_type is RecordType, not RecordRecordType).
	t := goName(f.Name)
	if (v.up != nil || v.pkt.prefix != "") && !strings.HasPrefix(t, v.name) {
		t = v.name + t
	}
	t = g.claim(t, f)
	g.enumNames[f] = t
	return t
}

// valueType returns the Go type an accessor of an integer field returns.
func (g *gen) valueType(v *view, f *lang.Field) jen.Code {
	if e := g.enumType(v, f); e != "" {
		return jen.Id(e)
	}
	if isBool(f) {
		return jen.Bool()
	}
	if f.Attrs.Format == "ipv4" {
		return jen.Qual("net/netip", "Addr")
	}
	return jen.Id(uintType(fieldBits(f)))
}

func fieldDoc(v *view, f *lang.Field, what string) string {
	if f.Doc != "" {
		return fmt.Sprintf("%s returns the %s field: %s", v.id(f), f.Name, lowerFirst(f.Doc))
	}
	return fmt.Sprintf("%s returns the %s field%s.", v.id(f), f.Name, what)
}

// accessors emits the getters and setters of a view.
func (g *gen) accessors(v *view) {
	// Getters of a small view take it by value, so that a view held in
	// a local variable stays in registers; setters take a pointer.
	recv := g.getRecv(v)
	g.segMethods(v)
	for _, st := range v.block.Stmts {
		switch st := st.(type) {
		case *lang.Field:
			n := v.id(st)
			if seg, ok := v.segOf[st]; ok {
				arr := "p" + segName(seg)
				rel := v.relOf[st]
				if t, ok := st.Type.(lang.BytesType); ok {
					size := int(mustConst(t.Len))
					g.bytesAccessor(v, st, arr, rel, size)
					continue
				}
				raw, _ := readField(arr, rel, st)
				var ret jen.Code
				switch {
				case g.enumType(v, st) != "":
					ret = jen.Id(g.enumType(v, st)).Call(raw)
				case isBool(st):
					ret = jen.Add(raw).Op("!=").Lit(0)
				case st.Attrs.Format == "ipv4":
					ret = jen.Qual("net/netip", "AddrFrom4").Call(jen.Index(jen.Lit(4)).Byte().Call(sl(arr, rel, rel+4)))
				default:
					ret = raw
				}
				g.doc((fieldDoc(v, st, "")))
				g.f.Func().Params(recv.Clone()).Id(n).Params().Add(g.valueType(v, st)).Block(jen.Return(ret))
				if st.Attrs.Const == nil {
					g.setter(v, st, arr, rel)
				}
				continue
			}
			switch t := st.Type.(type) {
			case lang.PacketType:
				q := g.pgOf[t.Packet]
				g.doc(fieldDoc(v, st, fmt.Sprintf(", %s packet, as a view that shares its bytes", article(t.Packet.Name))))
				g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id(n).Params().Op("*").Id(q.root.name).Block(jen.Return(jen.Op("&").Id("p.f" + n)))
			case lang.CustomType:
				what := ""
				if t.Def.GoValue != "" {
					what = " It is a view of the input: it copies nothing."
				} else if t.Def.Value == lang.TypeString || t.Def.Value == lang.TypeInvalid {
					what = " It aliases the packet's bytes."
				}
				g.doc(fieldDoc(v, st, fmt.Sprintf(", a %s", t.Def.Name)) + what)
				g.f.Func().Params(recv.Clone()).Id(n).Params().Add(customValueType(t.Def)).Block(
					jen.Return(customValue("p", v, st)))
				g.doc(fmt.Sprintf("%sBytes returns the bytes of the %s field as they are on the wire. It aliases the packet's bytes.", n, st.Name))
				// (After Parse 0 <= u <= u+w <= len(b); the zero view gives nil.)
				g.f.Func().Params(recv.Clone()).Id(n+"Bytes").Params().Index().Byte().Block(
					jen.If(jen.List(jen.Id("u"), jen.Id("e")).Op(":=").List(jen.Id("p.u"+n), jen.Id("p.u"+n).Op("+").Id("p.w"+n)), jen.Lit(0).Op("<=").Id("u").Op("&&").Id("u").Op("<=").Id("e").Op("&&").Id("e").Op("<=").Len(jen.Id("p.b"))).Block(
						jen.Return(jen.Id("p.b").Index(jen.Id("u"), jen.Id("e"), jen.Id("e")))),
					jen.Return(jen.Nil()))
			case lang.BytesType:
				g.doc((fieldDoc(v, st, "") + " It aliases the packet's bytes."))
				if at, ok := v.bytesAt[st]; ok {
					g.f.Func().Params(recv.Clone()).Id(n).Params().Index().Byte().Block(derivedBytes(at[0], at[1])...)
					break
				}
				g.f.Func().Params(recv.Clone()).Id(n).Params().Index().Byte().Block(jen.Return(jen.Id("p.f" + n)))
			case lang.LabelType:
				from := "the packet"
				for w := v; w != nil; w = w.up {
					if _, ok := w.owner.(*lang.Array); ok {
						from = "the array element"
						break
					}
				}
				g.doc((fmt.Sprintf("%s returns the byte offset of the %s label from the start of %s.", n, st.Name, from) + docSuffix(st)))
				if st.Offset >= 0 {
					g.f.Func().Params(recv.Clone()).Id(n).Params().Int().Block(jen.Return(jen.Lit(st.Offset)))
				} else {
					g.f.Func().Params(recv.Clone()).Id(n).Params().Int().Block(jen.Return(jen.Id("p.l" + n)))
				}
			}
		case *lang.Array:
			g.arrayAccessor(v, st)
		}
	}
	for _, cg := range v.classifies {
		kindName := cg.method
		k := itoa(cg.idx)
		g.doc((fmt.Sprintf("%s returns the case of the classify on %s that the packet holds, or %s if none matched.", kindName, lang.ExprString(cg.cl.On), cg.unknown)))
		g.f.Func().Params(recv.Clone()).Id(kindName).Params().Id(cg.kindType).Block(jen.Return(jen.Id("p.k" + k)))
		for _, c := range cg.cl.Cases {
			cv := cg.views[c]
			m := cg.as[c]
			g.doc((fmt.Sprintf("%s returns the %s case, and whether the packet holds it.", m, c.Label)))
			if cv.derivedOnly() {
				// Parse validated the case: the view is made, not parsed.
				lit := jen.Dict{jen.Id("b"): jen.Id("p.b")}
				if cv.keepsUp() {
					lit[jen.Id("up")] = g.selfVal(v)
				}
				g.f.Func().Params(recv.Clone()).Id(m).Params().Params(jen.Id(cv.name), jen.Bool()).Block(
					jen.If(jen.Id("p.k"+k).Op("!=").Id(cg.consts[c])).Block(jen.Return(jen.Id(cv.name).Values(), jen.False())),
					jen.Return(jen.Id(cv.name).Values(lit), jen.True()),
				)
				continue
			}
			var in jen.Code = jen.Id("p.b").Index(clamp(jen.Id("p.c"+k), jen.Len(jen.Id("p.b"))), jen.Empty())
			var guard jen.Code = jen.Null()
			if at, ok := v.classAt[cg]; ok && at.kind == spanStatic {
				// (Never true once parsed: it proves the slice below.)
				// (b: the parse may see p, which then no longer
				// proves anything about p.b.)
				guard = jen.Id("b").Op(":=").Id("p.b").Line().If(jen.Len(jen.Id("b")).Op("<").Lit(at.n)).Block(jen.Return(jen.Id(cv.name).Values(), jen.False()))
				in = jen.Id("b").Index(jen.Lit(at.n), jen.Empty())
			} else if ok {
				in = jen.Id("p.b").Index(clamp(at.code("p"), jen.Len(jen.Id("p.b"))), jen.Empty())
			}
			// Parse validated the case: scan or check, which make no
			// errors, fill it where the case has them. (They read this
			// view through their up argument: the case keeps a copy.)
			call, failed, parsed := g.refill(cv, "c", "_", g.selfPtr(v), jen.Id("p.b"), in)
			fill := jen.If(call, failed).Block(jen.Return(jen.Id(cv.name).Values(), jen.False()))
			if cv.keepsUp() && !cv.upCopied && !parsed {
				fill.Line().Id("c.up").Op("=").Add(g.selfVal(v))
			}
			g.f.Func().Params(recv.Clone()).Id(m).Params().Params(jen.Id(cv.name), jen.Bool()).Block(
				jen.If(jen.Id("p.k"+k).Op("!=").Id(cg.consts[c])).Block(jen.Return(jen.Id(cv.name).Values(), jen.False())),
				guard,
				jen.Var().Id("c").Id(cv.name),
				fill,
				jen.Return(jen.Id("c"), jen.True()),
			)
		}
	}
	g.checksumMethods(v)
	if v.up == nil {
		g.f.Comment("Bytes returns the bytes of the packet, without what followed it in the input.")
		if v.rootIn() {
			// (After Parse 0 <= base <= end <= len(b); the zero view gives nil.)
			g.f.Func().Params(recv.Clone()).Id("Bytes").Params().Index().Byte().Block(
				jen.If(jen.Id("p.base").Op("<").Lit(0).Op("||").Id("p.base").Op(">").Id("p.end").Op("||").Id("p.end").Op(">").Len(jen.Id("p.b"))).Block(jen.Return(jen.Nil())),
				jen.Return(jen.Id("p.b[p.base:p.end:p.end]")))
			g.f.Comment("Rest returns the input bytes after the end of the packet, such as link-layer padding.")
			g.f.Func().Params(recv.Clone()).Id("Rest").Params().Index().Byte().Block(
				jen.Return(jen.Id("p.b").Index(clamp(jen.Id("p.end"), jen.Len(jen.Id("p.b"))), jen.Empty())))
			return
		}
		g.f.Func().Params(recv.Clone()).Id("Bytes").Params().Index().Byte().Block(
			jen.Return(jen.Id("p.b[:len(p.b):len(p.b)]")))
		g.f.Comment("Rest returns the input bytes after the end of the packet, such as link-layer padding.")
		g.f.Func().Params(recv.Clone()).Id("Rest").Params().Index().Byte().Block(
			jen.Return(jen.Id("p.b[len(p.b):cap(p.b)]")))
	}
}

// asUint converts x, a value of f's Go type, to its unsigned integer type
// where it is an enum.
func (g *gen) asUint(v *view, f *lang.Field, x jen.Code) jen.Code {
	if g.enumType(v, f) != "" {
		return jen.Id(uintType(fieldBits(f))).Call(x)
	}
	return x
}

func docSuffix(f *lang.Field) string { return docText(f.Doc) }

func mustConst(e lang.Expr) int64 {
	v, _ := lang.ConstValue(e)
	return v
}

// bytesAccessor emits the getter and setter of a byte[n] field with a
// constant n, which lies in a segment.
func (g *gen) bytesAccessor(v *view, f *lang.Field, arr string, rel, size int) {
	n, set := v.id(f), v.setters[f]
	recv := g.getRecv(v)
	precv := jen.Id("p").Op("*").Id(v.name)
	doc := fieldDoc(v, f, "")
	switch f.Attrs.Format {
	case "mac":
		g.doc((doc + " It aliases the packet's bytes."))
		g.f.Func().Params(recv.Clone()).Id(n).Params().Qual("net", "HardwareAddr").Block(
			jen.Return(jen.Qual("net", "HardwareAddr").Call(jen.Id(fmt.Sprintf("%s[%d:%d:%d]", arr, rel, rel+size, rel+size)))))
		pre, post, sdoc := g.patchDoc(v, f, false)
		g.doc((fmt.Sprintf("%s sets the %s field. It reports false, and writes nothing, if a is not %d bytes long.", set, f.Name, size) + sdoc))
		g.f.Func().Params(precv.Clone()).Id(set).Params(jen.Id("a").Qual("net", "HardwareAddr")).Bool().Block(
			concat([]jen.Code{jen.If(jen.Len(jen.Id("a")).Op("!=").Lit(size)).Block(jen.Return(jen.False()))},
				pre, []jen.Code{jen.Copy(sl(arr, rel, rel+size), jen.Id("a"))}, post,
				[]jen.Code{jen.Return(jen.True())})...)
	case "ipv4", "ipv6":
		fn, w := "AddrFrom4", "Is4"
		if size == 16 {
			fn, w = "AddrFrom16", "Is6"
		}
		g.doc((doc))
		g.f.Func().Params(recv.Clone()).Id(n).Params().Qual("net/netip", "Addr").Block(
			jen.Return(jen.Qual("net/netip", fn).Call(jen.Index(jen.Lit(size)).Byte().Call(sl(arr, rel, rel+size)))))
		g.addrSetter(v, f, arr, rel, size, w)
	default:
		g.doc((doc + " It aliases the packet's bytes."))
		g.f.Func().Params(recv.Clone()).Id(n).Params().Index().Byte().Block(
			jen.Return(jen.Id(fmt.Sprintf("%s[%d:%d:%d]", arr, rel, rel+size, rel+size))))
		pre, post, sdoc := g.patchDoc(v, f, false)
		g.doc(fmt.Sprintf("%s sets the %s field. It reports false, and writes nothing, if v is not %d bytes long.", set, f.Name, size) + sdoc)
		g.f.Func().Params(precv.Clone()).Id(set).Params(jen.Id("v").Index().Byte()).Bool().Block(
			concat([]jen.Code{jen.If(jen.Len(jen.Id("v")).Op("!=").Lit(size)).Block(jen.Return(jen.False()))},
				pre, []jen.Code{jen.Copy(sl(arr, rel, rel+size), jen.Id("v"))}, post,
				[]jen.Code{jen.Return(jen.True())})...)
	}
}

func (g *gen) addrSetter(v *view, f *lang.Field, arr string, rel, size int, is string) {
	n := v.setters[f]
	conv := "As4"
	if size == 16 {
		conv = "As16"
	}
	cond := jen.Op("!").Id("a").Dot(is).Call()
	if is == "Is4" {
		cond = jen.Op("!").Id("a").Dot("Is4").Call().Op("&&").Op("!").Id("a").Dot("Is4In6").Call()
	}
	pre, post, sdoc := g.patchDoc(v, f, false)
	g.doc((fmt.Sprintf("%s sets the %s field. It reports false, and writes nothing, if a is not an IPv%d address.", n, f.Name, map[int]int{4: 4, 16: 6}[size]) + sdoc))
	g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id(n).Params(jen.Id("a").Qual("net/netip", "Addr")).Bool().Block(
		concat([]jen.Code{jen.If(cond).Block(jen.Return(jen.False())),
			jen.Id("x").Op(":=").Id("a").Dot(conv).Call()},
			pre, []jen.Code{jen.Copy(sl(arr, rel, rel+size), jen.Id("x[:]"))}, post,
			[]jen.Code{jen.Return(jen.True())})...)
}

// setter emits the in-place setter of an integer field in a segment.
// Setters keep the view true to its bytes: a field that Parse checks or
// that decides the layout (a length, a count, a classify, a guard reads
// it) gets a setter that validates the packet again and puts the old value
// back if it no longer parses; in a case or an array element, whose
// enclosing packet it cannot validate, such a field has no setter.
func (g *gen) setter(v *view, f *lang.Field, arr string, rel int) {
	n := v.setters[f]
	recv := jen.Id("p").Op("*").Id(v.name)
	if v.pkt.constrained(f) {
		if v.up != nil || f.Attrs.Format == "ipv4" {
			return
		}
		var arg jen.Code = jen.Id("v").Add(g.valueType(v, f))
		val := g.asUint(v, f, jen.Id("v"))
		if isBool(f) {
			val = rt("BoolBit").Call(jen.Id("v"))
		}
		raw, _ := readField("s", rel, f)
		pre, post, sdoc := g.patchDoc(v, f, true)
		input := jen.Id("p.b[:cap(p.b)]") // the input Parse was given
		if v.rootIn() {
			input = jen.Id("p.b") // kept whole, and no further
		}
		body := []jen.Code{
			jen.Id("in").Op(":=").Add(input),
			jen.Id("s").Op(":=").Id(arr),
			jen.Id("old").Op(":=").Add(raw),
		}
		body = append(body, pre...)
		body = append(body, writeField("s", rel, f, val)...)
		restore := writeField("s", rel, f, jen.Id("old"))
		if g.parseByValue(v) {
			// parse returns a new view and leaves p (its parameters
			// included) as it was: on failure the old bytes make p
			// right again.
			restore = append(restore, jen.Return(jen.Err()))
			body = append(body,
				jen.List(jen.Id("q"), jen.Err()).Op(":=").Id("p").Dot("parse").Call(jen.Id("in")),
				jen.If(jen.Err().Op("!=").Nil()).Block(restore...),
				jen.Op("*").Id("p").Op("=").Id("q"))
			body = append(body, post...)
			body = append(body, jen.Return(jen.Nil()))
		} else {
			// (A packet that parses within its input checks itself
			// where it starts.)
			check := jen.Id("p").Dot("parse").Call(jen.Id("in"))
			if v.rootIn() {
				body = append(body, jen.Id("base").Op(":=").Id("p.base"))
				check = jen.Id("p").Dot("parseAt").Call(jen.Id("in"), jen.Id("base"))
			}
			restore = append(restore, check, jen.Return(jen.Err()))
			body = append(body,
				jen.If(jen.Err().Op(":=").Add(check), jen.Err().Op("!=").Nil()).Block(restore...))
			body = append(body, post...)
			body = append(body, jen.Return(jen.Nil()))
		}
		g.doc(fmt.Sprintf("%s sets the %s field in place and validates the packet again, as Parse does, since the field is checked or decides the layout; if the packet no longer parses, %s puts the old value back and returns the error.", n, f.Name, n) + sdoc)
		g.f.Func().Params(recv).Id(n).Params(arg).Error().Block(body...)
		return
	}
	if f.Attrs.Format == "ipv4" {
		g.addrSetter(v, f, arr, rel, 4, "Is4")
		return
	}
	pre, post, sdoc := g.patchDoc(v, f, false)
	if isBool(f) {
		g.doc(fmt.Sprintf("%s sets the %s field in place.", n, f.Name) + sdoc)
		g.f.Func().Params(recv).Id(n).Params(jen.Id("v").Bool()).Block(
			concat(pre, writeField(arr, rel, f, rt("BoolBit").Call(jen.Id("v"))), post)...)
		return
	}
	doc := fmt.Sprintf("%s sets the %s field in place.", n, f.Name)
	if _, ok := f.Type.(lang.BitsType); ok && fieldBits(f)%8 != 0 {
		doc += fmt.Sprintf(" Only the low %d bits of v are kept.", fieldBits(f))
	}
	g.doc((doc + sdoc))
	g.f.Func().Params(recv).Id(n).Params(jen.Id("v").Add(g.valueType(v, f))).Block(
		concat(pre, writeField(arr, rel, f, g.asUint(v, f, jen.Id("v"))), post)...)
}

// arrayAccessor emits the iterator over an array's elements.
func (g *gen) arrayAccessor(v *view, a *lang.Array) {
	var ag *arrayGen
	for _, x := range v.arrays {
		if x.a == a {
			ag = x
		}
	}
	n := v.id(a)
	e := ag.elem.name
	g.doc((fmt.Sprintf("%s iterates over the elements of the %s array of %s.", ag.iter, a.Name, v.name)))
	var itFields []jen.Code
	in := jen.Id("p.b")
	// Its elements parse from the input up to the array's end (clamped
	// into b's capacity, which Parse made sure of: no bounds check).
	zEnd := jen.Min(jen.Max(jen.Id("p.z"+n), jen.Lit(0)), jen.Cap(jen.Id("p.b")))
	if a.Bytes != nil {
		in = jen.Id("in")
	}
	var rest jen.Code = jen.Id("p.a" + n)
	if v.compact {
		// From the start the view stores, within the input the
		// elements parse from.
		rest = jen.Add(in).Index(clamp(jen.Id("p.a"+n), jen.Len(in)), jen.Empty())
	}
	lit := jen.Dict{jen.Id("rest"): rest, jen.Id("n"): jen.Id("p.n" + n)}
	if ag.elem.needsUp {
		itFields = append(itFields, jen.Id("up").Id(v.name))
		lit[jen.Id("up")] = g.selfVal(v)
	}
	if !ag.elem.compact {
		// The elements keep the input from its start.
		itFields = append(itFields, jen.Id("b").Index().Byte())
		lit[jen.Id("b")] = in
	}
	itFields = append(itFields, jen.Id("rest").Index().Byte(), jen.Id("n").Int())
	g.f.Type().Id(ag.iter).Struct(itFields...)
	g.doc((fmt.Sprintf("%s returns an iterator over the %s array.", n, a.Name) + docText(a.Doc)))
	var body []jen.Code
	if a.Bytes != nil && (v.compact || !ag.elem.compact) {
		// (A view that is not compact stores where the elements start
		// as a slice, and compact elements need only that.)
		body = append(body, jen.Id("z").Op(":=").Add(zEnd), jen.Id("in").Op(":=").Id("p.b").Index(jen.Empty(), jen.Id("z"), jen.Id("z")))
	}
	body = append(body, jen.Return(jen.Id(ag.iter).Values(lit)))
	g.f.Func().Params(g.getRecv(v)).Id(n).Params().Id(ag.iter).Block(body...)
	g.doc(("Len returns the number of elements not yet returned by Next."))
	g.f.Func().Params(jen.Id("it").Op("*").Id(ag.iter)).Id("Len").Params().Int().Block(jen.Return(jen.Id("it.n")))
	g.doc(fmt.Sprintf("All returns the elements not yet returned by Next, with their indexes, for a range loop: for i, e := range p.%s().All() { ... }.", n))
	g.f.Func().Params(jen.Id("it").Id(ag.iter)).Id("All").Params().Qual("iter", "Seq2").Types(jen.Int(), jen.Id(e)).Block(
		jen.Return(jen.Func().Params(jen.Id("yield").Func().Params(jen.Int(), jen.Id(e)).Bool()).Block(
			jen.For(jen.Id("i").Op(":=").Lit(0), jen.Empty(), jen.Id("i").Op("++")).Block(
				jen.List(jen.Id("x"), jen.Id("ok")).Op(":=").Id("it").Dot("Next").Call(),
				jen.If(jen.Op("!").Id("ok").Op("||").Op("!").Id("yield").Call(jen.Id("i"), jen.Id("x"))).Block(jen.Return()),
			))))
	g.doc(("Next returns the next element, or false after the last."))
	// (The element is parsed into the named result: returning a local
	// would copy it right after parse stored it, and the copy's wide
	// loads stall on those stores.)
	if ag.elem.compact {
		// Parse validated the elements: check, which makes no errors,
		// finds where each ends. Next is small enough to inline, so
		// that stepping costs one call. (check fails only on an
		// iterator of a view Parse did not fill: rest is then nil, and
		// so is every later element.)
		var setUp jen.Code = jen.Null()
		if ag.elem.keepsUp() && !ag.elem.upCopied {
			setUp = jen.Id("x.up").Op("=").Id("it.up")
		}
		g.f.Func().Params(jen.Id("it").Op("*").Id(ag.iter)).Id("Next").Params().Params(jen.Id("x").Id(e), jen.Id("ok").Bool()).Block(
			jen.If(jen.Id("it.n").Op(">").Lit(0)).Block(
				jen.Id("it.n").Op("--"),
				jen.List(jen.Id("it.rest"), jen.Id("ok")).Op("=").Id("x").Add(callOn(ag.elem, "check", jen.Op("&").Id("it.up"), jen.Id("it.rest"), jen.Id("it.rest"))),
				setUp),
			jen.Return(),
		)
	} else {
		// Parse validated the elements: scan, where the element has it,
		// steps over them, sizing values such as DNS names in place.
		call, failed, parsed := g.refill(ag.elem, "x", "r", jen.Op("&").Id("it.up"), jen.Id("it.b"), jen.Id("it.rest"))
		var setUp jen.Code = jen.Null()
		if ag.elem.keepsUp() && !ag.elem.upCopied && !parsed {
			setUp = jen.Id("x.up").Op("=").Id("it.up")
		}
		g.f.Func().Params(jen.Id("it").Op("*").Id(ag.iter)).Id("Next").Params().Params(jen.Id("x").Id(e), jen.Id("ok").Bool()).Block(
			jen.If(jen.Id("it.n").Op("<=").Lit(0)).Block(jen.Return(jen.Id("x"), jen.False())),
			call,
			jen.If(failed).Block(jen.Id("it.n").Op("=").Lit(0), jen.Return(jen.Id(e).Values(), jen.False())),
			setUp,
			jen.Id("it.rest").Op("=").Id("r"),
			jen.Id("it.n").Op("--"),
			jen.Return(jen.Id("x"), jen.True()),
		)
	}
}

// refill returns the statement that fills view c, in variable x, again
// from what Parse validated, with the cheapest method c has (scan, else
// check, else parse), the rest after it going to r; the condition that
// it failed; and whether it is parse (which sets the copy of the
// enclosing view itself).
func (g *gen) refill(c *view, x, r string, recv, b, rest jen.Code) (call, failed jen.Code, parsed bool) {
	for _, method := range []string{"scan", "check"} {
		if method == "scan" && g.hasScan(c) || method == "check" && g.hasCheck(c) {
			return jen.List(jen.Id(r), jen.Id("ok")).Op(":=").Id(x).Add(callOn(c, method, recv, b, rest)), jen.Op("!").Id("ok"), false
		}
	}
	return jen.List(jen.Id(r), jen.Err()).Op(":=").Id(x).Add(parseCall(c, recv, b, rest)), jen.Err().Op("!=").Nil(), true
}

// docText is a spec comment to append to a generated doc sentence.
func docText(d string) string {
	if d == "" {
		return ""
	}
	return " " + d
}

// enums emits the types of a view's variants and classify kinds.
func (g *gen) enums(v *view) {
	for _, st := range v.block.Stmts {
		f, ok := st.(*lang.Field)
		if !ok || f.Attrs.Variant == nil {
			continue
		}
		t := g.enumType(v, f)
		var consts []jen.Code
		var cases []jen.Code
		for _, c := range f.Attrs.Variant.Cases {
			name := g.claim(t+goName(c.Name), c)
			consts = append(consts, jen.Id(name).Id(t).Op("=").Id(ulit(c.Value)))
			cases = append(cases, jen.Case(jen.Id(name)).Block(jen.Return(jen.Lit(c.Name))))
		}
		doc := fmt.Sprintf("%s is the type of the %s field. Values without a name are kept as they are.", t, f.Name)
		if f.Doc != "" {
			doc = fmt.Sprintf("%s is the type of the %s field: %s Values without a name are kept as they are.", t, f.Name, lowerFirst(f.Doc))
		}
		g.doc((doc))
		g.f.Type().Id(t).Id(uintType(fieldBits(f)))
		g.f.Comment(fmt.Sprintf("The named values of %s.", t))
		g.f.Const().Defs(consts...)
		g.enumString(t, cases)
	}
	for _, cg := range v.classifies {
		consts := []jen.Code{jen.Id(cg.unknown).Id(cg.kindType).Op("=").Iota()}
		cases := []jen.Code{}
		for _, c := range cg.cl.Cases {
			consts = append(consts, jen.Id(cg.consts[c]))
			cases = append(cases, jen.Case(jen.Id(cg.consts[c])).Block(jen.Return(jen.Lit(c.Label))))
		}
		cases = append(cases, jen.Case(jen.Id(cg.unknown)).Block(jen.Return(jen.Lit("Unknown"))))
		g.doc((fmt.Sprintf("%s says which case of the classify on %s a %s holds.", cg.kindType, lang.ExprString(cg.cl.On), v.name)))
		g.f.Type().Id(cg.kindType).Uint8()
		g.doc((fmt.Sprintf("The cases of %s. %s means that no case matched.", cg.kindType, cg.unknown)))
		g.f.Const().Defs(consts...)
		g.enumString(cg.kindType, cases)
		g.caseValues(v, cg)
	}
}

// caseValues emits, for a classify on an integer field without a variant
// (whose values would already have names), the value of the field that
// selects each case given by one value, named after the field and the
// case, so that code can write it without a literal:
// m.SetType(icmp.TypeEchoReply). A name that something else has taken is
// left out.
func (g *gen) caseValues(v *view, cg *classifyGen) {
	r, ok := cg.cl.On.(*lang.FieldRef)
	if !ok || r.Field.Attrs.Variant != nil || isBool(r.Field) || customDef(r.Field) != nil || fieldBits(r.Field) == 0 {
		return
	}
	f := r.Field
	w := v.pkt.viewOf[f.Block]
	if w == nil {
		return
	}
	prefix := w.name
	if w.up == nil && v.pkt.prefix == "" {
		prefix = ""
	}
	t := uintType(fieldBits(f))
	var consts []jen.Code
	for _, c := range cg.cl.Cases {
		if c.Kind != lang.PatternValue {
			continue
		}
		name := prefix + goName(f.Name) + goName(c.Label)
		if g.names[name] != nil {
			continue
		}
		g.claim(name, c)
		consts = append(consts, jen.Id(name).Id(t).Op("=").Id(ulit(c.Lo)))
	}
	if len(consts) == 0 {
		return
	}
	g.doc(fmt.Sprintf("The values of the %s field that select the cases of %s.", f.Name, cg.kindType))
	g.f.Const().Defs(consts...)
}

func (g *gen) enumString(t string, cases []jen.Code) {
	g.f.Comment(fmt.Sprintf("String returns the name of v, or %s(N) if it has none.", t))
	g.f.Func().Params(jen.Id("v").Id(t)).Id("String").Params().String().Block(
		jen.If(jen.Id("n").Op(":=").Id("v").Dot("name").Call(), jen.Id("n").Op("!=").Lit("")).Block(jen.Return(jen.Id("n"))),
		jen.Return(jen.Lit(t+"(").Op("+").Qual("strconv", "FormatUint").Call(jen.Uint64().Call(jen.Id("v")), jen.Lit(10)).Op("+").Lit(")")),
	)
	g.f.Comment("name returns the name of v, or \"\".")
	g.f.Func().Params(jen.Id("v").Id(t)).Id("name").Params().String().Block(
		jen.Switch(jen.Id("v")).Block(cases...),
		jen.Return(jen.Lit("")),
	)
}
