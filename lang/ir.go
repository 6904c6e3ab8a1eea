package lang

import (
	"fmt"
)

// This file holds the checked, typed form of a spec: what codegen consumes.
// Every node keeps the position it came from, so later phases can report
// errors against the spec.

// Spec is a checked set of spec files whose packets share one namespace.
type Spec struct {
	Files   []string
	Packets []*Packet
	// Types are the wire types the spec declares, in order.
	Types []*CustomDef
}

// Packet returns the packet declaration with the given name, or nil.
func (s *Spec) Packet(name string) *Packet {
	for _, p := range s.Packets {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// ValueType is the type of an expression or parameter.
type ValueType int

// The value types of the language.
const (
	TypeInvalid ValueType = iota
	TypeInt
	TypeBool
	TypeString
	// TypeAddr is an address parameter (Go netip.Addr): only a checksum's
	// pseudo-header reads it.
	TypeAddr
)

func (t ValueType) String() string {
	switch t {
	case TypeInt:
		return "int"
	case TypeBool:
		return "bool"
	case TypeString:
		return "string"
	case TypeAddr:
		return "addr"
	}
	return "invalid"
}

// Packet is a packet declaration.
type Packet struct {
	Name   string
	Pos    Pos
	Doc    string
	File   string
	Params []*Param
	Body   *Block
	// Fixed is the size in bytes of a packet all of whose fields have
	// a static size, or -1.
	Fixed int
}

// ParseParams returns the parameters Parse takes: all but the addr
// parameters, which only checksums read.
func (p *Packet) ParseParams() []*Param {
	var out []*Param
	for _, prm := range p.Params {
		if prm.Type != TypeAddr {
			out = append(out, prm)
		}
	}
	return out
}

// AddrParams returns the addr parameters: what a checksum's verification
// takes.
func (p *Packet) AddrParams() []*Param {
	var out []*Param
	for _, prm := range p.Params {
		if prm.Type == TypeAddr {
			out = append(out, prm)
		}
	}
	return out
}

// Param is a packet parameter: a value the caller passes when parsing or
// building (MPL's state variables and cross-layer context).
type Param struct {
	Name string
	Pos  Pos
	Type ValueType
}

// Block is a sequence of statements: a packet body, a classify case body or
// an array element body.
type Block struct {
	Stmts  []Stmt
	Parent *Block // nil for a packet body
	// Owner is the *Case or *Array whose body this is, or nil for a
	// packet body.
	Owner Stmt
	// Offset is the static byte offset at which the block starts, from
	// the start of the packet (for an array body: of the element), or -1.
	Offset int
	// Size is the static size of the block in bytes, or -1.
	Size int
}

// Stmt is a statement: *Field, *Classify, *Array or *Empty.
type Stmt interface {
	Position() Pos
	stmt()
}

// Decl is a named statement: *Field or *Array.
type Decl interface {
	Stmt
	DeclName() string
}

// Field is a field declaration: name, wire type and attributes.
type Field struct {
	Name  string
	Pos   Pos
	Doc   string
	Type  WireType
	Attrs Attrs
	Block *Block // the block that declares it
	// Offset is the static byte offset of the field from the start of
	// its packet (for fields in arrays: of the element), or -1. For a bit
	// field it is the offset of its run.
	Offset int
	// Size is the static size in bytes, or -1 (0 for labels; for a bit
	// field, the size of its whole run).
	Size int
	// Run and Shift locate a bit field: the run of bit fields it belongs
	// to, and how many bits of the run lie to its right.
	Run   *BitRun
	Shift int
}

// Attrs are a field's attributes. Absent expressions are nil.
type Attrs struct {
	Const   Expr // checked on parse, written on build
	Default Expr // the builder's zero value
	Value   Expr // computed on build
	Min     Expr // checked on parse
	Max     Expr // checked on parse
	Align   int  // in bits: the field's size must be a multiple; 0 if absent
	Variant *Variant
	// Checksum makes the field the Internet checksum of a range of the
	// packet; nil if absent.
	Checksum *Checksum
	// Format says how people read the value: "ipv4", "ipv6" and "mac" for
	// addresses, "hex" for numbers and bytes; "" if absent.
	Format string
}

// Checksum is a field's checksum(from .. to, terms) attribute: the field
// holds the Internet checksum (RFC 1071) of the packet's bytes from the
// start of From to the end of To, the field itself among them, with the
// pseudo-header Terms added to the sum.
type Checksum struct {
	Pos  Pos
	From *Field
	To   *Field // nil: to the end of the packet
	// Terms are the pseudo-header: each an addr parameter (its bytes as
	// 16-bit words) or an integer expression (added as a 32-bit
	// big-endian value, two words), as RFC 768, RFC 9293 and RFC 8200
	// section 8.1 define the pseudo-headers of UDP and TCP.
	Terms []Expr
	// Absent: the field holds 0 when the sender computed no checksum
	// (absent(0), UDP's rule), and a computed 0 is sent as 0xffff.
	Absent bool
}

// Range returns the checksum's range as the spec writes it: "from .. to",
// or "from .." to the end of the packet.
func (cs *Checksum) Range() string {
	if cs.To == nil {
		return cs.From.Name + " .."
	}
	return cs.From.Name + " .. " + cs.To.Name
}

// String returns the checksum's arguments as the spec writes them: the
// range, then the terms.
func (cs *Checksum) String() string {
	s := cs.Range()
	for _, t := range cs.Terms {
		s += ", " + ExprString(t)
	}
	return s
}

// Variant maps a field's values to names: a Go enum.
type Variant struct {
	Cases   []*VariantCase
	Default *VariantCase // the case marked "=>", or nil
}

// VariantCase is one value of a variant.
type VariantCase struct {
	Pos     Pos
	Value   uint64
	Name    string
	Default bool
}

// BitRun is a run of consecutive bit fields; it always ends on a byte
// boundary.
type BitRun struct {
	Fields []*Field
	Bits   int
}

// Classify selects one of several cases by the value of a field or parameter.
type Classify struct {
	Pos   Pos
	On    Expr // *FieldRef or *ParamRef
	Cases []*Case
	Block *Block
}

// PatternKind says what a classify case matches.
type PatternKind int

// The kinds of classify patterns.
const (
	PatternValue    PatternKind = iota // an integer: Lo
	PatternRange                       // integers Lo..Hi, inclusive
	PatternString                      // Str
	PatternBool                        // Bool
	PatternWildcard                    // anything ("_")
)

// Case is one branch of a classify.
type Case struct {
	Pos    Pos
	Label  string
	Kind   PatternKind
	Lo, Hi uint64
	Str    string
	Bool   bool
	Guard  Expr // nil if absent
	Body   *Block
}

// Array is a sequence of elements: name: array(count) { body } holds
// count elements; name: array[length] { body } holds as many as fill
// length bytes (a list of options). One of Count and Bytes is set.
type Array struct {
	Name  string
	Pos   Pos
	Doc   string
	Count Expr
	Bytes Expr
	// Align is, for an array bounded by bytes, align(n) in bits: its
	// length is a multiple of n/8 bytes, and builders pad the elements
	// with zero bytes to it; 0 if absent.
	Align int
	// Unique are the labels of unique("label", ...): for each, at most
	// one element holds the case of that label, a case of a classify in
	// the element's block or in a packet the element holds through a
	// packet field, at any depth.
	Unique []*Unique
	Body   *Block
	Block  *Block // the block that declares it
}

// Unique is one label of an array's unique attribute, with the cases it
// names: those of that label that an element may hold.
type Unique struct {
	Pos   Pos
	Label string
	Cases []*Case
}

// Empty is the empty statement "()".
type Empty struct{ Pos Pos }

func (f *Field) Position() Pos    { return f.Pos }
func (c *Classify) Position() Pos { return c.Pos }
func (c *Case) Position() Pos     { return c.Pos }
func (a *Array) Position() Pos    { return a.Pos }
func (e *Empty) Position() Pos    { return e.Pos }
func (*Field) stmt()              {}
func (*Classify) stmt()           {}
func (*Case) stmt()               {}
func (*Array) stmt()              {}
func (*Empty) stmt()              {}

// DeclName returns the field's name.
func (f *Field) DeclName() string { return f.Name }

// DeclName returns the array's name.
func (a *Array) DeclName() string { return a.Name }

// WireType is a field's type on the wire.
type WireType interface {
	String() string
	wireType()
}

type (
	// BitsType is bit[N]: N bits, most significant first. A bit[1] field
	// without a variant is a boolean (Bool).
	BitsType struct {
		N    int
		Bool bool
	}
	// UintType is byte, uint16, uint32 or uint64, in network byte order.
	UintType struct{ Bytes int }
	// BytesType is byte[Len]: a sub-slice of the packet.
	BytesType struct{ Len Expr }
	// LabelType is label: a position, no bytes.
	LabelType struct{}
	// CustomType is a type implemented by the runtime, such as a DNS name.
	CustomType struct{ Def *CustomDef }
	// PacketType is a field that holds another packet.
	PacketType struct {
		Packet *Packet
		Args   []Expr
	}
)

func (BitsType) wireType()   {}
func (UintType) wireType()   {}
func (BytesType) wireType()  {}
func (LabelType) wireType()  {}
func (CustomType) wireType() {}
func (PacketType) wireType() {}

func (t BitsType) String() string { return fmt.Sprintf("bit[%d]", t.N) }
func (t UintType) String() string {
	if t.Bytes == 1 {
		return "byte"
	}
	return fmt.Sprintf("uint%d", t.Bytes*8)
}
func (t BytesType) String() string  { return "byte[" + ExprString(t.Len) + "]" }
func (LabelType) String() string    { return "label" }
func (t CustomType) String() string { return t.Def.Name }
func (t PacketType) String() string { return "packet " + t.Packet.Name }

// CustomDef describes a custom wire type: one whose Go side, in the
// runtime or in a user's package, implements mplrt.WireType. Generated
// code calls GoType's methods statically (Size, Value, Append,
// AppendText).
type CustomDef struct {
	Name string
	Pos  Pos // where a spec declares it; zero for the built-in types
	// Value is the type of its value in expressions: TypeInt (Go uint64),
	// TypeBool (bool), TypeString ([]byte that aliases the packet), or
	// TypeInvalid for opaque bytes (Go []byte, no value in expressions).
	Value ValueType
	// GoPath and GoType name the Go type that implements it.
	GoPath, GoType string
	// GoValue, when set, names the Go type of the value, in GoPath: a
	// view the Go side defines (a DNS name), which has no value in
	// expressions (Value is TypeInvalid).
	GoValue string
	// BuildCtx, when set, names a Go type in GoPath whose pointer the
	// type's AppendCtx takes: state a builder keeps for one message while
	// it writes the type's values (the names written so far, for DNS
	// compression). A builder resets it at the start of the message.
	BuildCtx string
	// ReadsMsg says that the Go side reads the input outside the value's
	// own bytes (a DNS name follows pointers back into the message), so
	// that a packet holding it parses within the input of the packet that
	// holds it.
	ReadsMsg bool
	// Skips says that the Go type has a method Skip(msg []byte, off int)
	// int: the size of a value that Size has accepted, found in place
	// with fewer reads (a DNS name's labels up to its pointer, not
	// followed), and -1 or a size within msg for other bytes. Iterators
	// over a parsed packet step over the value with it.
	Skips bool
	Doc   string
}

// RuntimePath is the import path of the runtime package.
const RuntimePath = "github.com/mplgo/mpl/runtime"

// CustomTypes are the built-in custom wire types, by name.
var CustomTypes = map[string]*CustomDef{
	"string8":  {Name: "string8", Value: TypeString, GoPath: RuntimePath, GoType: "String8", Doc: "a string preceded by its length in one byte"},
	"string32": {Name: "string32", Value: TypeString, GoPath: RuntimePath, GoType: "String32", Doc: "a string preceded by its length in four bytes, as SSH writes it (RFC 4251 section 5)"},
	"boolean":  {Name: "boolean", Value: TypeBool, GoPath: RuntimePath, GoType: "Boolean", Doc: "a boolean in one byte, nonzero for true (RFC 4251 section 5)"},
	"dns_label_comp": {Name: "dns_label_comp", Value: TypeInvalid, GoPath: RuntimePath, GoType: "DNSName", GoValue: "Name", BuildCtx: "NameTable", ReadsMsg: true, Skips: true,
		Doc: "a DNS domain name (RFC 1035 section 3.1) that may end in a compression pointer (section 4.1.4); its value is an mplrt.Name, and builders compress it against the names written before it in the message"},
	"dns_label": {Name: "dns_label", Value: TypeInvalid, GoPath: RuntimePath, GoType: "DNSNameNoComp", GoValue: "Name", BuildCtx: "NameTable", ReadsMsg: true, Skips: true,
		Doc: "a DNS domain name that builders write without compression pointers (RFC 1035 section 3.1; RFC 3597 section 4), and that parses with them, as receivers decompress"},
	"mpint": {Name: "mpint", Value: TypeInvalid, GoPath: RuntimePath, GoType: "Mpint", Doc: "a multiple precision integer in two's complement, preceded by its length in four bytes (RFC 4251 section 5)"},
}

// Expr is a typed expression.
type Expr interface {
	Position() Pos
	Type() ValueType
}

type (
	// IntLit is an integer constant.
	IntLit struct {
		Pos   Pos
		Value uint64
	}
	// BoolLit is true or false.
	BoolLit struct {
		Pos   Pos
		Value bool
	}
	// StringLit is a string constant.
	StringLit struct {
		Pos   Pos
		Value string
	}
	// FieldRef is the value of a field.
	FieldRef struct {
		Pos   Pos
		Field *Field
	}
	// ParamRef is the value of a packet parameter.
	ParamRef struct {
		Pos   Pos
		Param *Param
	}
	// Unary is "-" X or "not" X.
	Unary struct {
		Pos Pos
		Op  string
		X   Expr
	}
	// Binary is X Op Y; Op is one of + - * / % == != < <= > >= and or.
	Binary struct {
		Pos  Pos
		Op   string
		X, Y Expr
	}
	// Offset is offset(D): the byte position at the end of D.
	Offset struct {
		Pos  Pos
		Decl Decl
	}
	// Sizeof is sizeof(D): the size of D in bytes.
	Sizeof struct {
		Pos  Pos
		Decl Decl
	}
	// ArrayLength is array_length(A): the number of elements of A.
	ArrayLength struct {
		Pos   Pos
		Array *Array
	}
	// Remaining is remaining(): the bytes left in the packet being parsed.
	Remaining struct{ Pos Pos }
)

func (e *IntLit) Position() Pos      { return e.Pos }
func (e *BoolLit) Position() Pos     { return e.Pos }
func (e *StringLit) Position() Pos   { return e.Pos }
func (e *FieldRef) Position() Pos    { return e.Pos }
func (e *ParamRef) Position() Pos    { return e.Pos }
func (e *Unary) Position() Pos       { return e.Pos }
func (e *Binary) Position() Pos      { return e.Pos }
func (e *Offset) Position() Pos      { return e.Pos }
func (e *Sizeof) Position() Pos      { return e.Pos }
func (e *ArrayLength) Position() Pos { return e.Pos }
func (e *Remaining) Position() Pos   { return e.Pos }

func (*IntLit) Type() ValueType      { return TypeInt }
func (*BoolLit) Type() ValueType     { return TypeBool }
func (*StringLit) Type() ValueType   { return TypeString }
func (e *FieldRef) Type() ValueType  { return fieldValueType(e.Field) }
func (e *ParamRef) Type() ValueType  { return e.Param.Type }
func (*Offset) Type() ValueType      { return TypeInt }
func (*Sizeof) Type() ValueType      { return TypeInt }
func (*ArrayLength) Type() ValueType { return TypeInt }
func (*Remaining) Type() ValueType   { return TypeInt }

// Type is int for "-" and bool for "not".
func (e *Unary) Type() ValueType {
	if e.Op == "not" {
		return TypeBool
	}
	return TypeInt
}

// Type is int for arithmetic and bool for comparisons and logic.
func (e *Binary) Type() ValueType {
	switch e.Op {
	case "+", "-", "*", "/", "%":
		return TypeInt
	}
	return TypeBool
}

func fieldValueType(f *Field) ValueType {
	switch t := f.Type.(type) {
	case BitsType:
		if t.Bool {
			return TypeBool
		}
		return TypeInt
	case UintType:
		return TypeInt
	case CustomType:
		return t.Def.Value
	}
	return TypeInvalid
}

// ExprString formats an expression in the spec language.
func ExprString(e Expr) string {
	switch e := e.(type) {
	case *IntLit:
		return fmt.Sprint(e.Value)
	case *BoolLit:
		return fmt.Sprint(e.Value)
	case *StringLit:
		return fmt.Sprintf("%q", e.Value)
	case *FieldRef:
		return e.Field.Name
	case *ParamRef:
		return e.Param.Name
	case *Unary:
		if e.Op == "not" {
			return "not " + ExprString(e.X)
		}
		return e.Op + ExprString(e.X)
	case *Binary:
		return "(" + ExprString(e.X) + " " + e.Op + " " + ExprString(e.Y) + ")"
	case *Offset:
		return "offset(" + e.Decl.DeclName() + ")"
	case *Sizeof:
		return "sizeof(" + e.Decl.DeclName() + ")"
	case *ArrayLength:
		return "array_length(" + e.Array.Name + ")"
	case *Remaining:
		return "remaining()"
	case nil:
		return ""
	}
	return "?"
}

// Walk calls fn for every statement of b and of the blocks nested in it, in
// order, parents before children.
func Walk(b *Block, fn func(Stmt)) {
	for _, s := range b.Stmts {
		fn(s)
		switch s := s.(type) {
		case *Classify:
			for _, c := range s.Cases {
				fn(c)
				Walk(c.Body, fn)
			}
		case *Array:
			Walk(s.Body, fn)
		}
	}
}

// WalkExpr calls fn for e and every expression inside it, parents first.
// A nil e calls nothing.
func WalkExpr(e Expr, fn func(Expr)) {
	if e == nil {
		return
	}
	fn(e)
	switch e := e.(type) {
	case *Unary:
		WalkExpr(e.X, fn)
	case *Binary:
		WalkExpr(e.X, fn)
		WalkExpr(e.Y, fn)
	}
}

// LayoutExprs returns the expressions of a statement that decide where
// things lie: the length of a byte field, the count or length of an
// array, what a classify classifies on, a case's guard, and the arguments
// of a packet field.
func LayoutExprs(s Stmt) []Expr {
	switch s := s.(type) {
	case *Field:
		switch t := s.Type.(type) {
		case BytesType:
			return []Expr{t.Len}
		case PacketType:
			return t.Args
		}
	case *Array:
		return []Expr{s.Count, s.Bytes}
	case *Classify:
		return []Expr{s.On}
	case *Case:
		return []Expr{s.Guard}
	}
	return nil
}
