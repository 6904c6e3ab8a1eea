package lang

import (
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
)

// This file proves that each value(e) inverts the sizes it governs.
//
// A builder writes a value() field as e computes it, from the bytes and
// elements it is given; a parser then reads the lengths and counts that
// read the field from what the builder wrote. For every size expression S
// (the length of a byte field, the count or length of an array) that reads
// a value() field F, the pass substitutes e for F in S, expands offset()
// and sizeof() into sums of the sizes of the fields before, and checks that
// the result is the size the builder was given, for all sizes.
//
// Sizes are linear forms over symbols with exact rational coefficients:
// the length of each byte field of variable length (a multiple of n/8 with
// align(n)), the count or size of each array, the size of each packet or
// custom-typed field and of each classify whose case is not known, the
// value of each field that value() does not compute, and each parameter.
// A byte field, or an array, whose length or count reads no value() field
// has the size its expression gives (a builder checks it); any other is a
// free symbol.
//
// Division and remainder by a constant k are exact on a residue class: with
// every symbol that reaches a dividend written as s = a*(r + M*t), for a
// modulus M that every divisor divides, r in [0, M) and t >= 0, the
// quotient of a linear form whose coefficients M makes multiples of k is
// again linear in t. (Generated code truncates toward zero; a dividend
// whose coefficients have one sign has that sign once the sizes are large
// enough, which is what decides below; one with coefficients of both
// signs is not modelled.) The pass evaluates S - size in each class:
//
//   - zero in every class: proved for every size;
//   - zero in some classes: proved for the sizes of those classes; the
//     builder's length check rejects the others (IPv6's hdr_ext_len, in
//     8-byte units, gives back the options only when the header is a
//     multiple of 8 bytes long);
//   - zero in no class, but zero whenever the size agrees with other
//     sizes or parameters (the difference reads a parameter, or sizes with
//     coefficients of both signs): the size is tied to others, which the
//     builder checks. Accepted when the value gives back another size it
//     sets (ARP's tha and sha are both byte[hlen], and hlen is
//     sizeof(sha)), an error otherwise;
//   - zero for a bounded set of sizes at most (the coefficients have one
//     sign): the value does not give back the size, an error;
//   - anything beyond linear arithmetic (a product of two sizes, a divisor
//     that is not a constant, a dividend whose sign is not known, a cycle
//     of values, remaining()): not proved either way, and accepted.
//
// A builder fails when e does not fit the field, so the field holds e
// exactly; the value of each value() field read on the way is its e in
// turn. A size inside a classify case is proved with that case taken: the
// classify's size is then the case body's.

// proofResult is what the pass concluded about one size expression.
type proofResult int

const (
	// proofUnknown: the expressions are beyond what the pass models.
	proofUnknown proofResult = iota
	// proofHolds: the size is given back for every size.
	proofHolds
	// proofHoldsExact: the size is given back for the sizes on which the
	// value's divisions are exact; the builder rejects the others.
	proofHoldsExact
	// proofTied: the size is given back when it agrees with other sizes
	// (the builder checks it), as tha's length agrees with sha's in ARP,
	// where hlen is sizeof(sha) and both are byte[hlen]. A value that
	// gives back another size it sets is accepted.
	proofTied
	// proofFails: the size is not given back.
	proofFails
)

func (r proofResult) String() string {
	switch r {
	case proofHolds:
		return "holds"
	case proofHoldsExact:
		return "holds where exact"
	case proofTied:
		return "tied"
	case proofFails:
		return "fails"
	}
	return "unknown"
}

// sizeUse is a size expression that reads a value() field.
type sizeUse struct {
	field *Field // the value() field
	size  Expr   // the length or count expression
	decl  Decl   // the byte field or array whose size it is
	count bool   // size is an array's count, not a length in bytes
}

// valueProof is the outcome for one sizeUse.
type valueProof struct {
	use    sizeUse
	result proofResult
	// why explains a failure: what the builder writes and what a parser
	// then reads.
	why string
}

// proveValues checks the value() fields of a checked packet against the
// sizes they govern, reporting each size a value does not give back.
func (c *checker) proveValues(p *Packet) {
	for _, pr := range proveValueSizes(p) {
		if pr.result != proofFails {
			continue
		}
		u := pr.use
		at, ok := c.valuePos[u.field]
		if !ok {
			at = u.field.Attrs.Value.Position()
		}
		c.errorf(at, "value(%s) of %s does not give back the %s of %s (%s): %s",
			exprText(u.field.Attrs.Value), u.field.Name, sizeNoun(u), u.decl.DeclName(), exprText(u.size), pr.why)
	}
}

func sizeNoun(u sizeUse) string {
	if u.count {
		return "count"
	}
	return "length"
}

// sizeUses lists, in spec order, the size expressions of a packet that
// read a value() field, once per field they read.
func sizeUses(p *Packet) []sizeUse {
	var uses []sizeUse
	add := func(size Expr, d Decl, count bool) {
		seen := map[*Field]bool{}
		WalkExpr(size, func(e Expr) {
			if r, ok := e.(*FieldRef); ok && r.Field.Attrs.Value != nil && !seen[r.Field] {
				seen[r.Field] = true
				uses = append(uses, sizeUse{field: r.Field, size: size, decl: d, count: count})
			}
		})
	}
	Walk(p.Body, func(s Stmt) {
		switch s := s.(type) {
		case *Field:
			if t, ok := s.Type.(BytesType); ok && t.Len != nil {
				add(t.Len, s, false)
			}
		case *Array:
			if s.Count != nil {
				add(s.Count, s, true)
			}
			if s.Bytes != nil {
				add(s.Bytes, s, false)
			}
		}
	})
	return uses
}

// proveValueSizes runs the proof on every size expression of a packet that
// reads a value() field.
func proveValueSizes(p *Packet) []valueProof {
	var out []valueProof
	budget := proofBudget
	gives := map[*Field]bool{}
	for _, u := range sizeUses(p) {
		res, why := proveUse(u, &budget)
		out = append(out, valueProof{use: u, result: res, why: why})
		if res == proofHolds || res == proofHoldsExact {
			gives[u.field] = true
		}
	}
	// A size tied to others is right when the value gives back one of
	// the sizes it sets: the one it is computed from.
	for i := range out {
		if out[i].result == proofTied && !gives[out[i].use.field] {
			out[i].result = proofFails
		}
	}
	return out
}

// Limits that keep the proof fast on any input: beyond them a size is not
// proved either way.
const (
	proofBudget     = 1 << 21 // evaluation steps per packet
	maxProofModulus = 1 << 10
	maxProofClasses = 1 << 12
)

var (
	// errUnknown: the expression is beyond linear arithmetic.
	errUnknown = errors.New("not linear")
	// errBudget: the packet's evaluation budget is spent.
	errBudget = errors.New("proof budget spent")
)

// errModulus says that a division needs a larger modulus to be exact on
// each residue class.
type errModulus struct{ k *big.Int }

func (e *errModulus) Error() string { return "modulus too small for division by " + e.k.String() }

// symKind says what a symbol stands for.
type symKind int

const (
	symLen      symKind = iota // the size of a field
	symCount                   // the number of elements of an array
	symSize                    // the size of an array in bytes
	symClassify                // the size of a classify
	symField                   // the value of a field
	symParam                   // a parameter
	symOpaque                  // a remainder, in rational evaluation
)

type symbol struct {
	kind   symKind
	name   string   // as the spec would write it
	stride *big.Int // the symbol is a multiple of stride (align)
	signed bool     // may be negative
}

// lin is a linear form c + sum(t[i] * var_i) with exact rational
// coefficients. Variables are symbol indexes; in class evaluation, the
// variable of symbol s is its t.
type lin struct {
	c *big.Rat
	t map[int]*big.Rat
}

func constLin(v *big.Rat) lin { return lin{c: new(big.Rat).Set(v), t: map[int]*big.Rat{}} }

func intLin(v int64) lin { return constLin(new(big.Rat).SetInt64(v)) }

func varLin(i int, coef *big.Rat) lin {
	l := intLin(0)
	if coef.Sign() != 0 {
		l.t[i] = new(big.Rat).Set(coef)
	}
	return l
}

func (l lin) isConst() bool { return len(l.t) == 0 }

func (l lin) isZero() bool { return l.isConst() && l.c.Sign() == 0 }

// add returns l + k*m.
func (l lin) add(m lin, k *big.Rat) lin {
	out := lin{c: new(big.Rat).Set(l.c), t: map[int]*big.Rat{}}
	for i, v := range l.t {
		out.t[i] = new(big.Rat).Set(v)
	}
	out.c.Add(out.c, new(big.Rat).Mul(m.c, k))
	for i, v := range m.t {
		x := new(big.Rat).Mul(v, k)
		if o, ok := out.t[i]; ok {
			x.Add(x, o)
		}
		if x.Sign() == 0 {
			delete(out.t, i)
		} else {
			out.t[i] = x
		}
	}
	return out
}

func (l lin) scale(k *big.Rat) lin { return intLin(0).add(l, k) }

func (l lin) vars() []int {
	var vs []int
	for i := range l.t {
		vs = append(vs, i)
	}
	sort.Ints(vs)
	return vs
}

var (
	ratOne    = big.NewRat(1, 1)
	ratMinus1 = big.NewRat(-1, 1)
)

// prover evaluates the expressions of one size use.
type prover struct {
	use   sizeUse
	root  *Block
	chain map[*Block]bool // the size's block and the blocks around it, up to root

	syms   []*symbol
	symIdx map[string]int

	// class evaluation: off in the rational pass
	class   bool
	modulus *big.Int
	rho     map[int]*big.Int // residues of the symbols that reach a dividend
	// found in the rational pass
	divSyms  map[int]bool
	divisors []*big.Int

	budget *int
	// values being expanded, and memoized sizes, per evaluation
	expanding map[*Field]bool
	sizing    map[Decl]bool
	sizes     map[Stmt]lin
	offsets   map[Decl]lin
}

// charge spends n steps of the budget.
func (p *prover) charge(n int) error {
	if *p.budget < n {
		*p.budget = 0
		return errBudget
	}
	*p.budget -= n
	return nil
}

func (p *prover) reset() {
	p.expanding = map[*Field]bool{}
	p.sizing = map[Decl]bool{}
	p.sizes = map[Stmt]lin{}
	p.offsets = map[Decl]lin{}
}

// sym returns the linear form of a symbol: in the rational pass the symbol
// itself, in a class stride*(r + M*t) or stride*t.
func (p *prover) sym(key string, s *symbol) lin {
	i, ok := p.symIdx[key]
	if !ok {
		if s.stride == nil {
			s.stride = big.NewInt(1)
		}
		i = len(p.syms)
		p.syms = append(p.syms, s)
		p.symIdx[key] = i
	}
	if !p.class {
		return varLin(i, ratOne)
	}
	st := new(big.Rat).SetInt(p.syms[i].stride)
	r, ok := p.rho[i]
	if !ok {
		return varLin(i, st)
	}
	l := varLin(i, new(big.Rat).Mul(st, new(big.Rat).SetInt(p.modulus)))
	l.c.Mul(st, new(big.Rat).SetInt(r))
	return l
}

func declKey(prefix string, d Decl) string {
	return fmt.Sprintf("%s %p", prefix, d)
}

// eval evaluates an integer expression to a linear form.
func (p *prover) eval(e Expr) (lin, error) {
	if err := p.charge(1); err != nil {
		return lin{}, err
	}
	switch e := e.(type) {
	case *IntLit:
		return constLin(new(big.Rat).SetInt(new(big.Int).SetUint64(e.Value))), nil
	case *FieldRef:
		return p.fieldValue(e.Field)
	case *ParamRef:
		if e.Param.Type != TypeInt {
			return lin{}, errUnknown
		}
		return p.sym(fmt.Sprintf("param %p", e.Param), &symbol{kind: symParam, name: e.Param.Name, signed: true}), nil
	case *Unary:
		if e.Op != "-" {
			return lin{}, errUnknown
		}
		x, err := p.eval(e.X)
		if err != nil {
			return lin{}, err
		}
		return x.scale(ratMinus1), nil
	case *Binary:
		return p.binary(e)
	case *Offset:
		return p.offsetOf(e.Decl)
	case *Sizeof:
		return p.sizeOf(e.Decl)
	case *ArrayLength:
		return p.countOf(e.Array)
	}
	return lin{}, errUnknown
}

func (p *prover) binary(e *Binary) (lin, error) {
	switch e.Op {
	case "+", "-", "*", "/", "%":
	default:
		return lin{}, errUnknown
	}
	x, err := p.eval(e.X)
	if err != nil {
		return lin{}, err
	}
	y, err := p.eval(e.Y)
	if err != nil {
		return lin{}, err
	}
	switch e.Op {
	case "+":
		return x.add(y, ratOne), nil
	case "-":
		return x.add(y, ratMinus1), nil
	case "*":
		switch {
		case y.isConst():
			return x.scale(y.c), nil
		case x.isConst():
			return y.scale(x.c), nil
		}
		return lin{}, errUnknown
	}
	if !y.isConst() || !y.c.IsInt() || y.c.Sign() == 0 {
		return lin{}, errUnknown
	}
	return p.divide(x, y.c.Num(), e.Op == "%")
}

// divide evaluates x / k, or x % k, as generated code does: truncating
// toward zero.
func (p *prover) divide(x lin, k *big.Int, rem bool) (lin, error) {
	if x.isConst() {
		if !x.c.IsInt() {
			return lin{}, errUnknown
		}
		q, r := new(big.Int).QuoRem(x.c.Num(), k, new(big.Int))
		if rem {
			return constLin(new(big.Rat).SetInt(r)), nil
		}
		return constLin(new(big.Rat).SetInt(q)), nil
	}
	if !p.class {
		// Rational pass: note what the classes must split, and divide
		// exactly; a remainder is an opaque symbol.
		p.divisors = append(p.divisors, new(big.Int).Abs(k))
		for _, i := range x.vars() {
			if p.syms[i].kind == symOpaque {
				continue
			}
			p.divSyms[i] = true
		}
		if rem {
			key := "rem " + linKey(x) + " % " + k.String()
			return p.sym(key, &symbol{kind: symOpaque, name: "(" + p.linString(x) + ") % " + k.String(), signed: true}), nil
		}
		return x.scale(new(big.Rat).SetFrac(big.NewInt(1), k)), nil
	}
	// In a class the remainder of x by k is a constant when k divides
	// every coefficient and x.c is an integer.
	ak := new(big.Int).Abs(k)
	if !x.c.IsInt() {
		return lin{}, &errModulus{k: ak}
	}
	pos, neg := false, false
	for i, v := range x.t {
		if !v.IsInt() || new(big.Int).Rem(v.Num(), ak).Sign() != 0 {
			return lin{}, &errModulus{k: ak}
		}
		if p.syms[i].signed {
			return lin{}, errUnknown
		}
		if v.Sign() > 0 {
			pos = true
		} else {
			neg = true
		}
	}
	if pos && neg {
		return lin{}, errUnknown // the sign of x is not known
	}
	// For t large enough x has the sign of its coefficients: floor when
	// it is positive, ceiling when negative, and the quotient of the
	// variable part is exact.
	c := x.c.Num()
	var q *big.Int
	if pos {
		q = floorDiv(c, ak)
	} else {
		q = new(big.Int).Neg(floorDiv(new(big.Int).Neg(c), ak))
	}
	qc := lin{c: new(big.Rat).SetInt(q), t: map[int]*big.Rat{}}
	for i, v := range x.t {
		qc.t[i] = new(big.Rat).SetFrac(v.Num(), ak)
	}
	if rem {
		// x - k*q: the variable parts cancel.
		return constLin(new(big.Rat).SetInt(new(big.Int).Sub(c, new(big.Int).Mul(q, ak)))), nil
	}
	if k.Sign() < 0 {
		qc = qc.scale(ratMinus1)
	}
	return qc, nil
}

// linKey identifies a linear form by its symbols, not their names.
func linKey(l lin) string {
	var b strings.Builder
	b.WriteString(l.c.RatString())
	for _, i := range l.vars() {
		fmt.Fprintf(&b, " %s*#%d", l.t[i].RatString(), i)
	}
	return b.String()
}

// floorDiv is a/b rounded down, for b > 0 (Euclidean division).
func floorDiv(a, b *big.Int) *big.Int {
	q, _ := new(big.Int).DivMod(a, b, new(big.Int))
	return q
}

// fieldValue is the value of a field: its value() expression for a field a
// builder computes, its constant, or a symbol.
func (p *prover) fieldValue(f *Field) (lin, error) {
	if f.Attrs.Value != nil {
		if p.expanding[f] {
			return lin{}, errUnknown
		}
		p.expanding[f] = true
		defer delete(p.expanding, f)
		return p.eval(f.Attrs.Value)
	}
	if f.Attrs.Const != nil {
		if v, ok := constValue(f.Attrs.Const); ok {
			return constLin(new(big.Rat).SetInt(v)), nil
		}
	}
	if fieldValueType(f) != TypeInt {
		return lin{}, errUnknown
	}
	return p.sym(declKey("field", f), &symbol{kind: symField, name: f.Name}), nil
}

// readsValueField reports whether an expression reads a field that value()
// computes, or remaining(): a size that does, other than the one proved,
// is a free symbol.
func readsValueField(e Expr) bool {
	found := false
	WalkExpr(e, func(x Expr) {
		switch x := x.(type) {
		case *FieldRef:
			found = found || x.Field.Attrs.Value != nil
		case *Remaining:
			found = true
		}
	})
	return found
}

// sized evaluates the expression that gives a declaration its size, when
// the builder checks the size against it; on anything but linear
// arithmetic the size is a free symbol.
func (p *prover) sized(d Decl, e Expr, free func() lin) (lin, error) {
	if e == nil || p.sizing[d] || readsValueField(e) || d == p.use.decl {
		return free(), nil
	}
	p.sizing[d] = true
	defer delete(p.sizing, d)
	l, err := p.eval(e)
	if err == errUnknown {
		return free(), nil
	}
	return l, err
}

// sizeOf is the size in bytes of a field or an array.
func (p *prover) sizeOf(d Decl) (lin, error) {
	if l, ok := p.sizes[d]; ok {
		return l, nil
	}
	var l lin
	var err error
	switch d := d.(type) {
	case *Field:
		l, err = p.fieldSize(d)
	case *Array:
		if k := d.Body.Size; k > 0 {
			var n lin
			n, err = p.countOf(d)
			l = n.scale(new(big.Rat).SetInt64(int64(k)))
		} else {
			l, err = p.sized(d, d.Bytes, func() lin {
				return p.sym(declKey("size", d), &symbol{kind: symSize, name: "sizeof(" + d.Name + ")"})
			})
		}
	default:
		return lin{}, errUnknown
	}
	if err != nil {
		return lin{}, err
	}
	p.sizes[d] = l
	return l, nil
}

func (p *prover) fieldSize(f *Field) (lin, error) {
	if t, ok := f.Type.(BytesType); ok {
		if v, ok := constValue(t.Len); ok {
			return constLin(new(big.Rat).SetInt(v)), nil
		}
		return p.sized(f, t.Len, func() lin {
			s := &symbol{kind: symLen, name: "sizeof(" + f.Name + ")"}
			if f.Attrs.Align > 8 {
				s.stride = big.NewInt(int64(f.Attrs.Align / 8))
			}
			return p.sym(declKey("len", f), s)
		})
	}
	if _, ok := f.Type.(LabelType); ok {
		return intLin(0), nil
	}
	if f.Size >= 0 {
		return intLin(int64(f.Size)), nil
	}
	return p.sym(declKey("len", f), &symbol{kind: symLen, name: "sizeof(" + f.Name + ")"}), nil
}

// countOf is the number of elements of an array. An array whose elements
// all take k bytes has a count, and k times it bytes, whatever bounds it.
func (p *prover) countOf(a *Array) (lin, error) {
	free := func() lin {
		return p.sym(declKey("count", a), &symbol{kind: symCount, name: "array_length(" + a.Name + ")"})
	}
	if a.Count != nil {
		return p.sized(a, a.Count, free)
	}
	return free(), nil
}

// stmtSize is the size of a statement of a block on the chain. A bit field
// counts its run at its first field.
func (p *prover) stmtSize(s Stmt) (lin, error) {
	switch s := s.(type) {
	case *Field:
		if s.Run != nil {
			if s.Run.Fields[0] != s {
				return intLin(0), nil
			}
			return intLin(int64((s.Run.Bits + 7) / 8)), nil
		}
		return p.sizeOf(s)
	case *Array:
		return p.sizeOf(s)
	case *Classify:
		if l, ok := p.sizes[s]; ok {
			return l, nil
		}
		for _, k := range s.Cases {
			if p.chain[k.Body] {
				l, err := p.blockSize(k.Body, nil)
				if err == nil {
					p.sizes[s] = l
				}
				return l, err
			}
		}
		size := -2
		def := false
		for _, k := range s.Cases {
			if k.Kind == PatternWildcard && k.Guard == nil {
				def = true
			}
			switch {
			case size == -2:
				size = k.Body.Size
			case size != k.Body.Size:
				size = -1
			}
		}
		if def && size >= 0 {
			return intLin(int64(size)), nil
		}
		return p.sym(fmt.Sprintf("classify %p", s), &symbol{kind: symClassify, name: fmt.Sprintf("the size of the classify at %d:%d", s.Pos.Line, s.Pos.Col)}), nil
	}
	return intLin(0), nil
}

// blockSize is the size of the statements of b before stop (all of them if
// stop is nil), and with stop, stop's own size after them.
func (p *prover) blockSize(b *Block, stop Stmt) (lin, error) {
	if stop == nil && b.Size >= 0 {
		return intLin(int64(b.Size)), nil
	}
	sum := intLin(0)
	for _, s := range b.Stmts {
		l, err := p.stmtSize(s)
		if err == nil {
			err = p.charge(1 + len(sum.t) + len(l.t))
		}
		if err != nil {
			return lin{}, err
		}
		sum = sum.add(l, ratOne)
		if s == stop {
			break
		}
	}
	return sum, nil
}

// blockStart is the offset at which a block on the chain starts.
func (p *prover) blockStart(b *Block) (lin, error) {
	if b == p.root {
		return intLin(0), nil
	}
	if b.Offset >= 0 {
		return intLin(int64(b.Offset)), nil
	}
	k, ok := b.Owner.(*Case)
	if !ok || b.Parent == nil || !p.chain[b.Parent] {
		return lin{}, errUnknown
	}
	var cl *Classify
	for _, s := range b.Parent.Stmts {
		if c, ok := s.(*Classify); ok {
			for _, ck := range c.Cases {
				if ck == k {
					cl = c
				}
			}
		}
	}
	if cl == nil {
		return lin{}, errUnknown
	}
	start, err := p.blockStart(b.Parent)
	if err != nil {
		return lin{}, err
	}
	before := intLin(0)
	for _, s := range b.Parent.Stmts {
		if s == Stmt(cl) {
			break
		}
		l, err := p.stmtSize(s)
		if err == nil {
			err = p.charge(1 + len(before.t) + len(l.t))
		}
		if err != nil {
			return lin{}, err
		}
		before = before.add(l, ratOne)
	}
	return start.add(before, ratOne), nil
}

// offsetOf is the offset of the end of a declaration of the chain.
func (p *prover) offsetOf(d Decl) (lin, error) {
	if l, ok := p.offsets[d]; ok {
		return l, nil
	}
	var b *Block
	switch d := d.(type) {
	case *Field:
		if d.Offset >= 0 && d.Size >= 0 {
			return intLin(int64(d.Offset + d.Size)), nil
		}
		b = d.Block
	case *Array:
		b = d.Block
	}
	if b == nil || !p.chain[b] {
		return lin{}, errUnknown
	}
	start, err := p.blockStart(b)
	if err != nil {
		return lin{}, err
	}
	in, err := p.blockSize(b, d)
	if err != nil {
		return lin{}, err
	}
	l := start.add(in, ratOne)
	p.offsets[d] = l
	return l, nil
}

// target is the size a builder was given: the length of the byte field,
// or the count or length of the array.
func (p *prover) target() (lin, error) {
	if a, ok := p.use.decl.(*Array); ok && p.use.count {
		return p.countOf(a)
	}
	return p.sizeOf(p.use.decl)
}

// difference evaluates the size expression, with the builder's values,
// minus the size the builder was given.
func (p *prover) difference() (size, want lin, err error) {
	p.reset()
	if size, err = p.eval(p.use.size); err != nil {
		return
	}
	if want, err = p.target(); err != nil {
		return
	}
	return size, want, nil
}

func proveUse(u sizeUse, budget *int) (proofResult, string) {
	p := &prover{use: u, symIdx: map[string]int{}, divSyms: map[int]bool{}, budget: budget, chain: map[*Block]bool{}}
	var b *Block
	switch d := u.decl.(type) {
	case *Field:
		b = d.Block
	case *Array:
		b = d.Block
	}
	for ; b != nil; b = b.Parent {
		p.chain[b] = true
		p.root = b
		if _, ok := b.Owner.(*Array); ok {
			break
		}
	}
	// The rational pass: divisions exact, to find the symbols the classes
	// split on, and the forms an error shows.
	size, want, err := p.difference()
	if err != nil {
		return proofUnknown, ""
	}
	p.reset()
	value, err := p.eval(u.field.Attrs.Value)
	if err != nil {
		return proofUnknown, ""
	}
	ratSize, ratWant, ratValue := size, want, value
	ratHolds := size.add(want, ratMinus1).isZero()

	m := big.NewInt(1)
	for _, k := range p.divisors {
		m = lcm(m, k)
	}
	var divs []int
	for i := range p.divSyms {
		divs = append(divs, i)
	}
	sort.Ints(divs)
	p.class = true
	for {
		if m.Cmp(big.NewInt(maxProofModulus)) > 0 {
			return proofUnknown, ""
		}
		n := 1
		for range divs {
			n *= int(m.Int64())
			if n > maxProofClasses {
				return proofUnknown, ""
			}
		}
		p.modulus = m
		holds, tied, fails, unknown := 0, 0, 0, 0
		var need *big.Int
		var first *classForms
		for ci := 0; ci < n && need == nil; ci++ {
			p.rho = map[int]*big.Int{}
			x := ci
			for _, i := range divs {
				p.rho[i] = big.NewInt(int64(x % int(m.Int64())))
				x /= int(m.Int64())
			}
			size, want, err := p.difference()
			var em *errModulus
			switch {
			case errors.As(err, &em):
				need = em.k
			case err == errBudget:
				return proofUnknown, ""
			case err != nil:
				unknown++
			case size.add(want, ratMinus1).isZero():
				holds++
			default:
				if p.tied(size.add(want, ratMinus1)) {
					tied++
				} else {
					fails++
				}
				if first == nil {
					p.reset()
					v, err := p.eval(u.field.Attrs.Value)
					if err == nil {
						first = &classForms{rho: p.rho, value: v, size: size, want: want}
					}
				}
			}
		}
		if need != nil {
			m = new(big.Int).Mul(m, need)
			continue
		}
		switch {
		case holds > 0 && fails == 0 && unknown == 0:
			return proofHolds, ""
		case holds > 0:
			return proofHoldsExact, ""
		case unknown > 0:
			return proofUnknown, ""
		}
		result := proofFails
		if tied > 0 {
			result = proofTied
		}
		if !ratHolds {
			return result, p.explain(ratValue, ratSize, ratWant)
		}
		if first == nil {
			return proofUnknown, ""
		}
		// The forms of one class, in terms of the symbols again.
		p.class = false
		back := func(l lin) lin { return p.fromClass(l, first.rho) }
		return result, p.explain(back(first.value), back(first.size), back(first.want))
	}
}

// tied reports whether a difference that is not zero can be zero for
// sizes as large as one likes: it reads a parameter, or sizes with
// coefficients of both signs (the sizes must then agree). A difference
// whose coefficients all have one sign is zero for a bounded set of sizes
// at most (the TCP data offset from a label before the options gives back
// only empty options).
func (p *prover) tied(d lin) bool {
	pos, neg := false, false
	for i, v := range d.t {
		if p.syms[i].signed {
			return true
		}
		if v.Sign() > 0 {
			pos = true
		} else {
			neg = true
		}
	}
	return pos && neg
}

type classForms struct {
	rho               map[int]*big.Int
	value, size, want lin
}

// fromClass rewrites a form over the t of a class in terms of the symbols:
// t = (s/stride - r) / M.
func (p *prover) fromClass(l lin, rho map[int]*big.Int) lin {
	out := constLin(l.c)
	for i, v := range l.t {
		s := p.syms[i]
		// s/stride
		tl := varLin(i, new(big.Rat).SetFrac(big.NewInt(1), s.stride))
		if r, ok := rho[i]; ok {
			tl = tl.add(constLin(new(big.Rat).SetInt(r)), ratMinus1)
			tl = tl.scale(new(big.Rat).SetFrac(big.NewInt(1), p.modulus))
		}
		out = out.add(tl, v)
	}
	return out
}

func lcm(a, b *big.Int) *big.Int {
	if a.Sign() == 0 || b.Sign() == 0 {
		return new(big.Int)
	}
	g := new(big.Int).GCD(nil, nil, a, b)
	l := new(big.Int).Mul(a, b)
	l.Quo(l, g)
	return l.Abs(l)
}

// explain says what the builder writes and what a parser then reads.
func (p *prover) explain(value, size, want lin) string {
	u := p.use
	unit := "bytes"
	if u.count {
		unit = "elements"
	}
	whatever := ""
	shared := false
	for i := range want.t {
		if _, ok := value.t[i]; ok {
			shared = true
		}
	}
	if !shared && !want.isConst() {
		whatever = fmt.Sprintf(" whatever the %s of %s", sizeNoun(u), u.decl.DeclName())
	}
	return fmt.Sprintf("the builder writes %s = %s%s, and a parser then reads %s as %s %s, not %s",
		u.field.Name, p.linString(value), whatever, u.decl.DeclName(), p.linString(size), unit, p.linString(want))
}

// linString writes a linear form as a spec expression: the symbols in the
// order they were met, then the constant.
func (p *prover) linString(l lin) string {
	var b strings.Builder
	term := func(neg bool) {
		switch {
		case b.Len() > 0 && neg:
			b.WriteString(" - ")
		case b.Len() > 0:
			b.WriteString(" + ")
		case neg:
			b.WriteString("-")
		}
	}
	for _, i := range l.vars() {
		v := l.t[i]
		a := new(big.Rat).Abs(v)
		term(v.Sign() < 0)
		if a.Num().Cmp(big.NewInt(1)) != 0 {
			b.WriteString(a.Num().String() + " * ")
		}
		b.WriteString(p.syms[i].name)
		if !a.IsInt() {
			b.WriteString(" / " + a.Denom().String())
		}
	}
	if l.c.Sign() != 0 || b.Len() == 0 {
		term(l.c.Sign() < 0)
		b.WriteString(ratString(new(big.Rat).Abs(l.c)))
	}
	return b.String()
}

func ratString(r *big.Rat) string {
	if r.IsInt() {
		return r.Num().String()
	}
	return r.Num().String() + " / " + r.Denom().String()
}

// exprText writes an expression as a spec would, with the parentheses its
// operators need and no more.
func exprText(e Expr) string { return exprTextPrec(e, 0) }

func opPrec(op string) int {
	switch op {
	case "or":
		return 1
	case "and":
		return 2
	case "==", "!=", "<", "<=", ">", ">=":
		return 4
	case "+", "-":
		return 5
	case "*", "/", "%":
		return 6
	}
	return 7
}

func exprTextPrec(e Expr, prec int) string {
	switch e := e.(type) {
	case *Binary:
		q := opPrec(e.Op)
		// Left-associative: the right operand of the same level needs
		// parentheses.
		s := exprTextPrec(e.X, q) + " " + e.Op + " " + exprTextPrec(e.Y, q+1)
		if q < prec {
			return "(" + s + ")"
		}
		return s
	case *Unary:
		if e.Op == "not" {
			s := "not " + exprTextPrec(e.X, 3)
			if prec > 3 {
				return "(" + s + ")"
			}
			return s
		}
		return e.Op + exprTextPrec(e.X, 7)
	}
	return ExprString(e)
}
