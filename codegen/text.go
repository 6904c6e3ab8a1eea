package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/mplgo/mpl/lang"
)

func rt(name string) *jen.Statement { return jen.Qual(runtimePath, name) }

// walk emits Walk, AppendText and String for a view.
func (g *gen) walk(v *view) {
	recv := g.getRecv(v)
	vrecv := jen.Id("p").Id(v.name)
	var body []jen.Code
	emit := func(fields jen.Dict) {
		fields[jen.Id("Array")] = jen.Id("array")
		fields[jen.Id("Index")] = jen.Id("index")
		fields[jen.Id("Outer")] = jen.Id("outer")
		body = append(body, jen.If(jen.Op("!").Id("fn").Call(rt("Field").Values(fields))).Block(jen.Return(jen.False())))
	}
	for _, st := range v.block.Stmts {
		switch st := st.(type) {
		case *lang.Field:
			n := v.id(st)
			name := jen.Lit(st.Name)
			if seg, ok := v.segOf[st]; ok {
				arr := "p" + segName(seg)
				rel := v.relOf[st]
				if t, ok := st.Type.(lang.BytesType); ok {
					size := int(mustConst(t.Len))
					emit(jen.Dict{jen.Id("Name"): name, jen.Id("Format"): rt(bytesFormat(st)), jen.Id("Bytes"): jen.Id(fmt.Sprintf("%s[%d:%d:%d]", arr, rel, rel+size, rel+size))})
					continue
				}
				raw, _ := readField(arr, rel, st)
				d := jen.Dict{jen.Id("Name"): name, jen.Id("Uint"): jen.Uint64().Call(raw), jen.Id("Bits"): jen.Lit(fieldBits(st))}
				switch {
				case g.enumType(v, st) != "" && st.Attrs.Format == "hex":
					d[jen.Id("Format")] = rt("FormatHex")
					d[jen.Id("Enum")] = jen.Id(g.enumType(v, st)).Call(raw).Dot("name").Call()
				case g.enumType(v, st) != "":
					d[jen.Id("Format")] = rt("FormatEnum")
					d[jen.Id("Enum")] = jen.Id(g.enumType(v, st)).Call(raw).Dot("name").Call()
				case isBool(st):
					d[jen.Id("Format")] = rt("FormatBool")
				case st.Attrs.Format == "ipv4":
					d[jen.Id("Format")] = rt("FormatIPv4")
				case st.Attrs.Format == "hex":
					d[jen.Id("Format")] = rt("FormatHex")
				default:
					d[jen.Id("Format")] = rt("FormatUint")
				}
				emit(d)
				continue
			}
			if _, ok := st.Type.(lang.BytesType); ok {
				emit(jen.Dict{jen.Id("Name"): name, jen.Id("Format"): rt(bytesFormat(st)), jen.Id("Bytes"): jen.Id("p").Dot(n).Call()})
			}
			if packetOf(st) != nil {
				// Its fields, under the field's name.
				body = append(body, jen.Block(
					jen.Id("out").Op(":=").Id("outer"),
					jen.If(jen.Id("array").Op("!=").Lit("")).Block(jen.Id("out").Op("=").Id("outer").Dot("Push").Call(jen.Id("array"), jen.Id("index"))),
					jen.If(jen.Op("!").Id("p.f"+n).Dot("walk").Call(jen.Id("fn"), jen.Id("out").Dot("Push").Call(jen.Lit(st.Name), jen.Lit(-1)), jen.Lit(""), jen.Lit(0))).Block(jen.Return(jen.False()))))
			}
			if d := customDef(st); d != nil {
				fd := jen.Dict{jen.Id("Name"): name, jen.Id("Format"): rt("FormatCustom"), jen.Id("Type"): customType(d),
					jen.Id("Msg"): jen.Id("p.b"), jen.Id("Off"): jen.Id("p.u" + n), jen.Id("Bytes"): jen.Id("p").Dot(n + "Bytes").Call()}
				switch d.Value {
				case lang.TypeInt:
					fd[jen.Id("Uint")] = customValue("p", v, st)
				case lang.TypeBool:
					fd[jen.Id("Uint")] = jen.Uint64().Call(rt("BoolBit").Call(customValue("p", v, st)))
				}
				emit(fd)
			}
		case *lang.Classify:
			var cg *classifyGen
			for _, c := range v.classifies {
				if c.cl == st {
					cg = c
				}
			}
			var cases []jen.Code
			for _, c := range st.Cases {
				cases = append(cases, jen.Case(jen.Id(cg.consts[c])).Block(
					jen.If(jen.List(jen.Id("c"), jen.Id("ok")).Op(":=").Id("p").Dot(cg.as[c]).Call(), jen.Id("ok")).Block(
						jen.If(jen.Op("!").Id("fn").Call(rt("Field").Values(jen.Dict{
							jen.Id("Name"): jen.Lit("case"), jen.Id("Format"): rt("FormatKind"), jen.Id("Enum"): jen.Lit(c.Label),
							jen.Id("Array"): jen.Id("array"), jen.Id("Index"): jen.Id("index"), jen.Id("Outer"): jen.Id("outer"),
						}))).Block(jen.Return(jen.False())),
						jen.If(jen.Op("!").Id("c").Dot("walk").Call(jen.Id("fn"), jen.Id("outer"), jen.Id("array"), jen.Id("index"))).Block(jen.Return(jen.False())),
					),
				))
			}
			body = append(body, jen.Switch(jen.Id("p.k"+itoa(cg.idx))).Block(cases...))
		case *lang.Array:
			n := v.id(st)
			body = append(body, jen.Block(
				// The elements' fields lie inside this element, if any.
				jen.Id("out").Op(":=").Id("outer"),
				jen.If(jen.Id("array").Op("!=").Lit("")).Block(jen.Id("out").Op("=").Id("outer").Dot("Push").Call(jen.Id("array"), jen.Id("index"))),
				jen.Id("it").Op(":=").Id("p").Dot(n).Call(),
				jen.For(jen.Id("i").Op(":=").Lit(0), jen.Empty(), jen.Id("i").Op("++")).Block(
					jen.List(jen.Id("e"), jen.Id("ok")).Op(":=").Id("it").Dot("Next").Call(),
					jen.If(jen.Op("!").Id("ok")).Block(jen.Break()),
					jen.If(jen.Op("!").Id("e").Dot("walk").Call(jen.Id("fn"), jen.Id("out"), jen.Lit(st.Name), jen.Id("i"))).Block(jen.Return(jen.False())),
				)))
		}
	}
	body = append(body, jen.Return(jen.True()))
	fnType := jen.Func().Params(rt("Field")).Bool()
	g.doc((fmt.Sprintf("Walk calls fn with each field of the %s in order, descending into the case it holds and the elements of its arrays. It stops when fn returns false, and reports whether it went through every field. It allocates nothing.", v.name)))
	g.f.Func().Params(recv.Clone()).Id("Walk").Params(jen.Id("fn").Add(fnType.Clone())).Bool().Block(
		jen.Return(jen.Id("p").Dot("walk").Call(jen.Id("fn"), rt("Path").Values(), jen.Lit(""), jen.Lit(0))))
	g.f.Func().Params(recv.Clone()).Id("walk").Params(jen.Id("fn").Add(fnType.Clone()), jen.Id("outer").Add(rt("Path")), jen.Id("array").String(), jen.Id("index").Int()).Bool().Block(body...)

	label := v.pkt.p.Name
	if c, ok := v.owner.(*lang.Case); ok {
		label += "." + c.Label
	}
	g.doc((fmt.Sprintf("AppendText appends the %s to b on one line, as %q followed by its fields as name=value.", v.name, label)))
	g.f.Func().Params(vrecv.Clone()).Id("AppendText").Params(jen.Id("b").Index().Byte()).Index().Byte().Block(
		jen.Id("b").Op("=").Append(jen.Id("b"), jen.Lit(label).Op("...")),
		jen.Id("p").Dot("Walk").Call(jen.Func().Params(jen.Id("f").Add(rt("Field"))).Bool().Block(
			jen.Id("b").Op("=").Append(jen.Id("b"), jen.LitRune(' ')),
			jen.Id("b").Op("=").Id("f").Dot("AppendText").Call(jen.Id("b")),
			jen.Return(jen.True()),
		)),
		jen.Return(jen.Id("b")),
	)
	g.f.Comment(fmt.Sprintf("String returns the %s on one line; see AppendText.", v.name))
	g.f.Func().Params(vrecv.Clone()).Id("String").Params().String().Block(
		jen.Return(jen.String().Call(jen.Id("p").Dot("AppendText").Call(jen.Nil()))))
}

func bytesFormat(f *lang.Field) string {
	switch f.Attrs.Format {
	case "mac":
		return "FormatMAC"
	case "ipv4":
		return "FormatIPv4"
	case "ipv6":
		return "FormatIPv6"
	case "hex":
		return "FormatHex"
	}
	return "FormatBytes"
}
