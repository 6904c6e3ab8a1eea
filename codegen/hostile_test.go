package codegen

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mplgo/mpl/lang"
)

// TestHostile runs the hostile specs in testdata/hostile: specs written to
// break the checker or the generator. Each has one expected outcome: a
// positioned error, recorded in NAME.err beside it (written with -update),
// or, without a NAME.err, Go that compiles.
func TestHostile(t *testing.T) {
	specs, _ := filepath.Glob("../testdata/hostile/*.mpl")
	if len(specs) == 0 {
		t.Fatal("no hostile specs")
	}
	for _, path := range specs {
		name := strings.TrimSuffix(filepath.Base(path), ".mpl")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rel := "testdata/hostile/" + filepath.Base(path)
			errPath := strings.TrimSuffix(path, ".mpl") + ".err"
			got := ""
			spec, diags := lang.Check(lang.Source{Name: rel, Data: data})
			if len(diags) > 0 {
				got = diags.Error() + "\n"
			} else {
				src, err := Generate(spec, Options{Package: "hostile"})
				var ds lang.Diagnostics
				switch {
				case errors.As(err, &ds):
					got = ds.Error() + "\n"
				case err != nil:
					t.Fatalf("unpositioned error: %v", err)
				default:
					if err := compiles(src); err != nil {
						t.Fatalf("the generated Go does not compile: %v", err)
					}
				}
			}
			if *update {
				if got == "" {
					os.Remove(errPath)
					return
				}
				if err := os.WriteFile(errPath, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(errPath)
			if os.IsNotExist(err) {
				if got != "" {
					t.Fatalf("want Go that compiles, got errors:\n%s", got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				t.Errorf("errors differ; got\n%s\nwant\n%s", got, want)
			}
		})
	}
}

// TestPaperSpecs generates the specs of the paper's figure 3, as printed
// there (in ASCII), and type-checks the Go.
func TestPaperSpecs(t *testing.T) {
	specs, _ := filepath.Glob("../testdata/paper/*.mpl")
	if len(specs) == 0 {
		t.Fatal("no paper specs")
	}
	for _, path := range specs {
		s, err := lang.LoadFiles(path)
		if err != nil {
			t.Fatal(err)
		}
		src, err := Generate(s, Options{Package: "paper"})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if err := compiles(src); err != nil {
			t.Errorf("%s: the generated Go does not compile: %v", path, err)
		}
	}
}
