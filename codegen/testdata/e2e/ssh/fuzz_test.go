package ssh

import (
	"bytes"
	"errors"
	"testing"

	"github.com/mplgo/mpl/internal/fuzzcheck"
	mplrt "github.com/mplgo/mpl/runtime"
)

// FuzzParse: Parse never panics and fails only with an mplrt.Error within
// the input; what parses walks, prints, and rebuilds with the builder of
// its case to the same bytes (to bytes that parse to the same text when a
// boolean was neither 0 nor 1).
func FuzzParse(f *testing.F) {
	for _, m := range messages() {
		f.Add(m.want)
		f.Add(m.want[:len(m.want)/2])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "ssh" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		p.Walk(func(mplrt.Field) bool { return true })
		text := p.String()
		b, canonical := builderOf(&p)
		out, err := b.AppendTo(nil)
		if err != nil {
			t.Fatalf("%s: rebuild: %v", text, err)
		}
		want := p.Bytes()
		if p.Kind() == KindUnknown {
			want = data // the generic builder takes the rest as the body
		}
		if canonical && !bytes.Equal(out, want) {
			t.Fatalf("rebuilt %x; want %x", out, want)
		}
		q, err := Parse(out)
		if err != nil || q.String() != text || len(out) != len(want) {
			t.Fatalf("rebuilt %x parses as %s, %v; want %s", out, q.String(), err, text)
		}
	})
}

// diffPackets are the packets of the package for internal/fuzzcheck.
var diffPackets = []fuzzcheck.Packet{
	{Spec: "ssh.mpl", Name: "ssh", Parse: Parse,
		Builders: []any{Builder{}, DisconnectBuilder{}, IgnoreBuilder{}, UnimplementedBuilder{}, DebugBuilder{},
			ServiceRequestBuilder{}, ServiceAcceptBuilder{}, KexInitBuilder{}, NewKeysBuilder{}, KexDHInitBuilder{},
			KexDHReplyBuilder{}, UserauthRequestBuilder{}, UserauthFailureBuilder{}, UserauthSuccessBuilder{}, UserauthBannerBuilder{}}},
}

// FuzzDifferentialSSH parses the input, works the view through every
// accessor, case (nested ones included), Walk and String, rebuilds it with
// the builders and compares (see internal/fuzzcheck).
func FuzzDifferentialSSH(f *testing.F) {
	for _, m := range messages() {
		f.Add(m.want)
	}
	for _, p := range diffPackets {
		for _, s := range fuzzcheck.Seeds(p) {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range diffPackets {
			fuzzcheck.Check(t, p, b)
		}
	})
}

// TestDifferentialPlain runs internal/fuzzcheck on the messages it can
// check: those without a field of a custom wire type (see
// FuzzDifferentialSSH), and messages of unknown numbers.
func TestDifferentialPlain(t *testing.T) {
	for _, in := range [][]byte{{3, 0, 0, 0, 7}, {3, 0, 0, 0, 7, 9}, {3, 0, 0}, {21}, {21, 1, 2}, {52}, {99, 1, 2, 3}, {}} {
		fuzzcheck.Check(t, diffPackets[0], in)
	}
}
