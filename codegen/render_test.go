package codegen

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
	"github.com/google/go-cmp/cmp"
)

// TestRendererChunks checks that chunks rendered apart and assembled give
// what one jen.File with all their declarations gives, whether or not a
// chunk begins with a comment, ends with one, or declares nothing.
func TestRendererChunks(t *testing.T) {
	chunks := []func(f *jen.Group){
		func(f *jen.Group) {
			f.Comment("A is a type.")
			f.Type().Id("A").Qual("net", "IP")
			f.Var().Id("a").Op("=").Lit(1).Comment("one")
		},
		// No leading comment: formatted with the chunk before.
		func(f *jen.Group) {
			f.Var().Id("bb").Op("=").Lit(2).Comment("two")
			f.Type().Id("B").Qual(runtimePath, "Kind")
		},
		func(f *jen.Group) {},
		func(f *jen.Group) {
			f.Comment("C is a function.")
			f.Func().Id("C").Params().Int().Block(jen.Return(jen.Qual("strconv", "IntSize")))
			f.Comment("a comment that ends the chunk")
		},
		// After a trailing comment: formatted with the chunk before.
		func(f *jen.Group) {
			f.Comment("D is a type.")
			f.Type().Id("D").Int()
		},
		func(f *jen.Group) {
			f.Type().Id("E").Int()
		},
		func(f *jen.Group) {
			f.Comment("F is a type.")
			f.Type().Id("F").Qual(runtimePath, "Site")
		},
	}
	for n := 0; n <= len(chunks); n++ {
		for start := 0; start+n <= len(chunks); start++ {
			t.Run(fmt.Sprintf("%d-%d", start, start+n), func(t *testing.T) {
				whole := jen.NewFile("p")
				whole.ImportAlias(runtimePath, "mplrt")
				whole.HeaderComment("Header.")
				r := newRenderer("p", "Header.")
				for i, c := range chunks[start : start+n] {
					c(whole.Group)
					f := r.file()
					c(f.Group)
					r.add(f, fmt.Sprint("chunk ", i), i, n)
				}
				var want bytes.Buffer
				if err := whole.Render(&want); err != nil {
					t.Fatal(err)
				}
				got, err := r.finish()
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want.String(), string(got)); diff != "" {
					t.Errorf("assembled chunks differ (-want +got):\n%s", diff)
				}
			})
		}
	}
}

// TestRendererErrors checks that code that does not format or does not
// render is an error, not a panic, and that the chunks after it do not
// matter.
func TestRendererErrors(t *testing.T) {
	for name, bad := range map[string]func(f *jen.Group){
		"format": func(f *jen.Group) { f.Func().Id("F").Params().Block(jen.Id("x").Op(":=")) },
		"render": func(f *jen.Group) { f.Var().Id("v").Op("=").Values(jen.Dict{jen.Lit(1): jen.Lit(2)}, jen.Lit(3)) },
	} {
		t.Run(name, func(t *testing.T) {
			r := newRenderer("p", "Header.")
			good := func(f *jen.Group) {
				f.Comment("T is a type.")
				f.Type().Id("T").Int()
			}
			for i, c := range []func(f *jen.Group){good, bad, good} {
				f := r.file()
				c(f.Group)
				r.add(f, fmt.Sprint("chunk ", i), i, 3)
			}
			out, err := r.finish()
			if err == nil {
				t.Fatalf("no error; output:\n%s", out)
			}
			if want := "generated code for chunk 1 does not " + name; !strings.Contains(err.Error(), want) {
				t.Errorf("error %q does not say %q", err, want)
			}
		})
	}
}
