package lang

import (
	"math/big"
	"strconv"
	"strings"
)

// exprCtx says when an expression is evaluated, which decides what it may
// refer to.
type exprCtx int

const (
	// ctxParse: evaluated while parsing; only what is already parsed.
	ctxParse exprCtx = iota
	// ctxBuild: evaluated while building (value, default); any field.
	ctxBuild
	// ctxConst: a compile-time constant.
	ctxConst
)

// expr converts and checks an expression in the current block. self is the
// field the expression belongs to (its own value is known when its min, max
// and const are checked), or nil. It returns nil after reporting an error.
func (c *checker) expr(e *exprAST, ctx exprCtx, self *Field) Expr {
	return c.conv(toExpr(e), ctx, self)
}

func (c *checker) conv(e expr, ctx exprCtx, self *Field) Expr {
	switch e := e.(type) {
	case *intLit:
		text := strings.ReplaceAll(e.text, "_", "")
		base := 10
		if len(text) > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X' || text[1] == 'b' || text[1] == 'B') {
			base = 0
		}
		v, err := strconv.ParseUint(text, base, 64)
		if err != nil {
			c.errorf(e.p, "integer literal %s out of range or malformed", e.text)
			return nil
		}
		return &IntLit{Pos: e.p, Value: v}
	case *strLit:
		return &StringLit{Pos: e.p, Value: e.val}
	case *boolLit:
		return &BoolLit{Pos: e.p, Value: e.val}
	case *identExpr:
		return c.ident(e, ctx, self)
	case *callExpr:
		return c.call(e, ctx, self)
	case *unaryExpr:
		x := c.conv(e.x, ctx, self)
		if x == nil {
			return nil
		}
		want := TypeInt
		if e.op == "not" {
			want = TypeBool
		}
		if x.Type() != want {
			c.errorf(e.p, "operator %s needs %s, found %s", e.op, want, x.Type())
			return nil
		}
		return &Unary{Pos: e.p, Op: e.op, X: x}
	case *binaryExpr:
		x := c.conv(e.x, ctx, self)
		y := c.conv(e.y, ctx, self)
		if x == nil || y == nil {
			return nil
		}
		b := &Binary{Pos: e.p, Op: e.op, X: x, Y: y}
		if !c.operandsFit(b) {
			return nil
		}
		switch e.op {
		case "+", "-", "*", "/", "%", "<", "<=", ">", ">=":
			if x.Type() != TypeInt || y.Type() != TypeInt {
				c.errorf(e.p, "operator %s needs int operands, found %s and %s", e.op, x.Type(), y.Type())
				return nil
			}
			if e.op == "/" || e.op == "%" {
				if v, ok := constValue(y); ok && v.Sign() == 0 {
					c.errorf(y.Position(), "division by zero")
					return nil
				}
			}
		case "==", "!=":
			if x.Type() != y.Type() {
				c.errorf(e.p, "operator %s compares %s with %s", e.op, x.Type(), y.Type())
				return nil
			}
		case "and", "or":
			if x.Type() != TypeBool || y.Type() != TypeBool {
				c.errorf(e.p, "operator %s needs bool operands, found %s and %s", e.op, x.Type(), y.Type())
				return nil
			}
		}
		return b
	}
	return nil
}

// operandsFit reports, for an operation that is not constant as a whole,
// whether its constant operands fit in int64, the arithmetic of generated
// code (a constant expression is folded exactly before that).
func (c *checker) operandsFit(b *Binary) bool {
	_, xc := constValue(b.X)
	_, yc := constValue(b.Y)
	if xc && yc {
		return true
	}
	for _, o := range []Expr{b.X, b.Y} {
		if v, ok := constValue(o); ok && !v.IsInt64() {
			c.errorf(o.Position(), "constant %s overflows int64; expressions are evaluated in 64-bit signed arithmetic", v)
			return false
		}
	}
	return true
}

func (c *checker) ident(e *identExpr, ctx exprCtx, self *Field) Expr {
	if d := c.lookupDecl(c.cur, e.name); d != nil {
		switch d := d.(type) {
		case *Array:
			c.errorf(e.p, "array %s has no value; use array_length(%s) or sizeof(%s)", e.name, e.name, e.name)
			return nil
		case *Field:
			if ctx == ctxParse && !c.parsed[d] && d != self {
				c.known(e.p, d, ctx, self)
				return nil
			}
			if fieldValueType(d) == TypeInvalid {
				switch d.Type.(type) {
				case LabelType:
					c.errorf(e.p, "label %s has no value; use offset(%s)", e.name, e.name)
				default:
					c.errorf(e.p, "field %s is %s, which has no value; use sizeof(%s)", e.name, d.Type, e.name)
				}
				return nil
			}
			if !c.known(e.p, d, ctx, self) || !c.inElement(e.p, d) {
				return nil
			}
			return &FieldRef{Pos: e.p, Field: d}
		}
	}
	if prm, ok := c.params[e.name]; ok {
		if ctx == ctxConst {
			c.errorf(e.p, "parameter %s is not a constant", e.name)
			return nil
		}
		if prm.Type == TypeAddr && !c.inChecksum {
			c.errorf(e.p, "parameter %s is an addr; only a checksum's pseudo-header may read it", e.name)
			return nil
		}
		return &ParamRef{Pos: e.p, Param: prm}
	}
	c.errorf(e.p, "undefined: %s", e.name)
	return nil
}

// inElement checks that an expression inside an array element reads only
// declarations of that element: an element's builder is built on its own,
// from its own fields and the packet's parameters.
func (c *checker) inElement(p Pos, d Decl) bool {
	var arr *Array
	for b := c.cur; b != nil && arr == nil; b = b.Parent {
		arr, _ = b.Owner.(*Array)
	}
	if arr == nil {
		return true
	}
	var db *Block
	switch d := d.(type) {
	case *Field:
		db = d.Block
	case *Array:
		db = d.Block
	}
	for b := db; b != nil; b = b.Parent {
		if b == arr.Body {
			return true
		}
	}
	c.errorf(p, "an element of array %s reads %s, declared outside the element (at %s); an element may read only its own fields and the packet's parameters", arr.Name, d.DeclName(), d.Position())
	return false
}

// known checks that d may be used in an expression of context ctx.
func (c *checker) known(p Pos, d Decl, ctx exprCtx, self *Field) bool {
	switch ctx {
	case ctxConst:
		c.errorf(p, "%s is not a constant", d.DeclName())
		return false
	case ctxParse:
		if !c.parsed[d] && !(self != nil && Decl(self) == d) {
			c.errorf(p, "%s is used before it is parsed (declared at %s)", d.DeclName(), d.Position())
			return false
		}
	}
	return true
}

func (c *checker) call(e *callExpr, ctx exprCtx, self *Field) Expr {
	switch e.name {
	case "remaining":
		if len(e.args) != 0 {
			c.errorf(e.p, "remaining takes no arguments")
			return nil
		}
		switch ctx {
		case ctxConst:
			c.errorf(e.p, "remaining() is not a constant")
			return nil
		case ctxBuild:
			c.errorf(e.p, "remaining() is known only while parsing")
			return nil
		}
		if !c.inLength {
			c.errorf(e.p, "remaining() may only be used in the length of a byte field or of a byte-bounded array")
			return nil
		}
		for b := c.cur; b != nil; b = b.Parent {
			if a, ok := b.Owner.(*Array); ok {
				if a.Bytes != nil {
					break // the rest of the array's bytes
				}
				c.errorf(e.p, "remaining() in an element of array %s would take the rest of the packet; give the element a length, or the array one: %s: array[length]", a.Name, a.Name)
				return nil
			}
		}
		return &Remaining{Pos: e.p}
	case "offset", "sizeof", "array_length":
	default:
		c.errorf(e.p, "unknown function %s; the functions are offset, sizeof, array_length and remaining", e.name)
		return nil
	}
	if len(e.args) != 1 {
		c.errorf(e.p, "%s takes 1 argument, found %d", e.name, len(e.args))
		return nil
	}
	id, ok := e.args[0].(*identExpr)
	if !ok {
		c.errorf(e.args[0].exprPos(), "%s takes a field name", e.name)
		return nil
	}
	d := c.lookupDecl(c.cur, id.name)
	if d == nil {
		c.errorf(id.p, "undefined: %s", id.name)
		return nil
	}
	// A field's own size is known once its length is: sizeof(self) is
	// allowed in its checks, as is its value.
	if !c.known(id.p, d, ctx, self) || !c.inElement(id.p, d) {
		return nil
	}
	switch e.name {
	case "offset":
		return &Offset{Pos: e.p, Decl: d}
	case "sizeof":
		if f, ok := d.(*Field); ok {
			if _, ok := f.Type.(BitsType); ok {
				c.errorf(id.p, "sizeof of bit field %s; its size is not a whole number of bytes", id.name)
				return nil
			}
		}
		return &Sizeof{Pos: e.p, Decl: d}
	default:
		a, ok := d.(*Array)
		if !ok {
			c.errorf(id.p, "array_length of %s, which is not an array", id.name)
			return nil
		}
		return &ArrayLength{Pos: e.p, Array: a}
	}
}

// constInt converts an expression that must be a constant integer.
func (c *checker) constInt(e *exprAST, what string) (int64, bool) {
	x := c.expr(e, ctxConst, nil)
	if x == nil {
		return 0, false
	}
	v, ok := constValue(x)
	if !ok || x.Type() != TypeInt {
		c.errorf(x.Position(), "%s must be a constant integer", what)
		return 0, false
	}
	if !v.IsInt64() {
		c.errorf(x.Position(), "%s %s out of range", what, v)
		return 0, false
	}
	return v.Int64(), true
}

// constValue evaluates a constant integer expression.
func constValue(e Expr) (*big.Int, bool) {
	switch e := e.(type) {
	case *IntLit:
		return new(big.Int).SetUint64(e.Value), true
	case *Unary:
		if e.Op != "-" {
			return nil, false
		}
		x, ok := constValue(e.X)
		if !ok {
			return nil, false
		}
		return x.Neg(x), true
	case *Binary:
		x, ok1 := constValue(e.X)
		y, ok2 := constValue(e.Y)
		if !ok1 || !ok2 {
			return nil, false
		}
		switch e.Op {
		case "+":
			return x.Add(x, y), true
		case "-":
			return x.Sub(x, y), true
		case "*":
			return x.Mul(x, y), true
		case "/":
			if y.Sign() == 0 {
				return nil, false
			}
			return x.Quo(x, y), true
		case "%":
			if y.Sign() == 0 {
				return nil, false
			}
			return x.Rem(x, y), true
		}
	}
	return nil, false
}

// ConstValue evaluates a constant integer expression; ok is false if e is
// not constant or does not fit in an int64.
func ConstValue(e Expr) (v int64, ok bool) {
	b, ok := constValue(e)
	if !ok || !b.IsInt64() {
		return 0, false
	}
	return b.Int64(), true
}
