package hostile

import (
	"bytes"
	"testing"
)

// TestCustomBoolCase builds each case, the nested ones through Kind, and
// parses them back.
func TestCustomBoolCase(t *testing.T) {
	for _, c := range []struct {
		b    interface{ AppendTo([]byte) ([]byte, error) }
		want []byte
	}{
		{NoBuilder{}, []byte{0}},
		{YesBuilder{X: 7, Kind: YesKindDeep, Deep: DeepBuilder{X: 7, Y: 9}}, []byte{1, 7, 1, 9}},
		{YesBuilder{Kind: YesKindShallow, Shallow: ShallowBuilder{X: 3}}, []byte{1, 3, 0}},
		{DeepBuilder{X: 1, Y: 2}, []byte{1, 1, 1, 2}},
	} {
		got, err := c.b.AppendTo(nil)
		if err != nil || !bytes.Equal(got, c.want) {
			t.Errorf("%T: %x, %v; want %x", c.b, got, err, c.want)
			continue
		}
		if _, err := Parse(got); err != nil {
			t.Errorf("%x: %v", got, err)
		}
	}
	p, err := Parse([]byte{1, 7, 1, 9})
	if err != nil {
		t.Fatal(err)
	}
	y, ok := p.AsYes()
	if !ok {
		t.Fatal("not Yes")
	}
	if d, ok := y.AsDeep(); !ok || d.Y() != 9 {
		t.Fatalf("deep %v %d", ok, d.Y())
	}
}
