package lang

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/alecthomas/participle/v2/lexer"
)

// expr is the uniform syntax tree of an expression, built from the
// per-precedence-level grammar structs.
type expr interface {
	exprPos() Pos
}

type (
	intLit struct {
		p    Pos
		text string
	}
	strLit struct {
		p   Pos
		val string
	}
	boolLit struct {
		p   Pos
		val bool
	}
	identExpr struct {
		p    Pos
		name string
	}
	callExpr struct {
		p    Pos
		name string
		args []expr
	}
	unaryExpr struct {
		p  Pos
		op string
		x  expr
	}
	binaryExpr struct {
		p    Pos // position of the operator
		op   string
		x, y expr
	}
)

func (e *intLit) exprPos() Pos     { return e.p }
func (e *strLit) exprPos() Pos     { return e.p }
func (e *boolLit) exprPos() Pos    { return e.p }
func (e *identExpr) exprPos() Pos  { return e.p }
func (e *callExpr) exprPos() Pos   { return e.p }
func (e *unaryExpr) exprPos() Pos  { return e.p }
func (e *binaryExpr) exprPos() Pos { return e.x.exprPos() }

func pos(p lexer.Position) Pos { return Pos{File: p.Filename, Line: p.Line, Col: p.Column} }

func toExpr(e *exprAST) expr {
	if e == nil {
		return nil
	}
	x := andToExpr(e.X)
	for _, r := range e.Rest {
		x = &binaryExpr{p: pos(r.Pos), op: "or", x: x, y: andToExpr(r.Y)}
	}
	return x
}

func andToExpr(e *andAST) expr {
	x := notToExpr(e.X)
	for _, r := range e.Rest {
		x = &binaryExpr{p: pos(r.Pos), op: "and", x: x, y: notToExpr(r.Y)}
	}
	return x
}

func notToExpr(e *notAST) expr {
	if e.Not != nil {
		return &unaryExpr{p: pos(e.Pos), op: "not", x: notToExpr(e.Not)}
	}
	return cmpToExpr(e.X)
}

func cmpToExpr(e *cmpAST) expr {
	x := sumToExpr(e.X)
	if e.Y == nil {
		return x
	}
	op := e.Op
	if op == "=" {
		op = "=="
	}
	return &binaryExpr{p: pos(e.Y.Pos), op: op, x: x, y: sumToExpr(e.Y)}
}

func sumToExpr(e *sumAST) expr {
	x := prodToExpr(e.X)
	for _, r := range e.Rest {
		x = &binaryExpr{p: pos(r.Pos), op: r.Op, x: x, y: prodToExpr(r.Y)}
	}
	return x
}

func prodToExpr(e *prodAST) expr {
	x := unaryToExpr(e.X)
	for _, r := range e.Rest {
		x = &binaryExpr{p: pos(r.Pos), op: r.Op, x: x, y: unaryToExpr(r.Y)}
	}
	return x
}

func unaryToExpr(e *unaryAST) expr {
	if e.P != nil {
		return primaryToExpr(e.P)
	}
	x := unaryToExpr(e.X)
	if e.Op == "+" {
		return x
	}
	return &unaryExpr{p: pos(e.Pos), op: e.Op, x: x}
}

func primaryToExpr(e *primaryAST) expr {
	p := pos(e.Pos)
	switch {
	case e.Int != nil:
		return &intLit{p: p, text: *e.Int}
	case e.Str != nil:
		s, err := strconv.Unquote(*e.Str)
		if err != nil {
			s = strings.Trim(*e.Str, `"`)
		}
		return &strLit{p: p, val: s}
	case e.Bool != nil:
		return &boolLit{p: p, val: *e.Bool == "true"}
	case e.Call != nil:
		c := &callExpr{p: p, name: e.Call.Name}
		for _, a := range e.Call.Args {
			c.args = append(c.args, toExpr(a))
		}
		return c
	case e.Ident != nil:
		return &identExpr{p: p, name: *e.Ident}
	default:
		return toExpr(e.Paren)
	}
}

// printTree renders a parsed spec as indented S-expressions, one statement
// per line, so that grammar changes show up as readable diffs in tests.
func printTree(s *specAST) string {
	var b strings.Builder
	for _, t := range s.Types {
		fmt.Fprintf(&b, "(type %s %s %s)\n", t.Name.Name, t.Kind.Name, t.Go.Text)
	}
	for _, p := range s.Packets {
		fmt.Fprintf(&b, "(packet %s", p.Name.Name)
		if len(p.Params) > 0 {
			b.WriteString(" (params")
			for _, a := range p.Params {
				fmt.Fprintf(&b, " (%s %s)", a.Type, a.Name.Name)
			}
			b.WriteString(")")
		}
		printStmts(&b, p.Body, 1)
		b.WriteString(")\n")
	}
	return b.String()
}

func printStmts(b *strings.Builder, stmts []*stmtAST, depth int) {
	for _, s := range stmts {
		b.WriteString("\n")
		b.WriteString(strings.Repeat("  ", depth))
		switch {
		case s.Empty:
			b.WriteString("(empty)")
		case s.Classify != nil:
			fmt.Fprintf(b, "(classify %s", s.Classify.On.Name)
			for _, c := range s.Classify.Cases {
				b.WriteString("\n")
				b.WriteString(strings.Repeat("  ", depth+1))
				b.WriteString("(case ")
				switch {
				case c.Wildcard:
					b.WriteString("_")
				case c.High != nil:
					fmt.Fprintf(b, "(.. %s %s)", exprString(toExpr(c.Value)), exprString(toExpr(c.High)))
				default:
					b.WriteString(exprString(toExpr(c.Value)))
				}
				fmt.Fprintf(b, " %s", c.Label.Text)
				if c.Guard != nil {
					fmt.Fprintf(b, " (when %s)", exprString(toExpr(c.Guard)))
				}
				printStmts(b, c.Body, depth+2)
				b.WriteString(")")
			}
			b.WriteString(")")
		case s.Array != nil:
			if s.Array.Bytes != nil {
				fmt.Fprintf(b, "(array %s (bytes %s)", s.Array.Name.Name, exprString(toExpr(s.Array.Bytes)))
			} else {
				fmt.Fprintf(b, "(array %s %s", s.Array.Name.Name, exprString(toExpr(s.Array.Count)))
			}
			for _, at := range s.Array.Attrs {
				fmt.Fprintf(b, " (%s", at.Name)
				for _, x := range at.Args {
					fmt.Fprintf(b, " %s", exprString(toExpr(x)))
				}
				b.WriteString(")")
			}
			printStmts(b, s.Array.Body, depth+1)
			b.WriteString(")")
		case s.Field != nil:
			f := s.Field
			fmt.Fprintf(b, "(field %s %s", f.Name.Name, typeString(&f.Type))
			for _, a := range f.Attrs {
				b.WriteString(" ")
				if a.Checksum == nil && (a.Variant != nil || a.Name == "") {
					b.WriteString("(variant")
					for _, v := range a.Variant {
						arrow := "->"
						if v.Default {
							arrow = "=>"
						}
						fmt.Fprintf(b, " (%s %s %s)", exprString(toExpr(v.Value)), arrow, v.Name.Name)
					}
					b.WriteString(")")
					continue
				}
				if c := a.Checksum; c != nil {
					to := "end"
					if c.To != nil {
						to = c.To.Name
					}
					fmt.Fprintf(b, "(checksum (.. %s %s)", c.From.Name, to)
					for _, x := range c.Terms {
						fmt.Fprintf(b, " %s", exprString(toExpr(x)))
					}
					b.WriteString(")")
					continue
				}
				fmt.Fprintf(b, "(%s", a.Name)
				for _, x := range a.Args {
					fmt.Fprintf(b, " %s", exprString(toExpr(x)))
				}
				b.WriteString(")")
			}
			b.WriteString(")")
		}
	}
}

func typeString(t *typeAST) string {
	var s string
	if t.Packet != nil {
		s = "(packet " + t.Packet.Name
		for _, a := range t.Args {
			s += " " + exprString(toExpr(a))
		}
		s += ")"
	} else {
		s = t.Name
	}
	if t.Size != nil {
		s = fmt.Sprintf("(%s %s)", s, exprString(toExpr(t.Size)))
	}
	return s
}

func exprString(e expr) string {
	switch e := e.(type) {
	case *intLit:
		return e.text
	case *strLit:
		return strconv.Quote(e.val)
	case *boolLit:
		return strconv.FormatBool(e.val)
	case *identExpr:
		return e.name
	case *callExpr:
		s := "(" + e.name
		for _, a := range e.args {
			s += " " + exprString(a)
		}
		return s + ")"
	case *unaryExpr:
		return "(" + e.op + " " + exprString(e.x) + ")"
	case *binaryExpr:
		return "(" + e.op + " " + exprString(e.x) + " " + exprString(e.y) + ")"
	}
	return "?"
}
