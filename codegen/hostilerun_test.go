package codegen

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mplgo/mpl/lang"
)

// TestHostileRun compiles the Go of every hostile spec that generates
// (testdata/hostile/NAME.mpl without NAME.err), vets it and runs its Parse
// functions on many random and edge-case inputs: none may panic, and
// whatever parses must walk and print. A spec may come with tests of its
// own in NAME.test.go (package hostile), run with the generated code. The
// packages live in a scratch module that uses this checkout.
func TestHostileRun(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a package per hostile spec")
	}
	gobin, err := goTool()
	if err != nil {
		t.Skip(err)
	}
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	specs, _ := filepath.Glob("../testdata/hostile/*.mpl")
	tmp := t.TempDir()
	sum, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	mod := fmt.Sprintf("module hostilerun\n\ngo 1.26\n\nrequire github.com/mplgo/mpl v0.0.0\n\nreplace github.com/mplgo/mpl => %s\n", root)
	for f, data := range map[string][]byte{"go.mod": []byte(mod), "go.sum": sum} {
		if err := os.WriteFile(filepath.Join(tmp, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var pkgs []string
	for _, path := range specs {
		base := strings.TrimSuffix(path, ".mpl")
		if _, err := os.Stat(base + ".err"); err == nil {
			continue
		}
		name := filepath.Base(base)
		s, err := lang.LoadFiles(path)
		if err != nil {
			t.Fatal(err)
		}
		// The package is named after the first packet, which is then
		// Packet (Parse, Builder); its own tests say package hostile.
		pkg := s.Packets[0].Name
		src, err := Generate(s, Options{Package: pkg})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		parsers, err := parseFuncs(src)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		dir := filepath.Join(tmp, name)
		if err := os.Mkdir(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		files := map[string][]byte{
			"hostile.go":      src,
			"hostile_test.go": []byte(strings.Replace(fmt.Sprintf(hostileRunTest, strings.Join(parsers, ", ")), "package hostile", "package "+pkg, 1)),
		}
		if own, err := os.ReadFile(base + ".test.go"); err == nil {
			files["own_test.go"] = []byte(strings.Replace(string(own), "package hostile", "package "+pkg, 1))
		}
		for f, data := range files {
			if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		pkgs = append(pkgs, "./"+name)
	}
	for _, args := range [][]string{
		append([]string{"vet"}, pkgs...),
		append([]string{"test", "-count=1"}, pkgs...),
	} {
		cmd := exec.Command(gobin, args...)
		cmd.Dir = tmp
		// Everything comes from this checkout and the module cache.
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Errorf("go %s: %v\n%s", args[0], err, out)
		}
	}
}

// parseFuncs returns the names of the exported Parse functions of a
// generated file.
func parseFuncs(src []byte) ([]string, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "x.go", src, 0)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && strings.HasPrefix(fd.Name.Name, "Parse") {
			out = append(out, fd.Name.Name)
		}
	}
	return out, nil
}

const hostileRunTest = `package hostile

import (
	"math"
	"math/rand"
	"reflect"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// TestParseNeverPanics calls every Parse function on random inputs, runs
// and edge values, with edge values for the parameters; what parses is
// walked (to the end and stopped early) and printed.
func TestParseNeverPanics(t *testing.T) {
	ints := []int{0, 1, -1, 2, 3, 7, 64, 255, 1 << 31, math.MaxInt64, math.MinInt64}
	r := rand.New(rand.NewSource(1))
	for _, fn := range []any{%s} {
		fv := reflect.ValueOf(fn)
		ft := fv.Type()
		for i := 0; i < 30000; i++ {
			b := make([]byte, r.Intn(96))
			switch i %% 4 {
			case 0:
				r.Read(b)
			case 1:
				for j := range b {
					b[j] = []byte{0, 1, 0xff, 0x40, 0x80, 0x7f}[r.Intn(6)]
				}
			case 2: // zeros
			case 3:
				for j := range b {
					b[j] = 0xff
				}
			}
			args := []reflect.Value{reflect.ValueOf(b)}
			for j := 1; j < ft.NumIn(); j++ {
				if ft.In(j).Kind() == reflect.Bool {
					args = append(args, reflect.ValueOf(r.Intn(2) == 0))
				} else {
					args = append(args, reflect.ValueOf(ints[r.Intn(len(ints))]))
				}
			}
			out := fv.Call(args)
			if !out[1].IsNil() {
				if _, ok := out[1].Interface().(interface{ Error() string }); !ok {
					t.Fatal("error of the wrong type")
				}
				continue
			}
			view := reflect.New(out[0].Type())
			view.Elem().Set(out[0])
			n := 0
			view.MethodByName("Walk").Call([]reflect.Value{reflect.ValueOf(func(mplrt.Field) bool { n++; return true })})
			for stop := 0; stop < n; stop++ {
				k := 0
				view.MethodByName("Walk").Call([]reflect.Value{reflect.ValueOf(func(mplrt.Field) bool { k++; return k <= stop })})
			}
			_ = view.MethodByName("String").Call(nil)
		}
	}
}
`
