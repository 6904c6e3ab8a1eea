package hostile

import (
	"bytes"
	"errors"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// nestedIn: head example.com at 1; item 0 at 14 (www -> head, Alias
// target mail at 22 -> head); item 1 at 29 (owner -> item 0's owner, Raw
// aabb); tail at 36 (owner -> item 0's target, Raw empty).
var nestedIn = []byte{
	2,
	7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0,
	3, 'w', 'w', 'w', 0xc0, 1, 0, 5, 4, 'm', 'a', 'i', 'l', 0xc0, 1,
	0xc0, 14, 0, 1, 2, 0xaa, 0xbb,
	0xc0, 22, 0, 9, 0,
}

// TestNestedNames parses packets held by a message, whose names point
// back into the message, and builds them with their names compressed
// against the message's.
func TestNestedNames(t *testing.T) {
	p, err := Parse(nestedIn)
	if err != nil {
		t.Fatal(err)
	}
	www, mail := mplrt.MustName("www.example.com"), mplrt.MustName("mail.example.com")
	var owners []mplrt.Name
	for _, it := range p.Items().All() {
		owners = append(owners, it.RR().Owner())
	}
	if len(owners) != 2 || !owners[0].Equal(www) || !owners[1].Equal(www) {
		t.Fatalf("owners %v", owners)
	}
	it := p.Items()
	first, _ := it.Next()
	alias, ok := first.RR().AsAlias()
	if !ok || !alias.Target().Equal(mail) {
		t.Fatalf("alias: %v %s", ok, alias.Target())
	}
	second, _ := it.Next()
	raw, ok := second.RR().AsRaw()
	if !ok || !bytes.Equal(raw.Data(), []byte{0xaa, 0xbb}) {
		t.Fatalf("raw: %v %x", ok, raw.Data())
	}
	if !p.Tail().Owner().Equal(mail) || !bytes.Equal(p.Tail().Bytes(), nestedIn[36:]) {
		t.Fatalf("tail %s %x", p.Tail().Owner(), p.Tail().Bytes())
	}
	if !bytes.Equal(second.RR().Bytes(), nestedIn[29:36]) {
		t.Fatalf("item 1's bytes %x", second.RR().Bytes())
	}
	// A pointer to itself, in a nested packet: the error counts from the
	// message's start.
	bad := bytes.Clone(nestedIn)
	bad[30] = 29
	var me mplrt.Error
	if _, err := Parse(bad); !errors.As(err, &me) || me.Field != "owner" || me.Offset != 29 {
		t.Fatalf("self pointer: %v", err)
	}
	// On its own, a record's pointer into a message it is not in fails.
	if _, err := ParseRec(nestedIn[14:29]); err == nil {
		t.Fatal("a record alone followed a pointer out of it")
	}
	if _, err := ParseRec([]byte{3, 'w', 'w', 'w', 0, 0, 9, 0}); err != nil {
		t.Fatal(err)
	}
	// Built: owners compressed against the head and each other.
	b := Builder{
		Head:  mplrt.MustName("example.com"),
		Items: []ItemBuilder{{RR: RecBuilder{Owner: www, T: 1, Body: []byte{2, 0xaa, 0xbb}}}},
		Tail:  RecBuilder{Owner: mail, T: 9, Body: []byte{0}},
	}
	msg, err := b.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + 13 + (6 + 2 + 3) + (7 + 2 + 1); len(msg) != want {
		t.Fatalf("%d bytes, want %d: %x", len(msg), want, msg)
	}
	q, err := Parse(msg)
	if err != nil {
		t.Fatal(err)
	}
	i := q.Items()
	e, _ := i.Next()
	if !e.RR().Owner().Equal(www) || !q.Tail().Owner().Equal(mail) {
		t.Fatalf("built owners %s %s", e.RR().Owner(), q.Tail().Owner())
	}
	// A setter that checks the held packet again stays within the input,
	// even when the caller's slice has room after it.
	room := append(bytes.Clone(nestedIn), 0xde, 0xad, 0xbe, 0xef)[:len(nestedIn)]
	pr, err := Parse(room)
	if err != nil {
		t.Fatal(err)
	}
	tail := pr.Tail()
	if err := tail.SetT(9); err != nil || len(tail.Rest()) != 0 || !bytes.Equal(tail.Bytes(), nestedIn[36:]) {
		t.Fatalf("SetT: %v, bytes %x, rest %x", err, tail.Bytes(), tail.Rest())
	}
	// A held packet's builder chooses its case by Kind: the Alias
	// target, and then the tail's owner, compress against the message.
	b2 := Builder{
		Head:  mplrt.MustName("example.com"),
		Items: []ItemBuilder{{RR: RecBuilder{Kind: RecKindAlias, Alias: RecAliasBuilder{Owner: www, Target: mail}}}},
		Tail:  RecBuilder{Owner: mail, T: 9, Body: []byte{0}},
	}
	msg2, err := b2.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := 1 + 13 + (6 + 2 + 7) + (2 + 2 + 1); len(msg2) != want {
		t.Fatalf("%d bytes, want %d: %x", len(msg2), want, msg2)
	}
	q2, err := Parse(msg2)
	if err != nil {
		t.Fatal(err)
	}
	i2 := q2.Items()
	e2, _ := i2.Next()
	if a, ok := e2.RR().AsAlias(); !ok || !a.Target().Equal(mail) || !q2.Tail().Owner().Equal(mail) {
		t.Fatalf("built alias %v %s, tail %s", ok, a.Target(), q2.Tail().Owner())
	}
	buf := make([]byte, 0, 128)
	if n := testing.AllocsPerRun(100, func() {
		out, _ := b2.AppendTo(buf[:0])
		q, _ := Parse(out)
		for _, x := range q.Items().All() {
			_ = x.RR().Owner().Len()
		}
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
	for n := range len(nestedIn) {
		if _, err := Parse(nestedIn[:n]); err == nil {
			t.Errorf("truncated to %d bytes: parsed", n)
		}
	}
}
