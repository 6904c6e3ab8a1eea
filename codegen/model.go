package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/mplgo/mpl/lang"
)

// A view is one generated view type: a packet's top level, one case of a
// classify, or one element of an array. Each view covers one block.
type view struct {
	name  string // Go type name
	block *lang.Block
	up    *view // the enclosing view; nil for a packet
	pkt   *packetGen
	doc   string
	owner lang.Stmt // *lang.Case or *lang.Array; nil for a packet

	segs  []*segment
	segOf map[*lang.Field]*segment
	relOf map[*lang.Field]int // byte offset of a field (its run) in its segment

	classifies []*classifyGen
	arrays     []*arrayGen

	// needsUp: the parse method reads an enclosing view (a copy of which
	// the view keeps if keepsUp). locals: declarations whose offsets the
	// parse method keeps in local variables.
	needsUp bool
	locals  map[lang.Decl]int // needStart | needEnd
	// upCopied: a view nested in this one reads an enclosing view
	// through this one's copy, so that even check and scan, whose parse
	// otherwise reads the enclosing view through the up pointer it is
	// given, fill the copy.
	upCopied bool
	// byValueParse: the parse method takes the view by value and
	// returns it (see parseByValue).
	byValueParse bool
	// checkMode: parseMethod is emitting check, the parse that reports
	// only whether the input is valid (see hasCheck).
	checkMode bool
	// scanMode: parseMethod is emitting scan (with checkMode set): check
	// for a view Parse has validated, which sizes custom values with
	// their type's Skip (see hasScan).
	scanMode bool
	// inlineLabel: parseMethod is emitting check's body to be inlined in
	// the loop of the enclosing array's parse, as a for statement of that
	// label (see inlineCheck); inlined receives it.
	inlineLabel string
	inlined     []jen.Code
	// keepInlined: the inlined check also copies the element to
	// elemView, which the checks of unique read.
	keepInlined bool

	// ids are the Go names of the view's declarations: the names of
	// their accessors, unique among the view's methods, from which the
	// names of the unexported fields and locals that hold their
	// positions are made. setters are the names of setters.
	ids     map[lang.Decl]string
	setters map[*lang.Field]string
	// checksums are the names of the Verify and Compute methods of the
	// checksum fields of a packet's top view.
	checksums map[*lang.Field][2]string

	// compact: the view keeps b and derives what lies at static offsets
	// (see layout.go); bytesAt and classAt say where its derived byte
	// fields and classifies lie. size caches words.
	compact bool
	bytesAt map[*lang.Field][2]span
	classAt map[*classifyGen]span
	size    int
}

// id returns the Go name of a declaration of the view.
func (v *view) id(d lang.Decl) string {
	if n, ok := v.ids[d]; ok {
		return n
	}
	return goName(d.DeclName())
}

// What a parse method keeps of a declaration's position.
const (
	needEnd = 1 << iota
	needStart
)

// needsB reports whether a view keeps the input, to parse its cases and
// array elements later.
func (v *view) needsB() bool {
	if v.up == nil || len(v.classifies) > 0 || len(v.arrays) > 0 {
		return true
	}
	for _, st := range v.block.Stmts {
		if f, ok := st.(*lang.Field); ok {
			if _, ok := f.Type.(lang.CustomType); ok {
				return true // its Go side reads the whole input
			}
		}
	}
	return false
}

// A segment is a run of fields whose sizes are all static: the parser
// converts it once to an array pointer, so accessors need no bounds checks.
type segment struct {
	idx    int
	size   int
	fields []*lang.Field
	// derived: the segment lies at static offset off of the view's b,
	// and a method of the view returns it.
	derived bool
	off     int
}

type classifyGen struct {
	cl       *lang.Classify
	idx      int
	kindType string
	consts   map[*lang.Case]string
	views    map[*lang.Case]*view
	unknown  string // the constant for "no case matched"
	method   string // the view's method that returns the kind
	as       map[*lang.Case]string
}

type arrayGen struct {
	a    *lang.Array
	elem *view
	iter string
}

// packetGen is a packet and the views made for it.
type packetGen struct {
	p      *lang.Packet
	root   *view
	views  []*view
	viewOf map[*lang.Block]*view
	prefix string // prefix for names of this packet's types ("" for the main packet)
	parse  string // name of the parse function
	// paramIDs are the exported Go names of the parameters (view and
	// builder fields); paramArgs their names in Parse and Decode.
	paramIDs  map[*lang.Param]string
	paramArgs []string
	// builderName is the name of the packet's own builder; builderPids
	// its fields for the parameters.
	builderName string
	builderPids map[*lang.Param]string
	// lengthFields are the fields that lengths and counts read; parseRead
	// those that any check of Parse reads.
	lengthFields map[*lang.Field]bool
	parseRead    map[*lang.Field]bool
	stored       map[lang.Decl]bool
	builders     []*builderGen
}

// isStatic reports whether a field belongs in a segment.
func isStatic(f *lang.Field) bool {
	switch f.Type.(type) {
	case lang.BitsType, lang.UintType:
		return true
	case lang.BytesType:
		_, ok := lang.ConstValue(f.Type.(lang.BytesType).Len)
		return ok
	}
	return false
}

// newPacketGen builds the views of a packet.
func (g *gen) newPacketGen(p *lang.Packet, main bool) *packetGen {
	pg := &packetGen{p: p, viewOf: map[*lang.Block]*view{}, stored: map[lang.Decl]bool{}, paramIDs: map[*lang.Param]string{}}
	var names []string
	ns := namespace{}
	for _, prm := range p.Params {
		pg.paramIDs[prm] = ns.take(goName(prm.Name))
		names = append(names, prm.Name)
	}
	pg.paramArgs = paramArgNames(names)
	var rootName string
	if main {
		rootName = g.claim("Packet", p.Body)
	} else {
		rootName = g.claim(goName(p.Name), p.Body)
		pg.prefix = rootName
	}
	pg.root = g.newView(pg, rootName, p.Body, nil, nil)
	pg.root.doc = p.Doc
	pg.parse = g.claim("Parse"+pg.prefix, p)
	pg.builderName = g.claim(pg.prefix+"Builder", p.Body)
	bns := namespace{"AppendTo": true, "AppendHeader": true, "Finish": true}
	pg.builderPids = map[*lang.Param]string{}
	for _, prm := range p.Params {
		pg.builderPids[prm] = bns.take(goName(prm.Name))
	}
	g.analyze(pg)
	g.layout(pg)
	for _, v := range pg.views {
		g.nameMethods(v)
	}
	return pg
}

// nameMethods names the methods of a view. The methods every view has,
// and those of its classifies, keep their names; accessors and setters of
// fields and arrays take theirs in the order of the spec.
func (g *gen) nameMethods(v *view) {
	ns := namespace{"String": true, "AppendText": true, "Walk": true}
	if v.up == nil {
		ns["Bytes"], ns["Rest"], ns["Decode"] = true, true, true
	}
	for _, cg := range v.classifies {
		cg.method = ns.take(cg.method)
		for _, c := range cg.cl.Cases {
			cg.as[c] = ns.take("As" + goName(c.Label))
		}
	}
	v.ids = map[lang.Decl]string{}
	v.setters = map[*lang.Field]string{}
	for _, st := range v.block.Stmts {
		switch st := st.(type) {
		case *lang.Field:
			n := ns.take(goName(st.Name))
			v.ids[st] = n
			if customDef(st) != nil {
				ns.take(n + "Bytes")
			}
			if st.Attrs.Const == nil && customDef(st) == nil {
				if _, ok := st.Type.(lang.LabelType); !ok {
					v.setters[st] = ns.take("Set" + n)
				}
			}
		case *lang.Array:
			v.ids[st] = ns.take(goName(st.Name))
		}
	}
	v.checksums = map[*lang.Field][2]string{}
	for _, st := range v.block.Stmts {
		if f, ok := st.(*lang.Field); ok && f.Attrs.Checksum != nil && v.up == nil {
			v.checksums[f] = [2]string{ns.take("Verify" + v.ids[f]), ns.take("Compute" + v.ids[f])}
		}
	}
}

func (g *gen) newView(pg *packetGen, name string, b *lang.Block, up *view, owner lang.Stmt) *view {
	if up != nil {
		name = g.claim(name, b) // the root's name is claimed by newPacketGen
	}
	v := &view{name: name, block: b, up: up, pkt: pg, owner: owner, segOf: map[*lang.Field]*segment{}, relOf: map[*lang.Field]int{}}
	pg.views = append(pg.views, v)
	pg.viewOf[b] = v
	var cur *segment
	var runSeen = map[*lang.BitRun]bool{}
	for _, s := range b.Stmts {
		f, ok := s.(*lang.Field)
		if ok && isStatic(f) {
			if cur == nil {
				cur = &segment{idx: len(v.segs)}
				v.segs = append(v.segs, cur)
			}
			cur.fields = append(cur.fields, f)
			v.segOf[f] = cur
			if f.Run != nil {
				if !runSeen[f.Run] {
					runSeen[f.Run] = true
					v.relOf[f] = cur.size
					cur.size += f.Size
				} else {
					v.relOf[f] = v.relOf[f.Run.Fields[0]]
				}
				continue
			}
			v.relOf[f] = cur.size
			cur.size += f.Size
			continue
		}
		if ok {
			if _, isLabel := f.Type.(lang.LabelType); isLabel {
				continue // labels take no bytes and do not end a segment
			}
		}
		if _, isEmpty := s.(*lang.Empty); isEmpty {
			continue
		}
		cur = nil
		switch s := s.(type) {
		case *lang.Classify:
			cg := &classifyGen{cl: s, idx: len(v.classifies), consts: map[*lang.Case]string{}, views: map[*lang.Case]*view{}, as: map[*lang.Case]string{}}
			// A view's classify is its Kind; a view with several
			// classifies names each after what it classifies on.
			cg.method = "Kind"
			if countClassifies(b) > 1 {
				cg.method = goName(lang.ExprString(s.On)) + "Kind"
			}
			cg.kindType = v.name + cg.method
			if v.up == nil && pg.prefix == "" {
				cg.kindType = cg.method
			}
			cg.kindType = g.claim(cg.kindType, s)
			cg.unknown = g.claim(cg.kindType+"Unknown", s)
			for _, c := range s.Cases {
				cg.consts[c] = g.claim(cg.kindType+goName(c.Label), c)
				cg.views[c] = g.newView(pg, pg.prefix+goName(c.Label), c.Body, v, c)
				cg.views[c].doc = fmt.Sprintf("%s is the %s case of %s.", cg.views[c].name, c.Label, v.name)
			}
			v.classifies = append(v.classifies, cg)
		case *lang.Array:
			// Arrays of the same name in sibling cases take the case's
			// name too: OptionsLooseSourceRouteRouteIter, not
			// OptionsRouteIter_.
			name := pg.prefix + singular(goName(s.Name))
			iter := pg.prefix + goName(s.Name) + "Iter"
			if _, inCase := v.owner.(*lang.Case); inCase && (g.names[name] != nil || g.names[iter] != nil) {
				name = v.name + singular(goName(s.Name))
				iter = v.name + goName(s.Name) + "Iter"
			}
			ag := &arrayGen{a: s, iter: g.claim(iter, s)}
			ag.elem = g.newView(pg, name, s.Body, v, s)
			ag.elem.doc = fmt.Sprintf("%s is one element of the %s array of %s.", ag.elem.name, s.Name, v.name)
			v.arrays = append(v.arrays, ag)
		}
	}
	// Enum types are named after the classify kinds, so that a field
	// named kind yields to the classify: Kind() returns a Kind.
	for _, s := range b.Stmts {
		if f, ok := s.(*lang.Field); ok && f.Attrs.Variant != nil {
			g.enumType(v, f)
		}
	}
	return v
}

func countClassifies(b *lang.Block) int {
	n := 0
	for _, s := range b.Stmts {
		if _, ok := s.(*lang.Classify); ok {
			n++
		}
	}
	return n
}

// analyze finds what each view's parse method reads: offsets and sizes
// of its own declarations become locals, those of enclosing views are
// stored there, and a view that reads an enclosing one keeps a copy of it.
func (g *gen) analyze(pg *packetGen) {
	for _, v := range pg.views {
		v.locals = map[lang.Decl]int{}
	}
	for _, v := range pg.views {
		ref := func(owner *view, d lang.Decl, need int) {
			if owner == v {
				if need != 0 {
					v.locals[d] |= need
				}
				return
			}
			for w := v; w != nil && w != owner; w = w.up {
				w.needsUp = true
				if w != v {
					w.upCopied = true // v reads through w's copy
				}
			}
			if need != 0 {
				pg.stored[d] = true
			}
		}
		var visit func(e lang.Expr)
		visit = func(e lang.Expr) {
			switch e := e.(type) {
			case *lang.FieldRef:
				ref(pg.viewOfDecl(e.Field), e.Field, 0)
			case *lang.ParamRef:
				ref(pg.root, nil, 0)
			case *lang.Offset:
				if !staticEnd(e.Decl) {
					ref(pg.viewOfDecl(e.Decl), e.Decl, needEnd)
				}
			case *lang.Sizeof:
				if _, ok := staticSize(e.Decl); !ok {
					ref(pg.viewOfDecl(e.Decl), e.Decl, needEnd|needStart)
				}
			case *lang.ArrayLength:
				ref(pg.viewOfDecl(e.Array), nil, 0)
			case *lang.Unary:
				visit(e.X)
			case *lang.Binary:
				visit(e.X)
				visit(e.Y)
			}
		}
		for _, st := range v.block.Stmts {
			switch st := st.(type) {
			case *lang.Field:
				visit(st.Attrs.Const)
				visit(st.Attrs.Min)
				visit(st.Attrs.Max)
				switch t := st.Type.(type) {
				case lang.BytesType:
					visit(t.Len)
				case lang.PacketType:
					for _, a := range t.Args {
						visit(a)
					}
				}
				if pg.valueChecked(st) {
					visit(st.Attrs.Value)
				}
			case *lang.Classify:
				visit(st.On)
				for _, c := range st.Cases {
					visit(c.Guard)
				}
			case *lang.Array:
				visit(st.Count)
				visit(st.Bytes)
			}
		}
	}
}

// valueChecked reports whether Parse checks that a value() field holds
// what its expression computes (in some cases at least: see valueCheck).
func (pg *packetGen) valueChecked(f *lang.Field) bool {
	ok, _, _ := pg.valueCheck(f)
	return ok
}

// valueCheck reports whether Parse checks that a value() field holds what
// its expression computes: when the expression reads only the
// declarations of the field's own view and parameters, all known once the
// view is parsed. A field that sets a length or a count (IPv4's ihl and
// total_length, a count of records) is tied to the layout by parsing
// itself, and is not checked; but where it sets lengths only inside cases
// of one classify of its view (a DNS record's rdlength, the length of TXT
// and unknown data but not of an A record's address), Parse checks it
// when another case holds: cl is that classify and skip the cases that
// are not checked (those that set a length from it, and those with a
// classify that may match nothing, whose bytes may end up in Rest), as
// is a classify that matched nothing.
func (pg *packetGen) valueCheck(f *lang.Field) (ok bool, cl *lang.Classify, skip map[*lang.Case]bool) {
	if f.Attrs.Value == nil || fieldBits(f) == 0 {
		return false, nil, nil
	}
	v := pg.viewOf[f.Block]
	if _, ok := v.segOf[f]; !ok {
		return false, nil, nil
	}
	ok = true
	lang.WalkExpr(f.Attrs.Value, func(e lang.Expr) {
		switch e := e.(type) {
		case *lang.FieldRef:
			ok = ok && pg.viewOfDecl(e.Field) == v
		case *lang.Offset:
			ok = ok && pg.viewOfDecl(e.Decl) == v
		case *lang.Sizeof:
			ok = ok && pg.viewOfDecl(e.Decl) == v
		case *lang.ArrayLength:
			ok = ok && pg.viewOfDecl(e.Array) == v
		case *lang.Remaining:
			ok = false
		}
	})
	if !ok || !pg.setsLength(f) {
		return ok, nil, nil
	}
	all := lengthUses(f, pg.p.Body)
	for _, st := range f.Block.Stmts {
		c, isCl := st.(*lang.Classify)
		if !isCl {
			continue
		}
		in := 0
		sk := map[*lang.Case]bool{}
		for _, k := range c.Cases {
			if n := lengthUses(f, k.Body); n > 0 || !totalClassifies(k.Body) {
				sk[k] = true
				in += n
			}
		}
		if in == 0 {
			continue
		}
		if in != all || cl != nil || len(sk) == len(c.Cases) {
			return false, nil, nil
		}
		cl, skip = c, sk
	}
	if cl == nil {
		return false, nil, nil
	}
	return true, cl, skip
}

// lengthUses counts the lengths of byte fields and the counts and sizes
// of arrays in b that read field f.
func lengthUses(f *lang.Field, b *lang.Block) int {
	n := 0
	walkLengths(b, func(e lang.Expr) {
		if r, ok := e.(*lang.FieldRef); ok && r.Field == f {
			n++
		}
	})
	return n
}

// walkLengths calls fn with every node of the lengths of byte fields and
// the counts and sizes of arrays in b, nested blocks included.
func walkLengths(b *lang.Block, fn func(lang.Expr)) {
	lang.Walk(b, func(s lang.Stmt) {
		switch s := s.(type) {
		case *lang.Field:
			if t, ok := s.Type.(lang.BytesType); ok {
				lang.WalkExpr(t.Len, fn)
			}
		case *lang.Array:
			lang.WalkExpr(s.Count, fn)
			lang.WalkExpr(s.Bytes, fn)
		}
	})
}

// totalClassifies reports whether every classify in b, nested ones
// included, has a case that always matches (a wildcard without a guard),
// so that parsing b leaves none of its bytes unread.
func totalClassifies(b *lang.Block) bool {
	total := true
	lang.Walk(b, func(s lang.Stmt) {
		c, ok := s.(*lang.Classify)
		if !ok {
			return
		}
		any := false
		for _, k := range c.Cases {
			any = any || k.Kind == lang.PatternWildcard && k.Guard == nil
		}
		total = total && any
	})
	return total
}

// builderParam is the field of the packet's builder for a parameter.
func (pg *packetGen) builderParam(p *lang.Param) string { return pg.builderPids[p] }

// constrained reports whether a field is checked by Parse or decides the
// layout: it has min, max or value(), or a length, count, classify, guard
// or check reads it.
func (pg *packetGen) constrained(f *lang.Field) bool {
	if f.Attrs.Min != nil || f.Attrs.Max != nil || f.Attrs.Value != nil || f.Attrs.Const != nil {
		return true
	}
	if pg.parseRead == nil {
		pg.parseRead = map[*lang.Field]bool{}
		mark := func(e lang.Expr) {
			if r, ok := e.(*lang.FieldRef); ok {
				pg.parseRead[r.Field] = true
			}
		}
		lang.Walk(pg.p.Body, func(s lang.Stmt) {
			exprs := lang.LayoutExprs(s)
			if f, ok := s.(*lang.Field); ok {
				exprs = append(exprs, f.Attrs.Const, f.Attrs.Min, f.Attrs.Max)
				if pg.valueChecked(f) {
					exprs = append(exprs, f.Attrs.Value)
				}
			}
			for _, e := range exprs {
				lang.WalkExpr(e, mark)
			}
		})
	}
	return pg.parseRead[f]
}

// setsLength reports whether a field is read by the length of a byte
// field or the count of an array of the packet.
func (pg *packetGen) setsLength(f *lang.Field) bool {
	if pg.lengthFields == nil {
		pg.lengthFields = map[*lang.Field]bool{}
		walkLengths(pg.p.Body, func(e lang.Expr) {
			if r, ok := e.(*lang.FieldRef); ok {
				pg.lengthFields[r.Field] = true
			}
		})
	}
	return pg.lengthFields[f]
}

// staticEnd reports whether a declaration ends at a static offset.
func staticEnd(d lang.Decl) bool {
	f, ok := d.(*lang.Field)
	return ok && f.Offset >= 0 && f.Size >= 0 && f.Run == nil
}

func staticSize(d lang.Decl) (int, bool) {
	f, ok := d.(*lang.Field)
	if !ok || f.Size < 0 || f.Run != nil {
		return 0, false
	}
	return f.Size, true
}

// viewOf returns the view that declares a field.
func (pg *packetGen) viewOfDecl(d lang.Decl) *view {
	switch d := d.(type) {
	case *lang.Field:
		return pg.viewOf[d.Block]
	case *lang.Array:
		return pg.viewOf[d.Block]
	}
	return nil
}
