package hostile

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

func TestPacketField(t *testing.T) {
	in := []byte{
		3,          // w
		7, 1, 2, 3, // first: t, v (3 bytes)
		2,          // n
		8, 4, 5, 1, // items[0]: item (t, 2 bytes), flag
		9, 6, 7, 0, // items[1]
		10, 11, // last: t, v (1 byte)
	}
	m, err := ParseMsg(in)
	if err != nil {
		t.Fatal(err)
	}
	if m.First().T() != 7 || !bytes.Equal(m.First().V(), []byte{1, 2, 3}) || m.Last().T() != 10 {
		t.Fatalf("%s", m.String())
	}
	s := m.String()
	for _, want := range []string{"first.t=7", "items[1].item.t=9", "items[0].flag=1", "last.v="} {
		if !strings.Contains(s, want) {
			t.Errorf("String() lacks %s: %s", want, s)
		}
	}
	out, err := MsgBuilder{W: 3, First: Builder{T: 7, V: []byte{1, 2, 3}},
		Items: []MsgItemBuilder{{Item: Builder{T: 8, V: []byte{4, 5}}, Flag: 1}, {Item: Builder{T: 9, V: []byte{6, 7}}}},
		Last:  Builder{T: 10, V: []byte{11}}}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, in) {
		t.Fatalf("built %x, %v; want %x", out, err, in)
	}
	// An error inside a held packet names it and its offset in msg.
	var e mplrt.Error
	if _, err := ParseMsg(in[:3]); !errors.As(err, &e) || e.Packet != "tlv" || e.Offset != 2 {
		t.Fatalf("truncated first: %v", err)
	}
	if _, err := (MsgBuilder{W: 3, First: Builder{T: 7, V: []byte{1}}}).AppendTo(nil); !errors.As(err, &e) || e.Packet != "tlv" || e.Offset != 2 {
		t.Fatalf("building first with a short v: %v", err)
	}
	if n := testing.AllocsPerRun(100, func() {
		q, _ := ParseMsg(in)
		_ = q.Last().T()
		_, _ = (MsgBuilder{W: 3, First: Builder{T: 7, V: in[2:5]}, Last: Builder{V: in[15:16]}}).AppendTo(out[:0])
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
