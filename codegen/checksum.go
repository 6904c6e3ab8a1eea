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
		var end jen.Code = jen.Len(jen.Id("p.b"))
		if cs.To != nil {
			switch at, ok := v.bytesAt[cs.To]; {
			case cs.To.Offset >= 0 && cs.To.Size >= 0:
				end = jen.Lit(cs.To.Offset + cs.To.Size)
			case ok:
				end = at[1].code("p")
			default:
				g.errorf(cs.Pos, "the generator cannot find where checksum range %s ends in a view yet", rangeText(cs))
				continue
			}
		}
		ctx := g.parseCtx(v)
		ctx.offset = func(d lang.Decl) jen.Code {
			if f, ok := d.(*lang.Field); ok {
				if f.Offset >= 0 && f.Size >= 0 {
					return jen.Lit(f.Offset + f.Size)
				}
				if at, ok := v.bytesAt[f]; ok {
					return at[1].code("p")
				}
			}
			g.errorf(cs.Pos, "the generator cannot compute offset(%s) in a checksum term yet", d.DeclName())
			return jen.Lit(0)
		}
		init, pre, failed := g.checksumInit(cs, ctx, func(p *lang.Param) jen.Code { return jen.Id(argOf[p]) })
		site := g.site(v, f.Name, "Checksum", "checksum("+termsString(cs)+")")
		// The guard fails only for the zero view.
		guard := []jen.Code{jen.List(jen.Id("s"), jen.Id("e")).Op(":=").Lit(from).Op(",").Add(end)}
		if cs.To == nil {
			// A classify of the packet's body that matched no case
			// leaves the rest of the packet in Rest: the range runs to
			// the end of it, as the builder that takes that body as
			// bytes writes it.
			for _, cg := range v.classifies {
				guard = append(guard, jen.If(jen.Id("p.k"+itoa(cg.idx)).Op("==").Id(cg.unknown)).Block(jen.Id("e").Op("=").Cap(jen.Id("p.b"))))
			}
		}
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

// termsString is the text of a checksum's range and terms, for errors.
func termsString(cs *lang.Checksum) string {
	s := rangeText(cs)
	for _, t := range cs.Terms {
		s += ", " + lang.ExprString(t)
	}
	return s
}

// rangeText is a checksum's range as the spec writes it.
func rangeText(cs *lang.Checksum) string {
	if cs.To == nil {
		return cs.From.Name + " .."
	}
	return cs.From.Name + " .. " + cs.To.Name
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
