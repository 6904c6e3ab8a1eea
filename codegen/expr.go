package codegen

import (
	"fmt"
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

// parsePath is path in view v's parse method, which is given a pointer
// to its enclosing view, up, and reads it through that: up, up.up... (so
// that check and scan need not copy it into p).
func parsePath(v, w *view) string {
	if v == w {
		return "p"
	}
	return "up" + strings.Repeat(".up", v.depth()-w.depth()-1)
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
	// raw returns the unsigned value of an integer field, in a Go
	// unsigned type.
	raw func(f *lang.Field) jen.Code

	// ck is the mplrt.Checked that operations which may overflow go
	// through, while eval compiles an expression that has some; nck
	// counts the ones a function declares.
	ck  string
	nck int

	// seg returns the code of segment s of view w; nil: w's method or
	// field, through path.
	seg func(w *view, s *segment) string
}

var goOps = map[string]string{"and": "&&", "or": "||"}

var checkedOps = map[string]string{"+": "Add", "-": "Sub", "*": "Mul", "/": "Div", "%": "Rem"}

// eval compiles an integer or boolean expression evaluated in a statement.
// If some operation in it may overflow or divide by zero, pre declares the
// mplrt.Checked the expression uses and failed is the condition that it
// did; otherwise both are nil.
func (c *exprCtx) eval(e lang.Expr) (pre []jen.Code, x jen.Code, failed jen.Code) {
	if !lang.AnyNeedsCheck(e) {
		return nil, c.expr(e), nil
	}
	c.nck++
	name := fmt.Sprintf("ck%d", c.nck)
	old := c.ck
	c.ck = name
	x = c.expr(e)
	c.ck = old
	return []jen.Code{jen.Var().Id(name).Qual(runtimePath, "Checked")}, x, jen.Id(name).Dot("Failed").Call()
}

// cond compiles a condition evaluated inside a larger expression (a case
// of a switch): one whose arithmetic fails is false.
func (c *exprCtx) cond(e lang.Expr) jen.Code {
	if !lang.AnyNeedsCheck(e) {
		return c.expr(e)
	}
	pre, x, failed := c.eval(e)
	return jen.Func().Params().Bool().Block(append(pre,
		jen.Id("r").Op(":=").Add(x),
		jen.Return(jen.Id("r").Op("&&").Op("!").Add(failed)))...).Call()
}

// compareField returns the condition "f op e" for an integer field f
// whose unsigned value is raw, and the declarations it needs. It compares
// exactly: a 64-bit value above the largest int is compared as it is.
func (c *exprCtx) compareField(f *lang.Field, raw jen.Code, op string, e lang.Expr) (pre []jen.Code, cond jen.Code) {
	if isBool(f) {
		// Only const and value() compare a boolean, with "!=".
		if bl, ok := e.(*lang.BoolLit); ok {
			if bl.Value {
				return nil, jen.Add(raw).Op("==").Lit(0)
			}
			return nil, jen.Add(raw).Op("!=").Lit(0)
		}
		pre, x, failed := c.eval(e)
		return pre, orFailed(failed, jen.Parens(jen.Add(raw).Op("!=").Lit(0)).Op(op).Add(x))
	}
	if v, ok := lang.ConstBig(e); ok && v.Sign() >= 0 && v.IsUint64() {
		return nil, jen.Add(raw).Op(op).Id(ulit(v.Uint64()))
	}
	if r, ok := e.(*lang.FieldRef); ok && r.Type() == lang.TypeInt {
		return nil, jen.Uint64().Call(raw).Op(op).Uint64().Call(c.raw(r.Field))
	}
	pre, x, failed := c.eval(e)
	if fieldBits(f) < 64 {
		return pre, orFailed(failed, jen.Int().Call(raw).Op(op).Add(x))
	}
	return pre, orFailed(failed, rt("CompareUint").Call(jen.Uint64().Call(raw), x).Op(op).Lit(0))
}

// valueOf is the value in expressions of field f, whose unsigned (or,
// for a custom type, Go) value is raw: a bool for booleans, the value of
// a custom string or bytes type as it is, an int otherwise.
func (c *exprCtx) valueOf(f *lang.Field, raw jen.Code) jen.Code {
	switch d := customDef(f); {
	case d != nil && d.Value != lang.TypeInt:
		return raw
	case d == nil && isBool(f):
		return jen.Parens(jen.Add(raw).Op("!=").Lit(0))
	}
	return c.toInt(raw, f)
}

// toInt converts the unsigned value of integer field f to int, through
// the Checked in scope when it may not fit.
func (c *exprCtx) toInt(raw jen.Code, f *lang.Field) jen.Code {
	if fieldBits(f) < 64 && customDef(f) == nil {
		return jen.Int().Call(raw)
	}
	if c.ck == "" {
		c.g.errorf(f.Pos, "internal error: unchecked conversion of 64-bit field %s", f.Name)
	}
	return jen.Id(c.ck).Dot("Uint").Call(jen.Uint64().Call(raw))
}

func (c *exprCtx) expr(e lang.Expr) jen.Code {
	if e.Type() == lang.TypeInt {
		if v, ok := lang.ConstBig(e); ok {
			if !v.IsInt64() {
				c.g.errorf(e.Position(), "constant %s overflows int64", v)
				return jen.Lit(0)
			}
			return jen.Lit(int(v.Int64()))
		}
	}
	checked := lang.NeedsCheck(e)
	if checked && c.ck == "" {
		if _, ok := e.(*lang.FieldRef); !ok {
			c.g.errorf(e.Position(), "internal error: unchecked arithmetic in %s", lang.ExprString(e))
		}
	}
	switch e := e.(type) {
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
		if e.Op == "not" {
			return jen.Op("!").Parens(c.expr(e.X))
		}
		if checked && c.ck != "" {
			return jen.Id(c.ck).Dot("Neg").Call(c.expr(e.X))
		}
		return jen.Op("-").Parens(c.expr(e.X))
	case *lang.Binary:
		if m, ok := checkedOps[e.Op]; ok && checked && c.ck != "" {
			return jen.Id(c.ck).Dot(m).Call(c.expr(e.X), c.expr(e.Y))
		}
		op := e.Op
		if o, ok := goOps[op]; ok {
			op = o
		}
		if op == "=" {
			op = "=="
		}
		x, y := c.expr(e.X), c.expr(e.Y)
		if e.X.Type() == lang.TypeString {
			// String values are []byte; string(v) == "..." does not
			// allocate.
			if _, ok := e.X.(*lang.StringLit); !ok {
				x = jen.String().Call(x)
			}
			if _, ok := e.Y.(*lang.StringLit); !ok {
				y = jen.String().Call(y)
			}
		}
		return jen.Parens(jen.Add(x).Op(op).Add(y))
	}
	return jen.Lit(0)
}

// parseCtx compiles expressions in view v's parse method.
func (g *gen) parseCtx(v *view) *exprCtx { return g.viewCtx(v, parsePath) }

// viewCtx compiles expressions in a method of view v that reaches the
// views enclosing v through pathf.
func (g *gen) viewCtx(v *view, pathf func(v, w *view) string) *exprCtx {
	pg := v.pkt
	c := &exprCtx{g: g}
	*c = exprCtx{
		g:     g,
		field: func(f *lang.Field) jen.Code { return c.valueOf(f, c.raw(f)) },
		raw: func(f *lang.Field) jen.Code {
			w := pg.viewOf[f.Block]
			if customDef(f) != nil {
				return customValue(pathf(v, w), w, f)
			}
			seg, ok := w.segOf[f]
			if !ok {
				g.errorf(f.Pos, "the generator cannot read the value of %s field %s yet", f.Type, f.Name)
				return jen.Lit(0)
			}
			x, _ := readField(c.segRef(v, w, seg), w.relOf[f], f)
			return x
		},
		offset: func(d lang.Decl) jen.Code {
			w := pg.viewOfDecl(d)
			if v.locals[d] != 0 {
				return jen.Id("e" + w.id(d))
			}
			return jen.Id(pathf(v, w) + ".e" + w.id(d))
		},
		size: func(d lang.Decl) jen.Code {
			w := pg.viewOfDecl(d)
			if v.locals[d] != 0 {
				return jen.Parens(jen.Id("e" + w.id(d)).Op("-").Id("o" + w.id(d)))
			}
			p := pathf(v, w)
			return jen.Parens(jen.Id(p + ".e" + w.id(d)).Op("-").Id(p + ".o" + w.id(d)))
		},
		length: func(a *lang.Array) jen.Code {
			w := pg.viewOfDecl(a)
			return jen.Id(pathf(v, w) + ".n" + w.id(a))
		},
		param: func(p *lang.Param) jen.Code {
			return jen.Id(pathf(v, v.root()) + ".p" + pg.paramIDs[p])
		},
		remaining: func() jen.Code { return jen.Len(jen.Id("rest")) },
	}
	return c
}

// segRef returns the code of segment s of view w in a method of view v.
func (c *exprCtx) segRef(v, w *view, s *segment) string {
	if c.seg != nil {
		return c.seg(w, s)
	}
	return path(v, w) + segName(s)
}

func segName(s *segment) string {
	if s.derived {
		return ".s" + itoa(s.idx) + "()"
	}
	return ".s" + itoa(s.idx)
}
