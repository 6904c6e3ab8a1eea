package codegen

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mplgo/mpl/lang"
)

// FuzzGenerate feeds arbitrary specs to the checker and, when they check
// clean, to the generator: neither may panic, and what the generator
// returns must be Go that type-checks (go/types).
func FuzzGenerate(f *testing.F) {
	for _, pattern := range []string{"../testdata/*/*.mpl", "../specs/*.mpl", "testdata/e2e/*/*.mpl"} {
		files, _ := filepath.Glob(pattern)
		for _, path := range files {
			b, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, diags := lang.Check(lang.Source{Name: "fuzz.mpl", Data: data})
		if len(diags) > 0 {
			return
		}
		src, err := Generate(spec, Options{Package: "fuzz"})
		if err != nil {
			if _, ok := err.(lang.Diagnostics); !ok {
				t.Fatalf("unpositioned error: %v", err)
			}
			return
		}
		// What check accepts, generate turns into Go that compiles (when
		// the Go side of its wire types exists).
		for _, d := range spec.Types {
			if d.GoPath != lang.RuntimePath || !runtimeHas(d.GoType) {
				return
			}
		}
		if err := compiles(src); err != nil {
			t.Fatalf("the generated Go does not compile: %v\n%s", err, data)
		}
	})
}

// runtimeHas reports whether the runtime declares a wire type of the name.
func runtimeHas(name string) bool {
	for _, d := range lang.CustomTypes {
		if d.GoType == name {
			return true
		}
	}
	return false
}
