package lang

import (
	"fmt"
	"io"
	"math/big"
	"os"
	"strconv"
	"strings"
	"unicode"
)

// Source is one spec file to check.
type Source struct {
	Name string // the path diagnostics name
	Data []byte
}

// MaxSpecSize is the largest spec file LoadFiles reads.
const MaxSpecSize = 8 << 20

// LoadFiles reads, parses and checks spec files as one unit (their packets
// share a namespace).
func LoadFiles(paths ...string) (*Spec, error) {
	var srcs []Source
	for _, p := range paths {
		b, err := readSpec(p)
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, Source{Name: p, Data: b})
	}
	spec, diags := Check(srcs...)
	if len(diags) > 0 {
		return nil, diags
	}
	return spec, nil
}

// readSpec reads one spec file of at most MaxSpecSize bytes; it reads no
// more than one byte beyond, whatever the file is.
func readSpec(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s: is a directory, not a spec file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, MaxSpecSize+1))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(b) > MaxSpecSize {
		return nil, fmt.Errorf("%s: spec file larger than %d MiB", path, MaxSpecSize>>20)
	}
	return b, nil
}

// Check parses and checks spec sources as one unit. It reports every error
// it can find, sorted by position; the spec is nil if there are any.
func Check(srcs ...Source) (*Spec, Diagnostics) {
	return check(true, srcs...)
}

// check is Check; prove says whether to prove the value() fields.
func check(prove bool, srcs ...Source) (*Spec, Diagnostics) {
	c := &checker{packets: map[string]*packetInfo{}, types: map[string]*CustomDef{}, noProof: !prove}
	for n, d := range CustomTypes {
		c.types[n] = d
	}
	var files []*parsedFile
	for _, s := range srcs {
		pf, diags := parseFile(s.Name, s.Data)
		c.diags = append(c.diags, diags...)
		if pf == nil {
			continue
		}
		if len(pf.tree.Packets) == 0 && len(pf.tree.Types) == 0 {
			c.errorf(Pos{File: s.Name, Line: 1, Col: 1}, "spec declares no packets")
		}
		files = append(files, pf)
	}
	spec := &Spec{}
	for _, s := range srcs {
		spec.Files = append(spec.Files, s.Name)
	}
	// Wire types first: any packet of the unit may use them.
	for _, pf := range files {
		for _, ta := range pf.tree.Types {
			if d := c.wireType(ta); d != nil {
				spec.Types = append(spec.Types, d)
			}
		}
	}
	// Declare every packet first: fields may refer to packets declared later.
	var infos []*packetInfo
	for _, pf := range files {
		for _, pa := range pf.tree.Packets {
			p := &Packet{Name: pa.Name.Name, Pos: pos(pa.Name.Pos), Doc: pf.doc(pa.Pos.Line), File: pf.name, Fixed: -1}
			if prev, ok := c.packets[p.Name]; ok {
				c.errorf(p.Pos, "duplicate packet %s; previous declaration at %s", p.Name, prev.packet.Pos)
				continue
			}
			info := &packetInfo{packet: p, ast: pa, file: pf}
			c.packets[p.Name] = info
			infos = append(infos, info)
			spec.Packets = append(spec.Packets, p)
		}
	}
	for _, info := range infos {
		c.declareParams(info)
	}
	for _, info := range infos {
		c.packet(info)
	}
	c.cycles(infos)
	c.resolveUniques()
	c.diags.Sort()
	if len(c.diags) > 0 {
		return nil, c.diags
	}
	return spec, nil
}

type packetInfo struct {
	packet *Packet
	ast    *packetAST
	file   *parsedFile
	refs   []*Field // fields of type packet, for the cycle check
}

type checker struct {
	diags   Diagnostics
	noProof bool // skip proveValues
	packets map[string]*packetInfo
	types   map[string]*CustomDef // custom wire types, built-in and declared

	// per packet
	info   *packetInfo
	scopes map[*Block]map[string]Decl
	params map[string]*Param
	parsed map[Decl]bool // declarations the parser has passed
	// declared maps statements to the declarations made for them, from
	// declare until the block walk reaches them.
	declared map[*stmtAST]Decl
	cur      *Block // the block being walked
	// inLength is set while the length of a byte field is checked, the
	// one place remaining() may appear.
	inLength bool
	// inChecksum is set while a checksum's terms are checked, the one
	// place an addr parameter may appear.
	inChecksum bool
	// checksums are the checksum attributes of the packet, resolved once
	// its body is walked.
	checksums []pendingChecksum
	// uniques are the unique attributes of arrays, resolved once every
	// packet's body is walked (an element may hold a packet declared
	// later).
	uniques []pendingUnique
	// valuePos holds where each value() attribute's expression starts,
	// for the diagnostics of proveValues.
	valuePos map[*Field]Pos
}

// pendingChecksum is a checksum attribute whose range is resolved after
// the packet's body is walked (the offsets of bit fields and of later
// fields are known only then).
type pendingChecksum struct {
	field *Field
	ast   *checksumAST
	cs    *Checksum
}

func (c *checker) errorf(p Pos, format string, args ...any) {
	c.diags.add(p, format, args...)
}

// readsValue reports whether an expression reads a field computed by
// value().
func readsValue(e Expr) bool {
	switch e := e.(type) {
	case *FieldRef:
		return e.Field.Attrs.Value != nil
	case *Unary:
		return readsValue(e.X)
	case *Binary:
		return readsValue(e.X) || readsValue(e.Y)
	}
	return false
}

// builtinTypes are the names of the wire types the language has.
var builtinTypes = map[string]bool{"bit": true, "byte": true, "uint8": true, "uint16": true, "uint32": true, "uint64": true, "label": true, "packet": true, "array": true}

// wireType checks the declaration of a custom wire type.
func (c *checker) wireType(ta *wireTypeAST) *CustomDef {
	d := &CustomDef{Name: ta.Name.Name, Pos: pos(ta.Name.Pos)}
	switch ta.Kind.Name {
	case "int":
		d.Value = TypeInt
	case "bool":
		d.Value = TypeBool
	case "string":
		d.Value = TypeString
	case "bytes":
		d.Value = TypeInvalid
	default:
		c.errorf(pos(ta.Kind.Pos), "unknown kind of value %s; want int, bool, string or bytes", ta.Kind.Name)
		return nil
	}
	goName, err := strconv.Unquote(ta.Go.Text)
	if err != nil {
		goName = strings.Trim(ta.Go.Text, `"`)
	}
	i := strings.LastIndex(goName, ".")
	if i <= 0 || !isIdent(goName[i+1:]) || !unicode.IsUpper(rune(goName[i+1])) || strings.ContainsAny(goName[:i], " \t\\\"") {
		c.errorf(pos(ta.Go.Pos), "%s names no exported Go type; write \"import/path.TypeName\"", ta.Go.Text)
		return nil
	}
	d.GoPath, d.GoType = goName[:i], goName[i+1:]
	switch {
	case builtinTypes[d.Name]:
		c.errorf(d.Pos, "type %s is built in", d.Name)
		return nil
	case c.types[d.Name] != nil:
		if prev := c.types[d.Name]; prev.Pos.IsValid() {
			c.errorf(d.Pos, "duplicate type %s; previous declaration at %s", d.Name, prev.Pos)
		} else {
			c.errorf(d.Pos, "type %s is built in", d.Name)
		}
		return nil
	}
	c.types[d.Name] = d
	return d
}

func (c *checker) declareParams(info *packetInfo) {
	p := info.packet
	seen := map[string]*Param{}
	for _, a := range info.ast.Params {
		prm := &Param{Name: a.Name.Name, Pos: pos(a.Name.Pos)}
		switch a.Type {
		case "int":
			prm.Type = TypeInt
		case "bool":
			prm.Type = TypeBool
		case "addr":
			prm.Type = TypeAddr
		default:
			c.errorf(pos(a.Pos), "unknown parameter type %s; want int, bool or addr", a.Type)
			prm.Type = TypeInvalid
		}
		if prev, ok := seen[prm.Name]; ok {
			c.errorf(prm.Pos, "duplicate parameter %s; previous declaration at %s", prm.Name, prev.Pos)
			continue
		}
		seen[prm.Name] = prm
		p.Params = append(p.Params, prm)
	}
}

func (c *checker) packet(info *packetInfo) {
	c.info = info
	c.scopes = map[*Block]map[string]Decl{}
	c.params = map[string]*Param{}
	c.parsed = map[Decl]bool{}
	c.declared = map[*stmtAST]Decl{}
	for _, prm := range info.packet.Params {
		c.params[prm.Name] = prm
	}
	c.checksums = nil
	c.valuePos = map[*Field]Pos{}
	errs := len(c.diags)
	body := &Block{Offset: 0}
	info.packet.Body = body
	c.block(body, info.ast.Body)
	info.packet.Fixed = body.Size
	c.resolveChecksums(body)
	if len(c.diags) == errs && !c.noProof {
		// On a packet already in error the proof would only add noise.
		c.proveValues(info.packet)
	}
}

// declare adds the names a block declares to its scope, checking them
// against the block itself, the enclosing blocks and the parameters.
func (c *checker) declare(b *Block, stmts []*stmtAST) {
	scope := map[string]Decl{}
	c.scopes[b] = scope
	for _, s := range stmts {
		var d Decl
		switch {
		case s.Field != nil:
			d = &Field{Name: s.Field.Name.Name, Pos: pos(s.Field.Name.Pos), Doc: c.info.file.doc(s.Field.Pos.Line), Block: b, Offset: -1, Size: -1, Type: c.kindOf(s.Field)}
		case s.Array != nil:
			d = &Array{Name: s.Array.Name.Name, Pos: pos(s.Array.Name.Pos), Doc: c.info.file.doc(s.Array.Pos.Line), Block: b}
		default:
			continue
		}
		name := d.DeclName()
		if prev := c.lookupDecl(b, name); prev != nil {
			c.errorf(d.Position(), "duplicate field %s; previous declaration at %s", name, prev.Position())
		} else if prm, ok := c.params[name]; ok {
			c.errorf(d.Position(), "field %s has the name of a parameter declared at %s", name, prm.Pos)
		}
		if _, ok := scope[name]; !ok {
			scope[name] = d
		}
		c.declared[s] = d
	}
}

func (c *checker) lookupDecl(b *Block, name string) Decl {
	for ; b != nil; b = b.Parent {
		if d, ok := c.scopes[b][name]; ok {
			return d
		}
	}
	return nil
}

// layout tracks static offsets and bit runs while a block is walked.
type layout struct {
	off       int // static offset of the next byte, or -1
	size      int // static size so far, or -1
	run       *BitRun
	runOff    int
	exhausted Decl // a field or array that took all remaining bytes
}

func (l *layout) advance(n int) {
	if l.off >= 0 {
		if n < 0 || l.off+n > MaxStaticSize {
			l.off = -1
		} else {
			l.off += n
		}
	}
	if l.size >= 0 {
		if n < 0 || l.size+n > MaxStaticSize {
			l.size = -1
		} else {
			l.size += n
		}
	}
}

func (c *checker) block(b *Block, stmts []*stmtAST) {
	outer := c.cur
	c.cur = b
	defer func() { c.cur = outer }()
	c.declare(b, stmts)
	l := &layout{off: b.Offset, size: 0}
	for _, s := range stmts {
		if s.Field == nil || !isBitType(s.Field) {
			c.closeRun(l)
		}
		switch {
		case s.Empty:
			b.Stmts = append(b.Stmts, &Empty{Pos: pos(s.Pos)})
		case s.Field != nil:
			f := c.declared[s].(*Field)
			delete(c.declared, s)
			c.field(f, s.Field, l)
			b.Stmts = append(b.Stmts, f)
			c.parsed[f] = true
		case s.Array != nil:
			a := c.declared[s].(*Array)
			delete(c.declared, s)
			c.array(a, s.Array, l)
			b.Stmts = append(b.Stmts, a)
			c.parsed[a] = true
		case s.Classify != nil:
			b.Stmts = append(b.Stmts, c.classify(b, s.Classify, l))
		}
	}
	c.closeRun(l)
	b.Size = l.size
}

// kindOf returns the wire type of a field without its expressions, so that
// references to fields not yet walked know what the field holds.
func (c *checker) kindOf(fa *fieldAST) WireType {
	t := &fa.Type
	switch {
	case t.Packet != nil:
		return PacketType{Packet: &Packet{Name: t.Packet.Name}}
	case t.Name == "bit":
		return BitsType{N: 1, Bool: isBoolBit(fa)}
	case t.Name == "byte" && t.Size != nil:
		return BytesType{}
	case uintTypes[t.Name] != 0:
		return UintType{Bytes: uintTypes[t.Name]}
	case c.types[t.Name] != nil:
		return CustomType{Def: c.types[t.Name]}
	}
	return LabelType{}
}

// isBoolBit reports whether a field is a boolean: bit[1], written so, with
// no variant (a variant makes it an enum of two values).
func isBoolBit(fa *fieldAST) bool {
	t := &fa.Type
	if t.Packet != nil || t.Name != "bit" || t.Size == nil {
		return false
	}
	if lit, ok := toExpr(t.Size).(*intLit); !ok || lit.text != "1" {
		return false
	}
	for _, a := range fa.Attrs {
		if a.Variant != nil || a.Name == "variant" {
			return false
		}
	}
	return true
}

func isBitType(f *fieldAST) bool {
	return f.Type.Packet == nil && f.Type.Name == "bit"
}

func (c *checker) closeRun(l *layout) {
	r := l.run
	if r == nil {
		return
	}
	l.run = nil
	if r.Bits%8 != 0 {
		first, last := r.Fields[0], r.Fields[len(r.Fields)-1]
		if first == last {
			c.errorf(last.Pos, "bit field %s leaves a run of %d bits; a run of bit fields must end on a byte boundary", last.Name, r.Bits)
		} else {
			c.errorf(last.Pos, "bit fields %s to %s take %d bits; a run of bit fields must end on a byte boundary", first.Name, last.Name, r.Bits)
		}
	}
	used := 0
	for _, f := range r.Fields {
		n := f.Type.(BitsType).N
		used += n
		f.Shift = r.Bits - used
		f.Size = (r.Bits + 7) / 8
		f.Offset = l.runOff
	}
	l.advance((r.Bits + 7) / 8)
}

// MaxStaticSize bounds a constant byte length, and the static size of a
// packet: 2^31-1 bytes, beyond any packet format and within int on every
// platform.
const MaxStaticSize = 1<<31 - 1

var uintTypes = map[string]int{"byte": 1, "uint8": 1, "uint16": 2, "uint32": 4, "uint64": 8}

func (c *checker) field(f *Field, fa *fieldAST, l *layout) {
	ta := &fa.Type
	tpos := pos(ta.Pos)
	if l.exhausted != nil && !(ta.Packet == nil && ta.Name == "label") {
		c.errorf(f.Pos, "field %s follows %s, which takes all remaining bytes", f.Name, l.exhausted.DeclName())
	}
	switch {
	case ta.Packet != nil:
		l.advance(-1)
		if !c.fieldPacket(f, ta) {
			return // its attributes cannot be checked
		}
	case ta.Name == "bit":
		n := 0
		if ta.Size == nil {
			c.errorf(tpos, "bit needs a width: bit[N]")
		} else if v, ok := c.constInt(ta.Size, "bit width"); ok {
			if v < 1 || v > 64 {
				c.errorf(pos(ta.Size.Pos), "bit width %d out of range 1..64", v)
			} else {
				n = int(v)
			}
		}
		if n == 0 {
			f.Type = BitsType{N: 1}
			break
		}
		f.Type = BitsType{N: n, Bool: isBoolBit(fa)}
		if l.run == nil {
			l.run = &BitRun{}
			l.runOff = l.off
		}
		if start := l.run.Bits % 8; start+n > 64 {
			c.errorf(tpos, "bit field %s spans more than 8 bytes", f.Name)
		}
		l.run.Fields = append(l.run.Fields, f)
		l.run.Bits += n
		f.Run = l.run
	case ta.Name == "byte" && ta.Size != nil:
		c.inLength = true
		e := c.expr(ta.Size, ctxParse, nil)
		c.inLength = false
		if e != nil && e.Type() != TypeInt {
			c.errorf(e.Position(), "length of %s is %s, not int", f.Name, e.Type())
		}
		f.Type = BytesType{Len: e}
		f.Offset = l.off
		if v, ok := constValue(e); ok {
			switch {
			case v.Sign() < 0:
				c.errorf(e.Position(), "length of %s is negative (%s)", f.Name, v)
			case v.Cmp(big.NewInt(MaxStaticSize)) > 0:
				c.errorf(e.Position(), "length of %s is %s bytes; a constant length is at most %d", f.Name, v, MaxStaticSize)
			default:
				f.Size = int(v.Int64())
			}
		}
		if _, ok := e.(*Remaining); ok {
			l.exhausted = f
		}
		l.advance(f.Size)
	case uintTypes[ta.Name] != 0:
		n := uintTypes[ta.Name]
		f.Type = UintType{Bytes: n}
		f.Offset, f.Size = l.off, n
		if ta.Size != nil {
			c.errorf(pos(ta.Size.Pos), "type %s takes no length; only byte[n] and bit[n] do", ta.Name)
		}
		l.advance(n)
	case ta.Name == "label":
		f.Type = LabelType{}
		f.Offset, f.Size = l.off, 0
		if ta.Size != nil {
			c.errorf(pos(ta.Size.Pos), "type label takes no length")
		}
	case c.types[ta.Name] != nil:
		f.Type = CustomType{Def: c.types[ta.Name]}
		f.Offset = l.off
		if ta.Size != nil {
			c.errorf(pos(ta.Size.Pos), "type %s takes no length", ta.Name)
		}
		l.advance(-1)
	default:
		if _, ok := c.packets[ta.Name]; ok {
			c.errorf(tpos, "unknown type %s; a field holding a packet is written %s: packet %s()", ta.Name, f.Name, ta.Name)
		} else {
			c.errorf(tpos, "unknown type %s", ta.Name)
		}
		f.Type = UintType{Bytes: 1}
		l.advance(-1)
		return // its attributes cannot be checked
	}
	c.attrs(f, fa)
}

// fieldPacket checks a field holding a packet; it reports false if the
// packet is unknown.
func (c *checker) fieldPacket(f *Field, ta *typeAST) bool {
	info, ok := c.packets[ta.Packet.Name]
	if !ok {
		c.errorf(pos(ta.Packet.Pos), "unknown packet %s", ta.Packet.Name)
		f.Type = LabelType{}
		return false
	}
	t := PacketType{Packet: info.packet}
	if addrs := info.packet.AddrParams(); len(addrs) > 0 {
		c.errorf(pos(ta.Packet.Pos), "packet %s takes addr parameter %s, which only its checksums read; a field cannot hold such a packet yet", info.packet.Name, addrs[0].Name)
	}
	for _, a := range ta.Args {
		e := c.expr(a, ctxParse, nil)
		if readsValue(e) {
			c.errorf(e.Position(), "argument %s of packet %s reads a field that value() computes; a builder writes the packet before it computes that", ExprString(e), info.packet.Name)
		}
		t.Args = append(t.Args, e)
	}
	if len(t.Args) != len(info.packet.Params) {
		c.errorf(pos(ta.Pos), "packet %s takes %s, found %d", info.packet.Name, plural(len(info.packet.Params), "argument"), len(t.Args))
	} else {
		for i, a := range t.Args {
			if a != nil && info.packet.Params[i].Type != TypeInvalid && a.Type() != info.packet.Params[i].Type {
				c.errorf(a.Position(), "argument %s of packet %s is %s, want %s", info.packet.Params[i].Name, info.packet.Name, a.Type(), info.packet.Params[i].Type)
			}
		}
	}
	if ta.Size != nil {
		c.errorf(pos(ta.Size.Pos), "a packet field takes no length")
	}
	f.Type = t
	c.info.refs = append(c.info.refs, f)
	return true
}

var knownAttrs = []string{"absent", "align", "checksum", "const", "default", "format", "max", "min", "value", "variant"}

func (c *checker) attrs(f *Field, fa *fieldAST) {
	if t, ok := f.Type.(CustomType); ok {
		for _, a := range fa.Attrs {
			name := a.Name
			if a.Variant != nil || name == "" {
				name = "variant"
			}
			c.errorf(pos(a.Pos), "attribute %s does not apply to %s, a field of custom type %s", name, f.Name, t.Def.Name)
		}
		return
	}
	seen := map[string]Pos{}
	isInt := fieldValueType(f) == TypeInt
	for _, a := range fa.Attrs {
		name := a.Name
		switch {
		case a.Checksum != nil:
			name = "checksum"
		case a.Variant != nil || name == "":
			name = "variant"
		}
		ap := pos(a.Pos)
		if prev, ok := seen[name]; ok {
			c.errorf(ap, "duplicate attribute %s; previous at %s", name, prev)
			continue
		}
		known := false
		for _, k := range knownAttrs {
			known = known || k == name
		}
		if name == "unique" {
			c.errorf(ap, "attribute unique applies to arrays; %s is a field", f.Name)
			continue
		}
		if !known {
			c.errorf(ap, "unknown attribute %s", name)
			continue
		}
		seen[name] = ap
		if name == "checksum" {
			if a.Checksum == nil {
				c.errorf(ap, "checksum takes the range it covers: checksum(from .. to), or checksum(from ..) to the end of the packet, then any pseudo-header terms")
				continue
			}
			c.checksumAttr(f, a.Checksum, ap)
			continue
		}
		if name == "variant" {
			if !isInt {
				c.errorf(ap, "variant needs an integer field; %s is %s", f.Name, f.Type)
				continue
			}
			f.Attrs.Variant = c.variant(f, a.Variant)
			continue
		}
		if len(a.Args) != 1 {
			c.errorf(ap, "attribute %s takes 1 argument, found %d", name, len(a.Args))
			continue
		}
		arg := a.Args[0]
		switch name {
		case "format":
			c.format(f, arg)
			continue
		case "absent":
			if v, ok := c.constInt(arg, "absent value"); ok && v != 0 {
				c.errorf(pos(arg.Pos), "absent(%d): only 0 can mean that no checksum was computed", v)
			}
			continue
		case "align":
			if _, ok := f.Type.(BytesType); !ok {
				c.errorf(ap, "align applies to byte[n] fields; %s is %s", f.Name, f.Type)
				continue
			}
			if v, ok := c.constInt(arg, "alignment"); ok {
				if v <= 0 || v%8 != 0 {
					c.errorf(pos(arg.Pos), "alignment %d is not a positive multiple of 8 bits", v)
				} else {
					f.Attrs.Align = int(v)
					if f.Size >= 0 && int64(f.Size)%(v/8) != 0 {
						c.errorf(pos(arg.Pos), "%s takes %s, not a multiple of align(%d)", f.Name, plural(f.Size, "byte"), v)
					}
				}
			}
			continue
		}
		vt := fieldValueType(f)
		if vt == TypeInvalid {
			c.errorf(ap, "%s applies to fields with a value; %s is %s", name, f.Name, f.Type)
			continue
		}
		if (name == "value" || name == "min" || name == "max") && !isInt {
			c.errorf(ap, "%s applies to integer fields; %s is %s", name, f.Name, describeType(f))
			continue
		}
		ctx := ctxParse
		switch name {
		case "value":
			ctx = ctxBuild
		case "const", "default":
			ctx = ctxConst
		}
		e := c.expr(arg, ctx, f)
		if e == nil {
			continue
		}
		if vt == TypeBool {
			// A boolean's constant may be written 0 or 1.
			if v, ok := constValue(e); ok && e.Type() == TypeInt && (v.Sign() == 0 || v.Cmp(big.NewInt(1)) == 0) {
				e = &BoolLit{Pos: e.Position(), Value: v.Sign() != 0}
			}
		}
		if e.Type() != vt {
			c.errorf(e.Position(), "%s of %s is %s, want %s", name, f.Name, e.Type(), vt)
			continue
		}
		if v, ok := constValue(e); ok && isInt {
			if !c.checkFits(e.Position(), name, v, f) {
				continue
			}
			if name == "value" && !v.IsInt64() {
				c.errorf(e.Position(), "value %s overflows int64; expressions are evaluated in 64-bit signed arithmetic", v)
				continue
			}
		}
		switch name {
		case "const":
			f.Attrs.Const = e
		case "default":
			f.Attrs.Default = e
		case "value":
			f.Attrs.Value = e
			c.valuePos[f] = pos(arg.Pos)
		case "min":
			f.Attrs.Min = e
		case "max":
			f.Attrs.Max = e
		}
	}
	if _, ok := seen["absent"]; ok {
		if cs := f.Attrs.Checksum; cs != nil {
			cs.Absent = true
		} else if _, ok := seen["checksum"]; !ok {
			c.errorf(seen["absent"], "absent applies to a checksum field; %s has no checksum attribute", f.Name)
		}
	}
	if f.Attrs.Checksum != nil && (f.Attrs.Const != nil || f.Attrs.Default != nil || f.Attrs.Value != nil || f.Attrs.Min != nil || f.Attrs.Max != nil || f.Attrs.Variant != nil) {
		c.errorf(f.Pos, "field %s is a checksum; it takes no const, default, value, min, max or variant", f.Name)
	}
	if f.Attrs.Const != nil && (f.Attrs.Default != nil || f.Attrs.Value != nil) {
		c.errorf(f.Pos, "field %s is const; it takes no default or value", f.Name)
	}
	if f.Attrs.Default != nil && f.Attrs.Value != nil {
		c.errorf(f.Pos, "field %s has both default and value; value is computed, so default would never be used", f.Name)
	}
	if f.Attrs.Min != nil && f.Attrs.Max != nil {
		lo, ok1 := constValue(f.Attrs.Min)
		hi, ok2 := constValue(f.Attrs.Max)
		if ok1 && ok2 && lo.Cmp(hi) > 0 {
			c.errorf(f.Attrs.Min.Position(), "min %s is above max %s", lo, hi)
		}
	}
}

// describeType names a field's type for diagnostics: its wire type, and
// "boolean" for bit[1].
func describeType(f *Field) string {
	if t, ok := f.Type.(BitsType); ok && t.Bool {
		return "bit[1], a boolean"
	}
	return f.Type.String()
}

// format checks format(name): the name must suit the field's type.
func (c *checker) format(f *Field, arg *exprAST) {
	id, ok := toExpr(arg).(*identExpr)
	if !ok {
		c.errorf(pos(arg.Pos), "format takes one of ipv4, ipv6, mac, hex")
		return
	}
	size := -1
	isInt := false
	switch t := f.Type.(type) {
	case UintType:
		size, isInt = t.Bytes, true
	case BitsType:
		isInt = true
	case BytesType:
		if v, ok := constValue(t.Len); ok {
			size = int(v.Int64())
		}
	}
	okType := false
	switch id.name {
	case "ipv4":
		okType = size == 4
	case "ipv6":
		okType = size == 16 && !isInt
	case "mac":
		okType = size == 6 && !isInt
	case "hex":
		_, isBytes := f.Type.(BytesType)
		okType = isInt || isBytes
	default:
		c.errorf(id.p, "unknown format %s; want ipv4, ipv6, mac or hex", id.name)
		return
	}
	if !okType {
		c.errorf(id.p, "format %s does not suit %s field %s", id.name, f.Type, f.Name)
		return
	}
	f.Attrs.Format = id.name
}

// maxValue returns the largest value an integer field holds.
func maxValue(f *Field) *big.Int {
	bits := 0
	switch t := f.Type.(type) {
	case BitsType:
		bits = t.N
	case UintType:
		bits = t.Bytes * 8
	case CustomType:
		bits = 64 // a uint64
	}
	m := new(big.Int).Lsh(big.NewInt(1), uint(bits))
	return m.Sub(m, big.NewInt(1))
}

func (c *checker) checkFits(p Pos, what string, v *big.Int, f *Field) bool {
	if m := maxValue(f); v.Sign() < 0 || v.Cmp(m) > 0 {
		c.errorf(p, "%s %s does not fit in field %s (%s: 0..%s)", what, v, f.Name, f.Type, m)
		return false
	}
	return true
}

func (c *checker) variant(f *Field, items []*variantItemAST) *Variant {
	v := &Variant{}
	names := map[string]*VariantCase{}
	values := map[uint64]*VariantCase{}
	for _, it := range items {
		vc := &VariantCase{Pos: pos(it.Name.Pos), Name: it.Name.Name, Default: it.Default}
		val, ok := c.constInt(it.Value, "variant value")
		if !ok {
			continue
		}
		if !c.checkFits(pos(it.Value.Pos), "variant value", big.NewInt(val), f) {
			continue
		}
		vc.Value = uint64(val)
		if prev, ok := names[vc.Name]; ok {
			c.errorf(vc.Pos, "duplicate variant name %s; previous at %s", vc.Name, prev.Pos)
			continue
		}
		if prev, ok := values[vc.Value]; ok {
			c.errorf(pos(it.Value.Pos), "duplicate variant value %d (%s and %s); previous at %s", vc.Value, prev.Name, vc.Name, prev.Pos)
			continue
		}
		if vc.Default {
			if v.Default != nil {
				c.errorf(pos(it.Pos), "variant has two defaults (=>): %s and %s", v.Default.Name, vc.Name)
				continue
			}
			v.Default = vc
		}
		names[vc.Name] = vc
		values[vc.Value] = vc
		v.Cases = append(v.Cases, vc)
	}
	if len(items) == 0 {
		c.errorf(f.Pos, "variant of %s has no values", f.Name)
	}
	return v
}

func (c *checker) array(a *Array, aa *arrayAST, l *layout) {
	if l.exhausted != nil {
		c.errorf(a.Pos, "array %s follows %s, which takes all remaining bytes", a.Name, l.exhausted.DeclName())
	}
	if aa.Bytes != nil {
		c.inLength = true
		a.Bytes = c.expr(aa.Bytes, ctxParse, nil)
		c.inLength = false
		if a.Bytes != nil && a.Bytes.Type() != TypeInt {
			c.errorf(a.Bytes.Position(), "length of array %s is %s, not int", a.Name, a.Bytes.Type())
		}
		if _, ok := a.Bytes.(*Remaining); ok {
			defer func() { l.exhausted = a }()
		}
	} else {
		a.Count = c.expr(aa.Count, ctxParse, nil)
		if a.Count != nil && a.Count.Type() != TypeInt {
			c.errorf(a.Count.Position(), "count of array %s is %s, not int", a.Name, a.Count.Type())
		}
	}
	for _, at := range aa.Attrs {
		ap := pos(at.Pos)
		if (at.Name != "align" && at.Name != "unique") || at.Checksum != nil || at.Variant != nil {
			name := at.Name
			if at.Checksum != nil {
				name = "checksum"
			} else if at.Variant != nil || name == "" {
				name = "variant"
			}
			c.errorf(ap, "attribute %s does not apply to array %s; an array takes only align(n) and unique(labels)", name, a.Name)
			continue
		}
		if at.Name == "unique" {
			c.uniqueAttr(a, at, ap)
			continue
		}
		if a.Align != 0 {
			c.errorf(ap, "duplicate attribute align")
			continue
		}
		if aa.Bytes == nil {
			c.errorf(ap, "align applies to an array bounded by bytes, array[e]; %s is bounded by a count", a.Name)
			continue
		}
		if len(at.Args) != 1 {
			c.errorf(ap, "attribute align takes 1 argument, found %d", len(at.Args))
			continue
		}
		if v, ok := c.constInt(at.Args[0], "alignment"); ok {
			if v <= 0 || v%8 != 0 {
				c.errorf(pos(at.Args[0].Pos), "alignment %d is not a positive multiple of 8 bits", v)
			} else {
				a.Align = int(v)
			}
		}
	}
	a.Body = &Block{Parent: a.Block, Owner: a, Offset: 0}
	c.block(a.Body, aa.Body)
	if a.Body.Size == 0 {
		c.errorf(a.Pos, "the elements of array %s take no bytes; every element takes at least one", a.Name)
	}
	l.advance(-1)
}

func (c *checker) classify(b *Block, ca *classifyAST, l *layout) *Classify {
	cl := &Classify{Pos: pos(ca.Pos), Block: b}
	var on Expr
	name := ca.On.Name
	onPos := pos(ca.On.Pos)
	if d := c.lookupDecl(b, name); d != nil {
		f, ok := d.(*Field)
		switch {
		case !ok:
			c.errorf(onPos, "cannot classify on array %s", name)
		case !c.parsed[f]:
			c.errorf(onPos, "%s is used before it is parsed (declared at %s)", name, f.Pos)
		case fieldValueType(f) == TypeInvalid:
			c.errorf(onPos, "cannot classify on %s: it is %s, which has no value", name, f.Type)
		default:
			on = &FieldRef{Pos: onPos, Field: f}
		}
	} else if prm, ok := c.params[name]; ok {
		on = &ParamRef{Pos: onPos, Param: prm}
	} else {
		c.errorf(onPos, "undefined: %s", name)
	}
	cl.On = on
	start := l.off
	if l.exhausted != nil {
		start = -1
	}
	labels := map[string]*Case{}
	var seen []*Case
	var wildcard *Case
	size := -2
	for _, cs := range ca.Cases {
		k := &Case{Pos: pos(cs.Pos)}
		k.Label = strings.Trim(cs.Label.Text, `"`)
		if u, err := strconv.Unquote(cs.Label.Text); err == nil {
			k.Label = u
		}
		lp := pos(cs.Label.Pos)
		if !isIdent(k.Label) {
			c.errorf(lp, "case label %q is not an identifier", k.Label)
		} else if prev, ok := labels[k.Label]; ok {
			c.errorf(lp, "duplicate case label %q; previous at %s", k.Label, prev.Pos)
		} else {
			labels[k.Label] = k
		}
		if wildcard != nil && wildcard.Guard == nil {
			c.errorf(k.Pos, "case %s is unreachable: it follows the default case %s", k.Label, wildcard.Label)
		}
		c.pattern(k, cs, on)
		if cs.Guard != nil {
			k.Guard = c.expr(cs.Guard, ctxParse, nil)
			if k.Guard != nil && k.Guard.Type() != TypeBool {
				c.errorf(k.Guard.Position(), "when guard is %s, not bool", k.Guard.Type())
			}
		}
		if k.Kind == PatternWildcard {
			if wildcard != nil && wildcard.Guard == nil {
				c.errorf(k.Pos, "duplicate default case; previous at %s", wildcard.Pos)
			}
			wildcard = k
		} else if k.Guard == nil {
			for _, p := range seen {
				if p.Guard == nil && overlaps(p, k) {
					c.errorf(pos(cs.Value.Pos), "duplicate case %s in classify; previous at %s (%s)", patternString(k), p.Pos, p.Label)
					break
				}
			}
			seen = append(seen, k)
		}
		k.Body = &Block{Parent: b, Owner: k, Offset: start}
		c.block(k.Body, cs.Body)
		if ex := exhaustedBy(k.Body); ex != nil {
			l.exhausted = ex
		}
		switch {
		case size == -2:
			size = k.Body.Size
		case size != k.Body.Size:
			size = -1
		}
		cl.Cases = append(cl.Cases, k)
	}
	if wildcard == nil || size < 0 {
		// Without a default case an unknown value has no body: its size is
		// not the cases' size.
		size = -1
	}
	l.advance(size)
	return cl
}

// exhaustedBy returns a field or array in b that takes all remaining
// bytes, if any.
func exhaustedBy(b *Block) Decl {
	var ex Decl
	Walk(b, func(s Stmt) {
		if ex != nil {
			return
		}
		switch s := s.(type) {
		case *Field:
			if t, ok := s.Type.(BytesType); ok {
				if _, ok := t.Len.(*Remaining); ok && inBlock(s.Block, b) {
					ex = s
				}
			}
		case *Array:
			if _, ok := s.Bytes.(*Remaining); ok && inBlock(s.Block, b) {
				ex = s
			}
		}
	})
	return ex
}

// inBlock reports whether block x is b or lies in b, not inside an array
// of b (an element's remaining() is the rest of its array).
func inBlock(x, b *Block) bool {
	for ; x != nil; x = x.Parent {
		if x == b {
			return true
		}
		if _, ok := x.Owner.(*Array); ok {
			return false
		}
	}
	return false
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_', r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z':
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

func (c *checker) pattern(k *Case, cs *caseAST, on Expr) {
	if cs.Wildcard {
		k.Kind = PatternWildcard
		return
	}
	want := TypeInvalid
	if on != nil {
		want = on.Type()
	}
	lo := c.expr(cs.Value, ctxConst, nil)
	if lo == nil {
		return
	}
	vp := pos(cs.Value.Pos)
	if cs.High != nil {
		hi := c.expr(cs.High, ctxConst, nil)
		if hi == nil {
			return
		}
		if lo.Type() != TypeInt || hi.Type() != TypeInt {
			c.errorf(vp, "range bounds must be integers")
			return
		}
		if want != TypeInvalid && want != TypeInt {
			c.errorf(vp, "integer range on %s %s", want, ExprString(on))
			return
		}
		a, _ := constValue(lo)
		b, _ := constValue(hi)
		if a == nil || b == nil {
			return
		}
		if a.Cmp(b) > 0 {
			c.errorf(vp, "empty range %s..%s", a, b)
			return
		}
		k.Kind, k.Lo, k.Hi = PatternRange, a.Uint64(), b.Uint64()
		c.patternFits(vp, on, a, b)
		return
	}
	switch lo.Type() {
	case TypeInt:
		if want != TypeInvalid && want != TypeInt {
			c.errorf(vp, "integer pattern on %s %s", want, ExprString(on))
			return
		}
		v, _ := constValue(lo)
		if v == nil {
			return
		}
		k.Kind, k.Lo, k.Hi = PatternValue, v.Uint64(), v.Uint64()
		c.patternFits(vp, on, v, v)
	case TypeString:
		str, ok := lo.(*StringLit)
		if !ok {
			c.errorf(vp, "a string pattern is a string literal")
			return
		}
		if want != TypeInvalid && want != TypeString {
			c.errorf(vp, "string pattern %q on %s %s", str.Value, describe(on), ExprString(on))
			return
		}
		k.Kind, k.Str = PatternString, str.Value
	case TypeBool:
		b, ok := lo.(*BoolLit)
		if !ok {
			c.errorf(vp, "a boolean pattern is true or false")
			return
		}
		if want != TypeInvalid && want != TypeBool {
			c.errorf(vp, "boolean pattern on %s %s", describe(on), ExprString(on))
			return
		}
		k.Kind, k.Bool = PatternBool, b.Value
	}
}

func describe(e Expr) string {
	switch e := e.(type) {
	case *FieldRef:
		return e.Type().String() + " field"
	case *ParamRef:
		return e.Type().String() + " parameter"
	}
	return "expression"
}

func (c *checker) patternFits(p Pos, on Expr, lo, hi *big.Int) {
	if lo.Sign() < 0 {
		c.errorf(p, "pattern %s is negative", lo)
		return
	}
	if fr, ok := on.(*FieldRef); ok && hi.Cmp(maxValue(fr.Field)) > 0 {
		c.errorf(p, "pattern %s does not fit in field %s (%s: 0..%s)", hi, fr.Field.Name, fr.Field.Type, maxValue(fr.Field))
	}
	if pr, ok := on.(*ParamRef); ok && !hi.IsInt64() {
		c.errorf(p, "pattern %s is out of range of int parameter %s (a 64-bit signed integer)", hi, pr.Param.Name)
	}
}

func overlaps(a, b *Case) bool {
	switch {
	case a.Kind == PatternString || b.Kind == PatternString:
		return a.Kind == b.Kind && a.Str == b.Str
	case a.Kind == PatternBool || b.Kind == PatternBool:
		return a.Kind == b.Kind && a.Bool == b.Bool
	}
	return a.Lo <= b.Hi && b.Lo <= a.Hi
}

func patternString(k *Case) string {
	switch k.Kind {
	case PatternRange:
		return fmt.Sprintf("%d..%d", k.Lo, k.Hi)
	case PatternString:
		return strconv.Quote(k.Str)
	case PatternBool:
		return strconv.FormatBool(k.Bool)
	case PatternWildcard:
		return "_"
	}
	return fmt.Sprint(k.Lo)
}

// cycles reports packets that contain themselves through packet fields.
func (c *checker) cycles(infos []*packetInfo) {
	for _, info := range infos {
		for _, f := range info.refs {
			q := f.Type.(PacketType).Packet
			if path := c.pathTo(q, info.packet, map[*Packet]bool{}); path != nil {
				c.errorf(f.Pos, "packet %s contains itself: %s", info.packet.Name, strings.Join(append([]string{info.packet.Name}, path...), " -> "))
				break
			}
		}
	}
}

// pathTo returns the packet names on a chain of packet fields from one
// packet to another, or nil.
func (c *checker) pathTo(from, to *Packet, seen map[*Packet]bool) []string {
	if from == to {
		return []string{to.Name}
	}
	if seen[from] {
		return nil
	}
	seen[from] = true
	for _, f := range c.packets[from.Name].refs {
		if p := c.pathTo(f.Type.(PacketType).Packet, to, seen); p != nil {
			return append([]string{from.Name}, p...)
		}
	}
	return nil
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// checksumAttr checks checksum(from .. to, terms) on field f as far as it
// can before the packet's body is walked: the field's type and the terms.
// The range is resolved by resolveChecksums.
func (c *checker) checksumAttr(f *Field, ca *checksumAST, ap Pos) {
	if t, ok := f.Type.(UintType); !ok || t.Bytes != 2 {
		c.errorf(ap, "checksum needs a uint16 field, the Internet checksum's size; %s is %s", f.Name, describeType(f))
		return
	}
	cs := &Checksum{Pos: ap}
	ok := true
	c.inChecksum = true
	for _, ta := range ca.Terms {
		e := c.expr(ta, ctxBuild, f)
		if e == nil {
			ok = false
			continue
		}
		if r, isParam := e.(*ParamRef); isParam && r.Param.Type == TypeAddr {
			cs.Terms = append(cs.Terms, e)
			continue
		}
		if e.Type() != TypeInt {
			c.errorf(e.Position(), "checksum term %s is %s; a term is an addr parameter or an integer", ExprString(e), e.Type())
			ok = false
			continue
		}
		cs.Terms = append(cs.Terms, e)
	}
	c.inChecksum = false
	if ok {
		f.Attrs.Checksum = cs
		c.checksums = append(c.checksums, pendingChecksum{field: f, ast: ca, cs: cs})
	}
}

// resolveChecksums resolves the ranges of the packet's checksums, now that
// every offset is known. A range runs over fields of the packet's body
// (not of a case or an array element) from one at a static offset; the
// checksum field lies in it, an even number of bytes from its start, and
// covers no other checksum.
func (c *checker) resolveChecksums(body *Block) {
	index := map[Decl]int{}
	for i, st := range body.Stmts {
		if d, ok := st.(Decl); ok {
			index[d] = i
		}
	}
	lookup := func(n nameAST) (*Field, bool) {
		p := pos(n.Pos)
		d := c.lookupDecl(body, n.Name)
		if d == nil {
			c.errorf(p, "checksum range: undefined: %s (a range names fields of the packet's body)", n.Name)
			return nil, false
		}
		f, ok := d.(*Field)
		if !ok || f.Block != body {
			c.errorf(p, "checksum range: %s is not a field of the packet's body", n.Name)
			return nil, false
		}
		return f, true
	}
	var done []pendingChecksum
	for _, pc := range c.checksums {
		f, cs := pc.field, pc.cs
		from, ok := lookup(pc.ast.From)
		if !ok {
			f.Attrs.Checksum = nil
			continue
		}
		cs.From = from
		fp := pos(pc.ast.From.Pos)
		if from.Offset < 0 {
			c.errorf(fp, "checksum range: %s is not at a static offset; a range starts at a field whose offset is known", from.Name)
			f.Attrs.Checksum = nil
			continue
		}
		if pc.ast.To != nil {
			to, ok := lookup(*pc.ast.To)
			if !ok {
				f.Attrs.Checksum = nil
				continue
			}
			if index[to] < index[from] {
				c.errorf(pos(pc.ast.To.Pos), "checksum range: %s comes before %s", to.Name, from.Name)
				f.Attrs.Checksum = nil
				continue
			}
			cs.To = to
		}
		// A range covers whole bytes: it cannot start or end inside a
		// run of bit fields (the fields it leaves out would share bytes
		// with those it covers).
		if r := from.Run; r != nil && r.Fields[0] != from {
			c.errorf(fp, "checksum range: %s starts inside the run of bit fields %s to %s; a range covers whole bytes", from.Name, r.Fields[0].Name, r.Fields[len(r.Fields)-1].Name)
			f.Attrs.Checksum = nil
			continue
		}
		if to := cs.To; to != nil && to.Run != nil && to.Run.Fields[len(to.Run.Fields)-1] != to {
			r := to.Run
			c.errorf(pos(pc.ast.To.Pos), "checksum range: %s ends inside the run of bit fields %s to %s; a range covers whole bytes", to.Name, r.Fields[0].Name, r.Fields[len(r.Fields)-1].Name)
			f.Attrs.Checksum = nil
			continue
		}
		if f.Block != body || f.Offset < 0 {
			c.errorf(f.Pos, "checksum field %s must be in the packet's body at a static offset", f.Name)
			f.Attrs.Checksum = nil
			continue
		}
		if index[f] < index[from] || (cs.To != nil && index[f] > index[cs.To]) {
			c.errorf(f.Pos, "checksum field %s lies outside the range it covers, %s", f.Name, cs.Range())
			f.Attrs.Checksum = nil
			continue
		}
		if (f.Offset-from.Offset)%2 != 0 {
			c.errorf(f.Pos, "checksum field %s is at an odd offset (%d) from the start of its range; the Internet checksum sums 16-bit words", f.Name, f.Offset-from.Offset)
			f.Attrs.Checksum = nil
			continue
		}
		for _, o := range done {
			for _, pair := range [][2]pendingChecksum{{pc, o}, {o, pc}} {
				outer, inner := pair[0], pair[1]
				in := index[inner.field] >= index[outer.cs.From] && (outer.cs.To == nil || index[inner.field] <= index[outer.cs.To])
				if in {
					c.errorf(outer.field.Pos, "checksum %s covers checksum %s (at %s); a checksum may not cover another", outer.field.Name, inner.field.Name, inner.field.Pos)
					f.Attrs.Checksum = nil
				}
			}
		}
		if f.Attrs.Checksum != nil {
			done = append(done, pc)
		}
	}
	c.checksums = nil
	if len(done) == 0 {
		return
	}
	// A builder computes the checksums last, from everything else: no
	// expression may read one.
	Walk(body, func(s Stmt) {
		exprs := LayoutExprs(s)
		if f, ok := s.(*Field); ok {
			exprs = append(exprs, f.Attrs.Const, f.Attrs.Default, f.Attrs.Value, f.Attrs.Min, f.Attrs.Max)
			if cs := f.Attrs.Checksum; cs != nil {
				exprs = append(exprs, cs.Terms...)
			}
		}
		for _, e := range exprs {
			WalkExpr(e, func(x Expr) {
				if r, ok := x.(*FieldRef); ok && r.Field.Attrs.Checksum != nil {
					c.errorf(r.Pos, "%s reads checksum %s, which a builder computes last from the rest; no expression may read a checksum", ExprString(e), r.Field.Name)
				}
			})
		}
	})
}

// pendingUnique is an array's unique attribute, whose labels are looked
// up once every packet is checked.
type pendingUnique struct {
	array *Array
	pos   Pos
}

// uniqueAttr checks unique("label", ...) on array a: labels as strings,
// each once, the attribute once.
func (c *checker) uniqueAttr(a *Array, at *attrAST, ap Pos) {
	for _, u := range c.uniques {
		if u.array == a {
			c.errorf(ap, "duplicate attribute unique; previous at %s", u.pos)
			return
		}
	}
	if len(at.Args) == 0 {
		c.errorf(ap, "attribute unique takes the labels of classify cases, unique(\"label\", ...); found none")
		return
	}
	seen := map[string]bool{}
	for _, arg := range at.Args {
		x := toExpr(arg)
		lit, ok := x.(*strLit)
		if !ok {
			c.errorf(x.exprPos(), "unique takes the labels of classify cases as strings, as cases write them: \"%s\", not %s", exprString(x), exprString(x))
			continue
		}
		if seen[lit.val] {
			c.errorf(lit.p, "duplicate label %q in unique", lit.val)
			continue
		}
		seen[lit.val] = true
		a.Unique = append(a.Unique, &Unique{Pos: lit.p, Label: lit.val})
	}
	c.uniques = append(c.uniques, pendingUnique{array: a, pos: ap})
}

// resolveUniques finds the cases each unique label names: those of that
// label in the element's block, in the bodies of its cases, and in the
// packets that packet fields there hold, at any depth (not in arrays
// nested in the element). A label no such case has is an error.
func (c *checker) resolveUniques() {
	for _, u := range c.uniques {
		a := u.array
		if a.Body == nil {
			continue
		}
		for _, lu := range a.Unique {
			lu.Cases = ReachableCases(a.Body, lu.Label)
			if len(lu.Cases) == 0 {
				c.errorf(lu.Pos, "no case %q in an element of array %s: unique names the label of a case of a classify in the element, or in a packet it holds", lu.Label, a.Name)
			}
		}
	}
}

// ReachableCases returns the cases labelled label that an element whose
// body is b may hold: cases of classifies in b and in their cases'
// bodies, and in the bodies of the packets that packet fields there hold,
// at any depth; not in arrays nested in b.
func ReachableCases(b *Block, label string) []*Case {
	var out []*Case
	seen := map[*Packet]bool{}
	var walk func(b *Block)
	walk = func(b *Block) {
		if b == nil {
			return
		}
		for _, st := range b.Stmts {
			switch st := st.(type) {
			case *Classify:
				for _, k := range st.Cases {
					if k.Label == label {
						out = append(out, k)
					}
					walk(k.Body)
				}
			case *Field:
				if t, ok := st.Type.(PacketType); ok && t.Packet != nil && !seen[t.Packet] {
					seen[t.Packet] = true
					walk(t.Packet.Body)
					delete(seen, t.Packet)
				}
			}
		}
	}
	walk(b)
	return out
}
