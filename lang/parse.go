package lang

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/participle/v2"
	"github.com/alecthomas/participle/v2/lexer"
)

// maxNesting bounds how deeply brackets and prefix operators may nest, so
// that no input can exhaust the parser's stack.
const maxNesting = 100

// maxExprOps bounds the operators (and commas) in one expression, so that
// no code that walks an expression tree recurses deeply or takes long.
const maxExprOps = 5000

// parsedFile is one spec file after parsing: its syntax tree and its comments.
type parsedFile struct {
	name string
	tree *specAST
	// own holds comments alone on their lines, by line; trailing holds
	// comments that follow code on a line.
	own, trailing map[int]string
}

// parseFile parses one spec file. It reports lexical and syntax errors; a
// file with errors yields a nil tree.
func parseFile(filename string, src []byte) (*parsedFile, Diagnostics) {
	var diags Diagnostics
	pf := &parsedFile{name: filename, own: map[int]string{}, trailing: map[int]string{}}
	src = normalize(src)
	if off, msg := badByte(src); msg != "" {
		diags.add(offsetPos(filename, src, off), "%s", msg)
		return nil, diags
	}
	lx, err := mplLexer.LexString(filename, string(src))
	if err != nil {
		diags.add(Pos{File: filename, Line: 1, Col: 1}, "%s", err)
		return nil, diags
	}
	sym := mplLexer.Symbols()
	var (
		lastLine int           // line of the last non-comment token
		toks     []lexer.Token // the tokens that are not comments or spaces
		nest     nesting
		ops      int  // operators in the current expression
		operand  bool // the previous token ends an operand
		callee   int  // prefix operators before the identifier just seen
	)
	for {
		t, err := lx.Next()
		if err != nil {
			var pe participle.Error
			p := Pos{File: filename, Line: 1, Col: 1}
			if errors.As(err, &pe) {
				p = pos(pe.Position())
				p.File = filename
			}
			off := byteOffset(src, p)
			r, _ := utf8.DecodeRune(src[off:])
			diags.add(p, "unexpected character %q", r)
			return nil, diags
		}
		if t.EOF() {
			toks = append(toks, t)
			break
		}
		p := pos(t.Pos)
		switch t.Type {
		case sym["OpenComment"]:
			diags.add(p, "comment not terminated")
			return nil, diags
		case sym["OpenString"]:
			diags.add(p, "string literal not terminated")
			return nil, diags
		case sym["Whitespace"]:
			continue
		case sym["Comment"]:
			text := commentText(t.Value)
			end := t.Pos.Line + strings.Count(t.Value, "\n")
			if lastLine == t.Pos.Line {
				pf.trailing[t.Pos.Line] = text
			} else {
				pf.own[end] = text
			}
			continue
		}
		// Nesting: brackets, and runs of prefix operators, which the
		// parser descends into one level each.
		isPunct := t.Type == sym["Punct"]
		prefix := t.Value == "!" || t.Type == sym["Ident"] && t.Value == "not" ||
			isPunct && (t.Value == "-" || t.Value == "+") && !operand
		held := callee
		callee = 0
		switch {
		case isPunct && (t.Value == "(" || t.Value == "[" || t.Value == "{"):
			if t.Value == "(" {
				// A call: its operators wait for its arguments too.
				nest.hold(held)
			}
			if !nest.open() {
				diags.add(p, "brackets nested more than %d deep", maxNesting)
				return nil, diags
			}
		case isPunct && (t.Value == ")" || t.Value == "]" || t.Value == "}"):
			nest.close()
		case prefix:
			if !nest.prefix() {
				diags.add(p, "operators and brackets nested more than %d deep", maxNesting)
				return nil, diags
			}
		case t.Type == sym["Ident"] && t.Value != "and" && t.Value != "or":
			callee = nest.operand()
		case t.Type == sym["Int"] || t.Type == sym["String"]:
			nest.operand()
		}
		// Expression length: operators and commas since the last token
		// that cannot be inside an expression.
		switch {
		case prefix || isBinaryOp(t) || t.Value == ",":
			ops++
			if ops > maxExprOps {
				diags.add(p, "expression too long (more than %d operators)", maxExprOps)
				return nil, diags
			}
		case isPunct && exprEnds[t.Value], t.Type == sym["Ident"] && operand:
			// A statement or case part ends, or an attribute starts.
			ops = 0
		}
		operand = t.Type == sym["Int"] || t.Type == sym["String"] ||
			t.Type == sym["Ident"] && t.Value != "and" && t.Value != "or" && t.Value != "not" ||
			isPunct && (t.Value == ")" || t.Value == "]")
		lastLine = t.Pos.Line + strings.Count(t.Value, "\n")
		toks = append(toks, t)
	}
	// The parser reads the tokens already lexed, not the text again.
	peeker, err := lexer.Upgrade(&tokenLexer{toks: toks})
	if err != nil {
		diags.add(Pos{File: filename, Line: 1, Col: 1}, "%s", err)
		return nil, diags
	}
	toks = toks[:len(toks)-1] // the end of file
	tree, err := mplParser.ParseFromLexer(peeker)
	if err != nil {
		var pe participle.Error
		switch {
		case errors.As(err, &pe):
			p := pos(pe.Position())
			if p.File == "" {
				p.File = filename
			}
			if sp, msg, ok := slip(toks); ok {
				diags.add(sp, "%s", msg)
			} else {
				diags.add(p, "%s", syntaxMessage(pe.Message()))
			}
		default:
			diags.add(Pos{File: filename, Line: 1, Col: 1}, "%s", err)
		}
		return nil, diags
	}
	for _, d := range tree.Decls {
		if d.Packet != nil {
			tree.Packets = append(tree.Packets, d.Packet)
		} else if d.Type != nil {
			tree.Types = append(tree.Types, d.Type)
		}
	}
	pf.tree = tree
	return pf, nil
}

// tokenLexer hands the parser tokens lexed before; the last is the end of file.
type tokenLexer struct {
	toks []lexer.Token
	next int
}

func (l *tokenLexer) Next() (lexer.Token, error) {
	t := l.toks[l.next]
	if l.next < len(l.toks)-1 {
		l.next++
	}
	return t, nil
}

// nesting tracks how deep the parser will descend: one level per open
// bracket and one per prefix operator still waiting for its operand.
type nesting struct {
	depth   int
	pending []int // prefix operators waiting, per open bracket; [0] is outside any
}

func (n *nesting) open() bool {
	if len(n.pending) == 0 {
		n.pending = []int{0}
	}
	n.pending = append(n.pending, 0)
	n.depth++
	return n.depth <= maxNesting
}

func (n *nesting) close() {
	if k := len(n.pending); k > 1 {
		n.depth -= 1 + n.pending[k-1]
		n.pending = n.pending[:k-1]
	}
	// The bracketed group is the operand of the operators before it.
	n.operand()
}

func (n *nesting) prefix() bool {
	if len(n.pending) == 0 {
		n.pending = []int{0}
	}
	n.pending[len(n.pending)-1]++
	n.depth++
	return n.depth <= maxNesting
}

// operand ends the run of prefix operators before it, and returns its length.
func (n *nesting) operand() int {
	k := len(n.pending)
	if k == 0 {
		return 0
	}
	released := n.pending[k-1]
	n.depth -= released
	n.pending[k-1] = 0
	return released
}

// hold puts back operators that operand ended.
func (n *nesting) hold(ops int) {
	if len(n.pending) == 0 {
		n.pending = []int{0}
	}
	n.pending[len(n.pending)-1] += ops
	n.depth += ops
}

// exprEnds holds the punctuation that cannot be inside an expression.
var exprEnds = map[string]bool{";": true, "{": true, "}": true, ":": true, "|": true, "->": true, "=>": true}

func isBinaryOp(t lexer.Token) bool {
	switch t.Value {
	case "+", "-", "*", "/", "%", "=", "==", "!=", "<", "<=", ">", ">=":
		return t.Type == mplLexer.Symbols()["Punct"]
	case "and", "or":
		return t.Type == mplLexer.Symbols()["Ident"]
	}
	return false
}

// normalize makes every line end a single '\n' (CR, LF and CRLF each end
// a line) and blanks out a byte order mark at the start of the file, which
// keeps every column where it is.
func normalize(src []byte) []byte {
	bom := bytes.HasPrefix(src, []byte("\uFEFF"))
	if !bom && bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	out := make([]byte, 0, len(src))
	if bom {
		out = append(out, "   "...)
		src = src[3:]
	}
	for i := 0; i < len(src); i++ {
		switch c := src[i]; {
		case c != '\r':
			out = append(out, c)
		case i+1 < len(src) && src[i+1] == '\n':
			// CRLF: the LF ends the line.
		default:
			out = append(out, '\n')
		}
	}
	return out
}

// badByte finds the first byte the language never allows: invalid UTF-8,
// NUL, or a byte order mark after the start.
func badByte(src []byte) (int, string) {
	for off := 0; off < len(src); {
		c := src[off]
		if c == 0 {
			return off, "invalid NUL character"
		}
		if c < utf8.RuneSelf {
			off++
			continue
		}
		r, n := utf8.DecodeRune(src[off:])
		switch {
		case r == utf8.RuneError && n == 1:
			return off, "invalid UTF-8 encoding"
		case r == '\uFEFF':
			return off, "invalid BOM in the middle of the file"
		}
		off += n
	}
	return 0, ""
}

// syntaxMessage rewrites the parser's message into the Go compiler's
// vocabulary.
func syntaxMessage(m string) string {
	m = strings.Replace(m, `unexpected token "<EOF>"`, "unexpected end of file", 1)
	m = strings.Replace(m, "unexpected token ", "unexpected ", 1)
	if i := strings.Index(m, " (expected "); i >= 0 {
		want := strings.TrimSuffix(m[i+len(" (expected "):], ")")
		want = strings.ReplaceAll(want, ` ";"?`, "")
		if strings.Contains(want, "AST") || strings.ContainsAny(want, "()|*?") {
			m = m[:i]
		} else {
			m = m[:i] + ", expected " + want
		}
	}
	return "syntax error: " + m
}

// slip recognises common syntax errors in the tokens of a file the parser
// rejected, and explains the first one where it is. The parser's own
// message often points elsewhere: at the start of the statement or case it
// gave up on, or at the next one.
func slip(toks []lexer.Token) (Pos, string, bool) {
	sym := mplLexer.Symbols()
	var (
		best  Pos
		msg   string
		found bool
	)
	report := func(p Pos, m string) {
		if !found || p.Line < best.Line || p.Line == best.Line && p.Col < best.Col {
			best, msg, found = p, m, true
		}
	}
	const (
		plain = iota
		variantBrace
		classifyBrace
	)
	type open struct{ kind int }
	var stack []open
	for i, t := range toks {
		isPunct := t.Type == sym["Punct"]
		switch {
		case isPunct && (t.Value == "(" || t.Value == "["):
			stack = append(stack, open{plain})
		case isPunct && t.Value == "{":
			kind := plain
			switch {
			case i > 0 && toks[i-1].Type == sym["Ident"] && toks[i-1].Value == "variant":
				kind = variantBrace
			case i >= 4 && toks[i-1].Value == ")" && toks[i-3].Value == "(" && toks[i-4].Value == "classify":
				kind = classifyBrace
			}
			stack = append(stack, open{kind})
		case isPunct && (t.Value == ")" || t.Value == "]" || t.Value == "}"):
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
		case isPunct && t.Value == "|" && len(stack) > 0 && stack[len(stack)-1].kind == variantBrace:
			if p, ok := badVariantItem(toks, i); ok {
				report(p, "syntax error: variant items are written |value -> Name, or |value => Name for the default")
			}
		case isPunct && t.Value == "|" && len(stack) > 0 && stack[len(stack)-1].kind == classifyBrace:
			if l, ok := caseLabel(toks, i); ok && toks[l].Type != sym["String"] {
				example := "Name"
				if toks[l].Type == sym["Ident"] {
					example = toks[l].Value
				}
				report(pos(toks[l].Pos), fmt.Sprintf("syntax error: case label must be a quoted string, e.g. %q", example))
			}
		case isPunct && t.Value == ":" && i >= 2 && toks[i-1].Type == sym["Ident"] && endsField(toks, i-2):
			// A field name follows something that ends a field: the ";"
			// between them is missing.
			prev := toks[i-2]
			p := pos(prev.Pos)
			p.Col += len(prev.Value)
			report(p, fmt.Sprintf("syntax error: missing \";\" before %s", toks[i-1].Value))
		}
	}
	return best, msg, found
}

// endsField reports whether toks[i] can end a field declaration but
// cannot be followed by a field name.
func endsField(toks []lexer.Token, i int) bool {
	sym := mplLexer.Symbols()
	t := toks[i]
	switch t.Type {
	case sym["Int"], sym["String"]:
		return true
	case sym["Ident"]:
		return t.Value != "and" && t.Value != "or" && t.Value != "not"
	case sym["Punct"]:
		switch t.Value {
		case ")", "]":
			return true
		case "}":
			// Only the brace of a variant: blocks end without ";".
			depth := 0
			for j := i; j >= 0; j-- {
				switch toks[j].Value {
				case "}":
					depth++
				case "{":
					depth--
					if depth == 0 {
						return j > 0 && toks[j-1].Value == "variant"
					}
				}
			}
		}
	}
	return false
}

// badVariantItem checks the variant item that starts with the "|" at
// toks[at]; an item without an arrow yields the position of the slip.
func badVariantItem(toks []lexer.Token, at int) (Pos, bool) {
	depth := 0
	end := len(toks)
	for j := at + 1; j < len(toks); j++ {
		v := toks[j].Value
		if depth == 0 && (v == "|" || v == "}" || v == ";") {
			end = j
			break
		}
		switch v {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
		case "->", "=>":
			if depth == 0 {
				return Pos{}, false
			}
		}
	}
	for j := at + 1; j < end; j++ {
		if v := toks[j].Value; v == "=" || v == ":" || v == "==" {
			return pos(toks[j].Pos), true
		}
	}
	if end-at >= 3 {
		return pos(toks[end-1].Pos), true
	}
	if end < len(toks) {
		return pos(toks[end].Pos), true
	}
	return pos(toks[len(toks)-1].Pos), true
}

// caseLabel returns the index of the token after the ":" of the case that
// starts with the "|" at toks[at].
func caseLabel(toks []lexer.Token, at int) (int, bool) {
	depth := 0
	for j := at + 1; j+1 < len(toks); j++ {
		switch toks[j].Value {
		case "(", "[", "{":
			depth++
		case ")", "]", "}":
			depth--
			if depth < 0 {
				return 0, false
			}
		case "|", "->", ";":
			if depth == 0 {
				return 0, false
			}
		case ":":
			if depth == 0 {
				return j + 1, true
			}
		}
	}
	return 0, false
}

// doc returns the comment attached to a declaration on line: the comment
// lines directly above it, or else a comment that trails it on the same line.
func (pf *parsedFile) doc(line int) string {
	var lines []string // bottom up
	for l := line - 1; ; l-- {
		c, ok := pf.own[l]
		if !ok {
			break
		}
		lines = append(lines, c)
		l -= strings.Count(c, "\n")
	}
	if len(lines) > 0 {
		slices.Reverse(lines)
		return strings.Join(lines, "\n")
	}
	return pf.trailing[line]
}

func commentText(c string) string {
	if strings.HasPrefix(c, "//") {
		return strings.TrimSpace(strings.TrimPrefix(c, "//"))
	}
	c = strings.TrimSuffix(strings.TrimPrefix(c, "/*"), "*/")
	var out []string
	for _, l := range strings.Split(c, "\n") {
		l = strings.TrimSpace(l)
		l = strings.TrimSpace(strings.TrimPrefix(l, "*"))
		out = append(out, l)
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

func offsetPos(file string, src []byte, off int) Pos {
	line, col := 1, 1
	for _, c := range src[:off] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return Pos{File: file, Line: line, Col: col}
}

func byteOffset(src []byte, p Pos) int {
	line, off := 1, 0
	for off < len(src) && line < p.Line {
		if src[off] == '\n' {
			line++
		}
		off++
	}
	off += p.Col - 1
	if off > len(src) {
		off = len(src)
	}
	if off < 0 {
		off = 0
	}
	return off
}
