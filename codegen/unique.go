package codegen

import (
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mplgo/mpl/lang"
)

// This file emits unique("label", ...) on arrays: Parse and builders fail
// when a second element holds the case of a label.

// holdsMethod is the name of the element view's method that reports
// whether the element holds a case of label.
// (Labels differ, their Go names may not: a later one is numbered.)
func holdsMethod(a *lang.Array, u *lang.Unique) string {
	taken := map[string]bool{}
	for i, x := range a.Unique {
		n := goName(x.Label)
		for k := i; taken[n]; k++ {
			n = goName(x.Label) + itoa(k)
		}
		taken[n] = true
		if x == u {
			return "holds" + n
		}
	}
	return "holds" + goName(u.Label)
}

// seenVar is the parse local that says an element holding label's case
// has been seen. (Go names have no underscore: the one here keeps the
// label's part apart from the array's.)
func seenVar(v *view, a *lang.Array, u *lang.Unique) string {
	return "seen" + strings.TrimPrefix(holdsMethod(a, u), "holds") + "_" + v.id(a)
}

// holdsMethods emits, for an array element view whose array has unique
// labels, a method per label that reports whether the element holds a
// case of that label: the kinds of its classifies, of the cases it holds
// and of the packets its packet fields hold, at any depth.
func (g *gen) holdsMethods(v *view) {
	a, ok := v.owner.(*lang.Array)
	if !ok || len(a.Unique) == 0 {
		return
	}
	for _, u := range a.Unique {
		want := map[*lang.Case]bool{}
		for _, c := range u.Cases {
			want[c] = true
		}
		var conds []jen.Code
		body := g.holdsStmts(v, "p", want, 0, map[*lang.Packet]bool{}, &conds)
		if len(conds) == len(body) && len(conds) > 0 {
			// Kinds alone: one expression.
			or := jen.Add(conds[0])
			for _, c := range conds[1:] {
				or = or.Op("||").Add(c)
			}
			body = []jen.Code{jen.Return(or)}
		} else {
			body = append(body, jen.Return(jen.False()))
		}
		g.doc(holdsMethod(a, u) + " reports whether the element holds the " + u.Label + " case, which at most one element of the " + a.Name + " array holds.")
		g.f.Func().Params(jen.Id("p").Op("*").Id(v.name)).Id(holdsMethod(a, u)).Params().Bool().Block(body...)
	}
}

// holdsStmts returns statements that return true when the view in r (an
// addressable view of w, or a pointer to one) holds one of the cases of
// want; none if no such case lies within w. conds receives the conditions
// of the statements that compare a kind and nothing else.
func (g *gen) holdsStmts(w *view, r string, want map[*lang.Case]bool, depth int, inPkt map[*lang.Packet]bool, conds *[]jen.Code) []jen.Code {
	var out []jen.Code
	for _, st := range w.block.Stmts {
		switch st := st.(type) {
		case *lang.Field:
			q := packetOf(st)
			if q == nil || inPkt[q] {
				continue
			}
			inPkt[q] = true
			out = append(out, g.holdsStmts(g.pgOf[q].root, r+".f"+w.id(st), want, depth, inPkt, conds)...)
			delete(inPkt, q)
		case *lang.Classify:
			var cg *classifyGen
			for _, x := range w.classifies {
				if x.cl == st {
					cg = x
				}
			}
			if cg == nil {
				continue
			}
			k := r + ".k" + itoa(cg.idx)
			for _, c := range st.Cases {
				if want[c] {
					cond := jen.Id(k).Op("==").Id(cg.consts[c])
					*conds = append(*conds, cond)
					out = append(out, jen.If(cond).Block(jen.Return(jen.True())))
					continue
				}
				cv := "c" + itoa(depth)
				var subConds []jen.Code
				sub := g.holdsStmts(cg.views[c], cv, want, depth+1, inPkt, &subConds)
				if len(sub) == 0 {
					continue
				}
				out = append(out, jen.If(jen.Id(k).Op("==").Id(cg.consts[c])).Block(
					jen.If(jen.List(jen.Id(cv), jen.Id("ok")).Op(":=").Id(r).Dot(cg.as[c]).Call(), jen.Id("ok")).Block(sub...)))
			}
		}
	}
	return out
}

// uniqueChecks returns the statements of an array's parse loop that fail
// when a second element holds a case of one of the array's unique labels:
// elem is the element's view, filled, b and rest the input and what
// starts with the element.
func (g *gen) uniqueChecks(v *view, a *lang.Array, elem, b, rest string) []jen.Code {
	var out []jen.Code
	for _, u := range a.Unique {
		site := g.site(v, a.Name, "Value", "at most one element holds "+u.Label)
		seen := seenVar(v, a, u)
		out = append(out, jen.If(jen.Id(elem).Dot(holdsMethod(a, u)).Call()).Block(
			jen.If(jen.Id(seen)).Block(retErr(v, jen.Id(site).Dot("At").Call(jen.Len(jen.Id(b)).Op("-").Len(jen.Id(rest))))),
			jen.Id(seen).Op("=").True()))
	}
	return out
}

// uniqueVars declares the locals of uniqueChecks, before the loop.
func (g *gen) uniqueVars(v *view, a *lang.Array) []jen.Code {
	var out []jen.Code
	for _, u := range a.Unique {
		out = append(out, jen.Id(seenVar(v, a, u)).Op(":=").False())
	}
	return out
}

// builderHolds returns a condition on the builder in x (of b, or a
// pointer to one) that is true when what it builds holds one of the cases
// of want: its Kind chooses such a case, or a builder it holds for a case
// or a packet field does; or, built from the fields with the zero Kind,
// the discriminant it is given selects such a case. nil if none can.
func (g *gen) builderHolds(b *builderGen, x string, want map[*lang.Case]bool, inPkt map[*lang.Packet]bool) []jen.Code {
	var conds []jen.Code
	own := g.builderItemsHold(b, x, want, inPkt)
	if b.layer == nil && len(b.caseBlds) > 0 {
		for _, cb := range b.caseBlds {
			kind := jen.Id(x + "." + b.kind).Op("==").Id(b.cg.consts[cb.c])
			if want[cb.c] {
				conds = append(conds, kind)
				continue
			}
			if sub := g.builderHolds(cb.b, x+"."+cb.goF, want, inPkt); sub != nil {
				conds = append(conds, kind.Op("&&").Add(operand(sub)))
			}
		}
		if own != nil {
			conds = append(conds, jen.Id(x+"."+b.kind).Op("==").Id(b.cg.unknown).Op("&&").Add(operand(own)))
		}
		return conds
	}
	return own
}

// or joins conditions with ||.
func or(conds []jen.Code) *jen.Statement {
	x := jen.Add(conds[0])
	for _, c := range conds[1:] {
		x = x.Op("||").Add(c)
	}
	return x
}

// operand is or(conds) as an operand of &&: in parentheses if it joins
// more than one.
func operand(conds []jen.Code) jen.Code {
	if len(conds) == 1 {
		return conds[0]
	}
	return jen.Parens(or(conds))
}

// builderItemsHold is builderHolds for what b writes itself: the packets
// of its packet fields, and the classifies it writes as bytes, whose case
// the value it is given for a discriminant field chooses (a case of one
// value, without a guard).
func (g *gen) builderItemsHold(b *builderGen, x string, want map[*lang.Case]bool, inPkt map[*lang.Packet]bool) []jen.Code {
	var conds []jen.Code
	for _, it := range b.items {
		switch it.kind {
		case itemPacket:
			q := packetOf(it.field)
			if q == nil || inPkt[q] {
				continue
			}
			var qb *builderGen
			for _, cand := range g.pgOf[q].builders {
				if cand.name == g.pgOf[q].builderName {
					qb = cand
				}
			}
			if qb == nil {
				continue
			}
			inPkt[q] = true
			conds = append(conds, g.builderHolds(qb, x+"."+it.goF, want, inPkt)...)
			delete(inPkt, q)
		case itemRaw:
			r, ok := it.cl.On.(*lang.FieldRef)
			if !ok || !isStatic(r.Field) {
				continue
			}
			if _, ok := r.Field.Type.(lang.BytesType); ok {
				continue
			}
			id, ok := b.ids[r.Field]
			if !ok {
				continue
			}
			for _, c := range it.cl.Cases {
				switch {
				case !want[c] || c.Guard != nil:
				case c.Kind == lang.PatternValue && !isBool(r.Field):
					conds = append(conds, jen.Id(x+"."+id).Op("==").Id(ulit(c.Lo)))
				case c.Kind == lang.PatternBool && isBool(r.Field) && c.Bool:
					conds = append(conds, jen.Id(x+"."+id))
				case c.Kind == lang.PatternBool && isBool(r.Field):
					conds = append(conds, jen.Op("!").Id(x+"."+id))
				}
			}
		}
	}
	return conds
}

// uniqueBuildChecks returns, for the loop of a builder that writes the
// elements of array a with element builders e, the statements that fail
// when a second element holds a case of one of a's unique labels, and
// the locals they need, declared before the loop.
func (g *gen) uniqueBuildChecks(b, eb *builderGen, a *lang.Array, goF string) (vars, checks []jen.Code) {
	if eb == nil {
		return nil, nil
	}
	for _, u := range a.Unique {
		want := map[*lang.Case]bool{}
		for _, c := range u.Cases {
			want[c] = true
		}
		g.pendingHolds = append(g.pendingHolds, pendingHolds{b: eb, label: u.Label, method: holdsMethod(a, u), want: want, array: a.Name})
		cond := jen.Id("e").Dot(holdsMethod(a, u)).Call()
		seen := "seen" + strings.TrimPrefix(holdsMethod(a, u), "holds") + "_" + goF
		site := g.buildSite(b, a.Name, "Value", "at most one element holds "+u.Label)
		vars = append(vars, jen.Id(seen).Op(":=").False())
		checks = append(checks, jen.If(cond).Block(
			jen.If(jen.Id(seen)).Block(jen.Return(jen.Id("orig"), jen.Id(site).Dot("At").Call(jen.Id("at")))),
			jen.Id(seen).Op("=").True()))
	}
	return vars, checks
}

// pendingHolds is a holds method of an element builder, emitted once
// every packet's builders are made (an element may hold a packet whose
// builders come later).
type pendingHolds struct {
	b      *builderGen
	label  string
	method string
	want   map[*lang.Case]bool
	array  string
}

// builderHoldsMethods emits the holds methods of element builders that
// uniqueBuildChecks calls.
func (g *gen) builderHoldsMethods() {
	done := map[string]bool{}
	for _, h := range g.pendingHolds {
		m := h.method
		if done[h.b.name+"."+m] {
			continue
		}
		done[h.b.name+"."+m] = true
		var cond jen.Code = jen.False() // (no field of the builder chooses the case)
		if conds := g.builderHolds(h.b, "b", h.want, map[*lang.Packet]bool{}); len(conds) > 0 {
			cond = or(conds)
		}
		g.doc(m + " reports whether the element this builder builds holds the " + h.label + " case, which at most one element of the " + h.array + " array holds.")
		g.f.Func().Params(jen.Id("b").Op("*").Id(h.b.name)).Id(m).Params().Bool().Block(jen.Return(cond))
	}
	g.pendingHolds = nil
}
