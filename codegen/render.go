package codegen

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	pathpkg "path"
	"runtime"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/dave/jennifer/jen"
)

// A renderer assembles the generated file from chunks: parts of the
// declarations of one packet, or the error sites, each a jen.File of its
// own that is rendered and formatted alone and then dropped, so that
// memory holds the code of a few chunks and the output rather than the
// code of the whole spec. Workers render and format chunks while the
// generator emits the next ones; the chunks are assembled in order.
//
// The result is what rendering all the declarations in one jen.File would
// give: a header, one import block (the union of the chunks' imports) and
// the chunks' declarations. gofmt formats top-level declarations on their
// own except where two meet: it puts a blank line before a comment at the
// package level and breaks alignment there, so a chunk that begins with a
// comment can be formatted alone. A chunk that does not, or that follows
// one ending with a comment, is formatted together with the one before it.
type renderer struct {
	pkg    string
	header string

	jobs    chan job
	results chan chan *chunk // in the order of the chunks
	done    chan struct{}    // closed when the assembler has finished
	stopped bool
	failed  atomic.Bool // an error: the chunks left need no rendering
	// inflight counts the chunks queued and not yet rendered. large says
	// the last chunk rendered was large: the next is rendered only when
	// no other is, so that memory holds one large chunk at a time.
	inflight sync.WaitGroup
	large    atomic.Bool

	// The assembler's: held is the last chunk, not yet in the body, as
	// the next one may have to be formatted with it. body is the
	// formatted declarations, each chunk preceded by a blank line, after
	// room left for the header and the imports.
	held    *chunk
	body    []byte
	reserve int
	imports map[string]string // import path to its name ("" for none)
	err     error
}

// A job is a chunk to render: the jen.File, what it declares (for
// errors), and the fraction of the output that precedes it, n/of, from
// which the assembler estimates the size of the output.
type job struct {
	f     *jen.File
	what  string
	n, of int
	c     chan *chunk
}

// A chunk is one or more jen.Files rendered and formatted.
type chunk struct {
	what  string
	n, of int
	err   error
	// src is the source as jen renders it. start is the offset in src of
	// the first declaration or comment after the imports; comment says it
	// is a comment, trailing that a comment follows the last declaration.
	// empty says the chunk declares nothing.
	src      []byte
	start    int
	comment  bool
	trailing bool
	empty    bool
	imports  map[string]string
	out      []byte // the formatted declarations
}

func newRenderer(pkg, header string) *renderer {
	workers := runtime.GOMAXPROCS(0)
	r := &renderer{
		pkg:     pkg,
		header:  header,
		jobs:    make(chan job),
		results: make(chan chan *chunk, workers),
		done:    make(chan struct{}),
		imports: map[string]string{},
	}
	// Room for the header, the package clause and a few imports.
	r.reserve = len(header) + len(pkg) + 1024
	r.body = make([]byte, r.reserve, r.reserve+64<<10)
	for i := 0; i < workers; i++ {
		go func() {
			for j := range r.jobs {
				c := j.c
				c <- r.render(&j)
				r.inflight.Done()
			}
		}()
	}
	go r.assemble()
	return r
}

// largeChunk is the size of a large chunk's source.
const largeChunk = 1 << 20

// file returns an empty chunk for declarations, importing the runtime as
// mplrt.
func (r *renderer) file() *jen.File {
	f := jen.NewFile(r.pkg)
	f.ImportAlias(runtimePath, "mplrt")
	f.NoFormat = true
	return f
}

// add queues a chunk of declarations for rendering; n of the of packets
// come before it. The caller must not change f afterwards. After an
// error, the chunk is not rendered; finish reports the error.
func (r *renderer) add(f *jen.File, what string, n, of int) {
	if r.stopped || r.failed.Load() {
		return
	}
	if r.large.Load() {
		r.inflight.Wait()
	}
	c := make(chan *chunk, 1)
	r.results <- c
	r.inflight.Add(1)
	r.jobs <- job{f: f, what: what, n: n, of: of, c: c}
}

// stop ends the workers and waits for the assembler. It is safe to call
// more than once.
func (r *renderer) stop() {
	if r.stopped {
		return
	}
	r.stopped = true
	close(r.jobs)
	close(r.results)
	<-r.done
}

// render renders and formats a chunk. It runs on a worker.
func (r *renderer) render(j *job) (c *chunk) {
	c = &chunk{what: j.what, n: j.n, of: j.of}
	if r.failed.Load() {
		c.empty = true
		return c
	}
	defer func() {
		if p := recover(); p != nil {
			c.err = fmt.Errorf("internal error: generated code for %s does not render: %v", j.what, p)
		}
	}()
	var src bytes.Buffer
	err := j.f.Render(&src)
	j.f = nil // garbage while the source is formatted
	if err != nil {
		c.err = fmt.Errorf("internal error: generated code for %s does not render: %v", j.what, err)
		return c
	}
	c.src = src.Bytes()
	r.large.Store(len(c.src) > largeChunk)
	r.format(c)
	return c
}

// format parses c.src, records what the chunk imports and where its
// declarations begin, and formats them as go/format does.
func (r *renderer) format(c *chunk) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", c.src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		c.err = fmt.Errorf("internal error: generated code for %s does not format: %v", c.what, err)
		return
	}
	c.imports = map[string]string{}
	for _, is := range file.Imports {
		path, err := strconv.Unquote(is.Path.Value)
		if err != nil {
			c.err = fmt.Errorf("internal error: generated code for %s imports %s", c.what, is.Path.Value)
			return
		}
		name := ""
		if is.Name != nil {
			name = is.Name.Name
		}
		c.imports[path] = name
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
		c.empty = true
		return
	}
	if n := len(file.Comments); n > 0 {
		last := file.Comments[n-1].Pos()
		c.trailing = len(decls) == 0 || last > decls[len(decls)-1].End()
	}
	c.start = fset.Position(start).Offset

	var out bytes.Buffer
	if err := format.Node(&out, fset, file); err != nil {
		c.err = fmt.Errorf("internal error: generated code for %s does not format: %v", c.what, err)
		return
	}
	clause := "package " + r.pkg + "\n\n"
	if !bytes.HasPrefix(out.Bytes(), []byte(clause)) {
		c.err = fmt.Errorf("internal error: generated code for %s formats to an unexpected package clause", c.what)
		return
	}
	c.out = out.Bytes()[len(clause):]
}

// assemble puts the chunks in the body in order, formatting a chunk with
// the one before it where it cannot be formatted alone.
func (r *renderer) assemble() {
	defer close(r.done)
	for cc := range r.results {
		c := <-cc
		if r.err != nil {
			continue
		}
		if c.err != nil {
			r.fail(c.err)
			continue
		}
		if c.empty {
			continue
		}
		for path, name := range c.imports {
			if have, ok := r.imports[path]; ok && have != name {
				r.fail(fmt.Errorf("internal error: generated code imports %q both as %q and as %q", path, have, name))
				break
			}
			r.imports[path] = name
		}
		if r.err != nil {
			continue
		}
		switch h := r.held; {
		case h == nil:
			r.held = c
		case c.comment && !h.trailing:
			r.emit(h)
			r.held = c
		default:
			// Formatted alone, the chunk might lose the blank line before
			// it or align with the end of the one before.
			joined := make([]byte, 0, len(h.src)+1+len(c.src)-c.start)
			joined = append(append(append(joined, h.src...), '\n'), c.src[c.start:]...)
			m := &chunk{what: h.what + " and " + c.what, n: c.n, of: c.of, src: joined}
			r.format(m)
			if m.err != nil {
				r.fail(m.err)
				continue
			}
			r.held = m
		}
	}
	if r.err == nil && r.held != nil {
		r.emit(r.held)
	}
	r.held = nil
}

// fail records the first error.
func (r *renderer) fail(err error) {
	r.err = err
	r.failed.Store(true)
}

// emit appends a formatted chunk to the body. The body grows to the size
// the output will have if the rest of the chunks are like those so far.
func (r *renderer) emit(c *chunk) {
	need := len(r.body) + 1 + len(c.out)
	if need > cap(r.body) {
		size := need + need/4
		if c.n > 0 && c.of > c.n {
			if est := need / c.n * c.of * 9 / 8; est > size {
				size = est
			}
		}
		b := make([]byte, len(r.body), size)
		copy(b, r.body)
		r.body = b
	}
	r.body = append(r.body, '\n')
	r.body = append(r.body, c.out...)
}

// finish waits for the chunks and returns the file: the header, the
// package clause, the imports and the chunks.
func (r *renderer) finish() ([]byte, error) {
	r.stop()
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
