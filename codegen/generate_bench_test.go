package codegen

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mplgo/mpl/lang"
)

// TestFormattedMultiPacket checks that the output for a spec of many
// packets, assembled from the packets' code, is gofmt-clean Go that
// compiles.
func TestFormattedMultiPacket(t *testing.T) {
	specs, _ := filepath.Glob("../specs/*.mpl")
	if len(specs) == 0 {
		t.Fatal("no specs")
	}
	var srcs []lang.Source
	for _, path := range specs {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		srcs = append(srcs, lang.Source{Name: path, Data: b})
	}
	srcs = append(srcs, lang.Source{Name: "small.mpl", Data: []byte(smallPackets(20))})
	spec, diags := lang.Check(srcs...)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	out, err := Generate(spec, Options{Package: "multi"})
	if err != nil {
		t.Fatal(err)
	}
	want, err := format.Source(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("the output is not gofmt-clean:\n%s", cmp.Diff(string(want), string(out)))
	}
	typeCheck(t, "multi.go", out)
}

func smallPackets(n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "packet p%d { a: byte; b: uint16; c: byte[a]; }\n", i)
	}
	return b.String()
}

func benchmarkGenerate(b *testing.B, text string) {
	b.ReportAllocs()
	for b.Loop() {
		spec, diags := lang.Check(lang.Source{Name: "bench.mpl", Data: []byte(text)})
		if len(diags) > 0 {
			b.Fatal(diags)
		}
		out, err := Generate(spec, Options{Package: "bench"})
		if err != nil {
			b.Fatal(err)
		}
		b.SetBytes(int64(len(out)))
	}
}

// BenchmarkGenerate10kFields generates one packet of 10,000 fields.
func BenchmarkGenerate10kFields(b *testing.B) {
	var s strings.Builder
	s.WriteString("packet big {\n")
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&s, "  f%d: uint16;\n", i)
	}
	s.WriteString("}\n")
	benchmarkGenerate(b, s.String())
}

// BenchmarkGenerate10kPackets generates 10,000 small packets.
func BenchmarkGenerate10kPackets(b *testing.B) {
	benchmarkGenerate(b, smallPackets(10000))
}
