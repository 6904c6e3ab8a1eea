package mplrt

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// sizeCase is one input for a wire type's Size: the value at msg[off:].
type sizeCase struct {
	name   string
	msg    []byte
	off    int
	n      int     // the size Size must return when reason is nil
	reason *Reason // the error Size must return, or nil
	text   string  // what AppendText must write when reason is nil
}

// checkSizes runs the cases through Size, and the accepted ones through
// AppendText.
func checkSizes[V any](t *testing.T, typ WireType[V], cases []sizeCase) {
	t.Helper()
	for _, tc := range cases {
		n, err := typ.Size(tc.msg, tc.off)
		if tc.reason != nil {
			if err != error(tc.reason) || n != 0 {
				t.Errorf("%s: Size = %d, %v; want 0, %v", tc.name, n, err, tc.reason)
			}
			continue
		}
		if err != nil || n != tc.n {
			t.Errorf("%s: Size = %d, %v; want %d, nil", tc.name, n, err, tc.n)
			continue
		}
		if got := string(typ.AppendText([]byte("x="), tc.msg, tc.off, n)); got != "x="+tc.text {
			t.Errorf("%s: AppendText = %q, want %q", tc.name, got, "x="+tc.text)
		}
	}
}

// roundTrip appends v, then reads it back from inside a longer message,
// and checks that re-encoding the value read gives the same bytes.
func roundTrip[V any](t *testing.T, typ WireType[V], v V, eq func(a, b V) bool) []byte {
	t.Helper()
	prefix := []byte{0xee, 0xee, 0xee}
	enc, err := typ.Append(bytes.Clone(prefix), v)
	if err != nil {
		t.Errorf("Append(%v): %v", v, err)
		return nil
	}
	if !bytes.Equal(enc[:3], prefix) {
		t.Errorf("Append(%v) changed dst's bytes: % x", v, enc)
	}
	msg := append(bytes.Clone(enc), 0xdd, 0xdd) // trailing bytes are not part of it
	n, err := typ.Size(msg, 3)
	if err != nil || n != len(enc)-3 {
		t.Errorf("Size of Append(%v) = %d, %v; want %d", v, n, err, len(enc)-3)
		return nil
	}
	got := typ.Value(msg, 3, n)
	if !eq(got, v) {
		t.Errorf("Value of Append(%v) = %v", v, got)
	}
	again, err := typ.Append(nil, got)
	if err != nil || !bytes.Equal(again, enc[3:]) {
		t.Errorf("Append(Value) = % x, %v; want % x", again, err, enc[3:])
	}
	return enc[3:]
}

func repeat(c byte, n int) []byte { return bytes.Repeat([]byte{c}, n) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestString8(t *testing.T) {
	typ := String8{}
	long := repeat('a', 255)
	checkSizes(t, typ, []sizeCase{
		{name: "empty", msg: []byte{0}, n: 1, text: `""`},
		{name: "abc", msg: []byte{3, 'a', 'b', 'c'}, n: 4, text: `"abc"`},
		{name: "at offset", msg: []byte{9, 9, 2, 'h', 'i', 7}, off: 2, n: 3, text: `"hi"`},
		{name: "escapes", msg: []byte{6, 0, '"', '\\', '\n', 0xff, 0x7f}, n: 7, text: `"\x00\"\\\n\xff\x7f"`},
		{name: "utf-8", msg: cat([]byte{3}, []byte("é!")), n: 4, text: `"é!"`},
		{name: "255", msg: cat([]byte{255}, long), n: 256, text: strconv.Quote(string(long))},
		{name: "no length byte", msg: nil, reason: errString8Short},
		{name: "off at end", msg: []byte{1, 'a'}, off: 2, reason: errString8Short},
		{name: "off past end", msg: []byte{1, 'a'}, off: 3, reason: errString8Short},
		{name: "negative off", msg: []byte{1, 'a'}, off: -1, reason: errString8Short},
		{name: "truncated", msg: []byte{3, 'a', 'b'}, reason: errString8Past},
		{name: "255 truncated", msg: cat([]byte{255}, repeat('a', 254)), reason: errString8Past},
		{name: "length only", msg: []byte{1}, reason: errString8Past},
	})
	eq := func(a, b []byte) bool { return bytes.Equal(a, b) }
	for _, v := range [][]byte{nil, {}, []byte("x"), []byte("hello\x00"), long} {
		roundTrip(t, typ, v, eq)
	}
	if enc := roundTrip(t, typ, long, eq); len(enc) != 256 || enc[0] != 255 {
		t.Errorf("255 bytes encode as % x...", enc[:1])
	}
	dst := []byte{1, 2}
	if out, err := typ.Append(dst, repeat('a', 256)); err != error(errString8Long) || len(out) != 2 {
		t.Errorf("Append of 256 bytes = %d bytes, %v", len(out), err)
	}
	// The value aliases msg and cannot be appended over what follows.
	msg := []byte{1, 'a', 'z'}
	v := typ.Value(msg, 0, 2)
	_ = append(v, 'b')
	if msg[2] != 'z' || &v[0] != &msg[1] {
		t.Error("Value does not alias msg with its capacity limited")
	}
}

func TestValueKinds(t *testing.T) {
	for k, want := range map[ValueKind]string{ValueNone: "none", ValueInt: "int", ValueBool: "bool", ValueString: "string", 9: "valuekind(9)"} {
		if got := k.String(); got != want {
			t.Errorf("ValueKind(%d) = %q, want %q", k, got, want)
		}
	}
	for _, tc := range []struct {
		typ  interface{ ValueKind() ValueKind }
		want ValueKind
	}{
		{String8{}, ValueString},
	} {
		if got := tc.typ.ValueKind(); got != tc.want {
			t.Errorf("%T.ValueKind() = %v, want %v", tc.typ, got, tc.want)
		}
	}
}

func TestWrapAllocs(t *testing.T) {
	s := NewSite("dns", "qname", KindValue, "")
	size := func(b []byte) (int, error) { return String8{}.Size(b, 0) }
	msg := []byte{5, 'a'}
	_ = s.Wrap(testReason2.At(40), 0)
	_ = s.Wrap(errString8Past, 300)
	if n := testing.AllocsPerRun(100, func() {
		_, err := size(msg)
		if err = s.Wrap(err, 300); !errors.Is(err, ErrTruncated) {
			panic(err)
		}
		if err = s.Wrap(testReason2.At(40), 0); !errors.Is(err, ErrValue) {
			panic(err)
		}
	}); n != 0 {
		t.Errorf("Size and Wrap allocate %v times", n)
	}
}

func TestFieldCustom(t *testing.T) {
	msg := []byte{0xaa, 2, 'h', '"', 0xbb}
	for _, tc := range []struct {
		f    Field
		want string
	}{
		{Field{Name: "s", Format: FormatCustom, Type: String8{}, Msg: msg, Off: 1, Bytes: msg[1:4]}, `s="h\""`},
		{Field{Name: "s", Format: FormatCustom, Type: String8{}, Bytes: msg[1:4]}, `s="h\""`},
		// Inconsistent Msg and Off fall back to Bytes.
		{Field{Name: "s", Format: FormatCustom, Type: String8{}, Msg: msg, Off: 4, Bytes: msg[1:4]}, `s="h\""`},
		{Field{Name: "s", Format: FormatCustom, Bytes: msg[1:4]}, "s=026822"},
		{Field{Name: "s", Array: "a", Index: 2, Format: FormatCustom, Type: String8{}, Bytes: []byte{0}}, `a[2].s=""`},
	} {
		if got := string(tc.f.AppendText(nil)); got != tc.want {
			t.Errorf("AppendText = %q, want %q", got, tc.want)
		}
	}
	f := Field{Name: "s", Format: FormatCustom, Type: String8{}, Msg: msg, Off: 1, Bytes: msg[1:4]}
	buf := make([]byte, 0, 64)
	if n := testing.AllocsPerRun(100, func() {
		var fn func(Field) bool = func(f Field) bool { buf = f.AppendText(buf[:0]); return true }
		fn(Field{Name: "s", Format: FormatCustom, Type: String8{}, Msg: msg, Off: 1, Bytes: msg[1:4]})
		buf = f.AppendText(buf[:0])
	}); n != 0 {
		t.Errorf("Field.AppendText of a custom field allocates %v times", n)
	}
	if !strings.HasPrefix(string(buf), "s=") {
		t.Errorf("buf = %q", buf)
	}
}

func TestWireAllocs(t *testing.T) {
	msg := []byte{5, 'h', 'e', 'l', '\x00', 'o'}
	dst := make([]byte, 0, 1024)
	var n int
	var err error
	var v []byte
	if a := testing.AllocsPerRun(100, func() {
		n, err = String8{}.Size(msg, 0)
		v = String8{}.Value(msg, 0, n)
		dst, err = String8{}.Append(dst[:0], v)
		dst = String8{}.AppendText(dst[:0], msg, 0, n)
		_, err = String8{}.Size(msg[:3], 0)
		_, err = String8{}.Append(dst[:0], msg[:0:0])
	}); a != 0 {
		t.Errorf("String8 allocates %v times", a)
	}
	_ = err
}
