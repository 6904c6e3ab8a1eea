package hostile

import (
	"net/netip"
	"testing"
)

// A field outside the range a checksum covers, which its pseudo-header
// reads: setting it updates the checksum.
func TestChecksumTermSetter(t *testing.T) {
	src := netip.MustParseAddr("198.18.0.9")
	b, err := Builder{Src: src, Len: 7, A: 0x1234, D: []byte{1, 2, 3}}.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.VerifySum(src); err != nil {
		t.Fatalf("built: %v", err)
	}
	p.SetLen(1000)
	if err := p.VerifySum(src); err != nil {
		t.Errorf("after SetLen: %v", err)
	}
	p.SetA(0xfedc)
	if err := p.VerifySum(src); err != nil {
		t.Errorf("after SetA: %v", err)
	}
}
