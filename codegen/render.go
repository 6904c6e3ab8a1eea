package codegen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	pathpkg "path"
	"sort"
	"strconv"

	"github.com/dave/jennifer/jen"
)

// A renderer assembles the generated file from chunks: the declarations of
// one packet, or the error sites, each a jen.File of its own that is
// rendered and formatted alone and then dropped, so that memory holds the
// code of one packet and the output rather than the code of the whole spec.
//
// The result is what rendering all the declarations in one jen.File would
// give: a header, one import block (the union of the chunks' imports) and
// the chunks' declarations. gofmt formats top-level declarations on their
// own except where two meet: it puts a blank line before a comment at the
// package level and breaks alignment there, so a chunk that begins with a
// comment can be formatted alone. A chunk that does not is formatted
// together with the one before it.
type renderer struct {
	pkg    string
	header string

	// pending is the chunk not yet formatted: it is formatted when the
	// next chunk turns out to begin with a comment, or at the end.
	pending *chunk
	// body is the formatted declarations, each chunk preceded by a blank
	// line, after room left for the header and the imports.
	body    []byte
	reserve int
	imports map[string]string // import path to its name ("" for none)
	err     error
}

// A chunk is the parsed source of one or more jen.Files.
type chunk struct {
	what string // what the chunk declares, for errors
	src  []byte
	fset *token.FileSet
	file *ast.File
	// start is the offset in src of the chunk's first declaration or
	// comment after the imports; comment says it is a comment, trailing
	// that a comment follows the last declaration.
	start    int
	comment  bool
	trailing bool
}

func newRenderer(pkg, header string) *renderer {
	r := &renderer{pkg: pkg, header: header, imports: map[string]string{}}
	// Room for the header, the package clause and a few imports.
	r.reserve = len(header) + len(pkg) + 1024
	r.body = make([]byte, r.reserve, r.reserve+64<<10)
	return r
}

// file returns an empty chunk for declarations, importing the runtime as
// mplrt.
func (r *renderer) file() *jen.File {
	f := jen.NewFile(r.pkg)
	f.ImportAlias(runtimePath, "mplrt")
	f.NoFormat = true
	return f
}

// add renders a chunk. After an error it does nothing; Generate reports
// the error when it is done.
func (r *renderer) add(f *jen.File, what string) {
	if r.err != nil {
		return
	}
	var src bytes.Buffer
	if err := f.Render(&src); err != nil {
		r.err = fmt.Errorf("internal error: generated code for %s does not render: %v", what, err)
		return
	}
	c, err := r.parse(src.Bytes(), what)
	if err != nil {
		r.err = err
		return
	}
	if c == nil {
		return // no declarations
	}
	switch {
	case r.pending == nil:
		r.pending = c
	case c.comment && !r.pending.trailing:
		r.flush()
		r.pending = c
	default:
		// Formatted alone, the chunk might lose the blank line before
		// it or align with the end of the one before: format them as one.
		p := r.pending
		joined := make([]byte, 0, len(p.src)+1+len(c.src)-c.start)
		joined = append(append(append(joined, p.src...), '\n'), c.src[c.start:]...)
		r.pending = nil
		m, err := r.parse(joined, p.what+" and "+c.what)
		if err != nil {
			r.err = err
			return
		}
		r.pending = m
	}
}

// parse parses a chunk's source and records its imports. It returns nil if
// the chunk declares nothing.
func (r *renderer) parse(src []byte, what string) (*chunk, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, fmt.Errorf("internal error: generated code for %s does not format: %v", what, err)
	}
	for _, is := range file.Imports {
		path, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			return nil, fmt.Errorf("internal error: generated code for %s imports %s", what, is.Path.Value)
		}
		name := ""
		if is.Name != nil {
			name = is.Name.Name
		}
		if have, ok := r.imports[path]; ok && have != name {
			return nil, fmt.Errorf("internal error: generated code imports %q both as %q and as %q", path, have, name)
		}
		r.imports[path] = name
	}
	var decls []ast.Decl
	for _, d := range file.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.IMPORT {
			continue
		}
		decls = append(decls, d)
	}
	file.Decls = decls
	file.Imports = nil
	c := &chunk{what: what, src: src, fset: fset, file: file}
	start := token.NoPos
	if len(decls) > 0 {
		start = decls[0].Pos()
		if d, ok := decls[0].(*ast.GenDecl); ok && d.Doc != nil {
			start = d.Doc.Pos()
		} else if d, ok := decls[0].(*ast.FuncDecl); ok && d.Doc != nil {
			start = d.Doc.Pos()
		}
	}
	for _, cg := range file.Comments {
		if cg.Pos() > file.Name.End() && (start == token.NoPos || cg.Pos() <= start) {
			start = cg.Pos()
			c.comment = true
			break
		}
	}
	if start == token.NoPos {
		return nil, nil
	}
	if n := len(file.Comments); n > 0 {
		last := file.Comments[n-1].Pos()
		c.trailing = len(decls) == 0 || last > decls[len(decls)-1].End()
	}
	c.start = fset.Position(start).Offset
	return c, nil
}

// flush formats the pending chunk onto the body.
func (r *renderer) flush() {
	c := r.pending
	r.pending = nil
	if c == nil || r.err != nil {
		return
	}
	var out bytes.Buffer
	if err := format.Node(&out, c.fset, c.file); err != nil {
		r.err = fmt.Errorf("internal error: generated code for %s does not format: %v", c.what, err)
		return
	}
	clause := "package " + r.pkg + "\n\n"
	b := out.Bytes()
	if !bytes.HasPrefix(b, []byte(clause)) {
		r.err = fmt.Errorf("internal error: generated code for %s formats to an unexpected package clause", c.what)
		return
	}
	r.body = append(r.body, '\n')
	r.body = append(r.body, b[len(clause):]...)
}

// finish formats what is pending and returns the file: the header, the
// package clause, the imports and the chunks.
func (r *renderer) finish() ([]byte, error) {
	r.flush()
	if r.err != nil {
		return nil, r.err
	}
	// The header and the imports as jen writes them, then formatted.
	h := jen.NewFile(r.pkg)
	h.HeaderComment(r.header)
	h.NoFormat = true
	var src bytes.Buffer
	if err := h.Render(&src); err != nil {
		return nil, fmt.Errorf("internal error: the generated header does not render: %v", err)
	}
	paths := make([]string, 0, len(r.imports))
	for p := range r.imports {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	names := map[string]string{}
	for _, p := range paths {
		n := r.imports[p]
		if n == "" {
			n = pathpkg.Base(p) // a standard library package
		}
		if q, ok := names[n]; ok {
			return nil, fmt.Errorf("internal error: generated code imports %q and %q both as %s", q, p, n)
		}
		names[n] = p
	}
	spec := func(p string) string {
		if n := r.imports[p]; n != "" {
			return n + " " + strconv.Quote(p)
		}
		return strconv.Quote(p)
	}
	switch len(paths) {
	case 0:
	case 1:
		fmt.Fprintf(&src, "import %s\n\n", spec(paths[0]))
	default:
		src.WriteString("import (\n")
		for _, p := range paths {
			fmt.Fprintf(&src, "%s\n", spec(p))
		}
		src.WriteString(")\n\n")
	}
	head, err := format.Source(src.Bytes())
	if err != nil {
		return nil, fmt.Errorf("internal error: the generated header does not format: %v", err)
	}
	body := r.body[r.reserve:]
	if len(head) <= r.reserve {
		out := r.body[r.reserve-len(head):]
		copy(out, head)
		r.body = nil
		return out, nil
	}
	out := make([]byte, 0, len(head)+len(body))
	out = append(append(out, head...), body...)
	r.body = nil
	return out, nil
}

// uses reports, for each word, whether the code as rendered contains it.
// The code is rendered but not formatted: formatting changes only spaces,
// so it finds what formatted code would contain, and it cannot fail on
// code that does not format. If the code does not render, uses reports
// false for every word; rendering the file fails later on the same code.
func uses(code []jen.Code, words ...string) []bool {
	f := jen.NewFile("p")
	f.NoFormat = true
	// A NUL byte cannot be in the package clause or the imports, where
	// jen quotes the paths: the code rendered follows the first one.
	f.Add(jen.Id("\x00"), jen.Block(code...))
	var buf bytes.Buffer
	found := make([]bool, len(words))
	if err := f.Render(&buf); err != nil {
		return found
	}
	src := buf.Bytes()
	if i := bytes.IndexByte(src, 0); i >= 0 {
		src = src[i+1:]
	}
	for i, w := range words {
		found[i] = bytes.Contains(src, []byte(w))
	}
	return found
}
