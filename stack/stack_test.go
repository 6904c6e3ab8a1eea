package stack

import (
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/udp"
	"github.com/mplgo/mpl/internal/netns"
)

// The test network: the stack (D) at 198.18.1.2 and a tester (T) at
// 198.18.1.3 (the conformance table's T; over a TAP, the kernel's side has
// 198.18.1.100 and keeps out of the way).
var (
	dutMAC = net.HardwareAddr{0x02, 0x00, 0x5e, 0x12, 0x01, 0x02}
	dutIP  = netip.MustParseAddr("198.18.1.2")
	tMAC   = net.HardwareAddr{0x02, 0x00, 0x5e, 0x12, 0x01, 0x01}
	tIP    = netip.MustParseAddr("198.18.1.3")
	t2MAC  = net.HardwareAddr{0x02, 0x00, 0x5e, 0x12, 0x01, 0x03}
	bcast  = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
)

// harness runs a stack on a link, a pipe or a TAP, and plays the
// network on its other end.
type harness struct {
	t    *testing.T
	s    *Stack
	pipe *PipeEnd    // the pipe's other end, or nil
	wire *netns.Wire // the TAP's kernel side, or nil
	ns   *netns.NS   // the TAP's namespace, or nil
	run  func()      // starts the stack's loop on a TAP (once)
	buf  []byte
}

// mkHarness makes a harness with a stack of its own.
type mkHarness func(t *testing.T) *harness

// onLinks runs test twice: on the in-memory pipe, where the test steps
// the stack itself, and over a TAP device in a network namespace of its
// own, from the kernel's side of the TAP, where the stack runs its loop
// (this needs root: it is skipped without, but not in CI).
func onLinks(t *testing.T, test func(t *testing.T, newHarness mkHarness)) {
	t.Run("pipe", func(t *testing.T) { test(t, newPipeHarness) })
	t.Run("tap", func(t *testing.T) {
		netns.Need(t)
		test(t, newTAPHarness)
	})
}

func newPipeHarness(t *testing.T) *harness {
	t.Helper()
	a, b := NewPipe()
	s, err := New(a, Config{MAC: dutMAC, Addr: netip.MustParsePrefix("198.18.1.2/24")})
	if err != nil {
		t.Fatal(err)
	}
	return &harness{t: t, s: s, pipe: b, run: func() {}, buf: make([]byte, MaxFrame)}
}

// tapWindow is how long a test over a TAP waits for the stack's answers.
const tapWindow = 150 * time.Millisecond

func newTAPHarness(t *testing.T) *harness {
	t.Helper()
	n := netns.New(t)
	// The kernel's side has another address of the subnet (tester T is
	// neither the kernel nor the stack, so the kernel stays out of it).
	n.AddTAP("tap0", "198.18.1.100/24")
	var tap *TAP
	if err := n.Do(func() (err error) { tap, err = OpenTAP("tap0"); return err }); err != nil {
		t.Fatal(err)
	}
	s, err := New(tap, Config{MAC: dutMAC, Addr: netip.MustParsePrefix("198.18.1.2/24")})
	if err != nil {
		tap.Close()
		t.Fatal(err)
	}
	h := &harness{t: t, s: s, wire: n.Wire("tap0"), ns: n, buf: make([]byte, MaxFrame)}
	done := make(chan error, 1)
	started := false
	h.run = func() {
		if !started {
			started = true
			go func() { done <- s.Run() }()
		}
	}
	t.Cleanup(func() {
		tap.Close()
		if started {
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		}
	})
	return h
}

// exchange sends frame to the stack, lets it handle it, and returns the
// frames it wrote.
func (h *harness) exchange(frame []byte) [][]byte {
	h.t.Helper()
	if h.wire != nil {
		h.run()
		if err := h.wire.Send(frame); err != nil {
			h.t.Fatal(err)
		}
		return h.wait(tapWindow)
	}
	if err := h.pipe.WriteFrame(frame); err != nil {
		h.t.Fatal(err)
	}
	if err := h.s.Step(); err != nil {
		h.t.Fatal(err)
	}
	return h.drain()
}

// wait lets the stack's next timer (an ARP retry, a reassembly deadline)
// fire, waiting up to d for it over a TAP, and returns what it sent.
func (h *harness) wait(d time.Duration) [][]byte {
	h.t.Helper()
	if h.wire != nil {
		h.run()
		out, err := h.wire.Recv(d, false)
		if err != nil {
			h.t.Fatal(err)
		}
		return out
	}
	if h.s.arp.waiting == 0 && h.s.reasmWaiting == 0 {
		h.t.Fatal("wait: no timer is pending: Step would wait for ever")
	}
	if err := h.s.Step(); err != nil { // returns at the deadline
		h.t.Fatal(err)
	}
	return h.drain()
}

func (h *harness) drain() [][]byte {
	h.t.Helper()
	var out [][]byte
	for h.pipe.Pending() > 0 {
		n, err := h.pipe.ReadFrame(h.buf)
		if err != nil {
			h.t.Fatal(err)
		}
		out = append(out, bytes.Clone(h.buf[:n]))
	}
	return out
}

// learn has the stack learn T's MAC, as a kernel's ARP request for D does
// before its first ping.
func (h *harness) learn() {
	h.t.Helper()
	if out := h.exchange(arpFrame(arp.OpRequest, tMAC, tIP, nil, dutIP)); len(out) != 1 {
		h.t.Fatalf("ARP request: %d frames, want 1", len(out))
	}
}

// silent sends frame and checks that nothing comes back and that the
// drop was counted under want.
func (h *harness) silent(name string, frame []byte, want Reason) {
	h.t.Helper()
	if h.wire != nil && len(frame) < 14 {
		return // a packet socket sends no frame shorter than an Ethernet header
	}
	before := h.s.Counters().Dropped[want]
	if out := h.exchange(frame); len(out) != 0 {
		h.t.Errorf("%s: %d frames back, want silence; first:\n%s", name, len(out), dump(out[0]))
	}
	if after := h.s.Counters().Dropped[want]; after != before+1 {
		h.t.Errorf("%s: dropped %q %d -> %d, want one more", name, want, before, after)
	}
}

func dump(frame []byte) string {
	return gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default).String()
}

func ethFrame(dst, src net.HardwareAddr, typ ethernet.Ethertype, payload []byte) []byte {
	b, err := ethernet.Builder{Dst: dst, Src: src, Ethertype: typ, Payload: payload}.AppendTo(nil)
	if err != nil {
		panic(err)
	}
	return b
}

// arpFrame is an Ethernet/IPv4 ARP packet from sha, broadcast for a
// request.
func arpFrame(op arp.Op, sha net.HardwareAddr, spa netip.Addr, tha net.HardwareAddr, tpa netip.Addr) []byte {
	b := arp.NewEthernetIPv4Builder()
	b.Op, b.SHA, b.SPA, b.THA, b.TPA = op, sha, spa, tha, tpa
	if b.THA == nil {
		b.THA = make(net.HardwareAddr, 6)
	}
	body, err := b.AppendTo(nil)
	if err != nil {
		panic(err)
	}
	dst := bcast
	if op != arp.OpRequest {
		dst = dutMAC
	}
	return ethFrame(dst, sha, ethernet.EthertypeARP, body)
}

// ipFrame is an IPv4 packet from T to D with the given options, built
// by the generated builders; edit changes the builder first.
func ipFrame(proto ipv4.Protocol, options, payload []byte, edit func(*ipv4.Builder)) []byte {
	b := ipv4.NewBuilder()
	b.Protocol, b.Src, b.Dst, b.ID, b.Options, b.Payload = proto, tIP, dutIP, 0x1234, options, payload
	if edit != nil {
		edit(&b)
	}
	p, err := b.AppendTo(nil)
	if err != nil {
		panic(err)
	}
	return ethFrame(dutMAC, tMAC, ethernet.EthertypeIPv4, p)
}

func echoRequest(data []byte) []byte {
	m, err := icmp.EchoRequestBuilder{Identifier: 0x4242, Sequence: 7, Data: data}.AppendTo(nil)
	if err != nil {
		panic(err)
	}
	return m
}

func udpDatagram(sport, dport uint16, payload []byte) []byte {
	return udpTo(dutIP, sport, dport, payload)
}

// udpTo is a datagram from T to dst, whose checksum covers dst.
func udpTo(dst netip.Addr, sport, dport uint16, payload []byte) []byte {
	u, err := udp.Builder{Src: tIP, Dst: dst, SrcPort: sport, DstPort: dport, Payload: payload}.AppendTo(nil)
	if err != nil {
		panic(err)
	}
	return u
}

// sum16 is the RFC 1071 checksum of b, written here apart from the
// generated code so that the tests check it independently.
func sum16(b []byte) uint16 {
	var s uint32
	for len(b) >= 2 {
		s += uint32(b[0])<<8 | uint32(b[1])
		b = b[2:]
	}
	if len(b) == 1 {
		s += uint32(b[0]) << 8
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// fixIPChecksum recomputes the IPv4 header checksum of an Ethernet frame
// after a test broke a field on purpose.
func fixIPChecksum(frame []byte) {
	h := frame[14:]
	hl := int(h[0]&0xf) * 4
	if hl < 20 || hl > len(h) {
		hl = 20
	}
	h[10], h[11] = 0, 0
	binary.BigEndian.PutUint16(h[10:12], sum16(h[:hl]))
}

// decoded is a reply as gopacket reads it, with the checksums checked
// independently.
type decoded struct {
	eth  *layers.Ethernet
	arp  *layers.ARP
	ip   *layers.IPv4
	icmp *layers.ICMPv4
	udp  *layers.UDP
}

func decode(t *testing.T, frame []byte) decoded {
	t.Helper()
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	if e := p.ErrorLayer(); e != nil {
		t.Fatalf("reply does not decode: %v\n%s", e.Error(), p)
	}
	var d decoded
	d.eth, _ = p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	d.arp, _ = p.Layer(layers.LayerTypeARP).(*layers.ARP)
	d.ip, _ = p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	d.icmp, _ = p.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4)
	d.udp, _ = p.Layer(layers.LayerTypeUDP).(*layers.UDP)
	if d.ip != nil {
		hl := int(d.ip.IHL) * 4
		if s := sum16(frame[14 : 14+hl]); s != 0 {
			t.Errorf("reply's IPv4 header checksum is wrong (sum %#04x)", s)
		}
		if int(d.ip.Length) != len(frame)-14 {
			t.Errorf("reply frame has %d bytes after Ethernet, total length %d", len(frame)-14, d.ip.Length)
		}
		if d.icmp != nil {
			if s := sum16(frame[14+hl : 14+int(d.ip.Length)]); s != 0 {
				t.Errorf("reply's ICMP checksum is wrong (sum %#04x)", s)
			}
		}
	}
	return d
}

func TestNewRejectsBadConfig(t *testing.T) {
	a, _ := NewPipe()
	for _, c := range []Config{
		{MAC: net.HardwareAddr{1, 0, 0, 0, 0, 1}, Addr: netip.MustParsePrefix("198.18.1.2/24")},
		{MAC: dutMAC[:4], Addr: netip.MustParsePrefix("198.18.1.2/24")},
		{MAC: dutMAC, Addr: netip.MustParsePrefix("2001:db8::1/64")},
		{MAC: dutMAC, Addr: netip.MustParsePrefix("198.18.1.2/32")},
		{MAC: dutMAC, Addr: netip.MustParsePrefix("198.18.1.2/24"), Gateway: netip.MustParseAddr("198.18.2.1")},
	} {
		if _, err := New(a, c); err == nil {
			t.Errorf("New(%v) succeeded", c)
		}
	}
}

// ARP-01: a request for our address gets one unicast reply.
func TestARPReply(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		out := h.exchange(arpFrame(arp.OpRequest, tMAC, tIP, nil, dutIP))
		if len(out) != 1 {
			t.Fatalf("%d frames, want 1", len(out))
		}
		d := decode(t, out[0])
		if d.arp == nil {
			t.Fatalf("not ARP:\n%s", dump(out[0]))
		}
		got := []any{d.eth.DstMAC, d.eth.SrcMAC, d.arp.AddrType, d.arp.Protocol, d.arp.Operation,
			net.HardwareAddr(d.arp.SourceHwAddress), net.IP(d.arp.SourceProtAddress).String(),
			net.HardwareAddr(d.arp.DstHwAddress), net.IP(d.arp.DstProtAddress).String()}
		want := []any{tMAC, dutMAC, layers.LinkTypeEthernet, layers.EthernetTypeIPv4, uint16(layers.ARPReply),
			dutMAC, dutIP.String(), tMAC, tIP.String()}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("reply (-want +got):\n%s", diff)
		}
		if h.pipe != nil {
			if mac, ok := h.s.arp.lookup(tIP); !ok || !bytes.Equal(mac[:], tMAC) {
				t.Errorf("T not learnt: %v %v", mac, ok)
			}
		}
	})
}

// ARP-10: padding after the ARP body is ignored; IEEE 802 hardware type
// is answered with Ethernet's, as Linux does.
func TestARPPaddingAndIEEE802(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		f := arpFrame(arp.OpRequest, tMAC, tIP, nil, dutIP)
		f = append(f, bytes.Repeat([]byte{0xa5}, 60-len(f))...)
		if out := h.exchange(f); len(out) != 1 {
			t.Errorf("padded request: %d frames, want 1", len(out))
		}
		f = arpFrame(arp.OpRequest, tMAC, tIP, nil, dutIP)
		binary.BigEndian.PutUint16(f[14:16], 6)
		out := h.exchange(f)
		if len(out) != 1 {
			t.Fatalf("IEEE 802 request: %d frames, want 1", len(out))
		}
		if d := decode(t, out[0]); d.arp == nil || d.arp.AddrType != layers.LinkTypeEthernet {
			t.Errorf("IEEE 802 request answered with\n%s", dump(out[0]))
		}
	})
}

// ARP-02, 04, 05, 08, 11 and a target not ours: silence, and T is not
// learnt.
func TestARPSilence(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		req := func(edit func(f []byte) []byte) []byte {
			return edit(arpFrame(arp.OpRequest, tMAC, tIP, nil, dutIP))
		}
		// lengths builds a request with address lengths hln and pln and
		// addresses of those sizes.
		lengths := func(hln, pln int) []byte {
			b := arp.NewBuilder()
			b.Op, b.Hlen, b.Plen = arp.OpRequest, uint8(hln), uint8(pln)
			b.Body = make([]byte, 2*hln+2*pln)
			copy(b.Body, tMAC)
			body, err := b.AppendTo(nil)
			if err != nil {
				t.Fatal(err)
			}
			return ethFrame(bcast, tMAC, ethernet.EthertypeARP, body)
		}
		cases := []struct {
			name  string
			frame []byte
			why   Reason
		}{
			{"hardware type 0x1234", req(func(f []byte) []byte { binary.BigEndian.PutUint16(f[14:], 0x1234); return f }), ARPHardware},
			{"hardware type 0", req(func(f []byte) []byte { binary.BigEndian.PutUint16(f[14:], 0); return f }), ARPHardware},
			{"protocol type IPv6", req(func(f []byte) []byte { binary.BigEndian.PutUint16(f[16:], 0x86dd); return f }), ARPProtocol},
			{"opcode 0", req(func(f []byte) []byte { binary.BigEndian.PutUint16(f[20:], 0); return f }), ARPOp},
			{"opcode 3 (RARP)", req(func(f []byte) []byte { binary.BigEndian.PutUint16(f[20:], 3); return f }), ARPOp},
			{"opcode 26", req(func(f []byte) []byte { binary.BigEndian.PutUint16(f[20:], 26); return f }), ARPOp},
			{"opcode 0x99", req(func(f []byte) []byte { binary.BigEndian.PutUint16(f[20:], 0x99); return f }), ARPOp},
			{"sender broadcast", arpFrame(arp.OpRequest, bcast, tIP, nil, dutIP), ARPSender},
			{"sender multicast", arpFrame(arp.OpRequest, net.HardwareAddr{0x01, 0, 0x5e, 0, 0, 1}, tIP, nil, dutIP), ARPSender},
			{"target not ours", arpFrame(arp.OpRequest, tMAC, tIP, nil, netip.MustParseAddr("198.18.1.4")), ARPNotOurs},
			{"cut at 20 bytes", req(func(f []byte) []byte { return f[:14+20] }), ARPMalformed},
			{"ethernet cut", req(func(f []byte) []byte { return f[:10] }), EthTruncated},
		}
		for _, ln := range [][2]int{{0, 4}, {4, 4}, {8, 4}, {255, 4}, {6, 0}, {6, 6}, {6, 16}, {6, 255}} {
			cases = append(cases, struct {
				name  string
				frame []byte
				why   Reason
			}{"hln " + strconv.Itoa(ln[0]) + " pln " + strconv.Itoa(ln[1]), lengths(ln[0], ln[1]), ARPLengths})
		}
		for _, c := range cases {
			h := newHarness(t)
			h.silent(c.name, c.frame, c.why)
			if h.pipe == nil {
				continue
			}
			if _, ok := h.s.arp.lookup(tIP); ok && c.why != ARPOp {
				// (RFC 826 merges and inserts before it looks at the opcode.)
				t.Errorf("%s: T learnt", c.name)
			}
		}
	})
}

// ARP-07: a gratuitous request with a new MAC for a cached sender
// updates its entry: replies go to the new MAC.
func TestARPMerge(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		h.learn()
		if out := h.exchange(arpFrame(arp.OpRequest, t2MAC, tIP, nil, tIP)); len(out) != 0 {
			t.Errorf("gratuitous request answered: %d frames", len(out))
		}
		out := h.exchange(ipFrame(ipv4.ProtocolICMP, nil, echoRequest([]byte("x")), nil))
		if len(out) != 1 {
			t.Fatalf("echo: %d frames, want 1", len(out))
		}
		if d := decode(t, out[0]); !bytes.Equal(d.eth.DstMAC, t2MAC) {
			t.Errorf("echo reply to %v, want the new MAC %v", d.eth.DstMAC, t2MAC)
		}
	})
}

// ARP-13: a reply to a host the stack does not know waits for ARP: a
// broadcast request, then the reply once T answers; a host that never
// answers is asked three times, a retry period apart, then given up.
func TestARPResolve(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		out := h.exchange(ipFrame(ipv4.ProtocolICMP, nil, echoRequest([]byte("hello")), nil))
		if len(out) != 1 {
			t.Fatalf("echo from an unknown host: %d frames, want 1 (an ARP request)", len(out))
		}
		d := decode(t, out[0])
		if d.arp == nil || d.arp.Operation != layers.ARPRequest || !bytes.Equal(d.eth.DstMAC, bcast) || net.IP(d.arp.DstProtAddress).String() != tIP.String() {
			t.Fatalf("want a broadcast ARP request for T, got\n%s", dump(out[0]))
		}
		out = h.exchange(arpFrame(arp.OpReply, tMAC, tIP, dutMAC, dutIP))
		if len(out) != 1 {
			t.Fatalf("after T's ARP reply: %d frames, want the echo reply", len(out))
		}
		if d := decode(t, out[0]); d.icmp == nil || d.icmp.TypeCode.Type() != layers.ICMPv4TypeEchoReply || !bytes.Equal(d.eth.DstMAC, tMAC) {
			t.Fatalf("want the echo reply to T, got\n%s", dump(out[0]))
		}

		// A host that never answers.
		h = newHarness(t)
		start := time.Now()
		if out := h.exchange(ipFrame(ipv4.ProtocolICMP, nil, echoRequest(nil), nil)); len(out) != 1 {
			t.Fatalf("%d frames, want an ARP request", len(out))
		}
		requests := 1
		for i := 0; i < 20; i++ {
			if h.pipe != nil && h.s.arp.waiting == 0 || h.pipe == nil && time.Since(start) > (arpTries+1)*arpRetry {
				break
			}
			requests += len(h.wait(arpRetry / 2))
		}
		if requests != arpTries {
			t.Errorf("%d ARP requests, want %d", requests, arpTries)
		}
		if el := time.Since(start); el < (arpTries-1)*arpRetry {
			t.Errorf("%d requests in %v: faster than one per %v", requests, el, arpRetry)
		}
		if got := h.s.Counters().Dropped[ARPUnresolved]; got != 1 {
			t.Errorf("arp unresolved = %d, want 1", got)
		}
	})
}

// ICMP-01, ICMP-02, IP-05, IP-08: echo requests of any size and TTL are
// answered with the same identifier, sequence and data, addresses
// swapped, TTL 64, the frame's padding not echoed.
func TestEcho(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		h.learn()
		for _, c := range []struct {
			name string
			data []byte
			ttl  uint8
			pad  int
		}{
			{"no data", nil, 64, 0},
			{"one byte", []byte{0xde}, 64, 0},
			{"1472 bytes", bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 368), 64, 0},
			{"TTL 1", []byte("ttl"), 1, 0},
			{"TTL 0", []byte("ttl"), 0, 0},
			{"padded to 60 bytes", nil, 64, 60},
		} {
			f := ipFrame(ipv4.ProtocolICMP, nil, echoRequest(c.data), func(b *ipv4.Builder) { b.TTL = c.ttl })
			for len(f) < c.pad {
				f = append(f, 0x5a)
			}
			out := h.exchange(f)
			if len(out) != 1 {
				t.Errorf("%s: %d frames, want 1", c.name, len(out))
				continue
			}
			d := decode(t, out[0])
			if d.icmp == nil {
				t.Errorf("%s: not ICMP:\n%s", c.name, dump(out[0]))
				continue
			}
			got := []any{d.eth.DstMAC, d.eth.SrcMAC, d.ip.SrcIP.String(), d.ip.DstIP.String(), d.ip.TTL,
				d.icmp.TypeCode.Type(), d.icmp.TypeCode.Code(), d.icmp.Id, d.icmp.Seq, []byte(d.icmp.Payload)}
			want := []any{tMAC, dutMAC, dutIP.String(), tIP.String(), uint8(64),
				uint8(layers.ICMPv4TypeEchoReply), uint8(0), uint16(0x4242), uint16(7), c.data}
			if diff := cmp.Diff(want, got, cmp.Transformer("nil", func(b []byte) []byte {
				if len(b) == 0 {
					return nil
				}
				return b
			})); diff != "" {
				t.Errorf("%s (-want +got):\n%s", c.name, diff)
			}
		}
	})
}

// IP-11: Record Route comes back with our address added twice (as the
// request arrives and as the reply leaves), as Linux does.
func TestEchoRecordRoute(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		h.learn()
		// ping -R: nine slots, the first filled by the sender.
		opts := make([]byte, 40)
		copy(opts, []byte{7, 39, 8})
		copy(opts[3:], tIP.AsSlice())
		out := h.exchange(ipFrame(ipv4.ProtocolICMP, opts, echoRequest([]byte("rr")), nil))
		if len(out) != 1 {
			t.Fatalf("%d frames, want 1", len(out))
		}
		d := decode(t, out[0])
		o := d.ip.Options
		if len(o) == 0 || o[0].OptionType != 7 {
			t.Fatalf("no Record Route in the reply: %+v", o)
		}
		rr := o[0].OptionData
		if rr[0] != 16 {
			t.Errorf("pointer %d, want 16", rr[0])
		}
		var got []string
		// OptionData starts at the option's third byte; the pointer counts
		// from its first, 1-based.
		for i := 1; i+4 <= len(rr) && i+4 <= int(rr[0])-2; i += 4 {
			got = append(got, netip.AddrFrom4([4]byte(rr[i:i+4])).String())
		}
		if want := []string{tIP.String(), "198.18.1.2", "198.18.1.2"}; !cmp.Equal(got, want) {
			t.Errorf("route %v, want %v", got, want)
		}
	})
}

// IPv4 and ICMP input that gets no answer (IP-01, 02, 04, 07, 13, 17,
// ICMP-04, 05, 07, 08).
func TestIPSilence(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		echo := func(edit func(*ipv4.Builder)) []byte {
			// (12 bytes of data: as long as a timestamp request.)
			return ipFrame(ipv4.ProtocolICMP, nil, echoRequest([]byte("abcdefghijkl")), edit)
		}
		poke := func(f []byte, fix bool, edit func(h []byte)) []byte {
			edit(f[14:])
			if fix {
				fixIPChecksum(f)
			}
			return f
		}
		// icmpType is an ICMP message of type typ, 20 bytes long (12 for an
		// address mask request).
		icmpType := func(typ uint8) []byte {
			data := []byte("abcdefghijkl")
			if typ == 17 {
				data = data[:4]
			}
			f := ipFrame(ipv4.ProtocolICMP, nil, echoRequest(data), nil)
			f[34] = typ
			f[36], f[37] = 0, 0
			binary.BigEndian.PutUint16(f[36:38], sum16(f[34:]))
			return f
		}
		lsrr := make([]byte, 12)
		copy(lsrr, []byte{131, 11, 12, 198, 18, 1, 1, 198, 18, 1, 2, 0})
		cases := []struct {
			name  string
			frame []byte
			why   Reason
		}{
			{"version 5", poke(echo(nil), true, func(h []byte) { h[0] = 0x55 }), IPVersion},
			{"bad header checksum", poke(echo(nil), false, func(h []byte) { h[10] ^= 0xff }), IPChecksum},
			{"IHL 4", poke(echo(nil), true, func(h []byte) { h[0] = 0x44 }), IPHeaderLength},
			{"total length past the frame", poke(echo(nil), true, func(h []byte) { binary.BigEndian.PutUint16(h[2:], 200) }), IPTotalLength},
			{"total length under IHL", poke(echo(nil), true, func(h []byte) { binary.BigEndian.PutUint16(h[2:], 16) }), IPTotalLength},
			{"total length 0", poke(echo(nil), true, func(h []byte) { binary.BigEndian.PutUint16(h[2:], 0) }), IPTotalLength},
			{"header cut short", func() []byte { f := echo(nil); return f[:14+12] }(), IPMalformed},
			{"source 127.0.0.1", echo(func(b *ipv4.Builder) { b.Src = netip.MustParseAddr("127.0.0.1") }), IPSource},
			{"source 224.0.0.1", echo(func(b *ipv4.Builder) { b.Src = netip.MustParseAddr("224.0.0.1") }), IPSource},
			{"source 255.255.255.255", echo(func(b *ipv4.Builder) { b.Src = netip.MustParseAddr("255.255.255.255") }), IPSource},
			{"source the subnet's broadcast", echo(func(b *ipv4.Builder) { b.Src = netip.MustParseAddr("198.18.1.255") }), IPSource},
			{"source 240.0.0.1", echo(func(b *ipv4.Builder) { b.Src = netip.MustParseAddr("240.0.0.1") }), IPSource},
			{"destination another host", echo(func(b *ipv4.Builder) { b.Dst = netip.MustParseAddr("198.18.1.4") }), IPNotOurs},
			{"first fragment", echo(func(b *ipv4.Builder) { b.MoreFragments = true }), IPFragment},
			{"ping of death fragment", echo(func(b *ipv4.Builder) { b.FragmentOffset = 8189 }), IPFragment},
			{"loose source route", ipFrame(ipv4.ProtocolICMP, lsrr, echoRequest(nil), nil), IPSourceRoute},
			{"echo to the subnet's broadcast", echo(func(b *ipv4.Builder) { b.Dst = netip.MustParseAddr("198.18.1.255") }), ICMPBroadcast},
			{"echo to 255.255.255.255", echo(func(b *ipv4.Builder) { b.Dst = netip.MustParseAddr("255.255.255.255") }), ICMPBroadcast},
			{"bad ICMP checksum", func() []byte { f := echo(nil); f[36] ^= 0xff; return f }(), ICMPChecksum},
			{"ICMP cut short", ipFrame(ipv4.ProtocolICMP, nil, []byte{8, 0, 0xf7}, nil), ICMPMalformed},
			{"ICMP type 99", icmpType(99), ICMPType},
			{"ICMP type 42 (extended echo)", icmpType(42), ICMPType},
			{"ICMP information request", icmpType(15), ICMPType},
			{"ICMP address mask request", icmpType(17), ICMPType},
			{"ICMP timestamp request", icmpType(13), ICMPType},
			{"ICMP echo reply", icmpType(0), ICMPType},
			// ICMP-11: errors (here about a TCP segment of ours) get no
			// reply; the stack has no TCP to tell.
			{"ICMP destination unreachable", icmpType(3), ICMPType},
			{"ICMP source quench", icmpType(4), ICMPType},
			{"ICMP redirect", icmpType(5), ICMPType},
			{"ICMP time exceeded", icmpType(11), ICMPType},
			{"ICMP parameter problem", icmpType(12), ICMPType},
		}
		h := newHarness(t)
		h.learn()
		for _, c := range cases {
			h.silent(c.name, c.frame, c.why)
		}
		// The stack still answers afterwards.
		if out := h.exchange(echo(nil)); len(out) != 1 {
			t.Errorf("a normal echo after the bad ones: %d frames, want 1", len(out))
		}
	})
}

// checkError checks that out is one ICMP error of type and code to T
// quoting the IP header and 8 bytes of payload of the frame sent.
func checkError(t *testing.T, name string, out [][]byte, sent []byte, typ, code uint8) *layers.ICMPv4 {
	t.Helper()
	if len(out) != 1 {
		t.Fatalf("%s: %d frames, want 1", name, len(out))
	}
	d := decode(t, out[0])
	if d.icmp == nil || d.icmp.TypeCode.Type() != typ || d.icmp.TypeCode.Code() != code {
		t.Fatalf("%s: want ICMP %d/%d, got\n%s", name, typ, code, dump(out[0]))
	}
	if d.ip.SrcIP.String() != dutIP.String() || d.ip.DstIP.String() != tIP.String() || d.ip.Protocol != layers.IPProtocolICMPv4 {
		t.Errorf("%s: from %v to %v", name, d.ip.SrcIP, d.ip.DstIP)
	}
	hl := int(sent[14]&0xf) * 4
	if want := sent[14 : 14+hl+8]; !bytes.Equal(d.icmp.Payload, want) {
		t.Errorf("%s: quotes\n%x\nwant\n%x", name, d.icmp.Payload, want)
	}
	return d.icmp
}

// ICMP-10, UDP-01: an unknown protocol and a closed UDP port get their
// Destination Unreachable; UDP-05: not for a broadcast.
func TestUnreachable(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		h.learn()
		f := ipFrame(253, nil, []byte("0123456789abcdef"), nil)
		checkError(t, "protocol 253", h.exchange(f), f, 3, 2)
		f = ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 9, []byte("discard me")), nil)
		checkError(t, "UDP port 9", h.exchange(f), f, 3, 3)
		bc := netip.MustParseAddr("198.18.1.255")
		h.silent("UDP to a closed port, broadcast", ipFrame(ipv4.ProtocolUDP, nil, udpTo(bc, 40000, 9, []byte("x")),
			func(b *ipv4.Builder) { b.Dst = bc }), UDPClosed)
	})
}

// IP-10: malformed options get a Parameter Problem whose pointer is the
// octet where the fault was found (RFC 792: it may be in the middle of
// an option; Linux points at the option's type octet instead); the next
// echo is still answered.
func TestParameterProblem(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		h.learn()
		f := ipFrame(ipv4.ProtocolICMP, []byte{7, 0x27, 4, 0}, echoRequest([]byte("opts")), nil)
		m := checkError(t, "option length past the header", h.exchange(f), f, 12, 0)
		// The option 07 27 04 00 at 20 claims 39 bytes of 4: its route
		// (at 23) runs past the header.
		if p := m.Contents[4]; p != 23 {
			t.Errorf("pointer %d, want 23", p)
		}
		if out := h.exchange(ipFrame(ipv4.ProtocolICMP, nil, echoRequest(nil), nil)); len(out) != 1 {
			t.Errorf("echo after the bad options: %d frames, want 1", len(out))
		}
	})
}

// echoService answers each datagram with its payload reversed.
type echoService struct{ calls int }

func (e *echoService) HandleUDP(dst []byte, src netip.AddrPort, payload []byte) ([]byte, bool) {
	e.calls++
	if string(payload) == "quiet" {
		return dst, false
	}
	for i := len(payload) - 1; i >= 0; i-- {
		dst = append(dst, payload[i])
	}
	return dst, true
}

// UDP: a service's reply goes back with ports swapped and a valid
// checksum; UDP-02 and UDP-04 get silence; a UDP length shorter than the
// IP payload delivers the UDP length.
func TestUDP(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		svc := &echoService{}
		h.s.HandleUDP(7, svc)
		h.learn()
		out := h.exchange(ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 7, []byte("stressed")), nil))
		if len(out) != 1 {
			t.Fatalf("%d frames, want 1", len(out))
		}
		d := decode(t, out[0])
		if d.udp == nil || d.udp.SrcPort != 7 || d.udp.DstPort != 40000 || string(d.udp.Payload) != "desserts" {
			t.Fatalf("reply:\n%s", dump(out[0]))
		}
		var ip ipv4.Packet
		if err := ip.Decode(out[0][14:]); err != nil {
			t.Fatal(err)
		}
		if u, err := udp.Parse(ip.Payload()); err != nil || u.Checksum() == 0 || u.VerifyChecksum(ip.Src(), ip.Dst()) != nil {
			t.Errorf("reply's UDP checksum: %v", err)
		}

		bad := ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 7, []byte("x")), nil)
		bad[14+20+6] ^= 0x55
		h.silent("bad UDP checksum", bad, UDPChecksum)
		long := ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 7, []byte("x")), nil)
		binary.BigEndian.PutUint16(long[14+20+4:], 200)
		h.silent("UDP length past the payload", long, UDPMalformed)
		short := ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 7, []byte("x")), nil)
		binary.BigEndian.PutUint16(short[14+20+4:], 7)
		h.silent("UDP length under 8", short, UDPMalformed)
		h.silent("service sends nothing", ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 7, []byte("quiet")), nil), UDPNoReply)

		// UDP length 9 in a 12-byte payload: the service sees one byte.
		u := udpDatagram(40000, 7, []byte("a"))
		u = append(u, "bcd"...)
		binary.BigEndian.PutUint16(u[6:], 0) // no checksum
		out = h.exchange(ipFrame(ipv4.ProtocolUDP, nil, u, nil))
		if len(out) != 1 {
			t.Fatalf("trailing bytes: %d frames, want 1", len(out))
		}
		if d := decode(t, out[0]); d.udp == nil || string(d.udp.Payload) != "a" {
			t.Errorf("trailing bytes: reply\n%s", dump(out[0]))
		}
	})
}

// Frames not for us, or of other EtherTypes, are dropped.
func TestEthernetSilence(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		h.silent("another host's MAC", ethFrame(t2MAC, tMAC, ethernet.EthertypeIPv4, nil), EthNotOurs)
		h.silent("IPv6", ethFrame(dutMAC, tMAC, ethernet.EthertypeIPv6, make([]byte, 40)), EthType)
		h.silent("VLAN", ethFrame(dutMAC, tMAC, ethernet.EthertypeVLAN, make([]byte, 40)), EthType)
		h.silent("runt", []byte{1, 2, 3}, EthTruncated)
	})
}

// The event loop allocates nothing per frame in steady state: echo
// requests, ARP requests and a UDP service over the pipe.
func TestAllocs(t *testing.T) {
	h := newPipeHarness(t)
	h.learn()
	h.s.HandleUDP(7, &echoService{})
	for _, c := range []struct {
		name  string
		frame []byte
	}{
		{"echo", ipFrame(ipv4.ProtocolICMP, nil, echoRequest(bytes.Repeat([]byte{1}, 56)), nil)},
		{"arp", arpFrame(arp.OpRequest, tMAC, tIP, nil, dutIP)},
		{"udp", ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 7, []byte("payload")), nil)},
		{"port unreachable", ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 9, []byte("payload")), nil)},
		{"bad checksum", func() []byte {
			f := ipFrame(ipv4.ProtocolICMP, nil, echoRequest(nil), nil)
			f[24] ^= 1
			return f
		}()},
	} {
		allocs := testing.AllocsPerRun(200, func() {
			h.pipe.WriteFrame(c.frame)
			h.s.Step()
			for h.pipe.Pending() > 0 {
				h.pipe.ReadFrame(h.buf)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per frame, want 0", c.name, allocs)
		}
	}
}

// Run returns nil once the link is closed.
func TestRunStops(t *testing.T) {
	a, b := NewPipe()
	s, err := New(a, Config{MAC: dutMAC, Addr: netip.MustParsePrefix("198.18.1.2/24")})
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Run() }()
	b.WriteFrame(arpFrame(arp.OpRequest, tMAC, tIP, nil, dutIP))
	buf := make([]byte, MaxFrame)
	if _, err := b.ReadFrame(buf); err != nil {
		t.Fatal(err)
	}
	b.Close()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after Close")
	}
	if c := s.Counters(); c.Received != 1 || c.Sent != 1 {
		t.Errorf("counters %+v", c)
	}
}
