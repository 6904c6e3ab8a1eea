package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/mplgo/mpl/lang"
)

// checksumMethods emits, for each checksum field of a packet's top view,
// VerifyX (whether the field holds the checksum of its range) and
// ComputeX (the value it should hold). Both take the packet's addr
// parameters, the pseudo-header's addresses.
func (g *gen) checksumMethods(v *view) {
	if v.up != nil {
		return
	}
	if v.rootIn() {
		for _, st := range v.block.Stmts {
			if f, ok := st.(*lang.Field); ok && f.Attrs.Checksum != nil {
				g.errorf(f.Pos, "packet %s has a checksum and a custom wire type, and a packet field holds it: the generator cannot yet place the checksum's range in the input of the packet that holds it", v.pkt.p.Name)
			}
		}
		return
	}
	recv := g.getRecv(v)
	var params []jen.Code
	var names []string
	addrs := v.pkt.p.AddrParams()
	for _, p := range addrs {
		names = append(names, p.Name)
	}
	args := paramArgNames(names)
	argOf := map[*lang.Param]string{}
	for i, p := range addrs {
		argOf[p] = args[i]
		params = append(params, jen.Id(args[i]).Qual("net/netip", "Addr"))
	}
	for _, st := range v.block.Stmts {
		f, ok := st.(*lang.Field)
		if !ok || f.Attrs.Checksum == nil {
			continue
		}
		cs := f.Attrs.Checksum
		names := v.checksums[f]
		from := cs.From.Offset
		k := f.Offset - from
		endCode, ok := g.rangeEnd(v, cs, "e")
		if !ok {
			g.errorf(cs.Pos, "the generator cannot find where checksum range %s ends in a view yet", cs.Range())
			continue
		}
		ctx := g.termCtx(v, cs)
		init, pre, failed := g.checksumInit(cs, ctx, func(p *lang.Param) jen.Code { return jen.Id(argOf[p]) })
		site := g.site(v, f.Name, "Checksum", "checksum("+cs.String()+")")
		// The guard fails only for the zero view.
		guard := append([]jen.Code{jen.Id("s").Op(":=").Lit(from)}, endCode...)
		bad := jen.Id("s").Op(">").Id("e").Op("||").Id("e").Op(">").Cap(jen.Id("p.b")).Op("||").Id("e").Op("-").Id("s").Op("<").Lit(k + 2)
		if failed != nil {
			bad = jen.Add(bad).Op("||").Parens(failed)
		}
		what := fmt.Sprintf("the Internet checksum (RFC 1071) of %s", rangeDoc(cs))
		if len(cs.Terms) > 0 {
			what += " with the pseudo-header " + pseudoDoc(cs)
		}

		verify := append(append([]jen.Code{}, guard...), pre...)
		verify = append(verify, jen.If(bad).Block(jen.Return(jen.Id(site).Dot("At").Call(jen.Lit(f.Offset)))),
			jen.Id("r").Op(":=").Id("p.b[s:e]"))
		if cs.Absent {
			verify = append(verify, jen.If(jen.Id(fmt.Sprintf("r[%d] == 0 && r[%d] == 0", k, k+1))).Block(jen.Return(jen.Nil())))
		}
		verify = append(verify,
			jen.If(rt("Fold").Call(rt("Sum").Call(jen.Id("r"), init)).Op("!=").Id("0xffff")).Block(
				jen.Return(jen.Id(site).Dot("At").Call(jen.Lit(f.Offset)))),
			jen.Return(jen.Nil()))
		doc := fmt.Sprintf("%s reports whether the %s field holds %s: nil if it does", names[0], f.Name, what)
		if cs.Absent {
			doc += " or if it is 0 (no checksum computed)"
		}
		doc += fmt.Sprintf(", else an mplrt.Error of kind checksum at the field's offset. Parse does not verify checksums; %s tells the value the field should hold.", names[1])
		g.doc(doc)
		g.f.Func().Params(recv.Clone()).Id(names[0]).Params(params...).Error().Block(verify...)

		compute := append(append([]jen.Code{}, guard...), pre...)
		compute = append(compute, jen.If(bad).Block(jen.Return(jen.Lit(0))),
			jen.Id("r").Op(":=").Id("p.b[s:e]"),
			// The words before the field (an even number of bytes),
			// then those after it: the sum with the field as zero.
			jen.Id("c").Op(":=").Op("^").Add(rt("Fold")).Call(rt("Sum").Call(jen.Id(fmt.Sprintf("r[%d:]", k+2)), rt("Sum").Call(jen.Id(fmt.Sprintf("r[:%d]", k)), init))))
		if cs.Absent {
			compute = append(compute, jen.If(jen.Id("c").Op("==").Lit(0)).Block(jen.Id("c").Op("=").Id("0xffff")))
		}
		compute = append(compute, jen.Return(jen.Id("c")))
		doc = fmt.Sprintf("%s returns the value the %s field should hold: %s, the field taken as zero", names[1], f.Name, what)
		if cs.Absent {
			doc += "; a sum of 0 is sent as 0xffff, since 0 means no checksum"
		}
		doc += ". It returns 0 for the zero view."
		g.doc(doc)
		g.f.Func().Params(recv.Clone()).Id(names[1]).Params(params...).Uint16().Block(compute...)
	}
}

// fieldEnd returns the code of the offset where field f, of view v's
// block, ends in a method of v: a constant, what the compact view stores
// of it, or the end of the packet for a byte field taking the remaining
// bytes; false if v does not know.
func (v *view) fieldEnd(f *lang.Field) (jen.Code, bool) {
	if f.Offset >= 0 && f.Size >= 0 {
		return jen.Lit(f.Offset + f.Size), true
	}
	if at, ok := v.bytesAt[f]; ok {
		return at[1].code("p"), true
	}
	if t, ok := f.Type.(lang.BytesType); ok && f.Block == v.block {
		if _, ok := t.Len.(*lang.Remaining); ok {
			return jen.Len(jen.Id("p.b")), true
		}
	}
	return nil, false
}

// termCtx compiles the terms of checksum cs in a method of view v: field
// values through the view's segments, offsets of the packet's fields from
// what the view knows of them.
func (g *gen) termCtx(v *view, cs *lang.Checksum) *exprCtx {
	ctx := g.viewCtx(v, path)
	ctx.offset = func(d lang.Decl) jen.Code {
		if f, ok := d.(*lang.Field); ok {
			if end, ok := v.fieldEnd(f); ok {
				return end
			}
		}
		g.errorf(cs.Pos, "the generator cannot compute offset(%s) in a checksum term yet", d.DeclName())
		return jen.Lit(0)
	}
	ctx.size = func(d lang.Decl) jen.Code {
		if f, ok := d.(*lang.Field); ok {
			if f.Size >= 0 {
				return jen.Lit(f.Size)
			}
			if at, ok := v.bytesAt[f]; ok {
				return jen.Parens(jen.Add(at[1].code("p")).Op("-").Add(at[0].code("p")))
			}
		}
		g.errorf(cs.Pos, "the generator cannot compute sizeof(%s) in a checksum term yet", d.DeclName())
		return jen.Lit(0)
	}
	return ctx
}

// rangeEnd returns statements that declare e, the end of checksum cs's
// range in a method of view v (the packet's top view, or a case view of
// it whose b is the packet), and whether the generator can find it.
func (g *gen) rangeEnd(v *view, cs *lang.Checksum, e string) ([]jen.Code, bool) {
	root := v.root()
	if cs.To != nil {
		if end, ok := root.fieldEnd(cs.To); ok && (v == root || cs.To.Offset >= 0) {
			return []jen.Code{jen.Id(e).Op(":=").Add(end)}, true
		}
		return nil, false
	}
	code := []jen.Code{jen.Id(e).Op(":=").Len(jen.Id("p.b"))}
	if v == root {
		// A classify of the packet's body that matched no case leaves
		// the rest of the packet in Rest: the range runs to the end of
		// it, as the builder that takes that body as bytes writes it.
		for _, cg := range v.classifies {
			code = append(code, jen.If(jen.Id("p.k"+itoa(cg.idx)).Op("==").Id(cg.unknown)).Block(jen.Id(e).Op("=").Cap(jen.Id("p.b"))))
		}
	}
	return code, true
}

// rangeDoc describes a checksum's range in a doc comment.
func rangeDoc(cs *lang.Checksum) string {
	if cs.To == nil {
		return fmt.Sprintf("the packet from %s to its end", cs.From.Name)
	}
	return fmt.Sprintf("the fields %s to %s", cs.From.Name, cs.To.Name)
}

// pseudoDoc lists a checksum's terms in a doc comment.
func pseudoDoc(cs *lang.Checksum) string {
	s := ""
	for i, t := range cs.Terms {
		if i > 0 {
			s += ", "
		}
		s += lang.ExprString(t)
	}
	return "(" + s + ")"
}

// checksumPatch returns what a setter of field x in view v runs before it
// writes (pre) and after it wrote and, for a setter that validates, after
// the packet parsed again (post), so that every checksum covering x stays
// right: RFC 1624's incremental update with the sums of the 16-bit words
// x touches, before and after, and of the pseudo-header's integer terms
// where they may change. skipped names the checksums the setter cannot
// update (for its doc): x in an array element, or at a dynamic offset.
//
// A setter that validates (layout) may change the packet's layout, and so
// the range: it sums the whole range, but for the checksum field, before
// and after instead.
func (g *gen) checksumPatch(v *view, x *lang.Field, layout bool) (pre, post []jen.Code, skipped []string) {
	root := v.root()
	// The top-level statement that holds x.
	var top lang.Stmt
	index := map[lang.Stmt]int{}
	for i, st := range root.block.Stmts {
		index[st] = i
		if st == x {
			top = st
		}
		var blocks []*lang.Block
		switch st := st.(type) {
		case *lang.Classify:
			for _, c := range st.Cases {
				blocks = append(blocks, c.Body)
			}
		case *lang.Array:
			blocks = append(blocks, st.Body)
		}
		for _, b := range blocks {
			lang.Walk(b, func(s lang.Stmt) {
				if s == x {
					top = st
				}
			})
		}
	}
	for _, st := range root.block.Stmts {
		f, ok := st.(*lang.Field)
		if !ok || f == x || f.Attrs.Checksum == nil {
			continue
		}
		cs := f.Attrs.Checksum
		i, ok := index[top]
		covered := top != nil && ok && i >= index[cs.From] && (cs.To == nil || i <= index[cs.To])
		// The integer terms that may change: in a setter that validates
		// again, any that is not constant (an offset may move); in
		// another, those that read x.
		var ints []lang.Expr
		readByTerm := false
		for _, t := range cs.Terms {
			if _, isConst := constUint(t); isConst || t.Type() != lang.TypeInt {
				continue
			}
			reads := false
			lang.WalkExpr(t, func(e lang.Expr) {
				if r, ok := e.(*lang.FieldRef); ok && r.Field == x {
					reads = true
				}
			})
			readByTerm = readByTerm || reads
			if reads || layout {
				ints = append(ints, t)
			}
		}
		if !covered && !readByTerm {
			continue
		}
		if v.inArray() || (covered && (x.Offset < 0 || x.Size <= 0)) || !v.keepsB() {
			skipped = append(skipped, f.Name)
			continue
		}
		if len(ints) > 0 && v != root {
			skipped = append(skipped, f.Name)
			continue
		}
		var termPre, termNow []jen.Code
		var termOld, termNew jen.Code = jen.Lit(0), jen.Lit(0)
		if len(ints) > 0 {
			ok := true
			eval := func(name string) ([]jen.Code, jen.Code) {
				ctx := g.termCtx(v, cs)
				var code []jen.Code
				sum := jen.Null()
				for i, t := range ints {
					p, e, failed := ctx.eval(t)
					if failed != nil {
						ok = false
					}
					code = append(code, p...)
					if i > 0 {
						sum.Op("+")
					}
					sum.Add(jen.Uint64().Call(jen.Uint32().Call(e)))
				}
				return append(code, jen.Id(name).Op(":=").Add(sum)), jen.Id(name)
			}
			k := itoa(f.Offset)
			termPre, termOld = eval("t" + k)
			termNow, termNew = eval("u" + k)
			if !ok {
				skipped = append(skipped, f.Name)
				continue
			}
		}
		from := cs.From.Offset
		a, n := x.Offset, x.Size
		as := a - (a-from)&1
		ae := a + n + (a+n-from)&1
		k := itoa(f.Offset)
		// The words x touches end at ae, or at the range's end if that
		// comes first (a range of odd length). Fields of the packet's
		// body at static offsets in the range give a bound below which
		// the range does not end.
		bound := 0
		for _, st := range root.block.Stmts[index[cs.From]:] {
			if y, ok := st.(*lang.Field); ok && y.Offset >= 0 && y.Size >= 0 {
				bound = max(bound, y.Offset+y.Size)
			}
			if st == cs.To {
				break
			}
		}
		k2 := f.Offset - from
		var end jen.Code
		switch {
		case layout:
			if _, ok := g.rangeEnd(v, cs, "e"); !ok {
				skipped = append(skipped, f.Name)
				continue
			}
		case !covered:
		case ae == a+n || ae <= bound:
		case cs.To != nil && cs.To.Offset >= 0 && cs.To.Size >= 0:
			end = jen.Lit(cs.To.Offset + cs.To.Size)
		case cs.To == nil && (v != root || len(v.classifies) == 0):
			end = jen.Len(jen.Id("p.b"))
		default:
			skipped = append(skipped, f.Name)
			continue
		}
		// spanSum sums the words x touches, clipped at the range's end
		// e (nil: no clip needed, and the words are loaded inline).
		spanSum := func(sum string, e jen.Code) jen.Code {
			if !covered {
				return jen.Null() // x's own bytes lie outside the range
			}
			if e == nil {
				return jen.If(jen.Lit(ae).Op("<=").Len(jen.Id("p.b"))).Block(
					jen.Id("w").Op(":=").Parens(jen.Op("*").Index(jen.Lit(ae-as)).Byte()).Call(jen.Id(fmt.Sprintf("p.b[%d:%d]", as, ae))),
					jen.Id(sum).Op("=").Add(wordSum("w", ae-as)))
			}
			return jen.If(jen.Id("w").Op(":=").Min(jen.Lit(ae), e), jen.Lit(as).Op("<=").Id("w").Op("&&").Id("w").Op("<=").Cap(jen.Id("p.b"))).Block(
				jen.Id(sum).Op("=").Add(rt("Sum")).Call(jen.Id(fmt.Sprintf("p.b[%d:w]", as)), jen.Lit(0)))
		}
		// rangeSum sums the range up to e but for the checksum field.
		rangeSum := func(sum string, e string, add jen.Code) jen.Code {
			return jen.If(jen.Lit(from).Op("<=").Id(e).Op("&&").Id(e).Op("<=").Cap(jen.Id("p.b")).Op("&&").Id(e).Op("-").Lit(from).Op(">=").Lit(k2+2)).Block(
				jen.Id("r").Op(":=").Id(fmt.Sprintf("p.b[%d:%s]", from, e)),
				jen.Id(sum).Op("=").Add(rt("Sum")).Call(jen.Id(fmt.Sprintf("r[%d:]", k2+2)), rt("Sum").Call(jen.Id(fmt.Sprintf("r[:%d]", k2)), add)))
		}
		var spanPre, spanPost []jen.Code
		if !covered && !layout {
			// Only a term reads x: the bytes the checksum covers stay.
			spanPre = []jen.Code{jen.Var().Id("o" + k).Uint64()}
			spanPost = []jen.Code{jen.Var().Id("n" + k).Uint64()}
		} else if layout {
			// The setter validates again, and the range may have moved
			// (a length, or a type that has no case): if its end did,
			// the range is summed whole, before (the bytes now there,
			// with x's old words put back by arithmetic) and after.
			eOld, _ := g.rangeEnd(v, cs, "e"+k)
			eNew, _ := g.rangeEnd(v, cs, "f"+k)
			clip := func(e string) jen.Code {
				if ae == a+n || ae <= bound {
					return nil
				}
				return jen.Id(e)
			}
			spanPre = append(eOld, jen.Var().Id("o"+k).Uint64(), spanSum("o"+k, clip("e"+k)))
			spanPost = append(eNew, jen.Var().Id("n"+k).Uint64(),
				jen.If(jen.Id("f"+k).Op("==").Id("e"+k)).Block(spanSum("n"+k, clip("f"+k))).Else().Block(
					jen.Var().Id("m").Uint64(),
					spanSum("m", clip("e"+k)),
					rangeSum("o"+k, "e"+k, jen.Id("o"+k).Op("+").Uint64().Call(jen.Op("^").Add(rt("Fold")).Call(jen.Id("m")))),
					rangeSum("n"+k, "f"+k, jen.Lit(0)),
				))
		} else {
			spanPre = []jen.Code{jen.Var().Id("o" + k).Uint64(), spanSum("o"+k, end)}
			spanPost = []jen.Code{jen.Var().Id("n" + k).Uint64(), spanSum("n"+k, end)}
		}
		pre = append(pre, termPre...)
		pre = append(pre, spanPre...)
		post = append(post, termNow...)
		// Nothing to do when the sum did not change (setting a field to
		// its own value): the update would turn a field of 0xffff into
		// 0x0000, which sums the same.
		apply := []jen.Code{
			jen.Id("c").Op(":=").Add(be("Uint16", jen.Id(fmt.Sprintf("p.b[%d:%d]", f.Offset, f.Offset+2)))),
		}
		change := []jen.Code{jen.Id("c").Op("=").Add(rt("Update16")).Call(jen.Id("c"), jen.Id("old"), jen.Id("now"))}
		if cs.Absent {
			change = append(change, jen.If(jen.Id("c").Op("==").Lit(0)).Block(jen.Id("c").Op("=").Id("0xffff")))
			apply = append(apply, jen.If(jen.Id("c").Op("!=").Lit(0)).Block(change...))
		} else {
			apply = append(apply, change...)
		}
		apply = append(apply, be("PutUint16", jen.Id(fmt.Sprintf("p.b[%d:%d]", f.Offset, f.Offset+2)), jen.Id("c")))
		upd := []jen.Code{jen.If(
			jen.List(jen.Id("old"), jen.Id("now")).Op(":=").Add(rt("Fold")).Call(jen.Id("o"+k).Op("+").Add(termOld)).Op(",").Add(rt("Fold")).Call(jen.Id("n"+k).Op("+").Add(termNew)),
			jen.Id("old").Op("!=").Id("now"),
		).Block(apply...)}
		post = append(post, spanPost...)
		post = append(post, jen.If(jen.Len(jen.Id("p.b")).Op(">=").Lit(f.Offset+2)).Block(upd...))
	}
	return pre, post, skipped
}

// wordSum is the sum of the n bytes of array w (n even) as big-endian
// words: 32-bit words, each worth the sum of its halves modulo 0xffff,
// then a 16-bit one.
func wordSum(w string, n int) jen.Code {
	sum := jen.Null()
	for i := 0; i < n; i += 4 {
		if i > 0 {
			sum.Op("+")
		}
		if i+4 <= n {
			sum.Uint64().Call(be("Uint32", jen.Id(fmt.Sprintf("%s[%d:%d]", w, i, i+4))))
		} else {
			sum.Uint64().Call(be("Uint16", jen.Id(fmt.Sprintf("%s[%d:%d]", w, i, i+2))))
		}
	}
	return sum
}

// patchDoc is checksumPatch, with the sentence a setter's doc adds.
func (g *gen) patchDoc(v *view, x *lang.Field, layout bool) (pre, post []jen.Code, doc string) {
	pre, post, skipped := g.checksumPatch(v, x, layout)
	if len(post) > 0 {
		doc = " It updates the checksums that cover the field (RFC 1624)."
	}
	for _, name := range skipped {
		doc += fmt.Sprintf(" It does not update the %s checksum, which covers the field: compute it again after setting.", name)
	}
	return pre, post, doc
}

// concat joins lists of statements.
func concat(lists ...[]jen.Code) []jen.Code {
	var out []jen.Code
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// buildChecksums emits the computation of the checksum fields, last, when
// every other byte of the packet is written: the Internet checksum of
// the range, whose checksum field is still zero, with the pseudo-header's
// terms.
func (g *gen) buildChecksums(b *builderGen, ctx *exprCtx) []jen.Code {
	var out []jen.Code
	for _, it := range b.items {
		if it.kind != itemSegment {
			continue
		}
		for _, f := range it.seg.fields {
			cs := f.Attrs.Checksum
			if cs == nil {
				continue
			}
			var end jen.Code
			if cs.To == nil {
				end = b.o(len(b.items))
			} else {
				end = ctx.offset(cs.To)
			}
			from := cs.From.Offset
			k := f.Offset - from
			init, pre, failed := g.checksumInit(cs, ctx, func(p *lang.Param) jen.Code { return jen.Id("b." + b.pids[p]) })
			out = append(out, pre...)
			if failed != nil {
				site := g.buildSite(b, f.Name, "Value", "checksum("+cs.String()+"): a term overflows")
				out = append(out, jen.If(failed).Block(jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(jen.Lit(f.Offset)))))
			}
			body := []jen.Code{
				jen.Id("r").Op(":=").Id("dst").Index(jen.Id("i"), jen.Id("j")),
				jen.Id(fmt.Sprintf("r[%d], r[%d]", k, k+1)).Op("=").Lit(0).Op(",").Lit(0),
				jen.Id("c").Op(":=").Op("^").Add(rt("Fold")).Call(rt("Sum").Call(jen.Id("r"), init)),
			}
			if cs.Absent {
				body = append(body, jen.If(jen.Id("c").Op("==").Lit(0)).Block(jen.Id("c").Op("=").Id("0xffff")))
			}
			body = append(body, be("PutUint16", jen.Id(fmt.Sprintf("r[%d:%d]", k, k+2)), jen.Id("c")))
			// (The test is always true: the range holds the field.)
			out = append(out, jen.If(
				jen.List(jen.Id("i"), jen.Id("j")).Op(":=").Id("start").Op("+").Lit(from).Op(",").Id("start").Op("+").Add(end),
				jen.Lit(0).Op("<=").Id("i").Op("&&").Id("i").Op("<=").Id("j").Op("&&").Id("j").Op("<=").Len(jen.Id("dst")).Op("&&").Id("j").Op("-").Id("i").Op(">=").Lit(k+2),
			).Block(body...))
		}
	}
	return out
}

// checksumInit returns the accumulator of a checksum's pseudo-header
// terms: the code before it, the expression, and a condition true when
// an integer term overflows (nil if none can).
func (g *gen) checksumInit(cs *lang.Checksum, ctx *exprCtx, addr func(p *lang.Param) jen.Code) (init jen.Code, pre []jen.Code, failed jen.Code) {
	var parts []jen.Code
	for _, t := range cs.Terms {
		if r, ok := t.(*lang.ParamRef); ok && r.Param.Type == lang.TypeAddr {
			parts = append(parts, rt("SumAddr").Call(addr(r.Param)))
			continue
		}
		if v, ok := constUint(t); ok {
			parts = append(parts, jen.Lit(int(uint32(v))))
			continue
		}
		p, x, f := ctx.eval(t)
		pre = append(pre, p...)
		if f != nil {
			if failed == nil {
				failed = f
			} else {
				failed = jen.Add(failed).Op("||").Add(f)
			}
		}
		parts = append(parts, jen.Uint64().Call(jen.Uint32().Call(x)))
	}
	if len(parts) == 0 {
		return jen.Lit(0), pre, failed
	}
	s := jen.Null()
	for i, p := range parts {
		if i > 0 {
			s.Op("+")
		}
		s.Add(p)
	}
	return s, pre, failed
}
