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
// one unit, into one Go file; it writes nothing if there is an error. Usage
// errors exit with status 2.
//
// doc checks each spec file on its own and prints the layout of each of its
// packets as RFC 791-style diagrams of 32-bit rows: the packet, then each
// classify case and each array element. Fields whose size is not static are
// drawn as rows between "~" edges, with their length under the diagram;
// names too long for their field are replaced by a key explained under the
// diagram. Errors are reported as check reports them.
//
// From a go:generate line:
//
//	//go:generate go run github.com/mplgo/mpl/cmd/mplc generate -o ipv4.go -pkg ipv4 ../../specs/ipv4.mpl
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

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
	if name == "" {
		name = strings.TrimSuffix(filepath.Base(fs.Arg(0)), filepath.Ext(fs.Arg(0)))
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

// writeFile replaces path with data, never leaving a partial file.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mplc-*.go")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
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
