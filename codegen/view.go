package codegen

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dave/jennifer/jen"

	"github.com/mplgo/mpl/lang"
)

func itoa(i int) string { return strconv.Itoa(i) }

// viewType emits the struct of a view.
func (g *gen) viewType(v *view) {
	var fields []jen.Code
	if v.rootIn() {
		fields = append(fields, jen.Id("b").Index().Byte().Comment("the input the packet lies in"),
			jen.Id("base").Int().Comment("where the packet starts in b"),
			jen.Id("end").Int().Comment("where it ends"))
		for _, p := range v.pkt.p.ParseParams() {
			fields = append(fields, jen.Id("p"+v.pkt.paramIDs[p]).Add(paramType(p)))
		}
	} else if v.up == nil {
		fields = append(fields, jen.Id("b").Index().Byte().Comment("the packet; its capacity ends where the input did"))
		for _, p := range v.pkt.p.ParseParams() {
			fields = append(fields, jen.Id("p"+v.pkt.paramIDs[p]).Add(paramType(p)))
		}
	} else {
		if v.keepsUp() {
			fields = append(fields, jen.Id("up").Id(v.up.name))
		}
		if v.keepsB() {
			fields = append(fields, jen.Id("b").Index().Byte())
		}
	}
	for _, s := range v.segs {
		if !s.derived {
			fields = append(fields, jen.Id("s"+itoa(s.idx)).Op("*").Index(jen.Lit(s.size)).Byte())
		}
	}
	for _, st := range v.block.Stmts {
		switch st := st.(type) {
		case *lang.Field:
			n := v.id(st)
			if _, ok := st.Type.(lang.LabelType); ok && st.Offset < 0 {
				fields = append(fields, jen.Id("l"+n).Int())
			}
			if _, ok := v.segOf[st]; !ok {
				switch st.Type.(type) {
				case lang.BytesType:
					if at, ok := v.bytesAt[st]; !ok {
						fields = append(fields, jen.Id("f"+n).Index().Byte())
					} else if at[1].kind == spanStored {
						fields = append(fields, jen.Id(at[1].id).Int().Comment("where "+st.Name+" ends"))
					}
				case lang.CustomType:
					// Where the value starts in b, and its size.
					fields = append(fields, jen.Id("u"+n).Int(), jen.Id("w"+n).Int())
				case lang.PacketType:
					fields = append(fields, jen.Id("f"+n).Id(g.pgOf[packetOf(st)].root.name), jen.Id("u"+n).Int())
				}
			}
			if v.pkt.stored[st] {
				fields = append(fields, jen.Id("o"+n).Int(), jen.Id("e"+n).Int())
			}
		case *lang.Array:
			n := v.id(st)
			if v.compact {
				fields = append(fields, jen.Id("a"+n).Int().Comment("where "+st.Name+" starts"), jen.Id("n"+n).Int())
			} else {
				fields = append(fields, jen.Id("a"+n).Index().Byte(), jen.Id("n"+n).Int())
			}
			if st.Bytes != nil {
				fields = append(fields, jen.Id("z"+n).Int()) // where its bytes end in the input
			}
			if v.pkt.stored[st] {
				fields = append(fields, jen.Id("o"+n).Int(), jen.Id("e"+n).Int())
			}
		}
	}
	for _, c := range v.classifies {
		fields = append(fields, jen.Id("k"+itoa(c.idx)).Id(c.kindType))
		if at, ok := v.classAt[c]; !ok {
			fields = append(fields, jen.Id("c"+itoa(c.idx)).Int().Comment("where the classify starts in b"))
		} else if at.kind == spanStored && at.id == "c"+itoa(c.idx) {
			fields = append(fields, jen.Id(at.id).Int().Comment("where the classify starts"))
		}
	}
	doc := v.doc
	if doc == "" || v.up == nil {
		d := fmt.Sprintf("%s is a validated view of %s packet over the bytes it was parsed from.", v.name, article(v.pkt.p.Name))
		if v.pkt.p.Doc != "" {
			d = fmt.Sprintf("%s is a validated view of %s packet. %s", v.name, article(v.pkt.p.Name), v.pkt.p.Doc)
		}
		doc = d + " It copies nothing: accessors read, and setters write, the bytes it was parsed from."
		if v.up == nil {
			doc += fmt.Sprintf(" Get one from %s; once it has succeeded, no accessor or setter panics. The zero value is not usable: its accessors may panic.", v.pkt.parse)
		}
	} else {
		doc += " Once the packet has been parsed, no accessor or setter panics."
	}
	g.doc((doc))
	// The layout, as an RFC-style diagram in a doc code block.
	if d := strings.TrimRight(DiagramBlock(v.block), "\n"); d != "" {
		g.f.Comment("")
		for _, l := range strings.Split(d, "\n") {
			g.f.Comment("\t" + commentSafe(strings.TrimRight(l, " ")))
		}
	}
	g.f.Type().Id(v.name).Struct(fields...)
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// article puts "a" or "an" before a packet name.
func article(name string) string {
	if strings.ContainsRune("aeio", unicode.ToLower(rune(name[0]))) {
		return "an " + name
	}
	return "a " + name
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if len(r) > 1 && r[1] >= 'A' && r[1] <= 'Z' {
		return s
	}
	return strings.ToLower(string(r[0])) + string(r[1:])
}

// commentSafe drops from s the characters that cannot stand in a Go
// comment: control characters other than spaces, byte order marks and
// invalid UTF-8.
func commentSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\uFEFF' || r == utf8.RuneError || (unicode.IsControl(r) && !unicode.IsSpace(r)) {
			return -1
		}
		return r
	}, s)
}

// wrap folds a comment at about 76 columns. Characters that cannot stand
// in a Go comment (control characters, byte order marks) are dropped.
func wrap(s string) string {
	s = commentSafe(s)
	var out []string
	for _, para := range []string{s} {
		words := strings.Fields(para)
		line := ""
		for _, w := range words {
			if line != "" && len(line)+1+len(w) > 76 {
				out = append(out, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func paramType(p *lang.Param) jen.Code {
	switch p.Type {
	case lang.TypeBool:
		return jen.Bool()
	case lang.TypeAddr:
		return jen.Qual("net/netip", "Addr")
	}
	return jen.Int()
}

// entry emits the exported parse function of a packet.
func (g *gen) entry(pg *packetGen) {
	v := pg.root
	params := []jen.Code{jen.Id("b").Index().Byte()}
	var store []jen.Code
	for i, p := range pg.p.Params {
		if p.Type == lang.TypeAddr {
			continue // only the checksums read it
		}
		params = append(params, jen.Id(pg.paramArgs[i]).Add(paramType(p)))
		store = append(store, jen.Id("p.p"+pg.paramIDs[p]).Op("=").Id(pg.paramArgs[i]))
	}
	var body []jen.Code
	if g.parseByValue(v) {
		// parse returns the zero view on failure.
		body = append(append(body, store...), jen.Return(jen.Id("p").Dot("parse").Call(jen.Id("b"))))
	} else {
		body = append(append(body, store...),
			jen.If(jen.Err().Op("=").Id("p").Dot("parse").Call(jen.Id("b")), jen.Err().Op("!=").Nil()).Block(jen.Id("p").Op("=").Id(v.name).Values()),
			jen.Return(),
		)
	}
	g.doc((fmt.Sprintf("%s validates b as %s packet and returns a view of it. It checks everything the spec says once, so that no accessor of the view panics afterwards; on failure the error (an mplrt.Error) names the field, its byte offset and the constraint. Bytes after the end of the packet are the view's Rest.", pg.parse, article(pg.p.Name))))
	g.f.Func().Id(pg.parse).Params(params...).Params(jen.Id("p").Id(v.name), jen.Err().Error()).Block(body...)
	g.doc(fmt.Sprintf("Decode is %s into an existing view: it validates b the same way and fills p, copying nothing, so a caller can reuse one view for many packets. On error p must not be used until a later Decode succeeds.", pg.parse))
	decode := append([]jen.Code{}, store...)
	if g.parseByValue(v) {
		decode = append(decode, jen.Var().Err().Error(), jen.List(jen.Op("*").Id("p"), jen.Err()).Op("=").Id("p").Dot("parse").Call(jen.Id("b")), jen.Return(jen.Err()))
	} else {
		decode = append(decode, jen.Return(jen.Id("p").Dot("parse").Call(jen.Id("b"))))
	}
	g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id("Decode").Params(params...).Error().Block(decode...)
}

// parseMethod emits the method that validates and fills a view.
func (g *gen) parseMethod(v *view) {
	v.byValueParse = g.parseByValue(v)
	var body []jen.Code
	if v.keepsUp() && (!v.checkMode || v.upCopied) {
		// (check and scan read the enclosing view through up; whoever
		// keeps the view they fill sets p.up.)
		body = append(body, jen.Id("p.up").Op("=").Op("*").Id("up"))
	}
	if v.keepsB() {
		body = append(body, jen.Id("p.b").Op("=").Id("b"))
	}
	if v.up == nil && !v.rootIn() {
		body = append(body, jen.Id("rest").Op(":=").Id("b"))
	}
	ctx := g.parseCtx(v)
	// The view's derived segments are locals while it parses: decl holds
	// each one's declaration, filled in only if something reads it.
	decl := map[*segment]*jen.Statement{}
	ctx.seg = func(w *view, s *segment) string {
		if w != v || !s.derived {
			return parsePath(v, w) + segName(s)
		}
		name := "s" + itoa(s.idx)
		if d := decl[s]; d != nil && len(*d) == 0 {
			*d = *jen.Id(name).Op(":=").Parens(jen.Op("*").Index(jen.Lit(s.size)).Byte()).Call(jen.Id("rest"))
		}
		return name
	}
	// Offsets in an array element count from the element's start, as its
	// static offsets and its builder do; errors still give packet offsets.
	// (A compact element's b starts at the element: offsets in b are
	// already those, and the array's parse shifts its errors.)
	isElem := (v.isElem() || v.up == nil) && !v.compact
	usesBase := false
	rel := func(c jen.Code) jen.Code {
		if !isElem {
			return c
		}
		usesBase = true
		return jen.Parens(c).Op("-").Id("base")
	}
	// keep records the offsets of a declaration that expressions need:
	// in locals, or in the view for views nested in it.
	keep := func(d lang.Decl, start, end jen.Code) {
		if v.locals[d] == 0 && !v.pkt.stored[d] {
			return
		}
		start, end = rel(start), rel(end)
		n := v.id(d)
		if l := v.locals[d]; l != 0 {
			if l&needStart != 0 {
				body = append(body, jen.Id("o"+n).Op(":=").Add(start))
				start = jen.Id("o" + n)
			}
			body = append(body, jen.Id("e"+n).Op(":=").Add(end))
			end = jen.Id("e" + n)
		}
		if v.pkt.stored[d] {
			body = append(body, jen.Id("p.o"+n).Op("=").Add(start), jen.Id("p.e"+n).Op("=").Add(end))
		}
	}
	var (
		cur    *segment // the segment whose bytes were consumed last
		curEnd int      // bytes of cur that the statements so far cover
	)
	here := func() jen.Code { // the current offset, for statements after cur
		if cur != nil && curEnd < cur.size {
			return jen.Id("o" + itoa(cur.idx)).Op("+").Lit(curEnd)
		}
		return jen.Len(jen.Id("b")).Op("-").Len(jen.Id("rest"))
	}
	for _, st := range v.block.Stmts {
		switch st := st.(type) {
		case *lang.Field:
			n := v.id(st)
			if seg, ok := v.segOf[st]; ok {
				if seg.fields[0] == st {
					load := g.loadSegment(v, seg)
					if seg.derived {
						// Declared where rest starts with the segment,
						// which its length check has just proven.
						decl[seg] = &jen.Statement{}
						load = append(load[:len(load)-1], decl[seg], load[len(load)-1])
					}
					body = append(body, load...)
					cur, curEnd = seg, 0
				}
				rel := v.relOf[st]
				at := jen.Id("o" + itoa(seg.idx)).Op("+").Lit(rel + firstByte(st))
				body = append(body, g.fieldChecks(v, st, ctx, at)...)
				keep(st, jen.Id("o"+itoa(seg.idx)).Op("+").Lit(rel), jen.Id("o"+itoa(seg.idx)).Op("+").Lit(rel+st.Size))
				curEnd = rel + st.Size
				continue
			}
			switch t := st.Type.(type) {
			case lang.LabelType:
				if st.Offset < 0 {
					body = append(body, jen.Id("p.l"+n).Op("=").Add(rel(here())))
				}
				keep(st, here(), here())
			case lang.BytesType:
				cur = nil
				at := jen.Len(jen.Id("b")).Op("-").Len(jen.Id("rest"))
				if _, all := t.Len.(*lang.Remaining); all {
					// The field takes what is left: nothing to check.
					keep(st, at, jen.Len(jen.Id("b")))
					if sp, ok := v.bytesAt[st]; ok {
						if sp[1].kind == spanStored {
							body = append(body, jen.Id("p."+sp[1].id).Op("=").Len(jen.Id("b")))
						}
						body = append(body, jen.Id("rest").Op("=").Id("rest[len(rest):]"))
						break
					}
					body = append(body, jen.Id("p.f"+n).Op("=").Id("rest"), jen.Id("rest").Op("=").Id("rest[len(rest):]"))
					break
				}
				ln := "n" + n
				site := g.site(v, st.Name, "Length", "0 <= "+lang.ExprString(t.Len)+" <= remaining bytes")
				pre, x, failed := ctx.eval(t.Len)
				body = append(body, pre...)
				body = append(body,
					jen.Id(ln).Op(":=").Add(x),
					jen.If(orFailed(failed, jen.Id(ln).Op("<").Lit(0).Op("||").Id(ln).Op(">").Len(jen.Id("rest")))).Block(
						retErr(v, jen.Id(site).Dot("At").Call(at))))
				if st.Attrs.Align > 8 {
					a := st.Attrs.Align / 8
					asite := g.site(v, st.Name, "Align", fmt.Sprintf("length multiple of %d bytes", a))
					body = append(body, jen.If(jen.Id(ln).Op("%").Lit(a).Op("!=").Lit(0)).Block(
						retErr(v, jen.Id(asite).Dot("At").Call(at))))
				}
				keep(st, at, jen.Len(jen.Id("b")).Op("-").Len(jen.Id("rest")).Op("+").Id(ln))
				if sp, ok := v.bytesAt[st]; ok {
					if sp[1].kind == spanStored {
						body = append(body, jen.Id("p."+sp[1].id).Op("=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")).Op("+").Id(ln))
					}
					body = append(body, jen.Id("rest").Op("=").Id("rest").Index(jen.Id(ln), jen.Empty()))
					break
				}
				body = append(body,
					jen.Id("p.f"+n).Op("=").Id("rest").Index(jen.Empty(), jen.Id(ln), jen.Id(ln)),
					jen.Id("rest").Op("=").Id("rest").Index(jen.Id(ln), jen.Empty()))
			case lang.CustomType:
				// The type's Go side sizes the value; its offset counts
				// from the start of the input, as Size sees it.
				cur = nil
				u, ln := "u"+n, "n"+n
				site := g.site(v, st.Name, "Value", "a valid "+t.Def.Name)
				lsite := g.site(v, st.Name, "Length", "the size of a "+t.Def.Name+" within the remaining bytes")
				body = append(body, jen.Id(u).Op(":=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")))
				if v.scanMode && t.Def.Skips {
					// Parse has checked the value: its size in place will do.
					body = append(body, jen.Id(ln).Op(":=").Add(customType(t.Def)).Dot("Skip").Call(jen.Id("b"), jen.Id(u)))
				} else {
					body = append(body,
						jen.List(jen.Id(ln), jen.Err()).Op(":=").Add(customType(t.Def)).Dot("Size").Call(jen.Id("b"), jen.Id(u)),
						jen.If(jen.Err().Op("!=").Nil()).Block(retErr(v, jen.Id(site).Dot("Wrap").Call(jen.Err(), jen.Id(u)))))
				}
				body = append(body,
					jen.If(jen.Id(ln).Op("<").Lit(0).Op("||").Id(ln).Op(">").Len(jen.Id("rest"))).Block(retErr(v, jen.Id(lsite).Dot("At").Call(jen.Id(u)))),
				)
				keep(st, jen.Id(u), jen.Id(u).Op("+").Id(ln))
				body = append(body,
					jen.Id("p.u"+n).Op("=").Id(u),
					jen.Id("p.w"+n).Op("=").Id(ln),
					jen.Id("rest").Op("=").Id("rest").Index(jen.Id(ln), jen.Empty()))
			case lang.PacketType:
				// The packet parses the rest as an input of its own: its
				// offsets and errors count from its start.
				cur = nil
				q := g.pgOf[t.Packet]
				u := "u" + n
				body = append(body, jen.Id(u).Op(":=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")))
				for i, a := range t.Args {
					prm := t.Packet.Params[i]
					pre, x, failed := ctx.eval(a)
					body = append(body, pre...)
					if failed != nil {
						asite := g.site(v, st.Name, "Value", "argument "+prm.Name+" = "+lang.ExprString(a))
						body = append(body, jen.If(failed).Block(retErr(v, jen.Id(asite).Dot("At").Call(jen.Id(u)))))
					}
					body = append(body, jen.Id("p.f"+n+".p"+q.paramIDs[prm]).Op("=").Add(x))
				}
				if q.root.rootIn() {
					// A packet with a custom type parses within this
					// input, which the type's Go side reads (DNS names
					// point back into the message): its offsets and
					// errors count from b's start.
					r := "r" + n
					if v.scanMode && g.hasScan(q.root) {
						body = append(body,
							jen.List(jen.Id(r), jen.Id("ok")).Op(":=").Id("p.f"+n).Dot("scanIn").Call(jen.Id("b"), jen.Id("rest")),
							jen.If(jen.Op("!").Id("ok")).Block(retErr(v, nil)))
					} else {
						body = append(body,
							jen.List(jen.Id(r), jen.Err()).Op(":=").Id("p.f"+n).Dot("parseIn").Call(jen.Id("b"), jen.Id("rest")),
							jen.If(jen.Err().Op("!=").Nil()).Block(retErr(v, jen.Err())))
					}
					body = append(body, jen.Id("p.u"+n).Op("=").Id(u))
					keep(st, jen.Id(u), jen.Len(jen.Id("b")).Op("-").Len(jen.Id(r)))
					body = append(body, jen.Id("rest").Op("=").Id(r))
					break
				}
				body = append(body, jen.Block(append(append([]jen.Code{jen.Var().Err().Error()}, g.callParse(q.root, jen.Id("p.f"+n), jen.Id("rest"))...),
					jen.If(jen.Err().Op("!=").Nil()).Block(retErr(v, rt("Shift").Call(jen.Err(), jen.Id(u)))))...),
					jen.Id("p.u"+n).Op("=").Id(u))
				keep(st, jen.Id(u), jen.Id(u).Op("+").Len(jen.Id("p.f"+n+".b")))
				body = append(body, jen.Id("rest").Op("=").Id("rest").Index(jen.Len(jen.Id("p.f"+n+".b")), jen.Empty()))
			default:
				g.errorf(st.Pos, "the generator does not support %s fields yet", st.Type)
			}
		case *lang.Classify:
			cur = nil
			body = append(body, g.parseClassify(v, st, ctx)...)
		case *lang.Array:
			cur = nil
			n := v.id(st)
			if v.locals[st]&needStart != 0 || v.pkt.stored[st] {
				body = append(body, jen.Id("at"+n).Op(":=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")))
			}
			body = append(body, g.parseArray(v, st, ctx)...)
			keep(st, jen.Id("at"+n), jen.Len(jen.Id("b")).Op("-").Len(jen.Id("rest")))
		}
	}
	// Fields computed by value() hold what a builder would write, so that
	// what parses rebuilds to the same bytes.
	for _, st := range v.block.Stmts {
		f, ok := st.(*lang.Field)
		if !ok {
			continue
		}
		checked, cl, skip := v.pkt.valueCheck(f)
		if !checked {
			continue
		}
		seg := v.segOf[f]
		raw, _ := readField(ctx.segRef(v, v, seg), v.relOf[f], f)
		site := g.site(v, f.Name, "Value", f.Name+" == "+lang.ExprString(f.Attrs.Value))
		pre, cond := ctx.compareField(f, raw, "!=", f.Attrs.Value)
		if cl != nil {
			// Only in the cases where f sets no length.
			for _, cg := range v.classifies {
				if cg.cl != cl {
					continue
				}
				k := "p.k" + itoa(cg.idx)
				in := jen.Id(k).Op("!=").Id(cg.unknown)
				for _, c := range cl.Cases {
					if skip[c] {
						in = in.Op("&&").Id(k).Op("!=").Id(cg.consts[c])
					}
				}
				cond = jen.Parens(in).Op("&&").Add(cond)
			}
		}
		body = append(body, pre...)
		at := jen.Id("o" + itoa(seg.idx)).Op("+").Lit(v.relOf[f] + firstByte(f)) // from the input's start
		body = append(body, jen.If(cond).Block(retErr(v, jen.Id(site).Dot("At").Call(at))))
	}
	if usesBase || v.rootIn() {
		body = append([]jen.Code{jen.Id("base").Op(":=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest"))}, body...)
	}
	if v.rootIn() && v.scanMode {
		body = append(body,
			jen.List(jen.Id("p.base"), jen.Id("p.end")).Op("=").List(jen.Id("base"), jen.Len(jen.Id("b")).Op("-").Len(jen.Id("rest"))),
			jen.Return(jen.Id("rest"), jen.True()))
		g.f.Comment(fmt.Sprintf("scanIn is parseIn for a %s that Parse has validated, without the error: it fills p, and steps over each value whose type can tell its size in place (a DNS name, without following its pointer) that way. It reports false, instead of panicking, on bytes that changed since.", v.name))
		g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id("scanIn").Params(jen.List(jen.Id("b"), jen.Id("rest")).Index().Byte()).Params(jen.Index().Byte(), jen.Bool()).Block(body...)
		return
	}
	if v.rootIn() {
		// Like an element's parse, from rest within b; parse is the
		// entry for a packet on its own, parseAt for a setter's check.
		body = append(body,
			jen.List(jen.Id("p.base"), jen.Id("p.end")).Op("=").List(jen.Id("base"), jen.Len(jen.Id("b")).Op("-").Len(jen.Id("rest"))),
			jen.Return(jen.Id("rest"), jen.Nil()))
		g.f.Comment(fmt.Sprintf("parse validates b as a %s and fills p; the parameters are already in p.", v.name))
		g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id("parse").Params(jen.Id("b").Index().Byte()).Error().Block(
			jen.Return(jen.Id("p").Dot("parseAt").Call(jen.Id("b"), jen.Lit(0))))
		g.f.Comment(fmt.Sprintf("parseAt validates b[base:] as a %s within the input b and fills p.", v.name))
		g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id("parseAt").Params(jen.Id("b").Index().Byte(), jen.Id("base").Int()).Error().Block(
			jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("p").Dot("parseIn").Call(jen.Id("b"), jen.Id("b").Index(clamp(jen.Id("base"), jen.Len(jen.Id("b"))), jen.Empty())),
			jen.Return(jen.Err()))
		g.f.Comment(fmt.Sprintf("parseIn validates rest, which lies at the end of b, as a %s and fills p; it returns what follows. Offsets, in errors and in the values of custom types, count from the start of b.", v.name))
		g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id("parseIn").Params(jen.List(jen.Id("b"), jen.Id("rest")).Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(body...)
		return
	}
	if v.up == nil {
		// The view keeps the packet's bytes; their capacity ends where
		// the input did, for Rest.
		// (rest is a suffix of b: the test only tells the compiler so.)
		body = append(body,
			jen.If(jen.Id("n").Op(":=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")), jen.Uint().Call(jen.Id("n")).Op("<=").Uint().Call(jen.Len(jen.Id("b")))).Block(
				jen.Id("p.b").Op("=").Id("b").Index(jen.Empty(), jen.Id("n"), jen.Len(jen.Id("b")))))
		if g.parseByValue(v) {
			body = append(body, jen.Return(jen.Id("p"), jen.Nil()))
			g.f.Comment(fmt.Sprintf("parse validates b as a %s and returns p filled, or the zero view and the error; the parameters are already in p. The view is small, so it comes back in registers.", v.name))
			g.f.Func().Params(jen.Id("p").Id(v.name)).Id("parse").Params(jen.Id("b").Index().Byte()).Params(jen.Id(v.name), jen.Error()).Block(body...)
			return
		}
		body = append(body, jen.Return(jen.Nil()))
		g.f.Comment(fmt.Sprintf("parse validates b as a %s and fills p; the parameters are already in p.", v.name))
		g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id("parse").Params(jen.Id("b").Index().Byte()).Error().Block(body...)
		return
	}
	if v.isElem() && v.compact {
		// The element's bytes, cut at its end.
		body = append(body,
			jen.If(jen.Id("n").Op(":=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")), jen.Uint().Call(jen.Id("n")).Op("<=").Uint().Call(jen.Len(jen.Id("b")))).Block(
				jen.Id("p.b").Op("=").Id("b").Index(jen.Empty(), jen.Id("n"), jen.Id("n"))))
	}
	params := []jen.Code{}
	if v.needsUp {
		params = append(params, jen.Id("up").Op("*").Id(v.up.name))
	}
	params = append(params, jen.List(jen.Id("b"), jen.Id("rest")).Index().Byte())
	if v.inlineLabel != "" {
		// (The labelled break uses the label even when no check can
		// fail.)
		if v.keepInlined {
			body = append(body, jen.Id("elemView").Op("=").Id("p"))
		}
		v.inlined = append(body, jen.List(jen.Id("elemRest"), jen.Id("elemOK")).Op("=").List(jen.Id("rest"), jen.True()), jen.Break().Id(v.inlineLabel))
		return
	}
	if v.scanMode {
		body = append(body, jen.Return(jen.Id("rest"), jen.True()))
		g.f.Comment(fmt.Sprintf("scan is check for a %s that Parse has validated: it fills p, and steps over each value whose type can tell its size in place (a DNS name, without following its pointer) that way. It reports false, instead of panicking, on bytes that changed since.", v.name))
		g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id("scan").Params(params...).Params(jen.Index().Byte(), jen.Bool()).Block(body...)
		return
	}
	if v.checkMode {
		body = append(body, jen.Return(jen.Id("rest"), jen.True()))
		g.f.Comment(fmt.Sprintf("check is parse without the error: it reports whether rest is a valid %s, and costs no call on the way, so that it inlines into the enclosing parse. When it fails, parse gives the error.", v.name))
		g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id("check").Params(params...).Params(jen.Index().Byte(), jen.Bool()).Block(body...)
		return
	}
	body = append(body, jen.Return(jen.Id("rest"), jen.Nil()))
	g.f.Comment(fmt.Sprintf("parse validates rest, which lies at the end of b, as a %s and fills p; it returns what follows.", v.name))
	g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id("parse").Params(params...).Params(jen.Index().Byte(), jen.Error()).Block(body...)
}

// hasCheck reports whether a view has a check method beside parse: the
// cases of a classify, which their packet's parse tries one after the
// other, and compact array elements, which their iterators step over with
// it (Parse has validated them already). (A view's parse reports errors with out-of-line calls, each of
// which costs the inliner more than half its budget; check makes none.)
func (g *gen) hasCheck(v *view) bool {
	_, isCase := v.owner.(*lang.Case)
	return (isCase || (v.isElem() && v.compact)) && len(g.diags) == 0
}

// hasScan reports whether a view has a scan method: a view that keeps the
// input from the packet's start (an array element, a case or a held
// packet with a custom type in it) in which, or in a view nested in it,
// lies a value of a custom type with a Skip method, such as a DNS name
// (otherwise scan would be check). Iterators and AsX step over what
// Parse validated with scan, which sizes those values in place.
func (g *gen) hasScan(v *view) bool {
	if v.compact || !(v.up != nil || v.rootIn()) || len(g.diags) > 0 {
		return false
	}
	if has, ok := g.hasScanOf[v]; ok {
		return has
	}
	has := false
	for _, w := range v.pkt.views {
		in := false
		for x := w; x != nil && !in; x = x.up {
			in = x == v
		}
		if in && g.blockScans(w.block, map[*packetGen]bool{}) {
			has = true
			break
		}
	}
	if g.hasScanOf == nil {
		g.hasScanOf = map[*view]bool{}
	}
	g.hasScanOf[v] = has
	return has
}

// blockScans reports whether a block has a field of a custom type with a
// Skip method, or of a packet that has one (seen: the packets being
// looked at).
func (g *gen) blockScans(b *lang.Block, seen map[*packetGen]bool) bool {
	for _, st := range b.Stmts {
		f, ok := st.(*lang.Field)
		if !ok {
			continue
		}
		switch t := f.Type.(type) {
		case lang.CustomType:
			if t.Def.Skips {
				return true
			}
		case lang.PacketType:
			if g.scans(g.pgOf[t.Packet], seen) {
				return true
			}
		}
	}
	return false
}

// scans reports whether a packet, or a packet it holds, has a field of a
// custom type with a Skip method.
func (g *gen) scans(pg *packetGen, seen map[*packetGen]bool) bool {
	if s, ok := g.scansOf[pg]; ok {
		return s
	}
	if seen[pg] {
		return false
	}
	seen[pg] = true
	s := false
	for _, v := range pg.views {
		s = s || g.blockScans(v.block, seen)
	}
	if g.scansOf == nil {
		g.scansOf = map[*packetGen]bool{}
	}
	g.scansOf[pg] = s
	return s
}

// firstByte is the byte of a field's run where a bit field starts (0 for
// other fields).
func firstByte(f *lang.Field) int {
	if f.Run == nil {
		return 0
	}
	first, _, _ := bitSpan(f)
	return first
}

// retErr returns from a parse method with an error.
func retErr(v *view, e jen.Code) jen.Code {
	if v.inlineLabel != "" {
		return jen.Break().Id(v.inlineLabel)
	}
	if v.checkMode {
		return jen.Return(jen.Nil(), jen.False())
	}
	if v.up == nil && !v.rootIn() {
		if v.byValueParse {
			return jen.Return(jen.Id(v.name).Values(), e)
		}
		return jen.Return(e)
	}
	return jen.Return(jen.Nil(), e)
}

// parseCall calls the parse method of view c from the parse method (or an
// accessor) of its enclosing view, whose receiver is p.
func parseCall(c *view, recv, b, rest jen.Code) *jen.Statement {
	return callOn(c, "parse", recv, b, rest)
}

// callOn calls method parse or check of view c, as parseCall does.
func callOn(c *view, method string, recv, b, rest jen.Code) *jen.Statement {
	args := []jen.Code{}
	if c.needsUp {
		args = append(args, recv)
	}
	args = append(args, b, rest)
	return jen.Dot(method).Call(args...)
}

// parseSelf is a pointer to the view in its parse method.
func parseSelf(v *view) jen.Code {
	if v.byValueParse {
		return jen.Op("&").Id("p")
	}
	return jen.Id("p")
}

// loadSegment emits the length check and array conversion of a segment.
func (g *gen) loadSegment(v *view, seg *segment) []jen.Code {
	o := "o" + itoa(seg.idx)
	// The fields in the order a short input cuts them: the first that
	// does not fit names the error.
	type need struct {
		site     string
		off, end int
	}
	var needs []need
	for i, f := range seg.fields {
		end := v.relOf[f] + f.Size
		if f.Size == 0 || (f.Run != nil && f.Run.Fields[0] != f) {
			continue
		}
		last := i == len(seg.fields)-1 || end == seg.size
		if last {
			end = seg.size
		}
		needs = append(needs, need{g.truncSite(v, f), v.relOf[f], end})
		if last {
			break
		}
	}
	short := jen.Len(jen.Id("rest")).Op("<").Lit(seg.size)
	var check jen.Code = jen.Null()
	switch {
	case v.checkMode:
		check = jen.If(short).Block(retErr(v, nil))
	case len(needs) == 0: // no bytes: never short
	case len(needs) == 1:
		check = jen.If(short).Block(retErr(v, jen.Id(needs[0].site).Dot("At").Call(jen.Id(o).Op("+").Lit(needs[0].off))))
	default:
		// One out-of-line call for the whole run keeps the parse small
		// enough to inline where it is called.
		var table []jen.Code
		for _, n := range needs {
			table = append(table, jen.Values(jen.Id("Site").Op(":").Id(n.site), jen.Id("Off").Op(":").Lit(n.off), jen.Id("End").Op(":").Lit(n.end)))
		}
		name := g.claim("needs"+v.name+"S"+itoa(seg.idx), seg)
		g.needs = append(g.needs, jen.Id(name).Op("=").Index().Qual(runtimePath, "Need").Custom(jen.Options{Open: "{", Close: "}", Separator: ",", Multi: true}, table...))
		check = jen.If(short).Block(retErr(v, rt("Truncated").Call(jen.Id(name), jen.Len(jen.Id("rest")), jen.Id(o))))
	}
	// check reports no offsets: o may go unused.
	var unused jen.Code = jen.Null()
	if v.checkMode {
		unused = jen.Id("_").Op("=").Id(o)
	}
	if seg.size == 0 {
		// Fields of no bytes: nothing to check; the offset may go unused.
		return []jen.Code{
			jen.Id(o).Op(":=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")),
			jen.Id("_").Op("=").Id(o),
			jen.Id("p.s" + itoa(seg.idx)).Op("=").Parens(jen.Op("*").Index(jen.Lit(0)).Byte()).Call(jen.Id("rest")),
		}
	}
	if seg.derived {
		// The segment is at a static offset: a method derives it from b.
		return []jen.Code{
			jen.Id(o).Op(":=").Lit(seg.off),
			unused,
			check,
			jen.Id("rest").Op("=").Id(fmt.Sprintf("rest[%d:]", seg.size)),
		}
	}
	return []jen.Code{
		jen.Id(o).Op(":=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")),
		unused,
		check,
		jen.Id("p.s" + itoa(seg.idx)).Op("=").Parens(jen.Op("*").Index(jen.Lit(seg.size)).Byte()).Call(jen.Id("rest")),
		jen.Id("rest").Op("=").Id(fmt.Sprintf("rest[%d:]", seg.size)),
	}
}

// truncSite is the site of an input that ends inside field f (or inside
// the run of bit fields it starts).
func (g *gen) truncSite(v *view, f *lang.Field) string {
	what := plural(f.Size, "byte")
	if f.Run != nil {
		what = fmt.Sprintf("%s for bit fields %s to %s", plural(f.Size, "byte"), f.Run.Fields[0].Name, f.Run.Fields[len(f.Run.Fields)-1].Name)
	}
	return g.site(v, f.Name, "Truncated", what)
}

// fieldChecks emits a field's const, min and max checks.
func (g *gen) fieldChecks(v *view, f *lang.Field, ctx *exprCtx, at jen.Code) []jen.Code {
	if _, ok := f.Type.(lang.BytesType); ok {
		return nil
	}
	seg := v.segOf[f]
	var out []jen.Code
	check := func(e lang.Expr, kind, op string) {
		if e == nil {
			return
		}
		site := g.site(v, f.Name, kind, f.Name+" "+map[string]string{"!=": "==", "<": ">=", ">": "<="}[op]+" "+lang.ExprString(e))
		if c, ok := lang.ConstBig(e); ok && c.Sign() == 0 && op == "<" {
			return // an unsigned value is never below zero
		}
		raw, _ := readField(ctx.segRef(v, v, seg), v.relOf[f], f)
		pre, cond := ctx.compareField(f, raw, op, e)
		out = append(out, pre...)
		out = append(out, jen.If(cond).Block(retErr(v, jen.Id(site).Dot("At").Call(at))))
	}
	check(f.Attrs.Const, "Const", "!=")
	check(f.Attrs.Min, "Min", "<")
	check(f.Attrs.Max, "Max", ">")
	return out
}

func (g *gen) parseClassify(v *view, cl *lang.Classify, ctx *exprCtx) []jen.Code {
	var cg *classifyGen
	for _, c := range v.classifies {
		if c.cl == cl {
			cg = c
		}
	}
	k := itoa(cg.idx)
	// A classify of wildcards alone reads nothing (the segment it would
	// read must not be declared for nothing).
	reads := false
	for _, c := range cl.Cases {
		reads = reads || c.Kind != lang.PatternWildcard
	}
	var on jen.Code
	switch x := cl.On.(type) {
	case *lang.FieldRef:
		if !reads {
			break
		}
		w := v.pkt.viewOf[x.Field.Block]
		seg, ok := w.segOf[x.Field]
		if customDef(x.Field) != nil {
			on = customValue(parsePath(v, w), w, x.Field)
			break
		}
		if !ok {
			g.errorf(cl.Pos, "the generator cannot classify on %s fields yet", x.Field.Type)
			return nil
		}
		on, _ = readField(ctx.segRef(v, w, seg), w.relOf[x.Field], x.Field)
		if isBool(x.Field) {
			on = jen.Add(on).Op("!=").Lit(0)
		}
	case *lang.ParamRef:
		on = ctx.param(x.Param)
	}
	var cases []jen.Code
	usesX := false
	for _, c := range cl.Cases {
		var cond *jen.Statement
		usesX = usesX || c.Kind != lang.PatternWildcard
		switch c.Kind {
		case lang.PatternValue:
			cond = jen.Id("x").Op("==").Id(ulit(c.Lo))
		case lang.PatternRange:
			if c.Lo == 0 {
				cond = jen.Id("x").Op("<=").Id(ulit(c.Hi))
			} else {
				cond = jen.Id("x").Op(">=").Id(ulit(c.Lo)).Op("&&").Id("x").Op("<=").Id(ulit(c.Hi))
			}
		case lang.PatternBool:
			if c.Bool {
				cond = jen.Id("x")
			} else {
				cond = jen.Op("!").Id("x")
			}
		case lang.PatternString:
			cond = jen.String().Call(jen.Id("x")).Op("==").Lit(c.Str)
		}
		if c.Guard != nil {
			if cond == nil {
				cond = jen.Add(ctx.cond(c.Guard))
			} else {
				cond = cond.Op("&&").Add(ctx.cond(c.Guard))
			}
		}
		cv := cg.views[c]
		blk := []jen.Code{jen.Var().Id("c").Id(cv.name)}
		switch {
		case v.scanMode && g.hasScan(cv):
			blk = append(blk,
				jen.List(jen.Id("r"), jen.Id("ok")).Op(":=").Id("c").Add(callOn(cv, "scan", parseSelf(v), jen.Id("b"), jen.Id("rest"))),
				jen.If(jen.Op("!").Id("ok")).Block(retErr(v, nil)))
		case !g.hasCheck(cv):
			blk = append(blk,
				jen.List(jen.Id("r"), jen.Err()).Op(":=").Id("c").Add(parseCall(cv, parseSelf(v), jen.Id("b"), jen.Id("rest"))),
				jen.If(jen.Err().Op("!=").Nil()).Block(retErr(v, jen.Err())))
		case v.checkMode:
			blk = append(blk,
				jen.List(jen.Id("r"), jen.Id("ok")).Op(":=").Id("c").Add(callOn(cv, "check", parseSelf(v), jen.Id("b"), jen.Id("rest"))),
				jen.If(jen.Op("!").Id("ok")).Block(retErr(v, nil)))
		default:
			// check first; parse only for the error.
			blk = append(blk,
				jen.List(jen.Id("r"), jen.Id("ok")).Op(":=").Id("c").Add(callOn(cv, "check", parseSelf(v), jen.Id("b"), jen.Id("rest"))),
				jen.If(jen.Op("!").Id("ok")).Block(
					jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("c").Add(parseCall(cv, parseSelf(v), jen.Id("b"), jen.Id("rest"))),
					retErr(v, jen.Err())))
		}
		blk = append(blk,
			jen.Id("p.k"+k).Op("=").Id(cg.consts[c]),
			jen.Id("rest").Op("=").Id("r"))
		if cond == nil {
			cases = append(cases, jen.Default().Block(blk...))
		} else {
			cases = append(cases, jen.Case(cond).Block(blk...))
		}
	}
	sw := jen.Switch(jen.Id("x").Op(":=").Add(on), jen.Empty())
	if !usesX {
		sw = jen.Switch()
	}
	out := []jen.Code{jen.Id("p.k" + k).Op("=").Id(cg.unknown)}
	if at, ok := v.classAt[cg]; !ok {
		out = append(out, jen.Id("p.c"+k).Op("=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")))
	} else if at.kind == spanStored && at.id == "c"+k {
		out = append(out, jen.Id("p.c"+k).Op("=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")))
	}
	return append(out, sw.Block(cases...))
}

func (g *gen) parseArray(v *view, a *lang.Array, ctx *exprCtx) []jen.Code {
	var ag *arrayGen
	for _, x := range v.arrays {
		if x.a == a {
			ag = x
		}
	}
	n := v.id(a)
	// unique: each element, once accepted, is asked whether it holds a
	// case named (Parse has validated the elements a scan walks).
	unique := len(a.Unique) > 0 && !v.scanMode
	var elem0 func(b, rest string) []jen.Code
	elem := func(b, rest string) []jen.Code {
		out := elem0(b, rest)
		if !unique {
			return out
		}
		ev := "e"
		if g.inlinable(ag.elem) {
			ev = "elemView"
		}
		// Before the last statement, which steps rest past the element.
		last := out[len(out)-1]
		out = append(out[:len(out)-1:len(out)-1], g.uniqueChecks(v, a, ev, b, rest)...)
		return append(out, last)
	}
	elem0 = func(b, rest string) []jen.Code {
		if g.inlinable(ag.elem) {
			// The element's check is written out here, so that the
			// loop makes no call per element.
			ag.elem.keepInlined = unique
			out := g.inlineCheck(ag.elem, rest)
			ag.elem.keepInlined = false
			if v.checkMode {
				return append(out,
					jen.Id("_").Op("=").Id(b),
					jen.If(jen.Op("!").Id("elemOK").Op("||").Len(jen.Id("elemRest")).Op("==").Len(jen.Id(rest))).Block(retErr(v, nil)),
					jen.Id(rest).Op("=").Id("elemRest"))
			}
			return append(out,
				jen.If(jen.Op("!").Id("elemOK")).Block(
					jen.Var().Id("e").Id(ag.elem.name),
					jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("e").Add(parseCall(ag.elem, parseSelf(v), jen.Id(rest), jen.Id(rest))),
					retErr(v, rt("Shift").Call(jen.Err(), jen.Len(jen.Id(b)).Op("-").Len(jen.Id(rest))))),
				jen.If(jen.Len(jen.Id("elemRest")).Op("==").Len(jen.Id(rest))).Block(
					retErr(v, jen.Id(g.site(v, a.Name, "Length", "every element takes at least one byte")).Dot("At").Call(jen.Len(jen.Id(b)).Op("-").Len(jen.Id(rest))))),
				jen.Id(rest).Op("=").Id("elemRest"))
		}
		if ag.elem.compact && v.checkMode {
			return []jen.Code{
				jen.Id("_").Op("=").Id(b),
				jen.Var().Id("e").Id(ag.elem.name),
				jen.List(jen.Id("r"), jen.Id("ok")).Op(":=").Id("e").Add(callOn(ag.elem, "check", parseSelf(v), jen.Id(rest), jen.Id(rest))),
				jen.If(jen.Op("!").Id("ok").Op("||").Len(jen.Id("r")).Op("==").Len(jen.Id(rest))).Block(retErr(v, nil)),
				jen.Id(rest).Op("=").Id("r"),
			}
		}
		if ag.elem.compact {
			// The element parses from its own start, so its errors
			// count from there: shifted to count from b's.
			// check first, which makes no errors; parse only for the
			// error.
			return []jen.Code{
				jen.Var().Id("e").Id(ag.elem.name),
				jen.List(jen.Id("r"), jen.Id("ok")).Op(":=").Id("e").Add(callOn(ag.elem, "check", parseSelf(v), jen.Id(rest), jen.Id(rest))),
				jen.If(jen.Op("!").Id("ok")).Block(
					jen.List(jen.Id("_"), jen.Err()).Op(":=").Id("e").Add(parseCall(ag.elem, parseSelf(v), jen.Id(rest), jen.Id(rest))),
					retErr(v, rt("Shift").Call(jen.Err(), jen.Len(jen.Id(b)).Op("-").Len(jen.Id(rest))))),
				jen.If(jen.Len(jen.Id("r")).Op("==").Len(jen.Id(rest))).Block(
					retErr(v, jen.Id(g.site(v, a.Name, "Length", "every element takes at least one byte")).Dot("At").Call(jen.Len(jen.Id(b)).Op("-").Len(jen.Id(rest))))),
				jen.Id(rest).Op("=").Id("r"),
			}
		}
		if v.scanMode && g.hasScan(ag.elem) {
			return []jen.Code{
				jen.Var().Id("e").Id(ag.elem.name),
				jen.List(jen.Id("r"), jen.Id("ok")).Op(":=").Id("e").Add(callOn(ag.elem, "scan", parseSelf(v), jen.Id(b), jen.Id(rest))),
				jen.If(jen.Op("!").Id("ok").Op("||").Len(jen.Id("r")).Op("==").Len(jen.Id(rest))).Block(retErr(v, nil)),
				jen.Id(rest).Op("=").Id("r"),
			}
		}
		return []jen.Code{
			jen.Var().Id("e").Id(ag.elem.name),
			jen.List(jen.Id("r"), jen.Err()).Op(":=").Id("e").Add(parseCall(ag.elem, parseSelf(v), jen.Id(b), jen.Id(rest))),
			jen.If(jen.Err().Op("!=").Nil()).Block(retErr(v, jen.Err())),
			// An element takes at least one byte, so that the count
			// cannot make work beyond the size of the input.
			jen.If(jen.Len(jen.Id("r")).Op("==").Len(jen.Id(rest))).Block(
				retErr(v, jen.Id(g.site(v, a.Name, "Length", "every element takes at least one byte")).Dot("At").Call(jen.Len(jen.Id(b)).Op("-").Len(jen.Id(rest))))),
			jen.Id(rest).Op("=").Id("r"),
		}
	}
	if a.Bytes != nil {
		// The elements fill the array's bytes: they parse from an input
		// that ends where the array ends, so that their offsets still
		// count from the start of the input.
		site := g.site(v, a.Name, "Length", "0 <= "+lang.ExprString(a.Bytes)+" <= remaining bytes")
		ln, end, in, r := "n"+n, "end"+n, "in"+n, "r"+n
		pre, x, failed := ctx.eval(a.Bytes)
		out := append(pre,
			jen.Id(ln).Op(":=").Add(x),
			jen.If(orFailed(failed, jen.Id(ln).Op("<").Lit(0).Op("||").Id(ln).Op(">").Len(jen.Id("rest")))).Block(
				retErr(v, jen.Id(site).Dot("At").Call(jen.Len(jen.Id("b")).Op("-").Len(jen.Id("rest"))))))
		if a.Align > 8 {
			asite := g.site(v, a.Name, "Align", fmt.Sprintf("length multiple of %d bytes", a.Align/8))
			out = append(out, jen.If(jen.Id(ln).Op("%").Lit(a.Align/8).Op("!=").Lit(0)).Block(
				retErr(v, jen.Id(asite).Dot("At").Call(jen.Len(jen.Id("b")).Op("-").Len(jen.Id("rest"))))))
		}
		out = append(out,
			jen.Id(end).Op(":=").Len(jen.Id("b")).Op("-").Len(jen.Id("rest")).Op("+").Id(ln),
			// (Never true, rest being the end of b: it tells the
			// compiler that the slicing below is in bounds.)
			jen.If(jen.Uint().Call(jen.Id(end)).Op(">").Uint().Call(jen.Len(jen.Id("b")))).Block(
				retErr(v, jen.Id(site).Dot("At").Call(jen.Len(jen.Id("b")).Op("-").Len(jen.Id("rest"))))),
			jen.Id(in).Op(":=").Id("b").Index(jen.Empty(), jen.Id(end), jen.Id(end)),
			jen.Id(r).Op(":=").Id("rest").Index(jen.Empty(), jen.Id(ln), jen.Id(ln)),
			jen.Id("p.a"+n).Op(",").Id("p.z"+n).Op("=").Add(arrayStart(v, jen.Id(r), jen.Id(end).Op("-").Id(ln))).Op(",").Id(end),
			jen.Id("p.n"+n).Op("=").Lit(0),
		)
		if unique {
			out = append(out, g.uniqueVars(v, a)...)
		}
		return append(out,
			jen.For(jen.Len(jen.Id(r)).Op(">").Lit(0)).Block(append(elem(in, r), jen.Id("p.n"+n).Op("++"))...),
			jen.Id("rest").Op("=").Id("rest").Index(jen.Id(ln), jen.Empty()),
		)
	}
	site := g.site(v, a.Name, "Length", "0 <= "+lang.ExprString(a.Count)+" <= remaining bytes")
	cnt, start := "n"+n, "start"+n
	pre, x, failed := ctx.eval(a.Count)
	out := append(pre,
		jen.Id(cnt).Op(":=").Add(x),
		jen.If(orFailed(failed, jen.Id(cnt).Op("<").Lit(0).Op("||").Id(cnt).Op(">").Len(jen.Id("rest")))).Block(
			retErr(v, jen.Id(site).Dot("At").Call(jen.Len(jen.Id("b")).Op("-").Len(jen.Id("rest"))))),
		jen.Id("p.n"+n).Op("=").Id(cnt),
		jen.Id(start).Op(":=").Id("rest"),
	)
	if unique {
		out = append(out, g.uniqueVars(v, a)...)
	}
	return append(out,
		jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Id(cnt), jen.Id("i").Op("++")).Block(elem("b", "rest")...),
		// The iterator walks from the array's start; it stops after the count.
		jen.Id("p.a"+n).Op("=").Add(arrayStart(v, jen.Id(start), jen.Len(jen.Id("b")).Op("-").Len(jen.Id(start)))),
	)
}

// inlinable reports whether the check of array element e can be written
// out in its array's parse: a compact element whose views read nothing
// of the views enclosing it (a parameter, say), so that the check needs
// no receiver but its own.
func (g *gen) inlinable(e *view) bool {
	if !e.compact || len(g.diags) > 0 {
		return false
	}
	for _, w := range e.pkt.views {
		if w.needsUp && w.frame() == e {
			return false
		}
	}
	return true
}

// inlineCheck returns element e's check, written out for the array loop
// whose rest is in: a for statement that runs once, with the element's
// own p, b and rest, and sets elemRest and elemOK as check would return
// them. A failing check breaks out of it, from any depth.
func (g *gen) inlineCheck(e *view, in string) []jen.Code {
	g.nlabel++
	label := fmt.Sprintf("check%d", g.nlabel)
	saveCheck, saveLabel := e.checkMode, e.inlineLabel
	e.checkMode, e.inlineLabel = true, label
	g.parseMethod(e)
	body := e.inlined
	e.checkMode, e.inlineLabel, e.inlined = saveCheck, saveLabel, nil
	head := []jen.Code{
		jen.Var().Id("p").Id(e.name),
		jen.List(jen.Id("b"), jen.Id("rest")).Op(":=").List(jen.Id(in), jen.Id(in)),
	}
	out := []jen.Code{
		jen.Var().Id("elemRest").Index().Byte(),
		jen.Id("elemOK").Op(":=").False(),
	}
	if e.keepInlined {
		// The element, for the checks of unique after it.
		out = append(out, jen.Var().Id("elemView").Id(e.name))
	}
	return append(out, jen.Id(label).Op(":").For().Block(append(head, body...)...))
}

// arrayStart is what a view stores of where an array starts: in a compact
// view its offset, else the input from there.
func arrayStart(v *view, rest, off jen.Code) jen.Code {
	if v.compact {
		return off
	}
	return rest
}

// orFailed prefixes cond with "failed ||" when failed is not nil.
func orFailed(failed jen.Code, cond *jen.Statement) jen.Code {
	if failed == nil {
		return cond
	}
	return jen.Add(failed).Op("||").Add(cond)
}
