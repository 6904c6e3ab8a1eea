package fuzzcheck

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/mplgo/mpl/gen/udp"
)

// recorder is a testing.TB that records failures.
type recorder struct {
	testing.TB
	mu    sync.Mutex
	fails []string
}

func (r *recorder) Helper()             {}
func (r *recorder) Logf(string, ...any) {}
func (r *recorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fails = append(r.fails, fmt.Sprintf(format, args...))
}
func (r *recorder) Fatalf(format string, args ...any) {
	r.Errorf(format, args...)
	runtime.Goexit()
}

// run runs Check with a recorder and returns the failures.
func run(p Packet, b []byte) []string {
	r := &recorder{}
	done := make(chan bool)
	go func() {
		defer close(done)
		Check(r, p, b)
	}()
	<-done
	return r.fails
}

var udpIn = []byte{0x30, 0x39, 0x00, 0x35, 0x00, 0x0b, 0xab, 0xcd, 'a', 'b', 'c', 0xee}

// Builder is a udp builder that writes one payload byte wrong.
type Builder udp.Builder

func (b Builder) AppendTo(dst []byte) ([]byte, error) {
	out, err := udp.Builder(b).AppendTo(dst)
	if err == nil && len(b.Payload) > 0 {
		out[len(out)-1] ^= 1
	}
	return out, err
}

// wrongLength is a udp builder that builds the packet one byte short.
type wrongLength udp.Builder

func TestCheckFinds(t *testing.T) {
	good := Packet{Spec: "../../specs/udp.mpl", Name: "udp", Parse: udp.Parse, Builders: []any{udp.Builder{}}}
	if f := run(good, udpIn); len(f) != 0 {
		t.Fatalf("the generated udp package fails: %v", f)
	}
	bad := good
	bad.Builders = []any{Builder{}}
	if f := run(bad, udpIn); len(f) == 0 || !strings.Contains(f[0], "parses to other fields") {
		t.Errorf("a builder that writes a payload byte wrong: %q", f)
	}
	none := good
	none.Builders = []any{wrongLength{}}
	if f := run(none, udpIn); len(f) == 0 || !strings.Contains(f[0], "no builder") {
		t.Errorf("no builder: %q", f)
	}
	// Parse errors are no failures.
	if f := run(good, udpIn[:5]); len(f) != 0 {
		t.Errorf("a truncated packet: %v", f)
	}
}

func TestSeeds(t *testing.T) {
	p := Packet{Spec: "../../specs/udp.mpl", Name: "udp", Parse: udp.Parse, Builders: []any{udp.Builder{}}}
	seeds := Seeds(p)
	if len(seeds) < 2 {
		t.Fatalf("%d seeds", len(seeds))
	}
	for _, s := range seeds {
		if _, err := udp.Parse(s); err != nil {
			t.Errorf("seed %x: %v", s, err)
		}
	}
}
