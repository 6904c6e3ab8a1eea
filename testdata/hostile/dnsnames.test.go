package hostile

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// TestDNSNames builds names into a message, compressed against each other,
// parses them back (pointers followed from array elements), and checks the
// errors of bad names at their offsets.
func TestDNSNames(t *testing.T) {
	www, mail := mplrt.MustName("www.example.com."), mplrt.MustName("Mail.Example.COM")
	b := Builder{
		First: www,
		Qs: []QBuilder{
			{Name: mail, Kind: 1, Plain: www},
			{Name: www, Kind: 28, Plain: mplrt.MustName(".")},
		},
		Last: mplrt.MustName("example.com"),
	}
	msg, err := b.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	// first: 17 bytes; mail: 5 + pointer; kind; plain www uncompressed:
	// 17; www: a pointer; kind; root: 1; last: a pointer.
	if want := 1 + 17 + (5 + 2 + 2 + 17) + (2 + 2 + 1) + 2; len(msg) != want {
		t.Fatalf("%d bytes, want %d: %x", len(msg), want, msg)
	}
	p, err := Parse(msg)
	if err != nil {
		t.Fatal(err)
	}
	if !p.First().Equal(www) || !p.Last().Equal(mplrt.MustName("EXAMPLE.com.")) {
		t.Fatalf("first %s last %s", p.First(), p.Last())
	}
	var got []string
	for _, q := range p.Qs().All() {
		got = append(got, q.Name().String(), q.Plain().String())
	}
	if want := []string{"Mail.example.com.", "www.example.com.", "www.example.com.", "."}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("names %q, want %q", got, want)
	}
	if s := p.String(); !strings.Contains(s, "name=Mail.example.com.") {
		t.Errorf("String() = %s", s)
	}
	// An element built on its own is written uncompressed.
	e, err := b.Qs[1].AppendTo(nil)
	if err != nil || len(e) != 17+2+1 {
		t.Fatalf("element alone: %x, %v", e, err)
	}
	// Bad names: a forward pointer, a pointer to itself, a label type,
	// and a forward pointer in a name written without compression, each
	// at its offset.
	for _, c := range []struct {
		in    []byte
		field string
		off   int
	}{
		{[]byte{0, 0xc0, 3, 0, 0}, "first", 1},
		{[]byte{0, 0xc0, 1}, "first", 1},
		{[]byte{1, 0, 3, 'w', 'w', 'w', 0x40, 0, 0, 0, 0}, "name", 6},
		{[]byte{1, 1, 'a', 0, 0xc0, 1, 0, 1, 0xc0, 10, 0}, "plain", 8},
		{[]byte{1, 1, 'a', 0, 0xc0, 1, 0, 1, 0, 0xc0, 9}, "last", 9},
	} {
		var me mplrt.Error
		if _, err := Parse(c.in); !errors.As(err, &me) || me.Field != c.field || me.Offset != c.off {
			t.Errorf("%x: %v, want %s at %d", c.in, err, c.field, c.off)
		}
	}
	// A name written without compression parses with a pointer all the
	// same, as receivers decompress (RFC 3597 section 4).
	if p, err := Parse([]byte{1, 1, 'a', 0, 0xc0, 1, 0, 1, 0xc0, 1, 0}); err != nil {
		t.Errorf("plain with a pointer: %v", err)
	} else {
		for _, q := range p.Qs().All() {
			if got := q.Plain().String(); got != "a." {
				t.Errorf("plain with a pointer reads %s", got)
			}
		}
	}
	for n := range len(msg) {
		if _, err := Parse(msg[:n]); err == nil {
			t.Errorf("truncated to %d bytes: parsed", n)
		}
	}
	buf := make([]byte, 0, 256)
	if n := testing.AllocsPerRun(100, func() {
		out, _ := b.AppendTo(buf[:0])
		q, _ := Parse(out)
		for _, x := range q.Qs().All() {
			_ = x.Name().Len()
		}
		_ = q.Last().Equal(www)
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
	if !bytes.Equal(msg[:1], []byte{2}) {
		t.Errorf("count %d", msg[0])
	}
}
