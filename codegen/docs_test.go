package codegen

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mplgo/mpl/lang"
)

// The language reference, docs/language.md, is checked here: every
// example in it, and that it names every attribute and wire type of the
// language.
const docsPath = "../docs/language.md"

// A docBlock is one fenced code block of the reference tagged mpl.
type docBlock struct {
	line   int    // the line of the opening fence
	tag    string // "mpl" or "mpl error"
	src    string
	errors []string // the messages of its "// error: " lines
}

// docBlocks returns the code blocks of a Markdown document whose info
// string starts with "mpl".
func docBlocks(t *testing.T, doc string) []docBlock {
	t.Helper()
	var out []docBlock
	lines := strings.Split(doc, "\n")
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if !strings.HasPrefix(l, "```") {
			continue
		}
		tag := strings.TrimSpace(strings.TrimPrefix(l, "```"))
		start := i
		var body []string
		for i++; i < len(lines) && !strings.HasPrefix(lines[i], "```"); i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("%s:%d: code block not closed", docsPath, start+1)
		}
		if tag != "mpl" && !strings.HasPrefix(tag, "mpl ") {
			continue
		}
		if tag != "mpl" && tag != "mpl error" {
			t.Errorf("%s:%d: code block tagged %q; want mpl or mpl error", docsPath, start+1, tag)
			continue
		}
		b := docBlock{line: start + 1, tag: tag, src: strings.Join(body, "\n") + "\n"}
		for _, bl := range body {
			if _, msg, ok := strings.Cut(bl, "// error: "); ok {
				b.errors = append(b.errors, strings.TrimSpace(msg))
			}
		}
		out = append(out, b)
	}
	return out
}

// TestDocsExamples checks every mpl block of the reference: a block tagged
// mpl must check and generate Go that type-checks; a block tagged
// mpl error must fail, in the checker or else in the generator, with
// exactly the messages of its "// error: " comment lines.
func TestDocsExamples(t *testing.T) {
	data, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	blocks := docBlocks(t, string(data))
	if len(blocks) == 0 {
		t.Fatalf("%s has no mpl examples", docsPath)
	}
	for _, b := range blocks {
		t.Run(fmt.Sprintf("line%d", b.line), func(t *testing.T) {
			where := fmt.Sprintf("%s:%d", docsPath, b.line)
			var got []string
			spec, diags := lang.Check(lang.Source{Name: "example.mpl", Data: []byte(b.src)})
			var src []byte
			if len(diags) == 0 {
				src, err = Generate(spec, Options{Package: "example"})
				var ds lang.Diagnostics
				switch {
				case errors.As(err, &ds):
					diags = ds
				case err != nil:
					t.Fatalf("%s: unpositioned error: %v", where, err)
				}
			}
			for _, d := range diags {
				got = append(got, d.Msg)
			}
			if b.tag == "mpl" {
				if len(got) > 0 {
					t.Fatalf("%s: the example fails:\n%v", where, diags)
				}
				if err := compiles(src); err != nil {
					t.Fatalf("%s: the Go generated from the example does not compile: %v", where, err)
				}
				return
			}
			if len(b.errors) == 0 {
				t.Fatalf("%s: an mpl error block needs a // error: line", where)
			}
			if len(got) == 0 {
				t.Fatalf("%s: the example checks and generates, but should fail with %q", where, b.errors)
			}
			for _, w := range b.errors {
				if !slices.Contains(got, w) {
					t.Errorf("%s: missing error %q; got:\n%v", where, w, diags)
				}
			}
			for i, g := range got {
				if !slices.Contains(b.errors, g) {
					t.Errorf("%s: error not in the example's // error: lines: %v", where, diags[i])
				}
			}
		})
	}
}

// TestDocsCoverage fails if the reference does not name, in code, every
// attribute the checker knows, every wire type and every function of
// expressions.
func TestDocsCoverage(t *testing.T) {
	data, err := os.ReadFile(docsPath)
	if err != nil {
		t.Fatal(err)
	}
	code := docCode(string(data))
	var names []string
	names = append(names, langStrings(t, "knownAttrs")...)
	names = append(names, langStrings(t, "uintTypes")...)
	for n := range lang.CustomTypes {
		names = append(names, n)
	}
	// The types the checker names in its switch, and the functions.
	names = append(names, "bit", "label", "packet", "array", "classify", "when", "variant",
		"offset", "sizeof", "array_length", "remaining", "int", "bool", "true", "false", "and", "or", "not",
		// Type declarations and the kinds of value of a declared type.
		"type", "string", "bytes")
	if len(names) < 20 {
		t.Fatalf("found only %d names in lang", len(names))
	}
	for _, n := range names {
		if !regexp.MustCompile(`(^|[^A-Za-z0-9_])` + regexp.QuoteMeta(n) + `($|[^A-Za-z0-9_])`).MatchString(code) {
			t.Errorf("%s does not show %s in code", docsPath, n)
		}
	}
}

// docCode returns the text of the inline code spans and code blocks of a
// Markdown document, one per line.
func docCode(doc string) string {
	var b strings.Builder
	in := false
	for _, l := range strings.Split(doc, "\n") {
		if strings.HasPrefix(l, "```") {
			in = !in
			continue
		}
		if in {
			b.WriteString(l + "\n")
			continue
		}
		parts := strings.Split(l, "`")
		for i := 1; i < len(parts); i += 2 {
			b.WriteString(parts[i] + "\n")
		}
	}
	return b.String()
}

// langStrings returns the string keys or elements of the composite literal
// of a package-level variable of package lang, read from its source.
func langStrings(t *testing.T, name string) []string {
	t.Helper()
	fset := token.NewFileSet()
	entries, err := os.ReadDir("../lang")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join("../lang", e.Name()), nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, id := range vs.Names {
				if id.Name != name || i >= len(vs.Values) {
					continue
				}
				cl, ok := vs.Values[i].(*ast.CompositeLit)
				if !ok {
					continue
				}
				for _, e := range cl.Elts {
					if kv, ok := e.(*ast.KeyValueExpr); ok {
						e = kv.Key
					}
					if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
						if s, err := strconv.Unquote(lit.Value); err == nil {
							out = append(out, s)
						}
					}
				}
			}
			return true
		})
	}
	if len(out) == 0 {
		t.Fatalf("no strings in lang's %s", name)
	}
	return out
}
