package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestGoTool uses mplc the way the package documentation tells another
// module to: go get -tool, then a go:generate line running go tool mplc.
// The scratch module replaces github.com/mplgo/mpl with this checkout and
// takes every other module from the local module cache (GOPROXY=off; the
// modules this test was built with are all there), verified against this
// module's go.sum.
func TestGoTool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a scratch module with the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go command: %v", err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/scratch\n\ngo 1.26\n\n" +
			"require github.com/mplgo/mpl v0.0.0-00010101000000-000000000000\n\n" +
			"replace github.com/mplgo/mpl => " + filepath.ToSlash(root) + "\n",
		"go.sum": string(sum),
		"proto/my-proto.mpl": `packet hello {
  version: uint8;
  length: uint16;
  body: byte[length];
}
`,
		"proto/doc.go": "// Package proto is generated from my-proto.mpl.\npackage proto\n\n" +
			"//go:generate go tool mplc generate -o proto.go -pkg proto my-proto.mpl\n",
		"main.go": "package main\n\nimport _ \"example.com/scratch/proto\"\n\nfunc main() {}\n",
	}
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	env := append(os.Environ(), "GOFLAGS=-mod=mod -buildvcs=false", "GOPROXY=off", "GOWORK=off", "GOTOOLCHAIN=local")
	goRun := func(args ...string) {
		t.Helper()
		cmd := exec.Command(goCmd, args...)
		cmd.Dir = dir
		cmd.Env = env
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	goRun("get", "-tool", "github.com/mplgo/mpl/cmd/mplc")
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "\ntool github.com/mplgo/mpl/cmd/mplc\n") {
		t.Errorf("go get -tool left go.mod without the tool line:\n%s", mod)
	}
	goRun("generate", "./...")
	src, err := os.ReadFile(filepath.Join(dir, "proto", "proto.go"))
	if err != nil {
		t.Fatalf("go generate wrote no proto.go: %v", err)
	}
	if !strings.Contains(string(src), "\npackage proto\n") {
		t.Errorf("proto.go has no package clause for proto:\n%.300s", src)
	}
	goRun("build", "./...")
	goRun("vet", "./...")
}
