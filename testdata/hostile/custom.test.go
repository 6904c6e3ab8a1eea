package hostile

import (
	"bytes"
	"errors"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// SSH messages with custom wire types: parse, string classification,
// build, and errors from the types' own checks.
func TestCustom(t *testing.T) {
	req := []byte{50,
		0, 0, 0, 4, 'r', 'o', 'o', 't',
		0, 0, 0, 14, 's', 's', 'h', '-', 'c', 'o', 'n', 'n', 'e', 'c', 't', 'i', 'o', 'n',
		0, 0, 0, 8, 'p', 'a', 's', 's', 'w', 'o', 'r', 'd',
		0,
		0, 0, 0, 3, 'x', 'y', 'z'}
	p, err := Parse(req)
	if err != nil {
		t.Fatal(err)
	}
	u, ok := p.AsUserauthRequest()
	if !ok || string(u.User()) != "root" || string(u.Method()) != "password" {
		t.Fatalf("%v %q %q", ok, u.User(), u.Method())
	}
	if u.Kind() != UserauthRequestKindPassword {
		t.Fatalf("method kind %v", u.Kind())
	}
	pw, ok := u.AsPassword()
	if !ok || pw.Change() || string(pw.Password()) != "xyz" {
		t.Fatalf("password case: %v %v %q", ok, pw.Change(), pw.Password())
	}
	if got := p.String(); !bytes.Contains([]byte(got), []byte(`user="root"`)) {
		t.Errorf("String() = %s", got)
	}
	out, err := UserauthRequestBuilder{User: []byte("root"), Service: []byte("ssh-connection"), Method: []byte("password"), Body: req[len(req)-8:]}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, req) {
		t.Fatalf("built %x, %v; want %x", out, err, req)
	}
	// A string32 whose length runs past the end: the type's reason, at
	// the field.
	var e mplrt.Error
	if _, err := Parse([]byte{50, 0, 0, 0, 9, 'r'}); !errors.As(err, &e) || e.Field != "user" || e.Offset != 1 {
		t.Fatalf("truncated user: %v", err)
	}
	// KexDHInit: an mpint with an unnecessary leading zero is rejected.
	if _, err := Parse([]byte{30, 0, 0, 0, 2, 0, 1}); !errors.As(err, &e) || e.Field != "e" {
		t.Fatalf("non-canonical mpint: %v", err)
	}
	if _, err := Parse([]byte{30, 0, 0, 0, 1, 0x7f}); err != nil {
		t.Fatal(err)
	}
	if n := testing.AllocsPerRun(100, func() {
		q, _ := Parse(req)
		u, _ := q.AsUserauthRequest()
		_ = u.Method()
		_, _ = u.AsPassword()
	}); n != 0 {
		t.Errorf("%v allocations", n)
	}
}
