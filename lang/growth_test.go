package lang

import (
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
	ts, tl := checkTime(small), checkTime(large)
	ratio := float64(tl) / float64(max(ts, time.Microsecond))
	t.Logf("n=%d: %v, 4n: %v, ratio %.1f", n, ts, tl, ratio)
	if ratio > 10 {
		t.Errorf("checking grows faster than linearly: %v for n=%d, %v for 4n (ratio %.1f)", ts, n, tl, ratio)
	}
}

func TestGrowthDocComments(t *testing.T) {
	linear(t, 5000, func(n int) string {
		return strings.Repeat("// A comment line about the packet.\n", n) + "packet p {\n  a: byte;\n}\n"
	})
}
