package hostile

import (
	"errors"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// TestUniqueNames: labels whose Go names clash are limited each on its
// own, and a builder at the zero Kind counts the case its boolean
// discriminant selects.
func TestUniqueNames(t *testing.T) {
	for _, tc := range []struct {
		in    []byte
		field string // "" if it parses
		off   int
	}{
		{[]byte{3, 1, 2, 3, 0, 0, 0, 0}, "", 0},
		{[]byte{4, 1, 2, 3, 2, 0, 0, 0}, "items", 4},
		{[]byte{4, 3, 1, 2, 3, 0, 0, 0}, "items", 4},
		{[]byte{0, 2, 1, 1, 0, 0}, "a", 3},
		{[]byte{0, 1, 1, 2, 1, 1, 0}, "ca", 5},
		{[]byte{0, 0, 0, 2, 0x80, 0x80}, "flags", 5},
		{[]byte{0, 0, 0, 2, 0x80, 0x00}, "", 0},
	} {
		_, err := Parse(tc.in)
		var me mplrt.Error
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("% x: %v", tc.in, err)
		case tc.field != "" && (!errors.As(err, &me) || me.Field != tc.field || me.Kind != mplrt.KindValue || me.Offset != tc.off):
			t.Errorf("% x: %v, want %s at %d", tc.in, err, tc.field, tc.off)
		}
	}
	// Builders at the zero Kind: the discriminants choose.
	b := Builder{Items: []ItemBuilder{{K: 1}, {K: 2}, {K: 3}}, Flags: []FlagBuilder{{On: true}, {On: false}}}
	out, err := b.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse(out); err != nil {
		t.Fatalf("built % x: %v", out, err)
	}
	for _, bad := range []Builder{
		{Items: []ItemBuilder{{K: 3}, {K: 3}}},
		{Flags: []FlagBuilder{{On: true}, {On: true}}},
	} {
		out, err := bad.AppendTo(nil)
		var me mplrt.Error
		if !errors.As(err, &me) || me.Kind != mplrt.KindValue || out != nil {
			t.Errorf("%+v built % x, %v", bad, out, err)
		}
	}
}
