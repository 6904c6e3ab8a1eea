package mplrt

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/miekg/dns"
	"golang.org/x/net/dns/dnsmessage"
)

// wireName returns the uncompressed wire form of labels, root byte
// included.
func wireName(labels ...string) []byte {
	var b []byte
	for _, l := range labels {
		b = append(b, byte(len(l)))
		b = append(b, l...)
	}
	return append(b, 0)
}

// labelsOf is wireName without the root byte.
func labelsOf(labels ...string) []byte {
	b := wireName(labels...)
	return b[:len(b)-1]
}

// ptr returns a compression pointer to offset o.
func ptr(o int) []byte { return []byte{0xc0 | byte(o>>8), byte(o)} }

func str(c byte, n int) string { return strings.Repeat(string(rune(c)), n) }

// pointerChain returns a message with the root at 0 and k pointers after
// it, each to the one before; the last is at offset 2k-1.
func pointerChain(k int) []byte {
	msg := []byte{0}
	for o := 0; len(msg) < 1+2*k; o = len(msg) - 2 {
		msg = append(msg, ptr(o)...)
	}
	return msg
}

// nameCase is one input for DNSName's Size.
type nameCase struct {
	name   string
	msg    []byte
	off    int
	n      int     // the size when reason is nil
	text   string  // the text when reason is nil
	reason *Reason // the failure, or nil
	at     int     // where the failure points; -1 for the bare reason
}

var (
	l63 = str('a', 63)
	l62 = str('b', 62)
	l61 = str('c', 61)
	// example.com at 0, www.example.com at 13 pointing back to it.
	exampleMsg = cat(wireName("example", "com"), labelsOf("www"), ptr(0))
)

func nameCases() []nameCase {
	long255 := wireName(l63, l63, l63, l61)
	long256 := wireName(l63, l63, l63, l62)
	// A 193-byte name at 0, then names that point to it.
	big := wireName(l63, l63, l63)
	return []nameCase{
		{name: "root", msg: []byte{0}, n: 1, text: "."},
		{name: "one label", msg: wireName("com"), n: 5, text: "com."},
		{name: "three labels", msg: wireName("www", "example", "com"), n: 17, text: "www.example.com."},
		{name: "case kept", msg: wireName("WwW", "Example"), n: 13, text: "WwW.Example."},
		{name: "trailing bytes", msg: cat(wireName("a"), []byte{7, 7}), n: 3, text: "a."},
		{name: "at offset", msg: cat([]byte{9, 9}, wireName("a", "b")), off: 2, n: 5, text: "a.b."},
		{name: "63-byte label", msg: wireName(l63), n: 65, text: l63 + "."},
		{name: "255 bytes", msg: long255, n: 255, text: l63 + "." + l63 + "." + l63 + "." + l61 + "."},
		{name: "pointer to an earlier name", msg: exampleMsg, off: 13, n: 6, text: "www.example.com."},
		{name: "pointer alone", msg: cat(wireName("example", "com"), ptr(0)), off: 13, n: 2, text: "example.com."},
		{name: "pointer to a suffix", msg: cat(wireName("example", "com"), labelsOf("mail"), ptr(8)), off: 13, n: 7, text: "mail.com."},
		{name: "pointer to the root", msg: cat([]byte{0}, labelsOf("a"), ptr(0)), off: 1, n: 4, text: "a."},
		{name: "chain", msg: cat(wireName("com"), labelsOf("example"), ptr(0), labelsOf("www"), ptr(5)), off: 15, n: 6, text: "www.example.com."},
		{name: "chain through the middle", msg: cat(wireName("com"), labelsOf("a", "example"), ptr(0), labelsOf("www"), ptr(7)), off: 17, n: 6, text: "www.example.com."},
		{name: "target reads a pointer as a label", msg: cat(wireName("x"), []byte{1}, ptr(0), labelsOf("b"), ptr(3)), off: 6, n: 4, text: `b.\192.`},
		{name: "127 pointers", msg: pointerChain(127), off: 2*127 - 1, n: 2, text: "."},
		{name: "255 through a pointer", msg: cat(big, labelsOf(l61), ptr(0)), off: 193, n: 64, text: l61 + "." + l63 + "." + l63 + "." + l63 + "."},

		{name: "empty", msg: nil, reason: errNameMissing, at: -1},
		{name: "negative off", msg: []byte{0}, off: -1, reason: errNameMissing, at: -1},
		{name: "off at end", msg: []byte{0}, off: 1, reason: errNameMissing, at: -1},
		{name: "off past end", msg: []byte{0}, off: 5, reason: errNameMissing, at: -1},
		{name: "missing root byte", msg: labelsOf("www", "example"), reason: errNameNoLength, at: 12},
		{name: "truncated in a label", msg: []byte{3, 'a', 'b'}, reason: errNameLabelPast, at: 0},
		{name: "truncated in the second label", msg: []byte{1, 'a', 3, 'a', 'b'}, reason: errNameLabelPast, at: 2},
		{name: "truncated in a pointer", msg: []byte{1, 'a', 0xc0}, reason: errNamePtrShort, at: 2},
		{name: "label 64", msg: wireName(str('x', 64)), reason: errNameType40, at: 0},
		{name: "label type 0x41", msg: []byte{1, 'a', 0x41, 0, 0}, reason: errNameType40, at: 2},
		{name: "label 127", msg: wireName(str('x', 127)), reason: errNameType40, at: 0},
		{name: "label type 0x80", msg: []byte{0x80, 0}, reason: errNameType80, at: 0},
		{name: "label type 0xbf", msg: []byte{1, 'a', 0xbf, 0}, reason: errNameType80, at: 2},
		{name: "256 bytes", msg: long256, reason: errNameLong, at: 192},
		{name: "256 through a pointer", msg: cat(big, labelsOf(l62), ptr(0)), off: 193, reason: errNameLong, at: 128},
		{name: "pointer to itself", msg: ptr(0), reason: errNamePtrOwn, at: 0},
		{name: "pointer to its own labels", msg: cat(labelsOf("a"), ptr(0)), reason: errNamePtrOwn, at: 2},
		{name: "pointers at each other", msg: cat(ptr(2), ptr(0)), off: 2, reason: errNamePtrForward, at: 0},
		{name: "pointers at each other, first", msg: cat(ptr(2), ptr(0)), reason: errNamePtrForward, at: 0},
		{name: "forward pointer", msg: cat(ptr(2), wireName("a")), reason: errNamePtrForward, at: 0},
		{name: "pointer past the end", msg: cat(wireName("a"), labelsOf("b"), ptr(9)), off: 3, reason: errNamePtrPastEnd, at: 5},
		{name: "pointer far past the end", msg: cat([]byte{0}, []byte{0xff, 0xff}), off: 1, reason: errNamePtrPastEnd, at: 1},
		{name: "target runs into the pointer", msg: cat([]byte{3, 'a'}, ptr(0)), off: 2, reason: errNamePtrOverlap, at: 2},
		{name: "target has no root before the pointer", msg: cat(labelsOf("a"), ptr(0)), off: 2, reason: errNamePtrOverlap, at: 2},
		{name: "target runs up to the pointing run", msg: cat(wireName("x"), []byte{2}, ptr(0), labelsOf("b"), ptr(3)), off: 6, reason: errNamePtrOverlap, at: 8},
		{name: "128 pointers", msg: pointerChain(128), off: 2*128 - 1, reason: errNamePtrMany, at: 1},
	}
}

// sizeError checks that err is reason, bare or from reason.At(at).
func sizeError(err error, reason *Reason, at int) error {
	if !errors.Is(err, reason) {
		return fmt.Errorf("error %v, want %v", err, reason)
	}
	if at < 0 {
		if err != error(reason) {
			return fmt.Errorf("error %#v, want the bare reason", err)
		}
		return nil
	}
	var e Error
	if !errors.As(err, &e) || e.Offset != at || e.Reason != reason.Error() || e.Kind != reason.Kind() {
		return fmt.Errorf("error %v (%+v), want %v at %d", err, e, reason, at)
	}
	return nil
}

// miekgText returns what miekg/dns reads at msg[off]: the name and the
// offset after it.
func miekgText(msg []byte, off int) (string, int, error) {
	return dns.UnpackDomainName(msg, off)
}

// hops returns how many pointers the valid name n follows.
func hops(n Name) int {
	r := n.reader()
	r.skip(true)
	return r.hops
}

func TestDNSNameSize(t *testing.T) {
	for _, tc := range nameCases() {
		n, err := DNSName{}.Size(tc.msg, tc.off)
		if tc.reason != nil {
			if n != 0 {
				t.Errorf("%s: Size = %d with an error", tc.name, n)
			}
			if e := sizeError(err, tc.reason, tc.at); e != nil {
				t.Errorf("%s: %v", tc.name, e)
			}
			if !strings.HasPrefix(tc.reason.Error(), "dns name: ") {
				t.Errorf("%s: reason %q", tc.name, tc.reason)
			}
			continue
		}
		if err != nil || n != tc.n {
			t.Errorf("%s: Size = %d, %v; want %d", tc.name, n, err, tc.n)
			continue
		}
		v := DNSName{}.Value(tc.msg, tc.off, n)
		if v.Offset() != tc.off || &v.Msg()[0] != &tc.msg[0] || len(v.Msg()) != len(tc.msg) {
			t.Errorf("%s: Value = %d, %d bytes; want the message and offset", tc.name, v.Offset(), len(v.Msg()))
		}
		if got := string(DNSName{}.AppendText([]byte("x="), tc.msg, tc.off, n)); got != "x="+tc.text {
			t.Errorf("%s: AppendText = %q, want %q", tc.name, got, "x="+tc.text)
		}
		if got := v.String(); got != tc.text {
			t.Errorf("%s: String = %q, want %q", tc.name, got, tc.text)
		}
		// miekg/dns reads the same name and size (it stops at 126 pointers).
		if hops(v) <= 126 {
			if text, end, err := miekgText(tc.msg, tc.off); err != nil || text != tc.text || end != tc.off+n {
				t.Errorf("%s: miekg/dns reads %q, %d, %v", tc.name, text, end, err)
			}
		}
		// A name written without compression reads the same, pointers
		// and all (RFC 3597 section 4).
		if n2, err := (DNSNameNoComp{}).Size(tc.msg, tc.off); err != nil || n2 != n {
			t.Errorf("%s: DNSNameNoComp.Size = %d, %v; want %d", tc.name, n2, err, n)
		}
	}
}

func TestDNSNameWrap(t *testing.T) {
	site := NewSite("dns", "answer.name", KindValue, "")
	msg := cat(wireName("a"), labelsOf("b"), ptr(7), wireName("c"))
	_, err := DNSName{}.Size(msg, 3)
	err = site.Wrap(err, 3)
	var e Error
	if !errors.As(err, &e) || e.Offset != 5 || e.Field != "answer.name" || e.Kind != KindValue {
		t.Errorf("Wrap = %v", err)
	}
	if !errors.Is(err, ErrValue) || !errors.Is(err, errNamePtrForward) {
		t.Errorf("Wrap = %v, not a value error for a forward pointer", err)
	}
	if want := "dns: answer.name at offset 5: value: dns name: pointer does not point back"; err.Error() != want {
		t.Errorf("Wrap = %q, want %q", err, want)
	}
	_, err = DNSName{}.Size(msg, 12)
	if err = site.Wrap(err, 12); !errors.Is(err, ErrTruncated) || !errors.As(err, &e) || e.Offset != 12 {
		t.Errorf("Wrap(missing) = %v", err)
	}
}

func TestDNSNameValueKind(t *testing.T) {
	if (DNSName{}).ValueKind() != ValueView || (DNSNameNoComp{}).ValueKind() != ValueView {
		t.Error("DNS names are not views")
	}
	if ValueView.String() != "view" || ValueView != 4 || ValueString != 3 {
		t.Errorf("ValueView = %d %q", ValueView, ValueView)
	}
}

func TestDNSNameText(t *testing.T) {
	for _, tc := range []struct {
		labels []string
		want   string
	}{
		{nil, "."},
		{[]string{"a.b", "c"}, `a\.b.c.`},
		{[]string{`back\slash`}, `back\\slash.`},
		{[]string{`"quoted"`}, `\"quoted\".`},
		{[]string{"sp ace", "at@", "semi;", "(paren)", "it's"}, `sp\ ace.at\@.semi\;.\(paren\).it\'s.`},
		{[]string{"\x00\x01\x1f", "\x7f\x80\xff"}, `\000\001\031.\127\128\255.`},
		{[]string{"é"}, `\195\169.`},
		{[]string{"!~$*-_/+,:<=>?[]^`{|}#%&"}, "!~$*-_/+,:<=>?[]^`{|}#%&."},
		{[]string{"*", "Example", "COM"}, "*.Example.COM."},
	} {
		msg := wireName(tc.labels...)
		n, err := DNSName{}.Size(msg, 0)
		if err != nil {
			t.Errorf("%q: %v", tc.labels, err)
			continue
		}
		if got := string(DNSName{}.AppendText(nil, msg, 0, n)); got != tc.want {
			t.Errorf("%q: AppendText = %s, want %s", tc.labels, got, tc.want)
		}
		if got, _, err := miekgText(msg, 0); got != tc.want || err != nil {
			t.Errorf("%q: miekg/dns says %s, %v; want %s", tc.labels, got, err, tc.want)
		}
		// The text parses back to the same name.
		v, err := NameFromText(tc.want)
		if err != nil || !bytes.Equal(v.AppendWire(nil), msg) {
			t.Errorf("NameFromText(%s) = % x, %v; want % x", tc.want, v.AppendWire(nil), err, msg)
		}
	}
	// A bad name writes nothing.
	bad := Name{msg: []byte{3, 'a'}}
	if got := bad.AppendText([]byte("x=")); string(got) != "x=" || bad.String() != "" {
		t.Errorf("bad name's text = %q, %q", got, bad.String())
	}
	if (Name{}).String() != "" {
		t.Errorf("zero Name's text = %q", Name{}.String())
	}
}

func TestNameFromText(t *testing.T) {
	name255 := l63 + "." + l63 + "." + l63 + "." + l61
	for _, tc := range []struct {
		text string
		wire []byte
	}{
		{".", []byte{0}},
		{"com", wireName("com")},
		{"com.", wireName("com")},
		{"www.example.com.", wireName("www", "example", "com")},
		{"WWW.Example.com", wireName("WWW", "Example", "com")},
		{`a\.b.c`, wireName("a.b", "c")},
		{`a\\b.`, wireName(`a\b`)},
		{`\065bc.\000`, wireName("Abc", "\x00")},
		{`\255\128.`, wireName("\xff\x80")},
		{`a\ b.\"q\"`, wireName("a b", `"q"`)},
		{`\x\;`, wireName("x;")},
		{"é", wireName("é")},
		{l63, wireName(l63)},
		{str('a', 62) + `\065`, wireName(str('a', 62) + "A")},
		{name255, wireName(l63, l63, l63, l61)},
		{name255 + ".", wireName(l63, l63, l63, l61)},
	} {
		v, err := NameFromText(tc.text)
		if err != nil || !bytes.Equal(v.AppendWire(nil), tc.wire) || !bytes.Equal(v.Msg(), tc.wire) || v.Offset() != 0 {
			t.Errorf("NameFromText(%s) = % x, %v; want % x", tc.text, v.Msg(), err, tc.wire)
			continue
		}
		if m := MustName(tc.text); !m.Equal(v) {
			t.Errorf("MustName(%s) = %s", tc.text, m)
		}
		// miekg/dns packs the text the same way.
		fqdn := dns.Fqdn(tc.text)
		buf := make([]byte, 512)
		if end, err := dns.PackDomainName(fqdn, buf, 0, nil, false); err != nil || !bytes.Equal(buf[:end], tc.wire) {
			t.Errorf("miekg/dns packs %s as % x, %v", fqdn, buf[:end], err)
		}
		// And the name's text parses back to it.
		again, err := NameFromText(v.String())
		if err != nil || !bytes.Equal(again.Msg(), tc.wire) {
			t.Errorf("NameFromText(%s) = % x, %v", v.String(), again.Msg(), err)
		}
	}
	for _, tc := range []struct {
		text   string
		reason *Reason
	}{
		{"", errNameEmptyString},
		{"..", errNameEmptyLabel},
		{".com", errNameEmptyLabel},
		{"a..b", errNameEmptyLabel},
		{"com..", errNameEmptyLabel},
		{str('a', 64), errNameLabelLong},
		{str('a', 64) + ".", errNameLabelLong},
		{"b." + str('a', 63) + `\065`, errNameLabelLong},
		{name255 + "d", errNameLong},
		{name255 + ".d", errNameLong},
		{name255 + ".d.", errNameLong},
		{l63 + "." + l63 + "." + l63 + "." + l62, errNameLong},
		{l63 + "." + l63 + "." + l63 + "." + l62 + ".", errNameLong},
		{strings.Repeat("a.", 128), errNameLong},
		{`a\`, errNameBadEscape},
		{`a\2`, errNameBadEscape},
		{`a\25`, errNameBadEscape},
		{`a\25.b`, errNameBadEscape},
		{`\2a5`, errNameBadEscape},
		{`\256`, errNameBadEscape},
		{`\999`, errNameBadEscape},
	} {
		v, err := NameFromText(tc.text)
		if err != error(tc.reason) || v.Msg() != nil {
			t.Errorf("NameFromText(%q) = % x, %v; want %v", tc.text, v.Msg(), err, tc.reason)
		}
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("MustName(\"a..b\") did not panic")
			}
		}()
		MustName("a..b")
	}()
}

func TestNameFromWire(t *testing.T) {
	w := wireName("www", "example", "com")
	v, err := NameFromWire(w)
	if err != nil || v.String() != "www.example.com." || &v.Msg()[0] != &w[0] {
		t.Errorf("NameFromWire = %s, %v", v, err)
	}
	if _, err := NameFromWire(cat(w, []byte{1})); sizeError(err, errNameTrailing, len(w)) != nil {
		t.Errorf("NameFromWire with a byte after it: %v", err)
	}
	if _, err := NameFromWire(cat(labelsOf("a"), ptr(0))); sizeError(err, errNamePtrNoComp, 2) != nil {
		t.Errorf("NameFromWire with a pointer: %v", err)
	}
	if _, err := NameFromWire(nil); err != error(errNameMissing) {
		t.Errorf("NameFromWire(nil): %v", err)
	}
	if _, err := NameFromWire([]byte{3, 'a'}); sizeError(err, errNameLabelPast, 0) != nil {
		t.Errorf("NameFromWire(truncated): %v", err)
	}
}

// names returns the names at offs in msg.
func namesAt(msg []byte, offs ...int) []Name {
	var v []Name
	for _, o := range offs {
		v = append(v, Name{msg: msg, off: o})
	}
	return v
}

func TestNameEqual(t *testing.T) {
	// com at 0, example.com at 5 (pointing to 0), WWW.EXAMPLE.COM at 15,
	// www.example.com at 32 (pointing to 5), the root through a pointer at 38.
	msg := cat(wireName("com"), labelsOf("example"), ptr(0), wireName("WWW", "EXAMPLE", "COM"), labelsOf("www"), ptr(5), ptr(4))
	com, example, upper, www, root := Name{msg, 0}, Name{msg, 5}, Name{msg, 15}, Name{msg, 32}, Name{msg, 38}
	for _, n := range []Name{com, example, upper, www, root} {
		if _, err := (DNSName{}).Size(msg, n.off); err != nil {
			t.Fatalf("name at %d: %v", n.off, err)
		}
	}
	for _, tc := range []struct {
		a, b Name
		want bool
	}{
		{www, upper, true},
		{upper, www, true},
		{www, MustName("www.Example.com"), true},
		{www, www, true},
		{example, MustName("EXAMPLE.COM."), true},
		{com, MustName("com"), true},
		{root, MustName("."), true},
		{root, root, true},
		{MustName("."), MustName("."), true},
		{www, example, false},
		{example, www, false},
		{www, MustName("www.example.co"), false},
		{www, MustName("www.example.com.x"), false},
		{www, MustName("wwwexample.com"), false},
		{MustName("a.bc"), MustName("ab.c"), false},
		{MustName("a-b"), MustName("a\rb"), false}, // '-' and '\r' differ by 0x20, as letters' cases do
		{MustName("@"), MustName("`"), false},
		{MustName("[.{"), MustName("{.["), false},
		{root, com, false},
		{com, root, false},
		{Name{}, Name{}, false},
		{Name{}, root, false},
		{root, Name{}, false},
		{Name{msg: []byte{1, 'a'}}, Name{msg: []byte{1, 'a'}}, false},
	} {
		if got := tc.a.Equal(tc.b); got != tc.want {
			t.Errorf("%s Equal %s = %v", tc.a, tc.b, got)
		}
	}
}

func TestNameMethods(t *testing.T) {
	msg := exampleMsg
	www := Name{msg, 13}
	if www.Len() != 17 || www.NumLabels() != 3 || www.IsRoot() {
		t.Errorf("www.example.com: Len %d, NumLabels %d, IsRoot %v", www.Len(), www.NumLabels(), www.IsRoot())
	}
	if got := www.AppendWire([]byte{9}); !bytes.Equal(got, cat([]byte{9}, wireName("www", "example", "com"))) {
		t.Errorf("AppendWire = % x", got)
	}
	var got []string
	for l := www.Labels(); ; {
		label, ok := l.Next()
		if !ok {
			if _, ok := l.Next(); ok {
				t.Error("Next after the end")
			}
			break
		}
		if cap(label) != len(label) {
			t.Errorf("label %q has capacity %d", label, cap(label))
		}
		got = append(got, string(label))
	}
	if strings.Join(got, "|") != "www|example|com" {
		t.Errorf("Labels = %q", got)
	}
	if l := www.Labels(); true {
		label, _ := l.Next()
		if &label[0] != &msg[14] {
			t.Error("a label does not alias the message")
		}
	}
	for _, tc := range []struct {
		n             Name
		len, labels   int
		root          bool
		wire, labels0 string
	}{
		{MustName("."), 1, 0, true, "\x00", ""},
		{Name{msg: cat([]byte{0}, ptr(0)), off: 1}, 1, 0, true, "\x00", ""},
		{MustName("a"), 3, 1, false, "\x01a\x00", "a"},
		{Name{}, 0, 0, false, "", ""},
		{Name{msg: []byte{1, 'a', 2}}, 0, 0, false, "", "a"},
		{Name{msg: []byte{0x40}}, 0, 0, false, "", ""},
	} {
		if tc.n.Len() != tc.len || tc.n.NumLabels() != tc.labels || tc.n.IsRoot() != tc.root {
			t.Errorf("% x at %d: Len %d, NumLabels %d, IsRoot %v", tc.n.msg, tc.n.off, tc.n.Len(), tc.n.NumLabels(), tc.n.IsRoot())
		}
		if w := tc.n.AppendWire([]byte("x")); string(w) != "x"+tc.wire {
			t.Errorf("% x at %d: AppendWire = %q", tc.n.msg, tc.n.off, w)
		}
		var first []byte
		l := tc.n.Labels()
		first, _ = l.Next()
		if string(first) != tc.labels0 {
			t.Errorf("% x at %d: first label %q", tc.n.msg, tc.n.off, first)
		}
	}
}

func TestDNSNameAppend(t *testing.T) {
	eq := func(a, b Name) bool { return a.Equal(b) }
	www := Name{exampleMsg, 13}
	for _, typ := range []WireType[Name]{DNSName{}, DNSNameNoComp{}} {
		if enc := roundTrip(t, typ, www, eq); !bytes.Equal(enc, wireName("www", "example", "com")) {
			t.Errorf("%T.Append = % x", typ, enc)
		}
		roundTrip(t, typ, MustName("."), eq)
		roundTrip(t, typ, MustName(l63+"."+l63+"."+l63+"."+l61), eq)
		dst := []byte{1, 2}
		for _, tc := range []struct {
			v      Name
			reason *Reason
		}{
			{Name{}, errNameZero},
			{Name{msg: []byte{}}, errNameNoLength},
			{Name{msg: []byte{3, 'a'}}, errNameLabelPast},
			{Name{msg: []byte{1, 'a'}}, errNameNoLength},
			{Name{msg: ptr(0)}, errNamePtrOwn},
		} {
			out, err := typ.Append(dst, tc.v)
			if err != error(tc.reason) || !bytes.Equal(out, []byte{1, 2}) {
				t.Errorf("%T.Append(% x) = % x, %v; want %v", typ, tc.v.msg, out, err, tc.reason)
			}
		}
	}
}

func TestDNSNameField(t *testing.T) {
	msg := exampleMsg
	f := Field{Name: "name", Format: FormatCustom, Type: DNSName{}, Msg: msg, Off: 13, Bytes: msg[13:19]}
	if got := string(f.AppendText(nil)); got != "name=www.example.com." {
		t.Errorf("Field = %q", got)
	}
}

// buildQuestions returns a DNS message with names as its questions,
// built by dnsmessage with compression.
func buildQuestions(t *testing.T, names []string) []byte {
	t.Helper()
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: 1})
	b.EnableCompression()
	if err := b.StartQuestions(); err != nil {
		t.Fatal(err)
	}
	for _, s := range names {
		q := dnsmessage.Question{Name: dnsmessage.MustNewName(s), Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET}
		if err := b.Question(q); err != nil {
			t.Fatal(err)
		}
	}
	msg, err := b.Finish()
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

// appendQuestions appends the same message as buildQuestions, with names
// compressed by a NameTable, after prefix.
func appendQuestions(t *testing.T, tab *NameTable, prefix []byte, names []string) []byte {
	t.Helper()
	dst := prefix
	tab.Reset(len(dst))
	dst = append(dst, 0, 1, 0, 0, byte(len(names)>>8), byte(len(names)), 0, 0, 0, 0, 0, 0)
	for _, s := range names {
		var err error
		if dst, err = tab.Append(dst, MustName(s)); err != nil {
			t.Fatal(err)
		}
		dst = append(dst, 0, 1, 0, 1)
	}
	return dst
}

// questionNames reads the question names of msg with DNSName.
func questionNames(t *testing.T, msg []byte) []Name {
	t.Helper()
	var v []Name
	off := 12
	for range int(msg[4])<<8 | int(msg[5]) {
		n, err := DNSName{}.Size(msg, off)
		if err != nil {
			t.Fatalf("question at %d: %v", off, err)
		}
		v = append(v, DNSName{}.Value(msg, off, n))
		off += n + 4
	}
	if off != len(msg) {
		t.Fatalf("questions end at %d of %d", off, len(msg))
	}
	return v
}

var tableNames = []string{
	"example.com.", "www.example.com.", "mail.example.com.", "example.org.", "www.example.org.",
	"a.b.c.d.e.", "x.b.c.d.e.", "c.d.e.", "e.", "com.", "org.", ".",
	"ns1.example.net.", "ns2.example.net.", "www.example.com.", "deep.www.example.com.",
	"xn--bcher-kva.example.", "_sip._tcp.example.com.", "a.", "b.a.", "c.b.a.", "d.c.b.a.",
}

func TestNameTableLikeDNSMessage(t *testing.T) {
	var tab NameTable
	theirs := buildQuestions(t, tableNames)
	ours := appendQuestions(t, &tab, nil, tableNames)
	// Same algorithm, same bytes: the longest suffix written before.
	if !bytes.Equal(ours, theirs) {
		t.Errorf("NameTable writes\n% x\ndnsmessage\n% x", ours, theirs)
	}
	// Names that differ in case: NameTable reuses them, dnsmessage does not.
	mixed := make([]string, len(tableNames))
	for i, s := range tableNames {
		if i%2 == 1 {
			s = strings.ToUpper(s)
		}
		mixed[i] = s
	}
	theirs = buildQuestions(t, mixed)
	ours = appendQuestions(t, &tab, nil, mixed)
	if len(ours) >= len(theirs) {
		t.Errorf("with mixed case, NameTable writes %d bytes, dnsmessage %d", len(ours), len(theirs))
	}
	// dnsmessage reads back what NameTable wrote, and NameTable's reader
	// what dnsmessage wrote.
	for _, msg := range [][]byte{ours, theirs} {
		var p dnsmessage.Parser
		if _, err := p.Start(msg); err != nil {
			t.Fatal(err)
		}
		qs, err := p.AllQuestions()
		if err != nil {
			t.Fatal(err)
		}
		v := questionNames(t, msg)
		for i, q := range qs {
			if !strings.EqualFold(q.Name.String(), mixed[i]) || !v[i].Equal(MustName(mixed[i])) {
				t.Errorf("question %d: dnsmessage reads %s, DNSName %s; want %s", i, q.Name.String(), v[i], mixed[i])
			}
			if v[i].String() != q.Name.String() {
				t.Errorf("question %d: DNSName reads %s, dnsmessage %s", i, v[i], q.Name.String())
			}
		}
	}
}

func TestNameTable(t *testing.T) {
	var tab NameTable
	tab.Reset(0)
	var dst []byte
	app := func(s string) {
		t.Helper()
		var err error
		if dst, err = tab.Append(dst, MustName(s)); err != nil {
			t.Fatalf("Append(%s): %v", s, err)
		}
	}
	for _, s := range []string{"example.com.", "www.example.com.", "WWW.EXAMPLE.COM.", "mail.Example.COM.", "com.", ".", "org.", "Example.org.", "www.example.com."} {
		app(s)
	}
	want := cat(wireName("example", "com"), // 0
		labelsOf("www"), ptr(0), // 13
		ptr(13),                  // 19
		labelsOf("mail"), ptr(0), // 21
		ptr(8),                       // 28
		[]byte{0},                    // 30
		wireName("org"),              // 31
		labelsOf("Example"), ptr(31), // 36
		ptr(13), // 46
	)
	if !bytes.Equal(dst, want) {
		t.Errorf("NameTable wrote\n% x, want\n% x", dst, want)
	}
	for _, o := range []int{0, 13, 19, 21, 28, 30, 31, 36, 46} {
		if _, err := (DNSName{}).Size(dst, o); err != nil {
			t.Errorf("name at %d: %v", o, err)
		}
	}

	// An invalid name leaves dst as it is.
	for _, v := range []Name{{}, {msg: []byte{1}}, {msg: ptr(0)}} {
		if out, err := tab.Append(dst, v); err == nil || !bytes.Equal(out, dst) {
			t.Errorf("Append(% x) = %v", v.msg, err)
		}
	}

	// A message that starts after other bytes: pointers count from its start.
	tab.Reset(2)
	dst = []byte{0xaa, 0xbb}
	app("example.com.")
	app("www.example.com.")
	if want := cat([]byte{0xaa, 0xbb}, wireName("example", "com"), labelsOf("www"), ptr(0)); !bytes.Equal(dst, want) {
		t.Errorf("at 2: % x, want % x", dst, want)
	}
	// dst shorter than the message's start: nothing to compress against.
	tab.Reset(100)
	dst = nil
	app("example.com.")
	app("example.com.")
	if want := cat(wireName("example", "com"), wireName("example", "com")); !bytes.Equal(dst, want) {
		t.Errorf("short dst: % x", dst)
	}
	// Bytes changed under the table are not pointed to.
	tab.Reset(0)
	dst = nil
	app("example.com.")
	copy(dst, wireName("example", "org"))
	app("example.com.")
	if want := cat(wireName("example", "org"), wireName("example", "com")); !bytes.Equal(dst, want) {
		t.Errorf("changed bytes: % x", dst)
	}
}

func TestNameTableReach(t *testing.T) {
	var tab NameTable
	tab.Reset(0)
	dst := make([]byte, 12)
	var offs []int
	var names []Name
	app := func(s string) {
		t.Helper()
		v := MustName(s)
		offs, names = append(offs, len(dst)), append(names, v)
		var err error
		if dst, err = tab.Append(dst, v); err != nil {
			t.Fatalf("Append(%s): %v", s, err)
		}
	}
	pad := func(to int) { dst = append(dst, make([]byte, to-len(dst))...) }
	app("example.com.")
	app("a.example.com.")
	pad(0x4000 - 5)
	app("xyz.qqq.") // xyz.qqq. at 0x3ffb, qqq. at 0x3fff, the root at 0x4003
	app("zzz.")     // at 0x4004
	pad(17000)
	app("b.example.com.")
	app("b.example.com.")
	app("qqq.")
	app("zz.xyz.qqq.")
	app("zzz.")
	app("new.org.")
	app("new.org.")
	app("x.new.org.")
	for i, o := range offs {
		n, err := DNSName{}.Size(dst, o)
		if err != nil {
			t.Fatalf("name %s at %d: %v", names[i], o, err)
		}
		if v := (DNSName{}).Value(dst, o, n); !v.Equal(names[i]) {
			t.Errorf("name at %d reads %s, want %s", o, v, names[i])
		}
		if end := o + n; hops(Name{dst, o}) > 0 {
			if p := int(dst[end-2]&0x3f)<<8 | int(dst[end-1]); p >= 0x4000 {
				t.Errorf("name %s at %d points to %#x", names[i], o, p)
			}
		}
	}
	want := cat(labelsOf("b"), ptr(12), labelsOf("b"), ptr(12), ptr(0x3fff), labelsOf("zz"), ptr(0x3ffb), wireName("zzz"), wireName("new", "org"), wireName("new", "org"), labelsOf("x"), wireName("new", "org"))
	if got := dst[17000:]; !bytes.Equal(got, want) {
		t.Errorf("after 17000 bytes:\n% x, want\n% x", got, want)
	}
}

func TestNameTableFull(t *testing.T) {
	var tab NameTable
	tab.Reset(0)
	var dst []byte
	var offs []int
	var names []Name
	for i := range 1000 {
		v := MustName(fmt.Sprintf("h%d.z%d.example.", i, i%7))
		offs, names = append(offs, len(dst)), append(names, v)
		var err error
		if dst, err = tab.Append(dst, v); err != nil {
			t.Fatal(err)
		}
	}
	if tab.n != nameTableMax {
		t.Errorf("table holds %d suffixes", tab.n)
	}
	for i, o := range offs {
		n, err := DNSName{}.Size(dst, o)
		if err != nil || !(DNSName{}).Value(dst, o, n).Equal(names[i]) {
			t.Fatalf("name %s at %d: %v", names[i], o, err)
		}
	}
	// A name seen before the table filled up is still found.
	before := len(dst)
	if dst, _ = tab.Append(dst, names[3]); len(dst)-before != 2 {
		t.Errorf("%s takes %d bytes", names[3], len(dst)-before)
	}
	// Reset empties it.
	tab.Reset(0)
	for _, e := range tab.slots {
		if e != 0 {
			t.Fatal("Reset left a suffix")
		}
	}
}

func TestDNSMessageNames(t *testing.T) {
	// A response with names in questions, owners and rdata, built and
	// compressed by dnsmessage; DNSName reads every name dnsmessage reads.
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: 7, Response: true})
	b.EnableCompression()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(b.StartQuestions())
	must(b.Question(dnsmessage.Question{Name: dnsmessage.MustNewName("www.Example.com."), Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET}))
	must(b.StartAnswers())
	hdr := func(s string) dnsmessage.ResourceHeader {
		return dnsmessage.ResourceHeader{Name: dnsmessage.MustNewName(s), Class: dnsmessage.ClassINET, TTL: 60}
	}
	must(b.CNAMEResource(hdr("www.Example.com."), dnsmessage.CNAMEResource{CNAME: dnsmessage.MustNewName("cdn.example.com.")}))
	must(b.AResource(hdr("cdn.example.com."), dnsmessage.AResource{A: [4]byte{192, 0, 2, 1}}))
	must(b.StartAuthorities())
	must(b.NSResource(hdr("example.com."), dnsmessage.NSResource{NS: dnsmessage.MustNewName("ns1.example.net.")}))
	must(b.NSResource(hdr("example.com."), dnsmessage.NSResource{NS: dnsmessage.MustNewName("ns2.example.net.")}))
	must(b.StartAdditionals())
	must(b.MXResource(hdr("example.com."), dnsmessage.MXResource{Pref: 10, MX: dnsmessage.MustNewName("mail.example.com.")}))
	msg, err := b.Finish()
	must(err)

	// Walk the message with DNSName, collecting every name in order.
	var ours []Name
	name := func(off int) int {
		t.Helper()
		n, err := DNSName{}.Size(msg, off)
		if err != nil {
			t.Fatalf("name at %d: %v", off, err)
		}
		ours = append(ours, DNSName{}.Value(msg, off, n))
		return off + n
	}
	off := name(12) + 4
	for range 5 {
		off = name(off)
		typ := dnsmessage.Type(int(msg[off])<<8 | int(msg[off+1]))
		rdlen := int(msg[off+8])<<8 | int(msg[off+9])
		off += 10
		switch typ {
		case dnsmessage.TypeCNAME, dnsmessage.TypeNS:
			if name(off) != off+rdlen {
				t.Fatalf("rdata at %d", off)
			}
		case dnsmessage.TypeMX:
			if name(off+2) != off+rdlen {
				t.Fatalf("rdata at %d", off)
			}
		}
		off += rdlen
	}
	if off != len(msg) {
		t.Fatalf("names end at %d of %d", off, len(msg))
	}

	var theirs []string
	var p dnsmessage.Parser
	_, err = p.Start(msg)
	must(err)
	qs, err := p.AllQuestions()
	must(err)
	theirs = append(theirs, qs[0].Name.String())
	for {
		h, err := p.AnswerHeader()
		if err == dnsmessage.ErrSectionDone {
			break
		}
		must(err)
		theirs = append(theirs, h.Name.String())
		switch h.Type {
		case dnsmessage.TypeCNAME:
			r, err := p.CNAMEResource()
			must(err)
			theirs = append(theirs, r.CNAME.String())
		default:
			must(p.SkipAnswer())
		}
	}
	for {
		h, err := p.AuthorityHeader()
		if err == dnsmessage.ErrSectionDone {
			break
		}
		must(err)
		r, err := p.NSResource()
		must(err)
		theirs = append(theirs, h.Name.String(), r.NS.String())
	}
	for {
		h, err := p.AdditionalHeader()
		if err == dnsmessage.ErrSectionDone {
			break
		}
		must(err)
		r, err := p.MXResource()
		must(err)
		theirs = append(theirs, h.Name.String(), r.MX.String())
	}
	if len(ours) != len(theirs) {
		t.Fatalf("DNSName reads %d names, dnsmessage %d", len(ours), len(theirs))
	}
	compressed := 0
	for i, v := range ours {
		if v.String() != theirs[i] || !v.Equal(MustName(theirs[i])) {
			t.Errorf("name %d: DNSName reads %s, dnsmessage %s", i, v, theirs[i])
		}
		var labels []string
		for l := v.Labels(); ; {
			label, ok := l.Next()
			if !ok {
				break
			}
			labels = append(labels, string(label))
		}
		if want := strings.TrimSuffix(theirs[i], "."); strings.Join(labels, ".") != want {
			t.Errorf("name %d: labels %q, want %s", i, labels, want)
		}
		if hops(v) > 0 {
			compressed++
		}
	}
	if compressed < 7 {
		t.Errorf("only %d of %d names are compressed", compressed, len(ours))
	}
}

func TestDNSNameAllocs(t *testing.T) {
	msg := cat(make([]byte, 12), wireName("example", "com"), labelsOf("www"), ptr(12), labelsOf("a\x00.b"), ptr(25), []byte{0xc0})
	var www, odd Name
	for _, o := range []int{25, 31} {
		n, err := DNSName{}.Size(msg, o)
		if err != nil {
			t.Fatal(err)
		}
		if o == 25 {
			www = DNSName{}.Value(msg, o, n)
		} else {
			odd = DNSName{}.Value(msg, o, n)
		}
	}
	other := MustName("WWW.EXAMPLE.COM")
	names := []Name{MustName("example.com"), www, odd, MustName("."), MustName("mail.example.com"), other}
	buf := make([]byte, 0, 1024)
	var tab NameTable
	_, _ = DNSName{}.Size(msg, 38) // warm up the error
	var sink int
	if a := testing.AllocsPerRun(100, func() {
		n, _ := DNSName{}.Size(msg, 31)
		v := DNSName{}.Value(msg, 31, n)
		buf = DNSName{}.AppendText(buf[:0], msg, 31, n)
		buf = v.AppendText(buf[:0])
		buf = v.AppendWire(buf[:0])
		buf, _ = DNSNameNoComp{}.Append(buf[:0], v)
		if !www.Equal(other) || v.Equal(www) {
			panic("Equal")
		}
		sink += v.Len() + v.NumLabels() + www.Offset() + len(www.Msg())
		if v.IsRoot() {
			panic("IsRoot")
		}
		for l := v.Labels(); ; {
			label, ok := l.Next()
			if !ok {
				break
			}
			sink += len(label)
		}
		_, err := DNSName{}.Size(msg, 38)
		if err == nil {
			panic("Size")
		}
		_, _ = DNSNameNoComp{}.Size(msg, 25)
		tab.Reset(0)
		buf = append(buf[:0], make([]byte, 12)...)
		for _, v := range names {
			buf, _ = tab.Append(buf, v)
		}
	}); a != 0 {
		t.Errorf("DNS names allocate %v times", a)
	}
	_ = sink
}

// FuzzDNSName checks DNSName on arbitrary bytes: Size never panics, and a
// name it accepts lies in msg, reads as miekg/dns reads it, and comes
// back the same through its text, its wire form and a NameTable.
func FuzzDNSName(f *testing.F) {
	f.Add([]byte{0}, 0)
	f.Add(wireName("www", "example", "com"), 0)
	f.Add(exampleMsg, 13)
	f.Add(cat(wireName("a.b", "\x00\xff\\ \""), labelsOf("x"), ptr(0)), 11)
	f.Add(cat(ptr(2), ptr(0)), 2)
	f.Add(cat([]byte{3, 'a'}, ptr(0)), 2)
	f.Add(pointerChain(127), 253)
	f.Add(pointerChain(128), 255)
	f.Add(wireName(l63, l63, l63, l61), 0)
	f.Add(wireName(l63, l63, l63, l62), 0)
	f.Add([]byte{0x41, 0, 0}, 0)
	f.Add([]byte{0x80, 0}, 0)
	f.Add([]byte{1, 'a'}, 0)
	f.Add([]byte{1}, -1)
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{})
	b.EnableCompression()
	_ = b.StartQuestions()
	for _, s := range tableNames {
		_ = b.Question(dnsmessage.Question{Name: dnsmessage.MustNewName(s), Type: dnsmessage.TypeA, Class: dnsmessage.ClassINET})
	}
	m, _ := b.Finish()
	f.Add(m, 12)
	f.Add(m, 33)
	f.Add(m, 50)
	var known []Name
	for _, s := range tableNames[:6] {
		known = append(known, MustName(s))
	}
	f.Fuzz(func(t *testing.T, msg []byte, off int) {
		// The fast scan and the reader agree on every name.
		for _, comp := range []bool{true, false} {
			end, wire, ok := scanName(msg, off, comp)
			var r nameReader
			if off >= 0 && off < len(msg) {
				r.init(msg, off)
			}
			rok := off >= 0 && off < len(msg) && r.skip(comp)
			if ok != rok || ok && (end != r.end || wire != r.wire) {
				t.Fatalf("comp %v: scanName = %d, %d, %v; nameReader %d, %d, %v (%v)", comp, end, wire, ok, r.end, r.wire, rok, r.bad)
			}
		}
		n, err := DNSName{}.Size(msg, off)
		if sk := (DNSName{}).Skip(msg, off); err == nil && sk != n || sk != -1 && (sk < 1 || sk > len(msg)-off) {
			t.Fatalf("Skip = %d, Size = %d, %v", sk, n, err)
		}
		n2, err2 := DNSNameNoComp{}.Size(msg, off)
		if (err2 == nil) != (err == nil) || n2 != n {
			t.Fatalf("DNSNameNoComp.Size = %d, %v; DNSName.Size = %d, %v", n2, err2, n, err)
		}
		if err != nil {
			if n != 0 {
				t.Fatalf("Size = %d, %v", n, err)
			}
			if err == error(errNameMissing) {
				return
			}
			var e Error
			if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(msg) || !strings.HasPrefix(e.Reason, "dns name: ") {
				t.Fatalf("Size error %v at %d", err, e.Offset)
			}
			return
		}
		if n < 1 || off < 0 || off+n > len(msg) {
			t.Fatalf("Size(%d bytes, %d) = %d", len(msg), off, n)
		}
		// The name reads nothing after its own bytes.
		if n3, err := (DNSName{}).Size(msg[:off+n:off+n], off); err != nil || n3 != n {
			t.Fatalf("Size of msg cut after the name = %d, %v; want %d", n3, err, n)
		}
		v := DNSName{}.Value(msg, off, n)
		size := v.Len()
		if size < 1 || size > 255 || v.NumLabels() > 127 || v.IsRoot() != (v.NumLabels() == 0) {
			t.Fatalf("Len %d, NumLabels %d, IsRoot %v", size, v.NumLabels(), v.IsRoot())
		}
		if !v.Equal(v) {
			t.Fatal("not Equal to itself")
		}
		text := string(DNSName{}.AppendText(nil, msg, off, n))
		if text != v.String() {
			t.Fatalf("AppendText %s, String %s", text, v.String())
		}
		if hops(v) <= 126 {
			if mt, end, err := miekgText(msg, off); err != nil || mt != text || end != off+n {
				t.Fatalf("DNSName reads %s, %d; miekg/dns %s, %d, %v", text, off+n, mt, end, err)
			}
		}
		w := v.AppendWire(nil)
		if len(w) != size {
			t.Fatalf("AppendWire gives %d bytes, Len %d", len(w), size)
		}
		if fw, err := NameFromWire(w); err != nil || !fw.Equal(v) {
			t.Fatalf("NameFromWire(% x): %v", w, err)
		}
		ft, err := NameFromText(text)
		if err != nil || !ft.Equal(v) || !bytes.Equal(ft.AppendWire(nil), w) {
			t.Fatalf("NameFromText(%s) = % x, %v; want % x", text, ft.Msg(), err, w)
		}
		// Compressed twice after other names: read back, the second a pointer.
		var tab NameTable
		dst := make([]byte, 12)
		for _, k := range known {
			dst, _ = tab.Append(dst, k)
		}
		o1 := len(dst)
		dst, err = tab.Append(dst, v)
		if err != nil {
			t.Fatal(err)
		}
		o2 := len(dst)
		dst, err = tab.Append(dst, v)
		if err != nil {
			t.Fatal(err)
		}
		if want := min(size, 2); len(dst)-o2 != want {
			t.Fatalf("second copy takes %d bytes, want %d", len(dst)-o2, want)
		}
		for _, o := range []int{o1, o2} {
			n, err := DNSName{}.Size(dst, o)
			if err != nil || !(DNSName{}).Value(dst, o, n).Equal(v) {
				t.Fatalf("compressed name at %d of % x: %v", o, dst, err)
			}
		}
	})
}

func BenchmarkDNSNameSize(b *testing.B) {
	msg := cat(make([]byte, 12), wireName("www", "example", "com"), labelsOf("mail"), ptr(16), labelsOf("a"), ptr(29))
	for _, bc := range []struct {
		name string
		off  int
	}{{"flat", 12}, {"compressed", 36}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := (DNSName{}).Size(msg, bc.off); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkNameTableAppend(b *testing.B) {
	names := make([]Name, 0, len(tableNames))
	for _, s := range tableNames {
		names = append(names, MustName(s))
	}
	var tab NameTable
	buf := make([]byte, 0, 4096)
	b.ReportAllocs()
	for b.Loop() {
		tab.Reset(0)
		buf = append(buf[:0], make([]byte, 12)...)
		for _, v := range names {
			buf, _ = tab.Append(buf, v)
		}
	}
	b.ReportMetric(float64(len(buf)), "bytes/msg")
}

func TestNameTableSameName(t *testing.T) {
	v := MustName("www.example.com.")
	var tab NameTable
	dst := make([]byte, 12)
	dst, _ = tab.Append(dst, v)
	o := len(dst)
	dst, _ = tab.Append(dst, v)
	if !bytes.Equal(dst[o:], ptr(12)) {
		t.Fatalf("the same Name again: % x, want a pointer to 12", dst[o:])
	}
	// The name written as a pointer: the next copy points where it is whole.
	w := MustName("www.example.com.")
	o = len(dst)
	dst, _ = tab.Append(dst, w)
	dst, _ = tab.Append(dst, w)
	if !bytes.Equal(dst[o:], cat(ptr(12), ptr(12))) {
		t.Fatalf("another Name of the same text, twice: % x", dst[o:])
	}
	// A new message forgets it.
	tab.Reset(0)
	dst, _ = tab.Append(dst[:0], v)
	if !bytes.Equal(dst, wireName("www", "example", "com")) {
		t.Fatalf("after Reset: % x", dst)
	}
	// AppendNoComp never points.
	o = len(dst)
	dst, _ = tab.AppendNoComp(dst, v)
	if !bytes.Equal(dst[o:], wireName("www", "example", "com")) {
		t.Fatalf("AppendNoComp: % x", dst[o:])
	}
}

func TestNameTableRecentChanged(t *testing.T) {
	// A scratch buffer reused for another name: the same address, other
	// bytes.
	var tab NameTable
	dst := make([]byte, 12)
	scratch := MustName("foo.example.").AppendWire(nil)
	n, _ := NameFromWire(scratch)
	dst, _ = tab.Append(dst, n)
	scratch = MustName("bar.example.").AppendWire(scratch[:0])
	n, _ = NameFromWire(scratch)
	o := len(dst)
	dst, _ = tab.Append(dst, n)
	if got, err := (DNSName{}).Size(dst, o); err != nil || !(DNSName{}).Value(dst, o, got).Equal(MustName("bar.example.")) {
		t.Fatalf("the second name reads % x", dst[o:])
	}
	// The same first byte in two messages that start apart.
	buf := []byte{1, 'x', 0, 1, 'y', 0, 1, 'a', 0xc0, 0}
	tab.Reset(0)
	dst = make([]byte, 12)
	dst, _ = tab.Append(dst, DNSName{}.Value(buf, 6, 4))
	o = len(dst)
	dst, _ = tab.Append(dst, DNSName{}.Value(buf[3:], 3, 4))
	if got, err := (DNSName{}).Size(dst, o); err != nil || !(DNSName{}).Value(dst, o, got).Equal(MustName("a.y.")) {
		t.Fatalf("a.y. reads % x", dst[o:])
	}
	// The bytes made invalid: an error, as DNSName.Append gives.
	b := MustName("www.example.").AppendWire(nil)
	v, _ := NameFromWire(b)
	tab.Reset(0)
	dst, _ = tab.Append(make([]byte, 12), v)
	b[0] = 0x80
	if _, err := tab.Append(dst, v); err == nil {
		t.Fatal("an invalid name appended")
	}
}
