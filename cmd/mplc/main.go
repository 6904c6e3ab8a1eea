// Command mplc compiles packet-format specs written in MPL, the Meta Packet
// Language, into Go codecs.
//
// Usage:
//
//	mplc check SPEC...
//	mplc generate [-o OUT.go] [-pkg NAME] SPEC...
//	mplc doc SPEC...
//
// check reports every error in each spec file as file:line:col: message and
// exits with status 1 if there is any. generate compiles the spec files, as
// one unit, into one Go file; it writes nothing if there is an error, and
// -o names the file to write, not a directory. The package name is -pkg,
// which must be a valid Go package name, or else the first spec's file name
// without its extension, lowercased, with the characters that cannot be in
// an identifier dropped (my-proto.mpl gives myproto); if that leaves no
// valid name (type.mpl, 1x.mpl), use -pkg. Usage errors exit with status 2.
//
// doc checks each spec file on its own and prints the layout of each of its
// packets as RFC 791-style diagrams of 32-bit rows: the packet, then each
// classify case and each array element. Fields whose size is not static are
// drawn as rows between "~" edges, with their length under the diagram;
// names too long for their field are replaced by a key explained under the
// diagram. Errors are reported as check reports them.
//
// In another module, add mplc as a tool of that module; this records the
// version in its go.mod, next to the github.com/mplgo/mpl/runtime package
// the generated code imports, so that both stay in step:
//
//	go get -tool github.com/mplgo/mpl/cmd/mplc
//
// and run it from a go:generate line with go tool:
//
//	//go:generate go tool mplc generate -o ipv4.go -pkg ipv4 ipv4.mpl
//
// (go run github.com/mplgo/mpl/cmd/mplc does not work there: the go
// command will not add the module to go.mod on its own.) Inside this
// module, go run ./cmd/mplc, or the go run line of the packages in gen/,
// builds mplc from the checkout.
package main

import (
	"errors"
	"flag"
	"fmt"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"strings"
	"unicode"

	"github.com/mplgo/mpl/codegen"
	"github.com/mplgo/mpl/lang"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage:
	mplc check SPEC...
	mplc generate [-o OUT.go] [-pkg NAME] SPEC...
	mplc doc SPEC...
`

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	switch args[0] {
	case "check":
		return check(args[1:], stderr)
	case "generate":
		return generate(args[1:], stdout, stderr)
	case "doc":
		return doc(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	fmt.Fprintf(stderr, "mplc: unknown command %q\n%s", args[0], usage)
	return 2
}

func check(args []string, stderr io.Writer) int {
	fs := flag.NewFlagSet("mplc check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "mplc check: no spec files\n%s", usage)
		return 2
	}
	status := 0
	// Each spec file is checked on its own: one file, one protocol.
	for _, path := range fs.Args() {
		if _, err := lang.LoadFiles(path); err != nil {
			report(stderr, err)
			status = 1
		}
	}
	return status
}

// doc prints the diagrams of the packets of each spec file.
func doc(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mplc doc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "mplc doc: no spec files\n%s", usage)
		return 2
	}
	status := 0
	first := true
	for _, path := range fs.Args() {
		spec, err := lang.LoadFiles(path)
		if err != nil {
			report(stderr, err)
			status = 1
			continue
		}
		for _, p := range spec.Packets {
			if !first {
				fmt.Fprintln(stdout)
			}
			first = false
			if fs.NArg() > 1 {
				fmt.Fprintf(stdout, "%s: ", path)
			}
			fmt.Fprint(stdout, codegen.Diagram(p))
		}
	}
	return status
}

func generate(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mplc generate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("o", "", "write the Go source to `file` (default: standard output)")
	pkg := fs.String("pkg", "", "Go package `name` (default: the first spec's file name)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() == 0 {
		fmt.Fprintf(stderr, "mplc generate: no spec files\n%s", usage)
		return 2
	}
	name := *pkg
	if name != "" {
		if problem := badPackageName(name); problem != "" {
			fmt.Fprintf(stderr, "mplc generate: -pkg %q: %s\n%s", name, problem, usage)
			return 2
		}
	} else {
		name = packageNameFrom(fs.Arg(0))
		if badPackageName(name) != "" {
			fmt.Fprintf(stderr, "mplc generate: cannot derive a package name from %s; use -pkg\n", fs.Arg(0))
			return 2
		}
	}
	spec, err := lang.LoadFiles(fs.Args()...)
	if err != nil {
		report(stderr, err)
		return 1
	}
	src, err := codegen.Generate(spec, codegen.Options{Package: name, Source: strings.Join(sourceNames(fs.Args()), ", ")})
	if err != nil {
		report(stderr, err)
		return 1
	}
	if *out == "" {
		_, err = stdout.Write(src)
	} else {
		err = writeFile(*out, src)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mplc: %v\n", err)
		return 1
	}
	return 0
}

// badPackageName says what is wrong with name as a Go package name, or
// returns "" if it is a valid one.
func badPackageName(name string) string {
	switch {
	case name == "_":
		return "the blank identifier is not a package name"
	case token.IsKeyword(name):
		return "a Go keyword is not a package name"
	case !token.IsIdentifier(name):
		return "not a Go identifier"
	}
	return ""
}

// packageNameFrom derives a package name from a spec's path: its base name
// without the extension, lowercased, without the characters that cannot be
// in an identifier ("my-proto.mpl" gives "myproto"). The result may still
// not be a valid name; the caller checks.
func packageNameFrom(path string) string {
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return strings.Map(func(r rune) rune {
		if r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r) {
			return unicode.ToLower(r)
		}
		return -1
	}, base)
}

// sourceNames returns the spec paths as the generated header names them:
// slash-separated, relative to the module root when they lie inside it.
func sourceNames(paths []string) []string {
	root := moduleRoot()
	var names []string
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil && root != "" {
			if rel, err := filepath.Rel(root, abs); err == nil && !strings.HasPrefix(rel, "..") {
				p = rel
			}
		}
		names = append(names, filepath.ToSlash(p))
	}
	return names
}

func moduleRoot() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// writeFile replaces path with data, never leaving a partial file: it
// writes a temporary file next to path and renames it. On any failure the
// temporary file is removed and the error names path.
func writeFile(path string, data []byte) (err error) {
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		return fmt.Errorf("%s is a directory; -o takes the name of the Go file to write", path)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mplc-*.go")
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
			err = fmt.Errorf("cannot write %s: %w", path, err)
		}
	}()
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		var le *os.LinkError
		if errors.As(err, &le) {
			err = le.Err
		}
		return err
	}
	return nil
}

func report(w io.Writer, err error) {
	if ds, ok := err.(lang.Diagnostics); ok {
		for _, d := range ds {
			fmt.Fprintln(w, d.Error())
		}
		return
	}
	fmt.Fprintf(w, "mplc: %v\n", err)
}
