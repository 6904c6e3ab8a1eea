package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/mplgo/mpl/lang"
)

// What a view stores, and what its accessors derive instead.
//
// A compact view keeps b, the bytes of its frame: for a packet and its
// cases, the packet, with the capacity of the input, so that Rest is
// b[len(b):cap(b)]; for an array element and its cases, the element,
// whose static offsets count from its start. (An element with a custom
// wire type keeps the input from the packet's start instead, and stores
// what it parsed: see compactFrame.) Everything at a static offset is
// derived from b on access instead of stored: a segment of fixed fields
// is a method
// returning the array pointer after one length check, which the compiler
// folds when the view sits in registers. A variable-length byte field
// whose start is known (static, or the end of the byte field before it)
// stores only its end, or nothing when it is the view's last field. A
// classify at the end stores only its kind. Most headers then fit in four
// machine words (b and one offset), and most option list elements in b
// and their kind: small enough for the compiler to keep a view in
// registers; such views take their getters by value, an iterator returns
// elements in registers, and AsX of a case is a load, not a parse.

// valueRecvWords is the largest view, in machine words, whose getters
// take it by value: the compiler keeps structs of up to four words in
// registers, and copies larger ones.
const valueRecvWords = 4

// A span says where a derived byte field or classify starts or ends.
type span struct {
	kind spanKind
	n    int    // spanStatic: the offset
	id   string // spanStored: the view field that holds it
}

type spanKind int

const (
	spanUnknown spanKind = iota
	spanStatic           // a constant offset in b
	spanStored           // an offset the view stores
	spanLen              // len(b): the end of the view's bytes
)

// code returns the offset in a method of the view whose receiver is recv;
// callers clamp it into b, so that slicing needs no bounds check.
func (s span) code(recv string) jen.Code {
	switch s.kind {
	case spanStatic:
		return jen.Lit(s.n)
	case spanStored:
		return jen.Id(recv + "." + s.id)
	}
	return jen.Len(jen.Id(recv + ".b"))
}

// frame is the view whose bytes v's static offsets count from: the
// nearest enclosing array element (v itself, if it is one) or the packet's
// top view.
func (v *view) frame() *view {
	for w := v; ; w = w.up {
		if _, ok := w.owner.(*lang.Array); ok || w.up == nil {
			return w
		}
	}
}

// isElem reports whether v is an array element.
func (v *view) isElem() bool {
	_, ok := v.owner.(*lang.Array)
	return ok
}

// compactFrame reports whether the views of an array element's frame can
// be compact: each keeps b from the element's start, so that static
// offsets in the element are offsets in b, and an element's view is its
// bytes and its kinds. A custom wire type reads the whole input (a DNS
// name's compression pointer reaches back into the message), so an
// element with one in it (in an element nested in it, or in a packet one
// of its fields holds), keeps the input from the packet's start, as b,
// and stores what it parsed. So does a packet's top view.
func (pg *packetGen) compactFrame(e *view) bool {
	for _, w := range pg.views {
		in := false
		for x := w; x != nil; x = x.up {
			if x == e {
				in = true
				break
			}
		}
		if !in {
			continue
		}
		for _, st := range w.block.Stmts {
			f, ok := st.(*lang.Field)
			if !ok {
				continue
			}
			if _, ok := f.Type.(lang.CustomType); ok {
				return false
			}
			if q := packetOf(f); q != nil && readsMsg(q, map[*lang.Packet]bool{}) {
				return false
			}
		}
	}
	return true
}

// readsMsg reports whether packet p has a field of a custom wire type
// that reads the input outside its own bytes (lang.CustomDef.ReadsMsg),
// or holds a packet that has one.
func readsMsg(p *lang.Packet, seen map[*lang.Packet]bool) bool {
	if seen[p] {
		return false
	}
	seen[p] = true
	found := false
	lang.Walk(p.Body, func(s lang.Stmt) {
		f, ok := s.(*lang.Field)
		if !ok {
			return
		}
		if d := customDef(f); d != nil && d.ReadsMsg {
			found = true
		}
		if q := packetOf(f); q != nil && readsMsg(q, seen) {
			found = true
		}
	})
	return found
}

// rootIn reports whether v is a packet's top view that is not compact (the
// packet has a custom wire type that reads the input outside its bytes, a
// DNS name, and a field of another packet holds it): it parses
// from rest within b, as elements do, so that a packet field holding it
// parses it within the enclosing packet's input, and keeps in base where
// the packet starts in b.
func (v *view) rootIn() bool { return v.up == nil && !v.compact }

// inArray reports whether v is an array element or lies inside one.
func (v *view) inArray() bool {
	for w := v; w != nil; w = w.up {
		if _, ok := w.owner.(*lang.Array); ok {
			return true
		}
	}
	return false
}

// lastStmt is the last statement of a block that is not empty.
func lastStmt(b *lang.Block) lang.Stmt {
	for i := len(b.Stmts) - 1; i >= 0; i-- {
		if _, ok := b.Stmts[i].(*lang.Empty); !ok {
			return b.Stmts[i]
		}
	}
	return nil
}

// endsAtB reports whether a view's bytes end where its b does: a packet
// and a compact array element (whose b is cut at their end), and a case
// of a classify that ends a view that does.
func (v *view) endsAtB() bool {
	if v.up == nil || (v.isElem() && v.pkt.compactFrame(v)) {
		return true
	}
	c, ok := v.owner.(*lang.Case)
	if !ok {
		return false
	}
	for _, cg := range v.up.classifies {
		if cg.views[c] == v {
			return lastStmt(v.up.block) == lang.Stmt(cg.cl) && v.up.endsAtB()
		}
	}
	return false
}

// layout decides what each view of a packet stores.
func (g *gen) layout(pg *packetGen) {
	for _, v := range pg.views {
		v.compact = pg.compactFrame(v.frame())
		if v.frame().up == nil {
			v.compact = !readsMsg(pg.p, map[*lang.Packet]bool{}) || !g.heldByField(pg.p)
		}
		v.bytesAt = map[*lang.Field][2]span{}
		v.classAt = map[*classifyGen]span{}
		if !v.compact {
			continue
		}
		for _, s := range v.segs {
			if off := s.fields[0].Offset; off >= 0 && s.size > 0 {
				s.derived, s.off = true, off
			}
		}
		ends := v.endsAtB()
		last := lastStmt(v.block)
		prev := span{kind: spanStatic, n: v.block.Offset}
		if v.block.Offset < 0 {
			prev = span{}
		}
		for _, st := range v.block.Stmts {
			switch st := st.(type) {
			case *lang.Field:
				if _, ok := v.segOf[st]; ok {
					// (A bit field's offset and size are its run's.)
					if st.Offset >= 0 && st.Size >= 0 {
						prev = span{kind: spanStatic, n: st.Offset + st.Size}
					} else {
						prev = span{}
					}
					continue
				}
				switch st.Type.(type) {
				case lang.LabelType:
					continue
				case lang.BytesType:
					start := prev
					if st.Offset >= 0 {
						start = span{kind: spanStatic, n: st.Offset}
					}
					if start.kind == spanUnknown || start.kind == spanLen {
						prev = span{}
						continue
					}
					end := span{kind: spanStored, id: "x" + v.id(st)}
					if lang.Stmt(st) == last && ends {
						end = span{kind: spanLen}
					}
					v.bytesAt[st] = [2]span{start, end}
					prev = end
					continue
				}
				prev = span{}
			case *lang.Classify:
				start := prev
				if len(st.Cases) > 0 && st.Cases[0].Body.Offset >= 0 {
					start = span{kind: spanStatic, n: st.Cases[0].Body.Offset}
				}
				// A classify's cases parse from b at its start: a
				// static offset, or one the view stores.
				for _, cg := range v.classifies {
					if cg.cl == st {
						if start.kind != spanStatic && start.kind != spanStored {
							start = span{kind: spanStored, id: "c" + itoa(cg.idx)}
						}
						v.classAt[cg] = start
					}
				}
				prev = span{}
			case *lang.Array:
				prev = span{}
			case *lang.Empty:
			}
		}
	}
}

// keepsB reports whether a view keeps the bytes it was parsed from.
func (v *view) keepsB() bool { return v.compact || v.needsB() }

// derivedOnly reports whether a case view stores nothing but b (and a
// copy of its enclosing view): its AsX then makes it without parsing it
// again, since Parse has validated it.
func (v *view) derivedOnly() bool {
	if !v.compact || len(v.classifies) > 0 || len(v.arrays) > 0 {
		return false
	}
	for _, s := range v.segs {
		if !s.derived {
			return false
		}
	}
	for _, st := range v.block.Stmts {
		switch st := st.(type) {
		case *lang.Field:
			if _, ok := v.segOf[st]; ok {
				continue
			}
			if v.pkt.stored[st] {
				return false
			}
			switch st.Type.(type) {
			case lang.LabelType:
				if st.Offset < 0 {
					return false
				}
			case lang.BytesType:
				at, ok := v.bytesAt[st]
				if !ok || at[1].kind == spanStored {
					return false
				}
			default:
				return false
			}
		case *lang.Array:
			return false
		}
	}
	return true
}

// keepsUp reports whether a view holds a copy of its enclosing view, up:
// one whose parse reads the enclosing view (needsUp), if it is compact
// (its accessors derive what they read from it) or a view nested in it
// reads through the copy (upCopied). A view that keeps the input from the
// packet's start stores what it parsed, and its parse reads the enclosing
// view through the pointer it is given.
func (v *view) keepsUp() bool { return v.needsUp && (v.compact || v.upCopied) }

// words is the size of a view in machine words.
func (g *gen) words(v *view) int {
	if v.size > 0 {
		return v.size
	}
	n := 0
	if v.keepsB() {
		n += 3
	}
	if v.keepsUp() {
		n += g.words(v.up)
	}
	if v.up == nil {
		for _, p := range v.pkt.p.ParseParams() {
			n++
			if p.Type == lang.TypeString {
				n++
			}
		}
	}
	for _, s := range v.segs {
		if !s.derived {
			n++
		}
	}
	for _, st := range v.block.Stmts {
		switch st := st.(type) {
		case *lang.Field:
			if v.pkt.stored[st] {
				n += 2
			}
			if _, ok := v.segOf[st]; ok {
				continue
			}
			switch st.Type.(type) {
			case lang.LabelType:
				if st.Offset < 0 {
					n++
				}
			case lang.BytesType:
				if at, ok := v.bytesAt[st]; !ok {
					n += 3
				} else if at[1].kind == spanStored {
					n++
				}
			case lang.CustomType:
				n += 4
			case lang.PacketType:
				n += g.words(g.pgOf[packetOf(st)].root) + 1
			}
		case *lang.Array:
			n += 2 // its start and count
			if !v.compact {
				n += 2 // its start is a slice
			}
			if st.Bytes != nil {
				n++
			}
			if v.pkt.stored[st] {
				n += 2
			}
		}
	}
	for _, cg := range v.classifies {
		n++
		if at, ok := v.classAt[cg]; !ok {
			n += 3
		} else if at.kind == spanStored && at.id == "c"+itoa(cg.idx) {
			n++
		}
	}
	v.size = n
	return n
}

// byValue reports whether v's getters take it by value.
func (g *gen) byValue(v *view) bool { return g.words(v) <= valueRecvWords }

// parseByValue reports whether v's parse method takes the view by value
// and returns it filled, so that the view comes back in registers rather
// than through memory. Only a packet's top view parses so: the views of
// its cases and elements fill themselves inside their packet's parse.
func (g *gen) parseByValue(v *view) bool { return v.up == nil && g.byValue(v) }

// callParse emits the statements that parse in into the top view at
// dst (a pointer or addressable view) and set err, declared by the caller.
func (g *gen) callParse(v *view, dst, in jen.Code) []jen.Code {
	if !g.parseByValue(v) {
		return []jen.Code{jen.Err().Op("=").Add(dst).Dot("parse").Call(in)}
	}
	return []jen.Code{jen.List(jen.Add(dst), jen.Err()).Op("=").Add(dst).Dot("parse").Call(in)}
}

// getRecv is the receiver of v's getters.
func (g *gen) getRecv(v *view) *jen.Statement {
	if g.byValue(v) {
		return jen.Id("p").Id(v.name)
	}
	return jen.Id("p").Op("*").Id(v.name)
}

// selfPtr is a pointer to the view in one of its getters.
func (g *gen) selfPtr(v *view) jen.Code {
	if g.byValue(v) {
		return jen.Op("&").Id("p")
	}
	return jen.Id("p")
}

// selfVal is the view's value in one of its getters.
func (g *gen) selfVal(v *view) jen.Code {
	if g.byValue(v) {
		return jen.Id("p")
	}
	return jen.Op("*").Id("p")
}

// segMethods emits the methods that derive a view's segments from b.
func (g *gen) segMethods(v *view) {
	for _, s := range v.segs {
		if !s.derived {
			continue
		}
		end := s.off + s.size
		var from jen.Code = jen.Id("p.b")
		if s.off > 0 {
			from = jen.Id(fmt.Sprintf("p.b[%d:]", s.off))
		}
		// Only the zero view, which nothing validated, is shorter. The
		// length test comes before the getter's reads and, unlike a
		// bounds check or a nil result, tells the compiler the length
		// for every later getter in the caller: one test per function.
		g.f.Comment(fmt.Sprintf("s%d returns the fixed fields at bytes %d to %d. It panics on the zero view, which no Parse filled.", s.idx, s.off, end))
		g.f.Func().Params(g.getRecv(v)).Id("s"+itoa(s.idx)).Params().Op("*").Index(jen.Lit(s.size)).Byte().Block(
			jen.If(jen.Len(jen.Id("p.b")).Op("<").Lit(end)).Block(jen.Panic(jen.Lit(v.pkt.p.Name+": use of a zero "+v.name+" view"))),
			jen.Return(jen.Parens(jen.Op("*").Index(jen.Lit(s.size)).Byte()).Call(from)))
	}
}

// derivedBytes returns the body of the getter of a derived byte field or
// classify: b from start to end. After Parse 0 <= start <= end <= len(b);
// the test, false but for the zero view, lets the slice go without a
// bounds check. (A min/max clamp does too, but it hides from the compiler
// what it knows from an earlier getter, and a check comes back there.)
func derivedBytes(start, end span) []jen.Code {
	var e jen.Code = jen.Len(jen.Id("p.b"))
	var out jen.Code = jen.Id("e").Op(">").Len(jen.Id("p.b"))
	if end.kind != spanLen {
		e = end.code("p")
	} else {
		out = nil
	}
	var s, neg jen.Code
	if start.kind == spanStatic {
		s = jen.Lit(start.n)
	} else {
		s = start.code("p")
		neg = jen.Id("s").Op("<").Lit(0)
	}
	cond := jen.Id("s").Op(">").Id("e")
	if neg != nil {
		cond = jen.Add(neg).Op("||").Add(cond)
	}
	if out != nil {
		cond = cond.Op("||").Add(out)
	}
	return []jen.Code{
		jen.List(jen.Id("s"), jen.Id("e")).Op(":=").List(s, e),
		jen.If(cond).Block(jen.Return(jen.Nil())),
		jen.Return(jen.Id("p.b[s:e:e]")),
	}
}

// clamp is min(max(x, 0), hi): an offset a view stores, brought into
// [0, hi] so that slicing with it needs no bounds check (after Parse it
// already lies there).
func clamp(x, hi jen.Code) jen.Code {
	return jen.Min(jen.Max(x, jen.Lit(0)), hi)
}

// heldByField reports whether a packet field of the spec holds packet p.
func (g *gen) heldByField(p *lang.Packet) bool {
	held := false
	for _, q := range g.spec.Packets {
		lang.Walk(q.Body, func(s lang.Stmt) {
			if f, ok := s.(*lang.Field); ok && packetOf(f) == p {
				held = true
			}
		})
	}
	return held
}
