package codegen

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mplgo/mpl/lang"
)

// This file draws packet layouts as RFC 791-style diagrams of 32-bit rows:
//
//	 0                   1                   2                   3
//	 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//	|Version|  IHL  |Type of Service|          Total Length         |
//	+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//
// Every grid line is DiagramWidth characters wide; bit i of a row is column
// 2i+1 and the boundary before bit i is column 2i. A field wider than a row
// spans several rows with its name in the middle line (RFC 2460 style);
// rows a block does not cover stay blank. A field whose size is not static
// is one row of its own between "~" edges, explained in a note under the
// diagram. Names that do not fit their field are replaced by a short key,
// explained in a legend under the diagram ("D = dont_fragment"). Labels take
// no bytes and are noted, not drawn.

// DiagramWidth is the width in characters of every grid line of a diagram.
const DiagramWidth = 2*rowBits + 1

const rowBits = 32

// Diagram draws packet p: its body, then each classify case and each array
// element in the order the spec declares them, each with a title line.
func Diagram(p *lang.Packet) string {
	var sb strings.Builder
	title := "packet " + p.Name
	if len(p.Params) > 0 {
		var ps []string
		for _, prm := range p.Params {
			ps = append(ps, prm.Type.String()+" "+prm.Name)
		}
		title += "(" + strings.Join(ps, ", ") + ")"
	}
	sb.WriteString(title + ":\n")
	sb.WriteString(DiagramBlock(p.Body))
	nested(&sb, p.Body, "")
	return sb.String()
}

// nested appends the diagrams of the cases and array elements in b.
func nested(sb *strings.Builder, b *lang.Block, path string) {
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *lang.Classify:
			for _, k := range s.Cases {
				t := path + "case " + strconv.Quote(k.Label)
				fmt.Fprintf(sb, "\n%s (%s):\n", t, caseCondition(s, k))
				sb.WriteString(DiagramBlock(k.Body))
				nested(sb, k.Body, t+" / ")
			}
		case *lang.Array:
			t := path + "element of " + s.Name
			fmt.Fprintf(sb, "\n%s:\n", t)
			sb.WriteString(DiagramBlock(s.Body))
			nested(sb, s.Body, t+" / ")
		}
	}
}

// caseCondition says when case k of c applies, in the spec's notation.
func caseCondition(c *lang.Classify, k *lang.Case) string {
	on := exprText(c.On, 0)
	var s string
	switch k.Kind {
	case lang.PatternRange:
		s = fmt.Sprintf("%s in %d..%d", on, k.Lo, k.Hi)
	case lang.PatternString:
		s = on + " = " + strconv.Quote(k.Str)
	case lang.PatternBool:
		s = on + " = " + strconv.FormatBool(k.Bool)
	case lang.PatternWildcard:
		s = on + " = any other value"
	default:
		s = fmt.Sprintf("%s = %d", on, k.Lo)
	}
	if k.Guard != nil {
		s += " when " + exprText(k.Guard, 0)
	}
	return s
}

// DiagramBlock draws block b alone: its own fields, with classify
// statements and arrays as rows whose contents Diagram draws separately.
// A case body starts at the column where its classify starts; an array
// element starts at column 0. The result is the grid followed by its
// legend and notes, each line ending in a newline.
func DiagramBlock(b *lang.Block) string {
	grid, notes := blockGrid(b)
	var sb strings.Builder
	for _, l := range grid {
		sb.WriteString(l + "\n")
	}
	for _, n := range notes {
		sb.WriteString("  " + n + "\n")
	}
	return sb.String()
}

// blockGrid returns the grid lines of block b, ruler included, and the
// legend and notes to print under them.
func blockGrid(b *lang.Block) (grid, notes []string) {
	col, known := blockStart(b)
	d := &drawing{}
	notes = d.layout(b, col, known)
	if len(d.rows) == 0 {
		notes = append([]string{"no fields"}, notes...)
	}
	grid = d.render()
	return grid, append(d.legend, notes...)
}

// blockStart returns the column of a row at which block b starts, and
// whether it is known; an unknown start is drawn at column 0.
func blockStart(b *lang.Block) (int, bool) {
	if b.Parent == nil {
		return 0, true
	}
	if _, ok := b.Owner.(*lang.Array); ok {
		return 0, true
	}
	if b.Offset >= 0 {
		return b.Offset * 8 % rowBits, true
	}
	col, known := blockStart(b.Parent)
	for _, s := range b.Parent.Stmts {
		if c, ok := s.(*lang.Classify); ok {
			for _, k := range c.Cases {
				if k.Body == b {
					return col, known
				}
			}
		}
		col, known = advance(s, col, known)
	}
	return 0, false
}

// advance returns the column after statement s, which starts at col.
func advance(s lang.Stmt, col int, known bool) (int, bool) {
	if bits := staticBits(s); bits >= 0 {
		return (col + bits) % rowBits, known
	}
	if f, ok := s.(*lang.Field); ok && f.Attrs.Align > 0 && f.Attrs.Align%rowBits == 0 {
		return col, known
	}
	return 0, false
}

// staticBits returns the size of s in bits, or -1 if it is not static.
func staticBits(s lang.Stmt) int {
	switch s := s.(type) {
	case *lang.Field:
		switch t := s.Type.(type) {
		case lang.BitsType:
			return t.N
		case lang.UintType:
			return t.Bytes * 8
		case lang.LabelType:
			return 0
		case lang.BytesType:
			if s.Size >= 0 {
				return s.Size * 8
			}
		}
		return -1
	case *lang.Classify:
		size := -1
		hasDefault := false
		for i, k := range s.Cases {
			if k.Kind == lang.PatternWildcard && k.Guard == nil {
				hasDefault = true
			}
			if i == 0 {
				size = k.Body.Size
			} else if k.Body.Size != size {
				return -1
			}
		}
		if !hasDefault || size < 0 {
			return -1
		}
		return size * 8
	case *lang.Empty:
		return 0
	}
	return -1
}

// A drawItem is one drawn thing: a field, an array or a classify.
type drawItem struct {
	name     string
	variable bool
}

// drawing collects rows of 32 slots, each the index of the item that
// occupies it or -1.
type drawing struct {
	items  []drawItem
	rows   [][rowBits]int
	legend []string
	keys   map[string]bool
}

func (d *drawing) newRow() {
	var r [rowBits]int
	for i := range r {
		r[i] = -1
	}
	d.rows = append(d.rows, r)
}

// place puts an item of n bits at column col of the current row, opening
// rows as needed, and returns the column after it.
func (d *drawing) place(idx, col, n int) int {
	for n > 0 {
		if !d.rowHasRoom(col) {
			d.newRow()
		}
		r := &d.rows[len(d.rows)-1]
		for n > 0 && col < rowBits {
			r[col] = idx
			col++
			n--
		}
		col %= rowBits
	}
	return col
}

// layout places the statements of b, starting at column col, and returns
// the notes to print under the grid.
func (d *drawing) layout(b *lang.Block, col int, known bool) []string {
	var notes []string
	if _, ok := b.Owner.(*lang.Case); ok && b.Offset >= 0 {
		of := "the packet"
		for a := b; a != nil; a = a.Parent {
			if _, ok := a.Owner.(*lang.Array); ok {
				of = "the element"
				break
			}
		}
		notes = append(notes, fmt.Sprintf("starts at byte %d of %s", b.Offset, of))
	}
	if !known {
		notes = append(notes, "the start of this block is not at a fixed position; columns count from it")
	}
	var prev string
	for _, s := range b.Stmts {
		bits := staticBits(s)
		switch s := s.(type) {
		case *lang.Empty:
			continue
		case *lang.Field:
			if _, ok := s.Type.(lang.LabelType); ok {
				where := "at the start"
				switch {
				case s.Offset >= 0:
					where = fmt.Sprintf("at byte %d", s.Offset)
				case prev != "":
					where = "after " + prev
				}
				notes = append(notes, fmt.Sprintf("%s: label, no bytes, %s", s.Name, where))
				continue
			}
			if bits == 0 {
				notes = append(notes, fmt.Sprintf("%s: no bytes", s.Name))
				prev = s.Name
				continue
			}
			if bits < 0 {
				notes = append(notes, s.Name+": "+sizeNote(s))
			}
			prev = s.Name
			d.items = append(d.items, drawItem{name: s.Name, variable: bits < 0})
		case *lang.Array:
			d.items = append(d.items, drawItem{name: s.Name, variable: true})
			if s.Bytes != nil {
				notes = append(notes, fmt.Sprintf("%s: elements filling %s bytes, each drawn below", s.Name, exprText(s.Bytes, 0)))
			} else {
				notes = append(notes, fmt.Sprintf("%s: %s elements, each drawn below", s.Name, exprText(s.Count, 0)))
			}
			prev = s.Name
		case *lang.Classify:
			name := "classify (" + exprText(s.On, 0) + ")"
			d.items = append(d.items, drawItem{name: name, variable: bits < 0})
			if bits < 0 {
				notes = append(notes, name+": one of the cases below")
			} else {
				notes = append(notes, fmt.Sprintf("%s: one of the cases below, %d bytes", name, bits/8))
			}
			prev = name
		}
		idx := len(d.items) - 1
		if bits >= 0 {
			col = d.place(idx, col, bits)
			continue
		}
		// A variable item fills the rest of its row.
		d.place(idx, col, rowBits-col)
		col, known = advance(s, col, known)
		if !known {
			if n := nextStatic(b, s); n != "" {
				notes = append(notes, fmt.Sprintf("%s and what follows it start where %s ends; columns count from there", n, prev))
			}
		}
	}
	return notes
}

// rowHasRoom reports whether the current row is free from column col on.
func (d *drawing) rowHasRoom(col int) bool {
	if col == 0 || len(d.rows) == 0 {
		return false
	}
	r := d.rows[len(d.rows)-1]
	for i := col; i < rowBits; i++ {
		if r[i] >= 0 {
			return false
		}
	}
	return true
}

// nextStatic names the first drawn statement after s in b whose size is
// static, or "".
func nextStatic(b *lang.Block, s lang.Stmt) string {
	after := false
	for _, t := range b.Stmts {
		if t == s {
			after = true
			continue
		}
		if !after {
			continue
		}
		bits := staticBits(t)
		if bits <= 0 {
			if bits < 0 {
				return ""
			}
			continue
		}
		switch t := t.(type) {
		case *lang.Field:
			return t.Name
		case *lang.Classify:
			return "classify (" + exprText(t.On, 0) + ")"
		}
	}
	return ""
}

// sizeNote explains the size of a field whose size is not static.
func sizeNote(f *lang.Field) string {
	switch t := f.Type.(type) {
	case lang.BytesType:
		if _, ok := t.Len.(*lang.Remaining); ok {
			return "the remaining bytes (remaining())"
		}
		s := exprText(t.Len, 0) + " bytes"
		if f.Attrs.Align > 0 {
			s += fmt.Sprintf(", a multiple of %d bits", f.Attrs.Align)
		}
		return s
	case lang.PacketType:
		s := "packet " + t.Packet.Name
		if len(t.Args) > 0 {
			var as []string
			for _, a := range t.Args {
				as = append(as, exprText(a, 0))
			}
			s += "(" + strings.Join(as, ", ") + ")"
		}
		return s
	case lang.CustomType:
		return t.Def.Name + ", " + t.Def.Doc
	}
	return f.Type.String()
}

// precedence of binary operators, loosest first.
var precedence = map[string]int{
	"or": 1, "and": 2,
	"==": 3, "!=": 3, "<": 3, "<=": 3, ">": 3, ">=": 3,
	"+": 4, "-": 4, "*": 5, "/": 5, "%": 5,
}

// exprText formats e in the spec language with only the parentheses its
// operators need; prec is the precedence of the enclosing operator.
func exprText(e lang.Expr, prec int) string {
	switch e := e.(type) {
	case *lang.Binary:
		p := precedence[e.Op]
		op := e.Op
		if op == "==" {
			op = "="
		}
		s := exprText(e.X, p) + " " + op + " " + exprText(e.Y, p+1)
		if p < prec {
			s = "(" + s + ")"
		}
		return s
	case *lang.Unary:
		if e.Op == "not" {
			return "not " + exprText(e.X, 6)
		}
		return e.Op + exprText(e.X, 6)
	}
	return lang.ExprString(e)
}

// render draws the grid: the ruler, then alternating borders and rows.
func (d *drawing) render() []string {
	if len(d.rows) == 0 {
		return nil
	}
	lines := []string{ruler(true), ruler(false)}
	grid := make([][]byte, 2*len(d.rows)+1)
	empty := [rowBits]int{}
	for i := range empty {
		empty[i] = -1
	}
	rowAt := func(r int) [rowBits]int {
		if r < 0 || r >= len(d.rows) {
			return empty
		}
		return d.rows[r]
	}
	for r := range d.rows {
		grid[2*r+1] = d.rowLine(d.rows[r])
	}
	for r := 0; r <= len(d.rows); r++ {
		grid[2*r] = d.borderLine(rowAt(r-1), rowAt(r), grid, r)
	}
	d.labels(grid)
	for _, g := range grid {
		lines = append(lines, string(g))
	}
	return lines
}

// ruler returns the tens or the units line of the bit numbers.
func ruler(tens bool) string {
	b := []byte(strings.Repeat(" ", DiagramWidth))
	for i := 0; i < rowBits; i++ {
		switch {
		case !tens:
			b[2*i+1] = byte('0' + i%10)
		case i%10 == 0:
			b[2*i+1] = byte('0' + i/10)
		}
	}
	return string(b)
}

// edge returns the character at boundary k of row r: '|' between two
// items or an item and nothing, '~' at the free edge of a variable item,
// 0 inside an item or outside all.
func (d *drawing) edge(r [rowBits]int, k int) byte {
	left, right := -1, -1
	if k > 0 {
		left = r[k-1]
	}
	if k < rowBits {
		right = r[k]
	}
	switch {
	case left == right:
		return 0
	case left >= 0 && right >= 0:
		return '|'
	case left >= 0 && d.items[left].variable, right >= 0 && d.items[right].variable:
		return '~'
	}
	return '|'
}

func (d *drawing) rowLine(r [rowBits]int) []byte {
	b := []byte(strings.Repeat(" ", DiagramWidth))
	for k := 0; k <= rowBits; k++ {
		if c := d.edge(r, k); c != 0 {
			b[2*k] = c
		}
	}
	return b
}

// borderLine draws the line between rows up and down: "-" under or over
// each bit that changes item, "+" at each corner, blank inside an item
// that continues.
func (d *drawing) borderLine(up, down [rowBits]int, grid [][]byte, r int) []byte {
	b := []byte(strings.Repeat(" ", DiagramWidth))
	for i := 0; i < rowBits; i++ {
		if up[i] != down[i] {
			b[2*i+1] = '-'
		}
	}
	for k := 0; k <= rowBits; k++ {
		dash := (k > 0 && b[2*k-1] == '-') || (k < rowBits && b[2*k+1] == '-')
		if dash || d.edge(up, k) != 0 || d.edge(down, k) != 0 {
			b[2*k] = '+'
		}
	}
	return b
}

// labels writes each item's name, or a key from the legend, into the
// middle of the lines it covers.
func (d *drawing) labels(grid [][]byte) {
	for idx, it := range d.items {
		line, lo, hi := d.labelSpot(idx)
		if line < 0 {
			continue
		}
		room := hi - lo
		text := it.name
		if len(text) > room {
			text = d.key(it.name, room)
		}
		at := lo + (room-len(text)+1)/2
		copy(grid[line][at:], text)
	}
}

// labelSpot returns the grid line and the column range [lo, hi) where the
// name of item idx goes: the middle line of its full rows if it has two
// or more, else its widest row, the first of equals.
func (d *drawing) labelSpot(idx int) (line, lo, hi int) {
	var segs [][3]int // row, first bit, end bit
	for r, row := range d.rows {
		a, e := -1, -1
		for i, v := range row {
			if v == idx {
				if a < 0 {
					a = i
				}
				e = i + 1
			}
		}
		if a >= 0 {
			segs = append(segs, [3]int{r, a, e})
		}
	}
	if len(segs) == 0 {
		return -1, 0, 0
	}
	var full []int
	for _, s := range segs {
		if s[1] == 0 && s[2] == rowBits {
			full = append(full, s[0])
		}
	}
	if len(full) >= 2 {
		mid := (2*full[0] + 1 + 2*full[len(full)-1] + 1) / 2
		return mid, 1, DiagramWidth - 1
	}
	best := segs[0]
	for _, s := range segs[1:] {
		if s[2]-s[1] > best[2]-best[1] {
			best = s
		}
	}
	return 2*best[0] + 1, 2*best[1] + 1, 2 * best[2]
}

// key returns a unique short name of at most room characters for a name
// that does not fit, and records it in the legend.
func (d *drawing) key(name string, room int) string {
	if d.keys == nil {
		d.keys = map[string]bool{}
	}
	var cands []string
	parts := strings.FieldsFunc(name, func(r rune) bool { return r == '_' || r == ' ' || r == '(' || r == ')' })
	initials := ""
	for _, p := range parts {
		initials += strings.ToUpper(p[:1])
	}
	cands = append(cands, initials)
	if room > 1 {
		cands = append(cands, strings.ToUpper(name[:1])+strings.ToLower(initials[1:]))
	}
	for _, c := range strings.ToUpper(name) {
		if c >= 'A' && c <= 'Z' {
			cands = append(cands, string(c))
		}
	}
	for n := 1; n < 1000; n++ {
		cands = append(cands, strconv.Itoa(n))
	}
	for _, c := range cands {
		if len(c) > room || d.keys[c] {
			continue
		}
		d.keys[c] = true
		d.legend = append(d.legend, c+" = "+name)
		return c
	}
	return ""
}
