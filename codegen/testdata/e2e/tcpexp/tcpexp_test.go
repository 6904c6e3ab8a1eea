package tcpexp

// A new TCP option is a spec edit: tcpexp.mpl is specs/tcp.mpl with one
// more case in the options' classify, and the generated package builds and
// parses it with no Go written for it.

import (
	"bytes"
	"net/netip"
	"os"
	"strings"
	"testing"
)

// TestSpecIsTCPPlusOneOption checks that tcpexp.mpl is specs/tcp.mpl with
// the invented option's lines added and the packet named after the
// package, nothing else.
func TestSpecIsTCPPlusOneOption(t *testing.T) {
	tcp, err := os.ReadFile("../../../../specs/tcp.mpl")
	if err != nil {
		t.Fatal(err)
	}
	exp, err := os.ReadFile("tcpexp.mpl")
	if err != nil {
		t.Fatal(err)
	}
	s := string(exp)
	start := strings.Index(s, "      // An invented option")
	end := strings.Index(s, "      // (end of the invented option)\n")
	if start < 0 || end < start {
		t.Fatal("tcpexp.mpl lacks the invented option's markers")
	}
	without := s[:start] + s[end+len("      // (end of the invented option)\n"):]
	without = strings.Replace(without, "packet tcpexp(", "packet tcp(", 1)
	if without != string(tcp) {
		t.Error("tcpexp.mpl is not specs/tcp.mpl plus the invented option: copy specs/tcp.mpl again and add the option")
	}
}

// TestInventedOption builds a SYN with the invented option between two
// standard ones, parses it back and checks the option's fields, the
// padding and the checksum.
func TestInventedOption(t *testing.T) {
	src, dst := netip.MustParseAddr("198.18.0.2"), netip.MustParseAddr("198.18.0.1")
	b := Builder{
		Src: src, Dst: dst, SourcePort: 1, DestinationPort: 2, SYN: true, Window: 1000,
		Options: []OptionBuilder{
			{Kind: OptionKindMSS, MSS: MSSBuilder{MSS: 1460}},
			{Kind: OptionKindInvented, Invented: InventedBuilder{Tag: 0xbeef, Value32: 0x01020304}},
			{Kind: OptionKindWindowScale, WindowScale: WindowScaleBuilder{Shift: 7}},
		},
	}
	out, err := b.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	// 4 + 8 + 3 bytes of options, padded to 16: data offset 9.
	wantOpts := []byte{2, 4, 0x05, 0xb4, 77, 8, 0xbe, 0xef, 1, 2, 3, 4, 3, 3, 7, 0}
	if got := out[20:]; !bytes.Equal(got, wantOpts) {
		t.Fatalf("options %x, want %x", got, wantOpts)
	}
	p, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if p.DataOffset() != 9 {
		t.Errorf("data offset %d", p.DataOffset())
	}
	if err := p.VerifyChecksum(src, dst); err != nil {
		t.Error(err)
	}
	it := p.Options()
	var kinds []OptionKind
	for _, o := range it.All() {
		kinds = append(kinds, o.Kind())
		if c, ok := o.AsInvented(); ok && (c.Tag() != 0xbeef || c.Value32() != 0x01020304 || c.OptionLength() != 8) {
			t.Errorf("invented option %v", c)
		}
	}
	if want := []OptionKind{OptionKindMSS, OptionKindInvented, OptionKindWindowScale, OptionKindEnd}; !equal(kinds, want) {
		t.Errorf("kinds %v, want %v", kinds, want)
	}
	// The option's length is checked as any other's.
	bad := bytes.Clone(out)
	bad[25] = 7
	if _, err := Parse(bad); err == nil || !strings.Contains(err.Error(), "option_length at offset 25: const") {
		t.Errorf("an invented option of length 7: %v", err)
	}
}

func equal(a, b []OptionKind) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
