package codegen

import (
	"context"
	"errors"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mplgo/mpl/lang"
)

// End-to-end tests: every folder testdata/e2e/NAME holds a spec NAME.mpl,
// the package mplc makes of it (NAME.go) and hand-written tests that run
// the generated code (NAME_test.go). The packages lie under testdata, so
// ./... leaves them out; TestE2E checks that the generated files are
// current and runs their tests.
//
//	go test ./codegen -run TestE2E            # check and run
//	go test ./codegen -run TestE2E -update    # regenerate NAME.go
//	go test ./codegen/testdata/e2e/...        # run the packages directly
//
// Tests that fail because of a generator bug call t.Skip with a message
// starting "generator bug:"; MPL_E2E_BUGS=1 runs them, to see the failures:
//
//	MPL_E2E_BUGS=1 go test ./codegen/testdata/e2e/...
//	MPL_E2E_BUGS=1 go test ./codegen -run TestE2EGeneratorBugs

// e2eSpecs returns the specs of the end-to-end packages, relative to the
// codegen folder.
func e2eSpecs(t *testing.T) []string {
	t.Helper()
	specs, err := filepath.Glob("testdata/e2e/*/*.mpl")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, s := range specs {
		name := strings.TrimSuffix(filepath.Base(s), ".mpl")
		if filepath.Base(filepath.Dir(s)) != name {
			t.Errorf("%s: the spec of an e2e package must be named after its folder", s)
			continue
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		t.Fatal("no e2e specs in testdata/e2e")
	}
	return out
}

// TestE2E fails if a generated NAME.go is not what the generator makes of
// NAME.mpl now, and runs go test on the e2e packages (but with -short).
func TestE2E(t *testing.T) {
	t.Run("generated", func(t *testing.T) {
		for _, spec := range e2eSpecs(t) {
			name := strings.TrimSuffix(filepath.Base(spec), ".mpl")
			t.Run(name, func(t *testing.T) {
				// generate names the spec relative to the module root,
				// as it does for the golden files.
				got := generate(t, filepath.Join("..", "codegen", spec), name)
				path := strings.TrimSuffix(spec, ".mpl") + ".go"
				if *update {
					if err := os.WriteFile(path, got, 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v; go test ./codegen -update creates it", err)
				}
				if string(want) != string(got) {
					t.Errorf("stale e2e code; go test ./codegen -update (%s differs from what mplc makes of %s)", path, spec)
				}
			})
		}
	})
	t.Run("run", func(t *testing.T) {
		if testing.Short() {
			t.Skip("runs go test on testdata/e2e; not in -short mode")
		}
		if *update {
			t.Skip("not after -update; run again without it")
		}
		goBin, err := goTool()
		if err != nil {
			t.Skip(err)
		}
		touchInputs(t)
		// The packages build and run in a few seconds; the timeout only
		// guards against a hang.
		timeout := 2 * time.Minute
		if d, ok := t.Deadline(); ok && time.Until(d)-5*time.Second < timeout {
			timeout = time.Until(d) - 5*time.Second
		}
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, goBin, "test", "-count=1", "./testdata/e2e/...")
		out, err := cmd.CombinedOutput()
		if ctx.Err() != nil {
			t.Fatalf("go test ./testdata/e2e/... timed out:\n%s", out)
		}
		if err != nil {
			t.Fatalf("go test ./testdata/e2e/... failed: %v\n%s", err, out)
		}
		if testing.Verbose() {
			t.Logf("%s", out)
		}
	})
}

// touchInputs reads what the e2e packages are built from, and the
// environment variable their tests read, so that go test's cache of this
// package's result is invalidated when one of them changes.
func touchInputs(t *testing.T) {
	t.Helper()
	_ = os.Getenv("MPL_E2E_BUGS")
	for _, dir := range []string{"testdata/e2e", "../runtime"} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			_, err = os.ReadFile(path)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"../go.mod", "../go.sum"} {
		if _, err := os.ReadFile(f); err != nil {
			t.Fatal(err)
		}
	}
}

// goTool returns the go command of the toolchain running the test.
func goTool() (string, error) {
	name := "go"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	p := filepath.Join(runtime.GOROOT(), "bin", name)
	if _, err := os.Stat(p); err == nil {
		return p, nil
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p, nil
	}
	return "", errors.New("no go command found")
}

// TestE2EGeneratorBugs holds valid specs that the generator rejects or
// turns into code that does not compile. Each is skipped while the bug
// lasts; MPL_E2E_BUGS=1 runs them (as it runs the skipped tests of the
// e2e packages).
func TestE2EGeneratorBugs(t *testing.T) {
	for _, tc := range []struct {
		name, bug, src string
	}{} {
		t.Run(tc.name, func(t *testing.T) {
			spec, diags := lang.Check(lang.Source{Name: "p.mpl", Data: []byte(tc.src)})
			if len(diags) > 0 {
				t.Fatalf("the spec does not check: %v", diags)
			}
			src, err := Generate(spec, Options{Package: "p"})
			if err == nil {
				err = compiles(src)
			}
			if err != nil {
				if os.Getenv("MPL_E2E_BUGS") == "" {
					t.Skipf("generator bug: %s: %v", tc.bug, err)
				}
				t.Fatalf("%s:\n%v", tc.bug, err)
			}
		})
	}
}

// compiles type-checks generated source, importing the standard library
// and the runtime from source. The imports are type-checked once and
// shared by every call.
func compiles(src []byte) error {
	compileMu.Lock()
	defer compileMu.Unlock()
	if compileImp == nil {
		compileFset = token.NewFileSet()
		compileImp = importer.ForCompiler(compileFset, "source", nil)
	}
	f, err := parser.ParseFile(compileFset, "p.go", src, 0)
	if err != nil {
		return err
	}
	conf := types.Config{Importer: compileImp, Sizes: types.SizesFor("gc", "amd64")}
	_, err = conf.Check(f.Name.Name, compileFset, []*ast.File{f}, nil)
	return err
}

var (
	compileMu   sync.Mutex
	compileFset *token.FileSet
	compileImp  types.Importer
)
