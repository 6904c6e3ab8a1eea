package codegen

import (
	"math"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/mplgo/mpl/lang"
)

// depth is the number of views enclosing v.
func (v *view) depth() int {
	d := 0
	for w := v.up; w != nil; w = w.up {
		d++
	}
	return d
}

// path returns the Go expression that reaches view w from the receiver p
// of view v's methods: p, p.up, p.up.up...
func path(v, w *view) string {
	return "p" + strings.Repeat(".up", v.depth()-w.depth())
}

func (v *view) root() *view {
	for v.up != nil {
		v = v.up
	}
	return v
}

// exprCtx compiles expressions for one place in generated code.
type exprCtx struct {
	g *gen
	// ref returns the code for a reference to a field's value, an
	// offset, a size, an array length or a parameter.
	field     func(f *lang.Field) jen.Code
	offset    func(d lang.Decl) jen.Code
	size      func(d lang.Decl) jen.Code
	length    func(a *lang.Array) jen.Code
	param     func(p *lang.Param) jen.Code
	remaining func() jen.Code
}

var goOps = map[string]string{"and": "&&", "or": "||"}

func (c *exprCtx) expr(e lang.Expr) jen.Code {
	switch e := e.(type) {
	case *lang.IntLit:
		if e.Value > math.MaxInt64 {
			c.g.errorf(e.Pos, "constant %d is too large for generated code", e.Value)
			return jen.Lit(0)
		}
		return jen.Lit(int(e.Value))
	case *lang.BoolLit:
		return jen.Lit(e.Value)
	case *lang.StringLit:
		return jen.Lit(e.Value)
	case *lang.FieldRef:
		return c.field(e.Field)
	case *lang.ParamRef:
		return c.param(e.Param)
	case *lang.Offset:
		if f, ok := e.Decl.(*lang.Field); ok && staticEnd(f) {
			return jen.Lit(f.Offset + f.Size)
		}
		return c.offset(e.Decl)
	case *lang.Sizeof:
		if n, ok := staticSize(e.Decl); ok {
			return jen.Lit(n)
		}
		return c.size(e.Decl)
	case *lang.ArrayLength:
		return c.length(e.Array)
	case *lang.Remaining:
		return c.remaining()
	case *lang.Unary:
		op := "-"
		if e.Op == "not" {
			op = "!"
		}
		return jen.Op(op).Parens(c.expr(e.X))
	case *lang.Binary:
		op := e.Op
		if o, ok := goOps[op]; ok {
			op = o
		}
		return jen.Parens(jen.Add(c.expr(e.X)).Op(op).Add(c.expr(e.Y)))
	}
	return jen.Lit(0)
}

// parseCtx compiles expressions in view v's parse method.
func (g *gen) parseCtx(v *view) *exprCtx {
	pg := v.pkt
	return &exprCtx{
		g: g,
		field: func(f *lang.Field) jen.Code {
			w := pg.viewOf[f.Block]
			seg, ok := w.segOf[f]
			if !ok {
				g.errorf(f.Pos, "the generator cannot read the value of %s field %s yet", f.Type, f.Name)
				return jen.Lit(0)
			}
			x, _ := readField(path(v, w)+segName(seg), w.relOf[f], f)
			return jen.Int().Call(x)
		},
		offset: func(d lang.Decl) jen.Code {
			w := pg.viewOfDecl(d)
			if v.locals[d] != 0 {
				return jen.Id("e" + w.id(d))
			}
			return jen.Id(path(v, w) + ".e" + w.id(d))
		},
		size: func(d lang.Decl) jen.Code {
			w := pg.viewOfDecl(d)
			if v.locals[d] != 0 {
				return jen.Parens(jen.Id("e" + w.id(d)).Op("-").Id("o" + w.id(d)))
			}
			p := path(v, w)
			return jen.Parens(jen.Id(p + ".e" + w.id(d)).Op("-").Id(p + ".o" + w.id(d)))
		},
		length: func(a *lang.Array) jen.Code {
			w := pg.viewOfDecl(a)
			return jen.Id(path(v, w) + ".n" + w.id(a))
		},
		param: func(p *lang.Param) jen.Code {
			return jen.Id(path(v, v.root()) + ".p" + pg.paramIDs[p])
		},
		remaining: func() jen.Code { return jen.Len(jen.Id("rest")) },
	}
}

func segName(s *segment) string { return ".s" + itoa(s.idx) }
