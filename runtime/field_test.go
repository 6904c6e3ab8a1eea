package mplrt

import "testing"

func TestPath(t *testing.T) {
	var p Path
	for i := 0; i < 6; i++ {
		p = p.Push(string(rune('a'+i)), i)
	}
	f := Field{Name: "x", Array: "g", Index: 6, Outer: p, Format: FormatUint, Uint: 1}
	if got := string(f.AppendText(nil)); got != "....c[2].d[3].e[4].f[5].g[6].x=1" {
		t.Errorf("AppendText = %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { p = Path{}.Push("a", 1).Push("b", 2) }); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
