package codegen

import (
	"flag"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mplgo/mpl/lang"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

func generate(t *testing.T, spec, pkg string) []byte {
	t.Helper()
	s, err := lang.LoadFiles(spec)
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel("..", spec)
	if err != nil {
		t.Fatal(err)
	}
	src, err := Generate(s, Options{Package: pkg, Source: filepath.ToSlash(rel)})
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// typeCheck checks generated source with go/types, importing the standard
// library and the runtime from source.
func typeCheck(t *testing.T, name string, src []byte) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil), Sizes: types.SizesFor("gc", "amd64")}
	if _, err := conf.Check(f.Name.Name, fset, []*ast.File{f}, nil); err != nil {
		t.Errorf("%s does not compile: %v", name, err)
	}
}

// TestGolden compiles the small specs in testdata/golden and compares the
// output with the .go.golden file beside each; -update rewrites them.
func TestGolden(t *testing.T) {
	specs, _ := filepath.Glob("../testdata/golden/*.mpl")
	if len(specs) == 0 {
		t.Fatal("no golden specs")
	}
	for _, spec := range specs {
		name := strings.TrimSuffix(filepath.Base(spec), ".mpl")
		t.Run(name, func(t *testing.T) {
			got := generate(t, spec, name)
			path := strings.TrimSuffix(spec, ".mpl") + ".go.golden"
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
			} else {
				want, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("%v (go test ./codegen -update creates it)", err)
				}
				if diff := cmp.Diff(string(want), string(got)); diff != "" {
					t.Errorf("%s differs (-want +got):\n%s", path, diff)
				}
			}
			typeCheck(t, name+".go", got)
		})
	}
}

// TestGenerated fails when a package in gen/ differs from what mplc
// produces now from its spec.
func TestGenerated(t *testing.T) {
	specs, _ := filepath.Glob("../specs/*.mpl")
	if len(specs) == 0 {
		t.Fatal("no specs")
	}
	for _, spec := range specs {
		name := strings.TrimSuffix(filepath.Base(spec), ".mpl")
		got := generate(t, spec, name)
		path := filepath.Join("..", "gen", name, name+".go")
		want, err := os.ReadFile(path)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		if string(want) != string(got) {
			t.Errorf("stale generated files: %s differs from what mplc makes of %s; run go generate ./...", path, spec)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"src_mac": "SrcMAC", "ttl": "TTL", "Flash_override": "FlashOverride", "E802_2": "E802_2",
		"ipv4": "IPv4", "EchoRequest": "EchoRequest", "total_length": "TotalLength", "x": "X",
		"cpu": "CPU", "os": "OS",
	} {
		if got := goName(in); got != want {
			t.Errorf("goName(%q) = %q, want %q", in, got, want)
		}
	}
	for in, want := range map[string]string{"questions": "question", "entries": "entry", "data": "dataElem", "boxes": "box"} {
		if got := singular(in); got != want {
			t.Errorf("singular(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestDocumented checks that every exported name in the generated
// packages and golden outputs has a doc comment.
func TestDocumented(t *testing.T) {
	files, _ := filepath.Glob("../gen/*/*.go")
	golden, _ := filepath.Glob("../testdata/golden/*.go.golden")
	for _, path := range append(files, golden...) {
		if strings.HasSuffix(path, "_test.go") || strings.HasSuffix(path, "doc.go") {
			continue
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Name.IsExported() && d.Doc == nil {
					t.Errorf("%s: %s has no doc comment", fset.Position(d.Pos()), d.Name.Name)
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.TypeSpec:
						if s.Name.IsExported() && d.Doc == nil && s.Doc == nil {
							t.Errorf("%s: type %s has no doc comment", fset.Position(s.Pos()), s.Name.Name)
						}
						if st, ok := s.Type.(*ast.StructType); ok {
							for _, fl := range st.Fields.List {
								for _, n := range fl.Names {
									if n.IsExported() && fl.Doc == nil {
										t.Errorf("%s: field %s.%s has no doc comment", fset.Position(n.Pos()), s.Name.Name, n.Name)
									}
								}
							}
						}
					case *ast.ValueSpec:
						for _, n := range s.Names {
							if n.IsExported() && d.Doc == nil && s.Doc == nil {
								t.Errorf("%s: %s has no doc comment", fset.Position(n.Pos()), n.Name)
							}
						}
					}
				}
			}
		}
	}
}
