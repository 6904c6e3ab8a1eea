package mplrt

import (
	"math"
	"math/big"
	"math/rand"
	"testing"
)

// TestChecked compares each operation with exact arithmetic on values
// around the edges of int64.
func TestChecked(t *testing.T) {
	edges := []int{0, 1, -1, 2, -2, 3, 7, -7, 1 << 31, -(1 << 31), 1<<32 + 1, 3037000499, 3037000500, -3037000500,
		math.MaxInt64, math.MinInt64, math.MaxInt64 - 1, math.MinInt64 + 1, math.MaxInt64 / 2, math.MinInt64 / 2}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 200; i++ {
		edges = append(edges, int(r.Uint64()), int(r.Uint64()>>uint(r.Intn(64))))
	}
	ops := []struct {
		name  string
		fn    func(c *Checked, x, y int) int
		exact func(x, y *big.Int) *big.Int // nil: fails
	}{
		{"add", (*Checked).Add, func(x, y *big.Int) *big.Int { return new(big.Int).Add(x, y) }},
		{"sub", (*Checked).Sub, func(x, y *big.Int) *big.Int { return new(big.Int).Sub(x, y) }},
		{"mul", (*Checked).Mul, func(x, y *big.Int) *big.Int { return new(big.Int).Mul(x, y) }},
		{"div", (*Checked).Div, func(x, y *big.Int) *big.Int {
			if y.Sign() == 0 {
				return nil
			}
			return new(big.Int).Quo(x, y)
		}},
		{"rem", (*Checked).Rem, func(x, y *big.Int) *big.Int {
			if y.Sign() == 0 {
				return nil
			}
			return new(big.Int).Rem(x, y)
		}},
	}
	for _, op := range ops {
		for _, x := range edges {
			for _, y := range edges {
				var c Checked
				got := op.fn(&c, x, y)
				want := op.exact(big.NewInt(int64(x)), big.NewInt(int64(y)))
				fits := want != nil && want.IsInt64()
				if c.Failed() == fits {
					t.Fatalf("%s(%d, %d): failed %v, exact %v", op.name, x, y, c.Failed(), want)
				}
				if fits && int64(got) != want.Int64() {
					t.Fatalf("%s(%d, %d) = %d, want %v", op.name, x, y, got, want)
				}
			}
		}
	}
	for _, x := range edges {
		var c Checked
		got := c.Neg(x)
		if (x == math.MinInt64) != c.Failed() || (!c.Failed() && got != -x) {
			t.Fatalf("Neg(%d) = %d, failed %v", x, got, c.Failed())
		}
	}
	for _, x := range []uint64{0, 1, math.MaxInt64, math.MaxInt64 + 1, math.MaxUint64} {
		var c Checked
		got := c.Uint(x)
		if (x > math.MaxInt64) != c.Failed() || (!c.Failed() && uint64(got) != x) {
			t.Fatalf("Uint(%d) = %d, failed %v", x, got, c.Failed())
		}
	}
	// A failure sticks.
	var c Checked
	c.Mul(math.MaxInt64, 2)
	if c.Add(1, 1); !c.Failed() {
		t.Fatal("a later success cleared the failure")
	}
}

func TestCheckedAllocs(t *testing.T) {
	var sink int
	n := testing.AllocsPerRun(100, func() {
		var c Checked
		sink = c.Mul(c.Add(sink, 3), c.Div(7, 2))
	})
	if n != 0 {
		t.Fatalf("%v allocations", n)
	}
}
