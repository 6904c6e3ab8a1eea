package lang

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./lang -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, diff)
	}
}

func specs(t *testing.T, pattern string) []string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no files match %s", pattern)
	}
	return files
}

// TestErrors checks each malformed spec in testdata/errors against the
// diagnostics recorded beside it in a .err file.
func TestErrors(t *testing.T) {
	files := specs(t, "../testdata/errors/*.mpl")
	if len(files) < 30 {
		t.Errorf("only %d malformed specs", len(files))
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".mpl")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			rel := "testdata/errors/" + filepath.Base(path)
			spec, diags := Check(Source{Name: rel, Data: data})
			if len(diags) == 0 {
				t.Fatalf("%s checks clean; it should not", rel)
			}
			if spec != nil {
				t.Errorf("a spec with errors returned a non-nil Spec")
			}
			for _, d := range diags {
				if d.Pos.File != rel || !d.Pos.IsValid() {
					t.Errorf("diagnostic without a position: %v", d)
				}
			}
			golden(t, strings.TrimSuffix(path, ".mpl")+".err", diags.Error()+"\n")
		})
	}
}

// TestParseTrees compares the printed syntax tree of each spec in
// testdata/parse with the .ast file beside it.
func TestParseTrees(t *testing.T) {
	for _, path := range specs(t, "../testdata/parse/*.mpl") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			pf, diags := parseFile(path, data)
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			golden(t, strings.TrimSuffix(path, ".mpl")+".ast", printTree(pf.tree))
			if _, diags := Check(Source{Name: path, Data: data}); len(diags) > 0 {
				t.Errorf("does not check clean:\n%v", diags)
			}
		})
	}
}

// TestShippedSpecs checks the paper's specs and every shipped spec.
func TestShippedSpecs(t *testing.T) {
	files := specs(t, "../testdata/paper/*.mpl")
	shipped, _ := filepath.Glob("../specs/*.mpl")
	for _, path := range append(files, shipped...) {
		if _, err := LoadFiles(path); err != nil {
			t.Errorf("%s:\n%v", path, err)
		}
	}
}
