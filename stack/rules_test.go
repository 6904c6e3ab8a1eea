package stack

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/mplgo/mpl/gen/ipv4"
)

// What must get no answer although each layer alone looks fine: a
// unicast datagram in a link-layer broadcast (RFC 1122 3.3.6, 3.2.2),
// ICMP errors about ICMP errors, our own address as a source, fragments
// that do not make one datagram.
func TestNoAnswer(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		h.s.reasmTimeout = 3 * tapWindow
		h.learn()
		inBroadcast := func(f []byte) []byte {
			copy(f[0:6], bcast)
			return f
		}
		h.silent("echo in a link broadcast", inBroadcast(ipFrame(ipv4.ProtocolICMP, nil, echoRequest(nil), nil)), IPLinkBroadcast)
		h.silent("UDP to a closed port in a link broadcast", inBroadcast(ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 9, nil), nil)), IPLinkBroadcast)
		h.silent("protocol 253 in a link broadcast", inBroadcast(ipFrame(253, nil, []byte("12345678"), nil)), IPLinkBroadcast)
		h.silent("echo from our own address", ipFrame(ipv4.ProtocolICMP, nil, echoRequest(nil), func(b *ipv4.Builder) { b.Src = dutIP }), IPSource)

		// A truncated Destination Unreachable with malformed options:
		// no Parameter Problem about it.
		h.silent("ICMP error with bad options", ipFrame(ipv4.ProtocolICMP, []byte{7, 0x27, 4, 0}, []byte{3, 3, 0, 0}, nil), IPOptions)

		// The first fragment of a large Destination Unreachable alone:
		// no Time Exceeded about it when the reassembly gives up.
		unreach := append([]byte{3, 3, 0, 0, 0, 0, 0, 0}, make([]byte, 3000)...)
		frags := fragments(t, ipv4.ProtocolICMP, unreach, 1480, 7)
		if out := h.exchange(frags[0]); len(out) != 0 {
			t.Errorf("first fragment of an ICMP error answered")
		}
		if out := h.wait(time.Second); len(out) != 0 {
			t.Errorf("Time Exceeded about an ICMP error:\n%s", dump(out[0]))
		}

		// A last fragment that ends before data already received, then
		// the rest: no datagram, and the drop counted.
		frags = fragments(t, ipv4.ProtocolICMP, echoRequest(make([]byte, 3000)), 1480, 8)
		short := ipFrame(ipv4.ProtocolICMP, nil, make([]byte, 8), func(b *ipv4.Builder) { b.ID = 8; b.FragmentOffset = 1480 / 8 })
		before := h.s.Counters().Dropped[IPReassembly]
		var out [][]byte
		for _, f := range [][]byte{frags[1], short, frags[0], frags[2]} {
			out = append(out, h.exchange(f)...)
		}
		for _, f := range out {
			if d := decode(t, f); d.icmp != nil && d.icmp.TypeCode.Type() == layers.ICMPv4TypeEchoReply {
				t.Errorf("a datagram made of fragments that disagree was answered")
			}
		}
		if after := h.s.Counters().Dropped[IPReassembly]; after == before {
			t.Errorf("fragments that disagree: not counted")
		}
	})
}

// IP-11 with fragments: the Record Route of a fragmented echo's first
// fragment comes back in the reply's first fragment, with our address.
func TestReassemblyRecordRoute(t *testing.T) {
	h := newPipeHarness(t)
	h.learn()
	opts := make([]byte, 40)
	copy(opts, []byte{7, 39, 4})
	msg := echoRequest(make([]byte, 3000))
	var frags [][]byte
	for off := 0; off < len(msg); off += 1440 { // (1440: 1500 less a 60-byte header)
		end := min(off+1440, len(msg))
		var o []byte
		if off == 0 {
			o = opts
		}
		frags = append(frags, ipFrame(ipv4.ProtocolICMP, o, msg[off:end], func(b *ipv4.Builder) {
			b.ID, b.FragmentOffset, b.MoreFragments = 9, uint16(off/8), end < len(msg)
		}))
	}
	var out [][]byte
	for _, f := range frags {
		out = append(out, h.exchange(f)...)
	}
	if len(out) < 3 {
		var c strings.Builder
		h.s.Counters().WriteTo(&c)
		t.Fatalf("%d frames back, want the reply in fragments; counters:\n%s", len(out), c.String())
	}
	d := decode(t, out[0])
	if len(d.ip.Options) == 0 || d.ip.Options[0].OptionType != 7 {
		t.Fatalf("the reply's first fragment has no Record Route:\n%s", dump(out[0]))
	}
	rr := d.ip.Options[0].OptionData
	if rr[0] != 12 || netipFrom(rr[1:5]) != dutIP || netipFrom(rr[5:9]) != dutIP {
		t.Errorf("route %x, want our address twice and pointer 12", rr)
	}
	if m := defragReply(t, out); m.TypeCode.Type() != layers.ICMPv4TypeEchoReply || len(m.Payload) != 3000 {
		t.Errorf("reply %v with %d bytes", m.TypeCode, len(m.Payload))
	}
}

// ARP-13 for replies too large to queue: an unresolved host sending large
// echoes gets one ARP request, not one per echo.
func TestARPNoFlood(t *testing.T) {
	h := newPipeHarness(t)
	msg := echoRequest(make([]byte, 3000))
	requests := 0
	for id := uint16(20); id < 24; id++ {
		for _, f := range fragments(t, ipv4.ProtocolICMP, msg, 1480, id) {
			for _, o := range h.exchange(f) {
				if d := decode(t, o); d.arp != nil {
					requests++
				}
			}
		}
	}
	if requests != 1 {
		t.Errorf("%d ARP requests for four large replies, want 1", requests)
	}
}

func netipFrom(b []byte) netip.Addr { return netip.AddrFrom4([4]byte(b)) }
