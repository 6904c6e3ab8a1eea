package hostile

import (
	"bytes"
	"testing"
)

func TestBoolDiscriminant(t *testing.T) {
	out, err := ABuilder{Pad: 3, X: 9}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, []byte{0x83, 9}) {
		t.Fatalf("ABuilder: %x, %v", out, err)
	}
	out, err = BBuilder{}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, []byte{0}) {
		t.Fatalf("BBuilder: %x, %v", out, err)
	}
	if p, err := Parse([]byte{0x83, 9}); err != nil || p.Kind() != KindA || !p.S() {
		t.Fatalf("Parse: %v %v", p.Kind(), err)
	}
}
