package lang

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// checkTime returns the best of three times to check src.
func checkTime(src []byte) time.Duration {
	best := time.Duration(-1)
	for i := 0; i < 3; i++ {
		start := time.Now()
		Check(Source{Name: "t.mpl", Data: src})
		if d := time.Since(start); best < 0 || d < best {
			best = d
		}
	}
	return best
}

// linear checks that checking build(4n) takes about four times as long as
// checking build(n), and not sixteen (quadratic) or more.
func linear(t *testing.T, n int, build func(n int) string) {
	t.Helper()
	if testing.Short() {
		t.Skip("timing test")
	}
	small, large := []byte(build(n)), []byte(build(4*n))
	// A busy machine can slow one timing down: a ratio above the limit
	// is measured again, and only a ratio that stays above it fails.
	var ts, tl time.Duration
	var ratio float64
	for try := 0; try < 3; try++ {
		ts, tl = checkTime(small), checkTime(large)
		ratio = float64(tl) / float64(max(ts, time.Microsecond))
		t.Logf("n=%d: %v, 4n: %v, ratio %.1f", n, ts, tl, ratio)
		if ratio <= 10 {
			return
		}
	}
	t.Errorf("checking grows faster than linearly: %v for n=%d, %v for 4n (ratio %.1f)", ts, n, tl, ratio)
}

func TestGrowthDocComments(t *testing.T) {
	linear(t, 5000, func(n int) string {
		return strings.Repeat("// A comment line about the packet.\n", n) + "packet p {\n  a: byte;\n}\n"
	})
}

func TestGrowthPrefixOperators(t *testing.T) {
	// Runs within the nesting limit, in n fields.
	linear(t, 25, func(n int) string {
		var b strings.Builder
		b.WriteString("packet p {\n  a: byte;\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  f%d: byte[%sa + 255] min(%s0);\n", i, strings.Repeat("- ", 90), strings.Repeat("-", 90))
		}
		b.WriteString("}\n")
		return b.String()
	})
	// One run far beyond it.
	linear(t, 250000, func(n int) string {
		return "packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("-", n) + "a];\n}\n"
	})
	linear(t, 250000, func(n int) string {
		return "packet p {\n  a: byte;\n  classify (a) {\n  |1: \"A\" when (" + strings.Repeat("not ", n) + "true) -> ();\n  };\n}\n"
	})
}

func TestGrowthBinaryChains(t *testing.T) {
	// Within the limit on operators in an expression.
	linear(t, 500, func(n int) string {
		return "packet p {\n  a: byte;\n  b: byte[a" + strings.Repeat("-a", n) + " + 255*256] min(0" + strings.Repeat("+0", n) + ");\n}\n"
	})
	// Beyond it.
	linear(t, 250000, func(n int) string {
		return "packet p {\n  a: byte;\n  b: byte[a" + strings.Repeat("-a", n) + "];\n}\n"
	})
	// Many expressions within the limit.
	linear(t, 5, func(n int) string {
		var b strings.Builder
		b.WriteString("packet p {\n  a: byte;\n")
		for i := 0; i < n; i++ {
			fmt.Fprintf(&b, "  f%d: byte[a%s + 255*256];\n", i, strings.Repeat(" - a", 1000))
		}
		b.WriteString("}\n")
		return b.String()
	})
}

// bigSpec builds a spec of packets packets with fields fields each.
func bigSpec(packets, fields int) []byte {
	var b strings.Builder
	for p := 0; p < packets; p++ {
		fmt.Fprintf(&b, "// P%d is packet number %d.\npacket P%d {\n", p, p, p)
		for f := 0; f < fields; f++ {
			switch f % 4 {
			case 0:
				fmt.Fprintf(&b, "  // F%d is a length.\n  f%d: uint16 max(1000);\n", f, f)
			case 1:
				fmt.Fprintf(&b, "  f%d: byte[f%d %% 16];\n", f, f-1)
			case 2:
				fmt.Fprintf(&b, "  f%d: uint8 variant { |1 -> One |2 -> Two |3 => Three };\n", f)
			default:
				fmt.Fprintf(&b, "  f%d: uint32 default(f%d * 2);\n", f, f-3)
			}
		}
		b.WriteString("}\n")
	}
	return []byte(b.String())
}

func benchmarkCheck(b *testing.B, src []byte) {
	if _, diags := Check(Source{Name: "bench.mpl", Data: src}); len(diags) > 0 {
		b.Fatal(short(diags))
	}
	b.SetBytes(int64(len(src)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		Check(Source{Name: "bench.mpl", Data: src})
	}
}

func BenchmarkCheck10kFields(b *testing.B)  { benchmarkCheck(b, bigSpec(1, 10000)) }
func BenchmarkCheck10kPackets(b *testing.B) { benchmarkCheck(b, bigSpec(10000, 4)) }

func TestGrowthFieldsAndPackets(t *testing.T) {
	linear(t, 250, func(n int) string { return string(bigSpec(1, n)) })
	linear(t, 60, func(n int) string { return string(bigSpec(n, 4)) })
}
