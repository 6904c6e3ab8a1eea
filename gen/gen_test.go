// Package gen_test imports every generated package, so that all of them
// must compile, and checks them on the benchmark vectors.
package gen_test

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/udp"
	mplrt "github.com/mplgo/mpl/runtime"
)

var _ = arp.Parse

func vector(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../testdata/vectors/" + name)
	if err != nil {
		t.Fatal(err)
	}
	v, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestEchoVector(t *testing.T) {
	frame := vector(t, "p3_icmp_echo.hex")
	eth, err := ethernet.Parse(frame)
	if err != nil {
		t.Fatal(err)
	}
	ip, err := ipv4.Parse(eth.Payload())
	if err != nil {
		t.Fatal(err)
	}
	msg, err := icmp.Parse(ip.Payload())
	if err != nil {
		t.Fatal(err)
	}
	echo, ok := msg.AsEchoRequest()
	if !ok {
		t.Fatalf("kind %v", msg.Kind())
	}
	if echo.Identifier() != 0x0b3d || echo.Sequence() != 1 || len(echo.Data()) != 56 {
		t.Errorf("echo: %v", echo)
	}
	t.Log(eth)
	t.Log(ip)
	t.Log(msg)
	b := mplrt.Nest(
		ethernet.Builder{Dst: eth.Dst(), Src: eth.Src(), Ethertype: eth.Ethertype()},
		mplrt.Nest(
			ipv4.Builder{DSCP: ip.DSCP(), ID: ip.ID(), DontFragment: ip.DontFragment(), TTL: ip.TTL(), Protocol: ip.Protocol(), Src: ip.Src(), Dst: ip.Dst()},
			icmp.EchoRequestBuilder{Code: msg.Code(), Identifier: echo.Identifier(), Sequence: echo.Sequence(), Data: echo.Data()}))
	out, err := b.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, frame) {
		t.Errorf("built\n%x\nwant\n%x", out, frame)
	}
	buf := make([]byte, 0, 2048)
	if n := testing.AllocsPerRun(100, func() { buf, _ = b.AppendTo(buf[:0]) }); n != 0 {
		t.Errorf("nested build allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() {
		e, _ := ethernet.Parse(frame)
		p, _ := ipv4.Parse(e.Payload())
		m, _ := icmp.Parse(p.Payload())
		_, _ = m.AsEchoRequest()
	}); n != 0 {
		t.Errorf("parse allocates %v times", n)
	}
	_ = netip.Addr{}
	_ = udp.Parse
}
