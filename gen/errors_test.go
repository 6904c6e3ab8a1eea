package gen_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/tcp"
	"github.com/mplgo/mpl/gen/udp"
)

var update = flag.Bool("update", false, "rewrite testdata/errors.golden")

// outcome decodes frame layer by layer with Parse and says what each
// layer made of it: its length, or its error. It also decodes with
// Decode into reused views and fails the test if the two differ.
func outcome(t *testing.T, frame []byte) string {
	var w strings.Builder
	var (
		eth ethernet.Packet
		ip  ipv4.Packet
		m   icmp.Packet
		u   udp.Packet
		tc  tcp.Packet
	)
	layer := func(name string, n int, err, derr error) bool {
		if fmt.Sprint(err) != fmt.Sprint(derr) {
			t.Errorf("%x: %s: Parse says %v, Decode %v", frame, name, err, derr)
		}
		if err != nil {
			fmt.Fprintf(&w, " %s: %v", name, err)
			return false
		}
		fmt.Fprintf(&w, " %s %d", name, n)
		return true
	}
	e, err := ethernet.Parse(frame)
	if !layer("ethernet", len(e.Bytes()), err, eth.Decode(frame)) || e.Ethertype() != ethernet.EthertypeIPv4 {
		return w.String()
	}
	p, err := ipv4.Parse(e.Payload())
	if !layer("ipv4", len(p.Bytes()), err, ip.Decode(eth.Payload())) {
		return w.String()
	}
	switch p.Protocol() {
	case ipv4.ProtocolICMP:
		x, err := icmp.Parse(p.Payload())
		if layer("icmp", len(x.Bytes()), err, m.Decode(ip.Payload())) {
			fmt.Fprintf(&w, " %v", x.Kind())
		}
	case ipv4.ProtocolUDP:
		x, err := udp.Parse(p.Payload())
		layer("udp", len(x.Bytes()), err, u.Decode(ip.Payload()))
	case ipv4.ProtocolTCP:
		x, err := tcp.Parse(p.Payload())
		if layer("tcp", len(x.Bytes()), err, tc.Decode(ip.Payload())) {
			it := x.Options()
			fmt.Fprintf(&w, " %d options", it.Len())
		}
	}
	return w.String()
}

// TestErrorsGolden pins what the generated parsers make of every
// truncation of the benchmark vectors (line by line) and of every
// single-byte mutation of their first 64 bytes (as one digest per
// vector): a change to how parsers are generated must accept and reject
// the same inputs, with the same errors. Update with -update.
func TestErrorsGolden(t *testing.T) {
	var out strings.Builder
	for _, name := range frameVectors {
		v := loadVector(t, name)
		fmt.Fprintf(&out, "# %s\n", name)
		for n := 0; n <= len(v) && n <= 128; n++ {
			fmt.Fprintf(&out, "cut %d:%s\n", n, outcome(t, v[:n:n]))
		}
		h := sha256.New()
		b := make([]byte, len(v))
		for i := 0; i < len(v) && i < 64; i++ {
			for x := 1; x < 256; x++ {
				copy(b, v)
				b[i] ^= byte(x)
				fmt.Fprintf(h, "%d %d:%s\n", i, x, outcome(t, b))
			}
		}
		fmt.Fprintf(&out, "mutations %s\n", hex.EncodeToString(h.Sum(nil)))
	}
	golden := filepath.Join("testdata", "errors.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(string(want), out.String()); d != "" {
		t.Errorf("outcomes changed (-golden +now); if on purpose, go test ./gen -run TestErrorsGolden -update:\n%s", d)
	}
}
