package codegen

import (
	"fmt"
	"math"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mplgo/mpl/lang"
)

// A builder writes one shape of a packet: its top level with one case of
// each classify chosen, or with the classify's body given as raw bytes.
type builderGen struct {
	name   string
	v      *view // the view whose fields it ends with (the case, or the root)
	items  []*item
	cases  map[*lang.Classify]*lang.Case // the chosen cases
	layer  *item                         // the payload item, for Layer builders
	oUsed  map[int]bool
	elemOf map[*lang.Array]*builderGen
	// ids are the builder's Go fields for declarations and parameters.
	ids  map[lang.Decl]string
	pids map[*lang.Param]string
	// raw returns the unsigned value the builder writes into a field that
	// value() does not compute (set while its checks are emitted).
	raw func(f *lang.Field) jen.Code
	// fieldCode and rawCode are the expression hooks fixups made, for
	// the arguments of packet fields.
	fieldCode, rawCode func(f *lang.Field) jen.Code
	// An array element's builder whose element holds one classify has a
	// builder per case: kind is the Go field that chooses one of them,
	// cases the case builders and their Go fields.
	kind     string
	cg       *classifyGen
	caseBlds []caseBuilder
}

// caseBuilder is one case's builder inside an element's builder.
type caseBuilder struct {
	c   *lang.Case
	b   *builderGen
	goF string
}

// base returns the view a builder of v starts from: v, or for a case the
// view of the packet or array element that holds the classify.
func base(v *view) *view {
	for {
		if _, ok := v.owner.(*lang.Case); !ok {
			return v
		}
		v = v.up
	}
}

// params returns the packet parameters the builder has fields for: all of
// them, or for an array element's builder those its element reads.
func (b *builderGen) params() []*lang.Param {
	all := b.v.pkt.p.Params
	bv := base(b.v)
	if _, ok := bv.owner.(*lang.Array); !ok {
		return all
	}
	used := map[*lang.Param]bool{}
	mark := func(e lang.Expr) {
		if r, ok := e.(*lang.ParamRef); ok {
			used[r.Param] = true
		}
	}
	lang.Walk(bv.block, func(s lang.Stmt) {
		exprs := lang.LayoutExprs(s)
		if f, ok := s.(*lang.Field); ok {
			exprs = append(exprs, f.Attrs.Const, f.Attrs.Min, f.Attrs.Max, f.Attrs.Value)
		}
		for _, e := range exprs {
			lang.WalkExpr(e, mark)
		}
	})
	var out []*lang.Param
	for _, p := range all {
		if used[p] {
			out = append(out, p)
		}
	}
	return out
}

// nameFields names the builder's Go fields: its methods keep their names,
// then the parameters and the fields take theirs in the order of the spec.
func (b *builderGen) nameFields() {
	ns := namespace{"AppendTo": true, "AppendHeader": true, "Finish": true}
	b.ids = map[lang.Decl]string{}
	b.pids = map[*lang.Param]string{}
	for _, p := range b.params() {
		b.pids[p] = ns.take(goName(p.Name))
	}
	raws := 0
	for _, it := range b.items {
		switch it.kind {
		case itemSegment:
			for _, f := range it.seg.fields {
				if b.settable(f) {
					b.ids[f] = ns.take(goName(f.Name))
				}
			}
		case itemBytes:
			it.goF = ns.take(goName(it.field.Name))
			b.ids[it.field] = it.goF
		case itemPacket:
			it.goF = ns.take(goName(it.field.Name))
			b.ids[it.field] = it.goF
		case itemCustom:
			if b.settable(it.field) {
				it.goF = ns.take(goName(it.field.Name))
				b.ids[it.field] = it.goF
			}
		case itemArray:
			it.goF = ns.take(goName(it.arr.Name))
			b.ids[it.arr] = it.goF
		case itemRaw:
			raws++
			n := "Body"
			if raws > 1 {
				n = fmt.Sprintf("Body%d", raws)
			}
			it.goF = ns.take(n)
		}
	}
}

type itemKind int

const (
	itemSegment itemKind = iota
	itemBytes
	itemLabel
	itemRaw // a classify built from raw bytes
	itemArray
	itemCustom // a field of a custom wire type
	itemPacket // a field that holds a packet
)

type item struct {
	kind  itemKind
	v     *view
	seg   *segment
	field *lang.Field
	cl    *lang.Classify
	arr   *lang.Array
	goF   string // the builder's Go field for bytes, raw and array items
}

// builders emits the builders of a packet.
func (g *gen) builders(pg *packetGen) {
	root := pg.root
	var all []*builderGen
	// caseBuilders makes a builder per case of classify cg, within the
	// cases already chosen, and, for a case whose block holds one
	// classify of its own, builders for its cases, chosen by Kind.
	var caseBuilders func(cg *classifyGen, chosen map[*lang.Classify]*lang.Case) []*builderGen
	caseBuilders = func(cg *classifyGen, chosen map[*lang.Classify]*lang.Case) []*builderGen {
		var cbs []*builderGen
		for _, c := range cg.cl.Cases {
			cases := map[*lang.Classify]*lang.Case{cg.cl: c}
			for k, v := range chosen {
				cases[k] = v
			}
			cv := cg.views[c]
			cb := g.newBuilder(cv.name+"Builder", cv, cases)
			all = append(all, cb)
			cbs = append(cbs, cb)
			if len(cv.classifies) == 1 && cb.layer == nil {
				g.chooseCases(cb, cv.classifies[0], caseBuilders(cv.classifies[0], cases))
			}
		}
		return cbs
	}
	rb := g.newBuilder(pg.builderName, root, nil)
	all = append(all, rb)
	if len(root.classifies) == 1 {
		cg := root.classifies[0]
		cbs := caseBuilders(cg, nil)
		// A packet a field holds is built through its builder, the
		// field's type: it chooses a case by kind, as an element's does.
		if g.heldByField(pg.p) && rb.layer == nil {
			g.chooseCases(rb, cg, cbs)
		}
	}
	for _, v := range pg.views {
		if _, ok := v.owner.(*lang.Array); ok {
			eb := g.newBuilder(v.name+"Builder", v, nil)
			all = append(all, eb)
			if len(v.classifies) == 1 {
				// A builder per case, which the element's builder
				// holds and chooses from by kind.
				cg := v.classifies[0]
				g.chooseCases(eb, cg, caseBuilders(cg, nil))
			}
		}
	}
	pg.builders = all
	for _, b := range all {
		for _, it := range b.items {
			if it.kind == itemArray {
				for _, e := range all {
					if e.v.owner == lang.Stmt(it.arr) {
						b.elemOf[it.arr] = e
					}
				}
			}
		}
	}
	for _, b := range all {
		g.emitBuilder(b)
	}
}

// chooseCases gives builder b a Kind field that chooses which of the case
// builders cbs of classify cg it builds with, and a field for each.
func (g *gen) chooseCases(b *builderGen, cg *classifyGen, cbs []*builderGen) {
	b.cg = cg
	ns := namespace{"AppendTo": true, "AppendHeader": true, "Finish": true}
	for _, n := range b.ids {
		ns[n] = true
	}
	for _, n := range b.pids {
		ns[n] = true
	}
	for _, it := range b.items {
		if it.goF != "" {
			ns[it.goF] = true
		}
	}
	b.kind = ns.take("Kind")
	for i, c := range cg.cl.Cases {
		b.caseBlds = append(b.caseBlds, caseBuilder{c: c, b: cbs[i], goF: ns.take(goName(c.Label))})
	}
}

func (g *gen) newBuilder(name string, v *view, cases map[*lang.Classify]*lang.Case) *builderGen {
	if v.up != nil || cases != nil {
		name = g.claim(name, v.block) // a packet's own is claimed with the packet
	}
	b := &builderGen{name: name, v: v, cases: cases, oUsed: map[int]bool{}, elemOf: map[*lang.Array]*builderGen{}}
	g.flatten(b, base(v))
	b.nameFields()
	// The payload: the last item with bytes, if it is a byte field whose
	// length is not constant and no array comes before it.
	for i := len(b.items) - 1; i >= 0; i-- {
		it := b.items[i]
		if it.kind == itemLabel {
			continue
		}
		if it.kind == itemBytes {
			b.layer = it
			for _, p := range b.items[:i] {
				if p.kind == itemArray || p.kind == itemCustom || p.kind == itemPacket {
					b.layer = nil // its size is known only once written
				}
			}
		}
		break
	}
	return b
}

func (g *gen) flatten(b *builderGen, v *view) {
	for _, st := range v.block.Stmts {
		switch st := st.(type) {
		case *lang.Field:
			if seg, ok := v.segOf[st]; ok {
				if seg.fields[0] == st {
					b.items = append(b.items, &item{kind: itemSegment, v: v, seg: seg})
				}
				continue
			}
			switch st.Type.(type) {
			case lang.LabelType:
				b.items = append(b.items, &item{kind: itemLabel, v: v, field: st})
			case lang.BytesType:
				b.items = append(b.items, &item{kind: itemBytes, v: v, field: st})
			case lang.CustomType:
				b.items = append(b.items, &item{kind: itemCustom, v: v, field: st})
			case lang.PacketType:
				b.items = append(b.items, &item{kind: itemPacket, v: v, field: st})
			}
		case *lang.Classify:
			if c, ok := b.cases[st]; ok {
				for _, cg := range v.classifies {
					if cg.cl == st {
						g.flatten(b, cg.views[c])
					}
				}
				continue
			}
			b.items = append(b.items, &item{kind: itemRaw, v: v, cl: st})
		case *lang.Array:
			b.items = append(b.items, &item{kind: itemArray, v: v, arr: st})
		}
	}
}

// auto reports whether field f is the discriminant of a chosen case with a
// single value, which the builder writes itself; it returns the value.
func (b *builderGen) auto(f *lang.Field) (uint64, bool) {
	for cl, c := range b.cases {
		if r, ok := cl.On.(*lang.FieldRef); ok && r.Field == f {
			switch c.Kind {
			case lang.PatternValue:
				return c.Lo, true
			case lang.PatternBool:
				if c.Bool {
					return 1, true
				}
				return 0, true
			}
		}
	}
	return 0, false
}

// autoString reports whether field f is the discriminant of a chosen case
// with a string pattern, which the builder writes itself.
func (b *builderGen) autoString(f *lang.Field) (string, bool) {
	for cl, c := range b.cases {
		if r, ok := cl.On.(*lang.FieldRef); ok && r.Field == f && c.Kind == lang.PatternString {
			return c.Str, true
		}
	}
	return "", false
}

// settable reports whether the builder has a Go field for f.
func (b *builderGen) settable(f *lang.Field) bool {
	if f.Attrs.Const != nil || f.Attrs.Value != nil || f.Attrs.Checksum != nil {
		return false
	}
	if _, ok := b.auto(f); ok {
		return false
	}
	if _, ok := b.autoString(f); ok {
		return false
	}
	_, isLabel := f.Type.(lang.LabelType)
	return !isLabel
}

// builderFieldType is the Go type of a builder's field for f.
func (g *gen) builderFieldType(v *view, f *lang.Field) jen.Code {
	switch f.Attrs.Format {
	case "mac":
		return jen.Qual("net", "HardwareAddr")
	case "ipv4", "ipv6":
		return jen.Qual("net/netip", "Addr")
	}
	if _, ok := f.Type.(lang.BytesType); ok {
		return jen.Index().Byte()
	}
	return g.valueType(v, f)
}

func (g *gen) emitBuilder(b *builderGen) {
	pg := b.v.pkt
	var fields []jen.Code
	for _, p := range b.params() {
		doc := fmt.Sprintf("%s is the packet parameter %s.", b.pids[p], p.Name)
		if p.Type == lang.TypeAddr {
			doc = fmt.Sprintf("%s is the packet parameter %s: an address of the pseudo-header the packet's checksum covers (the zero Addr counts as zeros).", b.pids[p], p.Name)
		}
		if _, ok := b.v.owner.(*lang.Array); ok {
			doc += " The packet's builder sets it."
		}
		fields = append(fields, jen.Comment(doc), jen.Id(b.pids[p]).Add(paramType(p)))
	}
	for _, it := range b.items {
		switch it.kind {
		case itemSegment:
			for _, f := range it.seg.fields {
				if !b.settable(f) {
					continue
				}
				doc := builderFieldDoc(b.ids[f], f)
				fields = append(fields, docs(doc), jen.Id(b.ids[f]).Add(g.builderFieldType(it.v, f)))
			}
		case itemBytes:
			fields = append(fields, docs(builderFieldDoc(it.goF, it.field)), jen.Id(it.goF).Index().Byte())
		case itemPacket:
			q := g.pgOf[packetOf(it.field)]
			fields = append(fields, docs(fmt.Sprintf("%s is the %s field: %s packet, built with its builder (its parameters come from the spec's arguments).", it.goF, it.field.Name, article(q.p.Name))), jen.Id(it.goF).Id(q.builderName))
		case itemCustom:
			if it.goF != "" {
				fields = append(fields, docs(builderFieldDoc(it.goF, it.field)), jen.Id(it.goF).Add(customValueType(customDef(it.field))))
			}
		case itemRaw:
			fields = append(fields, docs(fmt.Sprintf("%s is the body of the classify on %s, as bytes.", it.goF, lang.ExprString(it.cl.On))), jen.Id(it.goF).Index().Byte())
		case itemArray:
			eb := b.elemOf[it.arr]
			if eb == nil {
				g.errorf(it.arr.Pos, "no builder for the elements of %s", it.arr.Name)
				continue
			}
			fields = append(fields, jen.Comment(fmt.Sprintf("%s are the elements of the %s array.", it.goF, it.arr.Name)), jen.Id(it.goF).Index().Id(eb.name))
		}
	}
	if b.layer != nil {
		b.caseBlds = nil // (an element that ends in its payload)
	}
	if len(b.caseBlds) > 0 {
		fields = append(fields, docs(fmt.Sprintf("%s chooses the case of the classify on %s that AppendTo builds, with the builder of that name; %s (the zero value) builds from the fields here, the classify's body as bytes.", b.kind, lang.ExprString(b.cg.cl.On), b.cg.unknown)),
			jen.Id(b.kind).Id(b.cg.kindType))
		for _, cb := range b.caseBlds {
			fields = append(fields, docs(fmt.Sprintf("%s builds the %s case when %s is %s.", cb.goF, cb.c.Label, b.kind, b.cg.consts[cb.c])), jen.Id(cb.goF).Id(cb.b.name))
		}
	}
	what := article(pg.p.Name) + " packet"
	if c, ok := b.v.owner.(*lang.Case); ok {
		what = fmt.Sprintf("%s packet of the %s case", article(pg.p.Name), c.Label)
		if a, ok := base(b.v).owner.(*lang.Array); ok {
			what = fmt.Sprintf("an element of the %s array, of the %s case", a.Name, c.Label)
		}
	} else if a, ok := b.v.owner.(*lang.Array); ok {
		what = fmt.Sprintf("an element of the %s array", a.Name)
	} else if len(b.v.classifies) > 0 {
		what += " whose cases are given as bytes"
	}
	defaults := g.builderDefaults(b)
	doc := fmt.Sprintf("%s builds %s. Fields computed from others (lengths, counts) and constants are not in it: AppendTo fills them in. AppendTo writes every field as it is, zero included", b.name, what)
	if len(defaults) > 0 {
		doc += fmt.Sprintf("; New%s returns one that holds the spec's defaults.", b.name)
	} else {
		doc += "."
	}
	if b.layer != nil {
		doc += fmt.Sprintf(" It is an mplrt.Layer: mplrt.Nest builds another packet as its %s.", b.layer.field.Name)
	}
	g.doc((doc))
	g.f.Type().Id(b.name).Struct(fields...)
	if len(defaults) > 0 {
		ctor := g.claim("New"+b.name, b.v.block)
		g.doc(fmt.Sprintf("%s returns a %s whose fields hold the defaults of the spec (default() and the => value of a variant); the others are zero.", ctor, b.name))
		g.f.Func().Id(ctor).Params().Id(b.name).Block(jen.Return(jen.Id(b.name).Values(defaults)))
	}

	if b.layer != nil {
		if d := g.builderCtx(b); d != nil {
			g.errorf(b.layer.field.Pos, "packet %s has a payload (%s) and fields of type %s, which keeps a build context; the two together are not supported yet", b.v.pkt.p.Name, b.layer.field.Name, d.Name)
			return
		}
		g.emitLayer(b)
		return
	}
	// One pass: write everything, then compute the values.
	var body []jen.Code
	if len(b.caseBlds) > 0 {
		var cases []jen.Code
		for _, cb := range b.caseBlds {
			if g.builderCtx(cb.b) != nil && len(cb.b.params()) == 0 {
				// (appendCtx takes a pointer: no copy of the case's
				// builder.)
				cases = append(cases, jen.Case(jen.Id(b.cg.consts[cb.c])).Block(
					jen.Return(jen.Id("b."+cb.goF).Dot("appendCtx").Call(jen.Id("dst"), jen.Id("ctx")))))
				continue
			}
			blk := []jen.Code{jen.Id("cb").Op(":=").Id("b." + cb.goF)}
			for _, p := range cb.b.params() {
				blk = append(blk, jen.Id("cb."+cb.b.pids[p]).Op("=").Id("b."+b.pids[p]))
			}
			if g.builderCtx(cb.b) != nil {
				blk = append(blk, jen.Return(jen.Id("cb").Dot("appendCtx").Call(jen.Id("dst"), jen.Id("ctx"))))
			} else {
				blk = append(blk, jen.Return(jen.Id("cb").Dot("AppendTo").Call(jen.Id("dst"))))
			}
			cases = append(cases, jen.Case(jen.Id(b.cg.consts[cb.c])).Block(blk...))
		}
		body = append(body, jen.Switch(jen.Id("b."+b.kind)).Block(cases...))
	}
	fix := g.fixups(b)
	for i, it := range b.items {
		body = append(body, g.writeItem(b, i, it)...)
	}
	if b.oUsed[len(b.items)] {
		body = append(body, jen.Id(fmt.Sprintf("o%d", len(b.items))).Op(":=").Len(jen.Id("dst")).Op("-").Id("start"))
	}
	body = append(body, fix...)
	body = append(body, jen.Return(jen.Id("dst"), jen.Nil()))
	body = withStart(body)
	if d := g.builderCtx(b); d != nil {
		// The values of d's type share one context while the message
		// is built: the packet's AppendTo makes it, at the message's
		// start; an element's AppendTo, which does not know where the
		// message starts, passes none.
		call := []jen.Code{
			jen.Var().Id("ctx").Add(ctxType(d)),
			jen.Id("ctx").Dot("Reset").Call(jen.Len(jen.Id("dst"))),
			jen.Return(jen.Id("b").Dot("appendCtx").Call(jen.Id("dst"), jen.Op("&").Id("ctx"))),
		}
		ct := goPkgName(d.GoPath) + "." + d.BuildCtx
		doc := fmt.Sprintf("AppendTo appends %s to dst, with one %s for the whole message (%s values are written with it). On error it returns dst unchanged and an mplrt.Error naming the field.", what, ct, d.Name)
		if isElemBuilder(b) {
			call = []jen.Code{jen.Return(jen.Id("b").Dot("appendCtx").Call(jen.Id("dst"), jen.Nil()))}
			doc = fmt.Sprintf("AppendTo appends %s to dst on its own, with no %s: its %s values are written as they would be alone. The packet's builder passes the message's own. On error it returns dst unchanged and an mplrt.Error naming the field.", what, ct, d.Name)
		}
		g.doc(doc)
		g.f.Func().Params(jen.Id("b").Id(b.name)).Id("AppendTo").Params(jen.Id("dst").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(call...)
		g.doc(fmt.Sprintf("appendCtx is AppendTo with the context ctx of the message being built (nil: none)."))
		g.f.Func().Params(jen.Id("b").Op("*").Id(b.name)).Id("appendCtx").Params(jen.Id("dst").Index().Byte(), jen.Id("ctx").Op("*").Add(ctxType(d))).Params(jen.Index().Byte(), jen.Error()).Block(body...)
		return
	}
	g.doc((fmt.Sprintf("AppendTo appends %s to dst. On error it returns dst unchanged and an mplrt.Error naming the field.", what)))
	g.f.Func().Params(jen.Id("b").Id(b.name)).Id("AppendTo").Params(jen.Id("dst").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(body...)
}

func builderFieldDoc(id string, f *lang.Field) string {
	doc := fmt.Sprintf("%s is the %s field.", id, f.Name)
	if f.Doc != "" {
		doc = fmt.Sprintf("%s is the %s field: %s", id, f.Name, lowerFirst(f.Doc))
	}
	if d := defaultText(f); d != "" {
		doc += fmt.Sprintf(" Its default is %s.", d)
	}
	return doc
}

// defaultText is a field's default as the spec writes it, or "".
func defaultText(f *lang.Field) string {
	if d := f.Attrs.Default; d != nil {
		if b, ok := d.(*lang.BoolLit); ok {
			return fmt.Sprint(b.Value)
		}
		if c, ok := constUint(d); ok {
			return ulit(c)
		}
	}
	if v := f.Attrs.Variant; v != nil && v.Default != nil {
		return v.Default.Name
	}
	return ""
}

// builderDefaults returns the non-zero defaults of a builder's fields, as
// the values of a composite literal of the builder.
func (g *gen) builderDefaults(b *builderGen) jen.Dict {
	out := jen.Dict{}
	for _, it := range b.items {
		if it.kind != itemSegment {
			continue
		}
		for _, f := range it.seg.fields {
			if !b.settable(f) {
				continue
			}
			var val jen.Code
			if d := f.Attrs.Default; d != nil {
				if bl, ok := d.(*lang.BoolLit); ok {
					if bl.Value {
						val = jen.True()
					}
				} else if c, ok := constUint(d); ok && c != 0 {
					val = g.builderConst(it.v, f, c)
				}
			} else if v := f.Attrs.Variant; v != nil && v.Default != nil && v.Default.Value != 0 {
				val = g.builderConst(it.v, f, v.Default.Value)
			}
			if val != nil {
				out[jen.Id(b.ids[f])] = val
			}
		}
	}
	return out
}

// builderConst is a constant as the value of a builder's field.
func (g *gen) builderConst(v *view, f *lang.Field, c uint64) jen.Code {
	switch {
	case f.Attrs.Format == "ipv4":
		return jen.Qual("net/netip", "AddrFrom4").Call(jen.Index(jen.Lit(4)).Byte().Values(
			jen.Lit(int(c>>24&0xff)), jen.Lit(int(c>>16&0xff)), jen.Lit(int(c>>8&0xff)), jen.Lit(int(c&0xff))))
	case g.enumType(v, f) != "":
		for _, vc := range f.Attrs.Variant.Cases {
			if vc.Value == c {
				return jen.Id(g.enumType(v, f) + goName(vc.Name))
			}
		}
		return jen.Id(g.enumType(v, f)).Call(jen.Id(ulit(c)))
	}
	return jen.Id(ulit(c))
}

// emitLayer emits AppendHeader, Finish and AppendTo for a builder whose
// last field is a payload.
func (g *gen) emitLayer(b *builderGen) {
	li := 0
	for i, it := range b.items {
		if it == b.layer {
			li = i
		}
	}
	fix := g.fixups(b)
	// AppendHeader writes the items before the payload.
	saved := b.oUsed
	b.oUsed = map[int]bool{}
	var head []jen.Code
	for i, it := range b.items[:li] {
		head = append(head, g.writeItem(b, i, it)...)
	}
	head = withStart(append(head, jen.Return(jen.Id("dst"), jen.Nil())))
	b.oUsed = saved
	g.doc((fmt.Sprintf("AppendHeader appends the packet up to its %s, for mplrt.Nest.", b.layer.field.Name)))
	g.f.Func().Params(jen.Id("b").Id(b.name)).Id("AppendHeader").Params(jen.Id("dst").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(head...)

	// Finish recomputes the offsets from the builder's fields.
	hsite := g.buildSite(b, b.layer.field.Name, "Truncated", "Finish needs the header AppendHeader wrote")
	fin := []jen.Code{
		jen.If(jen.Id("start").Op("<").Lit(0).Op("||").Id("start").Op(">").Len(jen.Id("dst")).Op("||").Len(jen.Id("dst")).Op("-").Id("start").Op("<").Add(g.symbolicOffset(b, li, li))).Block(
			jen.Return(jen.Id("dst"), jen.Id(hsite).Dot("At").Call(jen.Lit(0)))),
	}
	if uses(fix, "orig")[0] {
		fin = append(fin, jen.Id("orig").Op(":=").Id("dst[:start]"))
	}
	for i := 0; i <= len(b.items); i++ {
		if !b.oUsed[i] {
			continue
		}
		fin = append(fin, jen.Id(fmt.Sprintf("o%d", i)).Op(":=").Add(g.symbolicOffset(b, i, li)))
	}
	fin = append(fin, fix...)
	fin = append(fin, jen.Return(jen.Id("dst"), jen.Nil()))
	g.doc((fmt.Sprintf("Finish completes a packet that AppendHeader began at dst[start:] and whose %s follows: it computes the fields that depend on sizes.", b.layer.field.Name)))
	g.f.Func().Params(jen.Id("b").Id(b.name)).Id("Finish").Params(jen.Id("dst").Index().Byte(), jen.Id("start").Int()).Params(jen.Index().Byte(), jen.Error()).Block(fin...)

	g.doc((fmt.Sprintf("AppendTo appends the packet to dst, with %s as its %s. On error it returns dst unchanged and an mplrt.Error naming the field.", b.layer.goF, b.layer.field.Name)))
	g.f.Func().Params(jen.Id("b").Id(b.name)).Id("AppendTo").Params(jen.Id("dst").Index().Byte()).Params(jen.Index().Byte(), jen.Error()).Block(
		jen.Id("start").Op(":=").Len(jen.Id("dst")),
		jen.Id("orig").Op(":=").Id("dst"),
		jen.List(jen.Id("dst"), jen.Err()).Op(":=").Id("b").Dot("AppendHeader").Call(jen.Id("dst")),
		jen.If(jen.Err().Op("!=").Nil()).Block(jen.Return(jen.Id("orig"), jen.Err())),
		jen.Id("dst").Op("=").Append(jen.Id("dst"), jen.Id("b."+b.layer.goF).Op("...")),
		jen.Return(jen.Id("b").Dot("Finish").Call(jen.Id("dst"), jen.Id("start"))),
	)
}

// withStart declares start, the offset of the packet in dst, if the
// statements use it.
func withStart(body []jen.Code) []jen.Code {
	used := uses(body, "start", "orig")
	var decl []jen.Code
	if used[0] {
		decl = append(decl, jen.Id("start").Op(":=").Len(jen.Id("dst")))
	}
	if used[1] {
		decl = append(decl, jen.Id("orig").Op(":=").Id("dst"))
	}
	return append(decl, body...)
}

// symbolicOffset is the offset of item i from the builder's fields alone:
// the sizes of the items before it. The payload (item li) ends where dst
// ends.
func (g *gen) symbolicOffset(b *builderGen, i, li int) jen.Code {
	if i > li {
		return jen.Len(jen.Id("dst")).Op("-").Id("start")
	}
	k := 0
	var parts []string
	for _, it := range b.items[:i] {
		switch it.kind {
		case itemSegment:
			k += it.seg.size
		case itemBytes, itemRaw:
			parts = append(parts, "len(b."+it.goF+")")
		}
	}
	s := fmt.Sprint(k)
	if len(parts) > 0 {
		if k == 0 {
			s = strings.Join(parts, " + ")
		} else {
			s += " + " + strings.Join(parts, " + ")
		}
	}
	return jen.Id(s)
}

func (b *builderGen) o(i int) jen.Code {
	b.oUsed[i] = true
	return jen.Id(fmt.Sprintf("o%d", i))
}

// itemIndex returns the index of the item holding a declaration.
func (b *builderGen) itemIndex(d lang.Decl) int {
	for i, it := range b.items {
		switch {
		case it.field != nil && lang.Decl(it.field) == d:
			return i
		case it.arr != nil && lang.Decl(it.arr) == d:
			return i
		case it.seg != nil:
			for _, f := range it.seg.fields {
				if lang.Decl(f) == d {
					return i
				}
			}
		}
	}
	return -1
}

func (g *gen) buildSite(b *builderGen, f string, kind, constraint string) string {
	return g.site(b.v, f, "Build "+kind, "build: "+constraint)
}

// writeItem emits the statements that append item i.
func (g *gen) writeItem(b *builderGen, i int, it *item) []jen.Code {
	var out []jen.Code
	fail := func(site string, at func() jen.Code) jen.Code {
		return jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(at()))
	}
	switch it.kind {
	case itemSegment:
		// A run is checked first and then written in place: dst grows by
		// its size (zeros) and s is those bytes. The byte fields it copies
		// are read into locals before dst grows, since they may alias
		// dst's spare capacity (a reply built over its request).
		var checks []jen.Code
		w := newRunWriter("s")
		for fi, f := range it.seg.fields {
			rel := it.v.relOf[f]
			at := func() jen.Code { return jen.Add(b.o(i)).Op("+").Lit(rel + firstByte(f)) }
			x := jen.Id("b." + b.ids[f])
			addr := func(size int) {
				conv, is, name := "As4", "Is4", "an IPv4 address"
				if size == 16 {
					conv, is, name = "As16", "Is6", "an IPv6 address"
				}
				site := g.buildSite(b, f.Name, "Value", name)
				cond := jen.Op("!").Add(x).Dot(is).Call()
				if is == "Is4" {
					cond = jen.Op("!").Add(x).Dot("Is4").Call().Op("&&").Op("!").Add(x).Dot("Is4In6").Call()
				}
				// The zero Addr is the unspecified address: zeros.
				checks = append(checks, jen.If(jen.Add(x).Dot("IsValid").Call().Op("&&").Parens(cond)).Block(fail(site, at)))
				w.stmt(jen.If(jen.Add(x).Dot("IsValid").Call()).Block(
					jen.Op("*").Parens(jen.Op("*").Index(jen.Lit(size)).Byte()).Call(sl("s", rel, rel+size)).Op("=").Add(x).Dot(conv).Call()))
			}
			if t, ok := f.Type.(lang.BytesType); ok {
				size := int(mustConst(t.Len))
				switch f.Attrs.Format {
				case "ipv4", "ipv6":
					addr(size)
				default:
					// nil means zeros; any other length is an error.
					site := g.buildSite(b, f.Name, "Length", fmt.Sprintf("%d bytes, or none for zeros", size))
					if size == 0 {
						checks = append(checks, jen.If(jen.Len(x).Op("!=").Lit(0)).Block(fail(site, at)))
						continue
					}
					c := fmt.Sprintf("c%d", fi)
					checks = append(checks,
						jen.Var().Id(c).Index(jen.Lit(size)).Byte(),
						jen.If(jen.Len(x).Op("==").Lit(size)).Block(
							jen.Id(c).Op("=").Index(jen.Lit(size)).Byte().Call(x),
						).Else().If(jen.Len(x).Op("!=").Lit(0)).Block(fail(site, at)))
					w.stmt(jen.Op("*").Parens(jen.Op("*").Index(jen.Lit(size)).Byte()).Call(sl("s", rel, rel+size)).Op("=").Id(c))
				}
				continue
			}
			var val jen.Code
			if v, ok := b.auto(f); ok {
				val = jen.Id(ulit(v))
			} else if f.Attrs.Const != nil {
				c, _ := constUint(f.Attrs.Const)
				if c == 0 {
					continue
				}
				val = jen.Id(ulit(c))
			} else if f.Attrs.Value != nil || f.Attrs.Checksum != nil {
				continue // written by the fixups
			} else if f.Attrs.Format == "ipv4" {
				addr(4)
				continue
			} else {
				bits := fieldBits(f)
				typ := uintType(bits)
				if isBool(f) {
					w.field(f, rel, rt("BoolBit").Call(x), "uint8")
					continue
				}
				if goBits(typ) != bits {
					site := g.buildSite(b, f.Name, "Max", fmt.Sprintf("fits in %d bits", bits))
					checks = append(checks, jen.If(jen.Id(typ).Call(x).Op(">").Id(fmt.Sprintf("%#x", uint64(1)<<uint(bits)-1))).Block(fail(site, at)))
				}
				w.field(f, rel, x, typ)
				continue
			}
			w.field(f, rel, val, "")
		}
		grow := jen.Id("dst").Op("=").Append(jen.Id("dst"), jen.Make(jen.Index().Byte(), jen.Lit(it.seg.size)).Op("..."))
		writes := w.code()
		if len(writes) == 0 {
			// Nothing to write now (zeros, or fields the fixups write).
			out = append(out, checks...)
			out = append(out, grow)
			break
		}
		// (The test is always true: it tells the compiler where s lies,
		// so that writing the run needs no bounds check.)
		out = append(out, jen.Block(append(checks,
			jen.Id("n").Op(":=").Len(jen.Id("dst")),
			grow,
			jen.If(jen.Uint().Call(jen.Id("n")).Op("<=").Uint().Call(jen.Len(jen.Id("dst"))).Op("&&").Len(jen.Id("dst")).Op("-").Id("n").Op(">=").Lit(it.seg.size)).Block(
				append([]jen.Code{jen.Id("s").Op(":=").Parens(jen.Op("*").Index(jen.Lit(it.seg.size)).Byte()).Call(jen.Id("dst").Index(jen.Id("n"), jen.Empty()))}, writes...)...))...))
	case itemBytes, itemRaw:
		out = append(out, jen.Id("dst").Op("=").Append(jen.Id("dst"), jen.Id("b."+it.goF).Op("...")))
	case itemPacket:
		// The packet's builder, with the arguments as its parameters; its
		// errors are shifted to the packet's offsets.
		t := it.field.Type.(lang.PacketType)
		q := g.pgOf[t.Packet]
		ctx := g.buildCtx(b)
		ctx.field, ctx.raw = b.fieldCode, b.rawCode
		var pb jen.Code = jen.Id("pb").Op(":=").Id("b." + it.goF)
		if len(t.Args) == 0 && g.blockCtx(t.Packet.Body, false) != nil {
			pb = jen.Id("pb").Op(":=").Op("&").Id("b." + it.goF) // appendCtx takes a pointer: no copy
		}
		blk := []jen.Code{jen.Id("at").Op(":=").Len(jen.Id("dst")).Op("-").Id("start"), pb}
		for i, a := range t.Args {
			prm := t.Packet.Params[i]
			pre, x, failed := ctx.eval(a)
			blk = append(blk, pre...)
			if failed != nil {
				asite := g.buildSite(b, it.field.Name, "Value", "argument "+prm.Name+" = "+lang.ExprString(a))
				blk = append(blk, jen.If(failed).Block(jen.Return(jen.Id("orig"), jen.Id(asite).Dot("At").Call(jen.Id("at")))))
			}
			blk = append(blk, jen.Id("pb."+q.builderParam(prm)).Op("=").Add(x))
		}
		blk = append(blk,
			jen.Var().Err().Error(),
			jen.If(jen.List(jen.Id("dst"), jen.Err()).Op("=").Add(g.appendCall("pb", g.blockCtx(t.Packet.Body, false))), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Id("orig"), rt("Shift").Call(jen.Err(), jen.Id("at")))))
		out = append(out, jen.Block(blk...))
	case itemCustom:
		site := g.buildSite(b, it.field.Name, "Value", "a valid "+customDef(it.field).Name)
		out = append(out, jen.Block(
			jen.Id("at").Op(":=").Len(jen.Id("dst")).Op("-").Id("start"),
			jen.Var().Err().Error(),
			jen.If(jen.List(jen.Id("dst"), jen.Err()).Op("=").Add(customAppend(customDef(it.field), b.raw(it.field))), jen.Err().Op("!=").Nil()).Block(
				jen.Return(jen.Id("orig"), jen.Id(site).Dot("Wrap").Call(jen.Err(), jen.Id("at"))))))
	case itemLabel:
	case itemArray:
		// An element's error is reported at its offset in the packet.
		// The elements take the packet's parameters from its builder.
		var setParams []jen.Code
		if eb := b.elemOf[it.arr]; eb != nil {
			for _, prm := range eb.params() {
				setParams = append(setParams, jen.Id("e."+eb.pids[prm]).Op("=").Id("b."+b.pids[prm]))
			}
		}
		loop := jen.For(jen.List(jen.Id("_"), jen.Id("e")).Op(":=").Range().Id("b." + it.goF))
		if len(setParams) == 0 && g.blockCtx(it.arr.Body, false) != nil {
			// The element's appendCtx takes a pointer: no copy of it.
			// (From a local copy of the slice, which the calls in the
			// loop cannot change: no bounds check.)
			loop = jen.For(jen.List(jen.Id("i"), jen.Id("xs")).Op(":=").List(jen.Lit(0), jen.Id("b."+it.goF)), jen.Id("i").Op("<").Len(jen.Id("xs")), jen.Id("i").Op("++"))
			setParams = []jen.Code{jen.Id("e").Op(":=").Op("&").Id("xs").Index(jen.Id("i"))}
		}
		uvars, uchecks := g.uniqueBuildChecks(b, b.elemOf[it.arr], it.arr, it.goF)
		out = append(out, uvars...)
		out = append(out, loop.Block(append(append(setParams,
			jen.Id("at").Op(":=").Len(jen.Id("dst")).Op("-").Id("start")),
			append(uchecks, g.appendElem(b, it)...)...)...))
		if al := it.arr.Align / 8; al > 1 {
			// align(n): zero bytes pad the elements to a multiple of
			// n/8 bytes.
			out = append(out, jen.If(jen.Id("r").Op(":=").Parens(jen.Len(jen.Id("dst")).Op("-").Id("start").Op("-").Add(b.o(i))).Op("%").Lit(al), jen.Id("r").Op("!=").Lit(0)).Block(
				jen.Id("dst").Op("=").Append(jen.Id("dst"), jen.Make(jen.Index().Byte(), jen.Lit(al).Op("-").Id("r")).Op("..."))))
		}
	}
	if b.oUsed[i] {
		out = append([]jen.Code{jen.Id(fmt.Sprintf("o%d", i)).Op(":=").Len(jen.Id("dst")).Op("-").Id("start")}, out...)
	}
	return out
}

// appendElem returns the statements of a builder's loop over the
// elements of an array that append element e, which starts at at.
func (g *gen) appendElem(b *builderGen, it *item) []jen.Code {
	return []jen.Code{
		jen.Var().Err().Error(),
		jen.If(jen.List(jen.Id("dst"), jen.Err()).Op("=").Add(g.appendCall("e", g.blockCtx(it.arr.Body, false))), jen.Err().Op("!=").Nil()).Block(
			jen.Return(jen.Id("orig"), rt("Shift").Call(jen.Err(), jen.Id("at")))),
		jen.If(jen.Len(jen.Id("dst")).Op("-").Id("start").Op("==").Id("at")).Block(
			jen.Return(jen.Id("orig"), jen.Id(g.buildSite(b, it.arr.Name, "Length", "every element takes at least one byte")).Dot("At").Call(jen.Id("at")))),
	}
}

// fixups emits the computation of value() fields and the checks that the
// lengths given agree with the length fields.
func (g *gen) fixups(b *builderGen) []jen.Code {
	var out []jen.Code
	ctx := g.buildCtx(b)
	computed := map[*lang.Field]bool{}
	b.raw = func(f *lang.Field) jen.Code {
		if v, ok := b.auto(f); ok {
			if d := customDef(f); d != nil && d.Value == lang.TypeBool {
				return jen.Lit(v != 0) // a custom boolean's Go value
			}
			return jen.Id(ulit(v))
		}
		if f.Attrs.Const != nil {
			c, _ := constUint(f.Attrs.Const)
			return jen.Id(ulit(c))
		}
		if f.Attrs.Format == "ipv4" {
			return rt("AddrUint32").Call(jen.Id("b." + b.ids[f]))
		}
		if customDef(f) != nil {
			if s, ok := b.autoString(f); ok {
				return jen.Index().Byte().Call(jen.Lit(s))
			}
			return jen.Id("b." + b.ids[f])
		}
		if b.itemIndex(f) < 0 {
			g.errorf(f.Pos, "the generator cannot build %s yet: it reads field %s of an enclosing packet", b.name, f.Name)
			return jen.Lit(0)
		}
		if isBool(f) {
			return rt("BoolBit").Call(jen.Id("b." + b.ids[f]))
		}
		return jen.Id(uintType(fieldBits(f))).Call(jen.Id("b." + b.ids[f]))
	}
	ctx.raw = func(f *lang.Field) jen.Code {
		if f.Attrs.Value != nil {
			return jen.Uint64().Call(ctx.field(f))
		}
		return b.raw(f)
	}
	ctx.field = func(f *lang.Field) jen.Code {
		if isBool(f) {
			if v, ok := b.auto(f); ok {
				return jen.Lit(v != 0)
			}
			if f.Attrs.Const != nil {
				return ctx.expr(f.Attrs.Const)
			}
			return jen.Id("b." + b.ids[f])
		}
		if f.Attrs.Value != nil {
			if !computed[f] {
				g.errorf(f.Pos, "the builder computes %s after a value that needs it", f.Name)
			}
			return jen.Id("v" + b.v.pkt.viewOfDecl(f).id(f))
		}
		return ctx.valueOf(f, b.raw(f))
	}
	b.fieldCode, b.rawCode = ctx.field, ctx.raw
	for i, it := range b.items {
		if it.kind != itemSegment {
			continue
		}
		for _, f := range it.seg.fields {
			if f.Attrs.Value == nil {
				continue
			}
			n := it.v.id(f)
			rel := it.v.relOf[f]
			bits := fieldBits(f)
			site := g.buildSite(b, f.Name, "Value", fmt.Sprintf("%s fits in %d bits", lang.ExprString(f.Attrs.Value), bits))
			max := jen.Lit(int(uint64(1)<<uint(bits) - 1))
			if bits >= 63 {
				max = jen.Qual("math", "MaxInt")
			}
			pre, x, failed := ctx.eval(f.Attrs.Value)
			out = append(out, pre...)
			out = append(out,
				jen.Id("v"+n).Op(":=").Add(x),
				jen.If(orFailed(failed, jen.Id("v"+n).Op("<").Lit(0).Op("||").Id("v"+n).Op(">").Add(max))).Block(
					jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(b.o(i).(*jen.Statement).Clone().Op("+").Lit(rel)))),
				jen.If(jen.Id("i").Op(":=").Id("start").Op("+").Add(b.o(i)), jen.Uint().Call(jen.Id("i")).Op("<=").Uint().Call(jen.Len(jen.Id("dst"))).Op("&&").Len(jen.Id("dst")).Op("-").Id("i").Op(">=").Lit(it.seg.size)).Block(
					append([]jen.Code{jen.Id("s").Op(":=").Parens(jen.Op("*").Index(jen.Lit(it.seg.size)).Byte()).Call(jen.Id("dst[i:]"))},
						writeField("s", rel, f, jen.Id(uintType(bits)).Call(jen.Id("v"+n)))...)...),
			)
			computed[f] = true
		}
	}
	// The lengths given must agree with the spec's length expressions.
	for i, it := range b.items {
		if it.kind != itemBytes {
			continue
		}
		t := it.field.Type.(lang.BytesType)
		if hasRemaining(t.Len) {
			continue
		}
		site := g.buildSite(b, it.field.Name, "Length", "length == "+lang.ExprString(t.Len))
		pre, x, failed := ctx.eval(t.Len)
		out = append(out, pre...)
		out = append(out, jen.If(orFailed(failed, jen.Parens(jen.Add(b.o(i+1)).Op("-").Add(b.o(i))).Op("!=").Add(x))).Block(
			jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(b.o(i)))))
		if a := it.field.Attrs.Align; a > 8 {
			asite := g.buildSite(b, it.field.Name, "Align", fmt.Sprintf("length multiple of %d bytes", a/8))
			out = append(out, jen.If(jen.Parens(jen.Add(b.o(i+1)).Op("-").Add(b.o(i))).Op("%").Lit(a/8).Op("!=").Lit(0)).Block(
				jen.Return(jen.Id("orig"), jen.Id(asite).Dot("At").Call(b.o(i)))))
		}
	}
	for i, it := range b.items {
		if it.kind != itemArray {
			continue
		}
		if it.arr.Bytes != nil {
			if hasRemaining(it.arr.Bytes) {
				continue
			}
			site := g.buildSite(b, it.arr.Name, "Length", "length == "+lang.ExprString(it.arr.Bytes))
			pre, x, failed := ctx.eval(it.arr.Bytes)
			out = append(out, pre...)
			out = append(out, jen.If(orFailed(failed, jen.Parens(jen.Add(b.o(i+1)).Op("-").Add(b.o(i))).Op("!=").Add(x))).Block(
				jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(b.o(i)))))
			continue
		}
		site := g.buildSite(b, it.arr.Name, "Length", "count == "+lang.ExprString(it.arr.Count))
		pre, x, failed := ctx.eval(it.arr.Count)
		out = append(out, pre...)
		out = append(out, jen.If(orFailed(failed, jen.Len(jen.Id("b."+it.goF)).Op("!=").Add(x))).Block(
			jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(b.o(i)))))
	}
	out = append(out, g.minMaxChecks(b, ctx)...)
	out = append(out, g.caseChecks(b, ctx)...)
	out = append(out, g.buildChecksums(b, ctx)...)
	return out
}

// minMaxChecks emits the min and max checks of the integer fields the
// builder writes, so that it never builds what Parse rejects.
func (g *gen) minMaxChecks(b *builderGen, ctx *exprCtx) []jen.Code {
	var out []jen.Code
	for i, it := range b.items {
		if it.kind != itemSegment {
			continue
		}
		for _, f := range it.seg.fields {
			if fieldBits(f) == 0 || f.Attrs.Format == "ipv4" {
				continue
			}
			at := func() jen.Code { return jen.Add(b.o(i)).Op("+").Lit(it.v.relOf[f] + firstByte(f)) }
			for _, c := range []struct {
				e    lang.Expr
				op   string
				kind string
			}{{f.Attrs.Min, "<", "Min"}, {f.Attrs.Max, ">", "Max"}} {
				if c.e == nil {
					continue
				}
				max := uint64(1)<<uint(fieldBits(f)) - 1
				if fieldBits(f) == 64 {
					max = math.MaxUint64
				}
				rel := map[string]string{"<": ">=", ">": "<="}[c.op]
				site := g.buildSite(b, f.Name, c.kind, f.Name+" "+rel+" "+lang.ExprString(c.e))
				if v, ok := lang.ConstBig(c.e); ok && v.IsUint64() && ((c.op == "<" && v.Sign() == 0) || (c.op == ">" && v.Uint64() >= max)) {
					continue // cannot fail
				}
				pre, cond := ctx.compareField(f, ctx.raw(f), c.op, c.e)
				out = append(out, pre...)
				out = append(out, jen.If(cond).Block(
					jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(at()))))
			}
		}
	}
	return out
}

// caseChecks emits the checks that the packet built will parse as the
// cases the builder chose: the discriminant matches the case's pattern,
// its guard holds, and no earlier case matches.
func (g *gen) caseChecks(b *builderGen, ctx *exprCtx) []jen.Code {
	var out []jen.Code
	for _, cl := range b.classifyOrder() {
		c := b.cases[cl]
		var disc jen.Code
		name := ""
		switch on := cl.On.(type) {
		case *lang.FieldRef:
			// Patterns compare with the unsigned value: they may be
			// above the largest int.
			switch {
			case isBool(on.Field):
				disc = ctx.field(on.Field)
			case customDef(on.Field) != nil:
				disc = b.raw(on.Field)
			case on.Field.Attrs.Value != nil:
				disc = jen.Uint64().Call(ctx.field(on.Field))
			default:
				disc = b.raw(on.Field)
			}
			name = on.Field.Name
		case *lang.ParamRef:
			disc = ctx.expr(on)
			name = on.Param.Name
		}
		at := func() jen.Code {
			if r, ok := cl.On.(*lang.FieldRef); ok {
				if i := b.itemIndex(r.Field); i >= 0 && b.items[i].kind == itemSegment {
					return jen.Add(b.o(i)).Op("+").Lit(b.items[i].v.relOf[r.Field])
				}
			}
			return jen.Lit(0)
		}
		match := func(k *lang.Case) jen.Code {
			var cond *jen.Statement
			switch k.Kind {
			case lang.PatternValue:
				cond = jen.Parens(jen.Add(disc).Op("==").Id(ulit(k.Lo)))
			case lang.PatternRange:
				cond = jen.Parens(jen.Add(disc).Op(">=").Id(ulit(k.Lo)).Op("&&").Add(disc).Op("<=").Id(ulit(k.Hi)))
			case lang.PatternBool:
				if k.Bool {
					cond = jen.Parens(jen.Add(disc))
				} else {
					cond = jen.Parens(jen.Op("!").Add(disc))
				}
			case lang.PatternString:
				cond = jen.Parens(jen.String().Call(disc).Op("==").Lit(k.Str))
			}
			if k.Guard != nil {
				if cond == nil {
					cond = jen.Parens(jen.Add(ctx.cond(k.Guard)))
				} else {
					cond = cond.Op("&&").Add(ctx.cond(k.Guard))
				}
			}
			if cond == nil {
				return jen.True()
			}
			return cond
		}
		_, onParam := cl.On.(*lang.ParamRef)
		switch {
		case c.Kind == lang.PatternValue && onParam:
			site := g.buildSite(b, name, "Classify", "the "+c.Label+" case's pattern")
			out = append(out, jen.If(jen.Op("!").Parens(match(c))).Block(jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(at()))))
		case c.Kind == lang.PatternValue && c.Guard != nil:
			// The builder writes the value itself: only the guard can fail.
			site := g.buildSite(b, name, "Classify", "the "+c.Label+" case's guard "+lang.ExprString(c.Guard))
			out = append(out, jen.If(jen.Op("!").Parens(ctx.cond(c.Guard))).Block(jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(at()))))
		case c.Kind != lang.PatternValue:
			what := "the " + c.Label + " case's pattern"
			if c.Guard != nil {
				what += " and guard " + lang.ExprString(c.Guard)
			}
			site := g.buildSite(b, name, "Classify", what)
			out = append(out, jen.If(jen.Op("!").Parens(match(c))).Block(jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(at()))))
		}
		for _, k := range cl.Cases {
			if k == c {
				break
			}
			if c.Kind == lang.PatternValue && k.Kind == lang.PatternValue && k.Lo != c.Lo && !onParam {
				continue // cannot match
			}
			site := g.buildSite(b, name, "Classify", "not the earlier "+k.Label+" case")
			out = append(out, jen.If(match(k)).Block(jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(at()))))
		}
	}
	return out
}

// classifyOrder returns the classifies whose cases the builder chose, in
// the order of the spec.
func (b *builderGen) classifyOrder() []*lang.Classify {
	var out []*lang.Classify
	lang.Walk(b.v.root().block, func(s lang.Stmt) {
		if cl, ok := s.(*lang.Classify); ok {
			if _, chosen := b.cases[cl]; chosen {
				out = append(out, cl)
			}
		}
	})
	return out
}

// goBits is the width of a Go unsigned integer type.
func goBits(t string) int {
	switch t {
	case "uint8":
		return 8
	case "uint16":
		return 16
	case "uint32":
		return 32
	}
	return 64
}

func hasRemaining(e lang.Expr) bool {
	switch e := e.(type) {
	case *lang.Remaining:
		return true
	case *lang.Unary:
		return hasRemaining(e.X)
	case *lang.Binary:
		return hasRemaining(e.X) || hasRemaining(e.Y)
	}
	return false
}

// buildCtx compiles expressions in a builder, where the locals oN hold the
// offsets of the items.
func (g *gen) buildCtx(b *builderGen) *exprCtx {
	end := func(d lang.Decl) jen.Code {
		i := b.itemIndex(d)
		if i < 0 {
			g.errorf(d.Position(), "the builder of %s cannot see %s", b.v.name, d.DeclName())
			return jen.Lit(0)
		}
		it := b.items[i]
		if it.kind == itemSegment {
			f := d.(*lang.Field)
			return jen.Parens(jen.Add(b.o(i)).Op("+").Lit(it.v.relOf[f] + f.Size))
		}
		return b.o(i + 1)
	}
	return &exprCtx{
		g:      g,
		offset: end,
		size: func(d lang.Decl) jen.Code {
			i := b.itemIndex(d)
			if i < 0 {
				return jen.Lit(0)
			}
			return jen.Parens(jen.Add(b.o(i + 1)).Op("-").Add(b.o(i)))
		},
		length: func(a *lang.Array) jen.Code { return jen.Len(jen.Id("b." + b.ids[a])) },
		param:  func(p *lang.Param) jen.Code { return jen.Id("b." + b.pids[p]) },
		remaining: func() jen.Code {
			g.errorf(posOf(b.v.block), "remaining() in a builder")
			return jen.Lit(0)
		},
	}
}

// blockCtx returns the custom wire type with a build context (see
// lang.CustomDef.BuildCtx) that a block writes, in its fields, cases and
// arrays and in the packets its fields hold, or nil. With report, a block
// that writes types of two different contexts is reported (once, for the
// packet's top block, which holds all the others).
func (g *gen) blockCtx(blk *lang.Block, report bool) *lang.CustomDef {
	var found *lang.CustomDef
	seen := map[*lang.Packet]bool{}
	var walk func(blk *lang.Block)
	walk = func(blk *lang.Block) {
		lang.Walk(blk, func(s lang.Stmt) {
			f, ok := s.(*lang.Field)
			if !ok {
				return
			}
			if q := packetOf(f); q != nil && !seen[q] {
				seen[q] = true
				walk(q.Body)
			}
			d := customDef(f)
			if d == nil || d.BuildCtx == "" {
				return
			}
			if found != nil && (found.GoPath != d.GoPath || found.BuildCtx != d.BuildCtx) {
				if !report {
					return
				}
				g.errorf(f.Pos, "field %s of type %s keeps a build context (%s) other than the one of %s (%s); a packet's builder keeps one", f.Name, d.Name, d.BuildCtx, found.Name, found.BuildCtx)
				return
			}
			if found == nil {
				found = d
			}
		})
	}
	walk(blk)
	return found
}

// builderCtx is the custom type whose build context builder b passes to
// the values it writes, or nil: that of the packet or array element it
// builds (for a case builder, of all the cases: a context it does not
// use costs nothing).
func (g *gen) builderCtx(b *builderGen) *lang.CustomDef {
	return g.blockCtx(base(b.v).block, b.v.up == nil)
}

// isElemBuilder reports whether b builds an array element (or one case of
// one).
func isElemBuilder(b *builderGen) bool {
	_, ok := base(b.v).owner.(*lang.Array)
	return ok
}

// ctxType is the Go type of a build context.
func ctxType(d *lang.CustomDef) *jen.Statement { return jen.Qual(d.GoPath, d.BuildCtx) }

// appendCall appends with the builder in variable x: through appendCtx,
// with the context in scope, when its values keep one (d).
func (g *gen) appendCall(x string, d *lang.CustomDef) jen.Code {
	if d != nil {
		return jen.Id(x).Dot("appendCtx").Call(jen.Id("dst"), jen.Id("ctx"))
	}
	return jen.Id(x).Dot("AppendTo").Call(jen.Id("dst"))
}

// customAppend appends value v of custom type d to dst: with the
// message's context, when the type keeps one.
func customAppend(d *lang.CustomDef, v jen.Code) jen.Code {
	if d.BuildCtx != "" {
		return customType(d).Dot("AppendCtx").Call(jen.Id("dst"), v, jen.Id("ctx"))
	}
	return customType(d).Dot("Append").Call(jen.Id("dst"), v)
}

// goPkgName is the name generated code knows the package at path by:
// mplrt for the runtime, else the last element of the path.
func goPkgName(path string) string {
	if path == lang.RuntimePath {
		return "mplrt"
	}
	return path[strings.LastIndex(path, "/")+1:]
}
