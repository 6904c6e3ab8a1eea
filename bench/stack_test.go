package bench

import (
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"testing"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/stack"
)

// The stack benchmark runs an echo request frame (p3) through a whole
// host on an in-memory link: the frame is written to one end of a
// stack.Pipe, the host reads it, checks Ethernet, IPv4 (with its header
// checksum) and ICMP (with its checksum), writes the echo reply, and the
// reply is read from the other end. "mplc" is stack.Stack, built only on
// the generated codecs; "hand" is a hand-written reflector on the same
// link doing the same checks and the same rewrite.

// p3Host is the identity a host needs to answer p3: p3's destination MAC
// and address, and its source (a host on another network) reached through
// a gateway whose MAC is p3's source MAC.
type p3Host struct {
	mac     net.HardwareAddr
	addr    netip.Prefix
	gateway netip.Addr
	gwMAC   net.HardwareAddr
}

func p3Identity(tb testing.TB) p3Host {
	f := vector(tb, "p3_icmp_echo")
	eth, err := ethernet.Parse(f)
	if err != nil {
		tb.Fatal(err)
	}
	dst := netip.AddrFrom4([4]byte(f[30:34]))
	return p3Host{
		mac:     eth.Dst(),
		addr:    netip.PrefixFrom(dst, 24),
		gateway: netip.AddrFrom4([4]byte{dst.As4()[0], dst.As4()[1], dst.As4()[2], 1}),
		gwMAC:   eth.Src(),
	}
}

// newStackOnPipe returns a stack answering p3 on one end of a pipe, with
// the gateway's MAC already learnt, and the other end.
func newStackOnPipe(tb testing.TB) (*stack.Stack, *stack.PipeEnd) {
	id := p3Identity(tb)
	a, peer := stack.NewPipe()
	s, err := stack.New(a, stack.Config{MAC: id.mac, Addr: id.addr, Gateway: id.gateway})
	if err != nil {
		tb.Fatal(err)
	}
	// The gateway asks for us, as a router would before forwarding.
	req := arp.NewEthernetIPv4Builder()
	req.Op, req.SHA, req.SPA, req.THA, req.TPA = arp.OpRequest, id.gwMAC, id.gateway, make(net.HardwareAddr, 6), id.addr.Addr()
	body, err := req.AppendTo(nil)
	if err != nil {
		tb.Fatal(err)
	}
	frame, err := ethernet.Builder{Dst: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, Src: id.gwMAC, Ethertype: ethernet.EthertypeARP, Payload: body}.AppendTo(nil)
	if err != nil {
		tb.Fatal(err)
	}
	peer.WriteFrame(frame)
	if err := s.Step(); err != nil {
		tb.Fatal(err)
	}
	buf := make([]byte, stack.MaxFrame)
	if _, err := peer.ReadFrame(buf); err != nil {
		tb.Fatal(err)
	}
	return s, peer
}

// handHost is the hand-written reflector: it answers echo requests to its
// address on its link, checking what the stack checks.
type handHost struct {
	link stack.Link
	mac  [6]byte
	addr [4]byte
	in   []byte
}

func newHandOnPipe(tb testing.TB) (*handHost, *stack.PipeEnd) {
	id := p3Identity(tb)
	a, peer := stack.NewPipe()
	return &handHost{link: a, mac: [6]byte(id.mac), addr: id.addr.Addr().As4(), in: make([]byte, stack.MaxFrame)}, peer
}

// step reads one frame and answers it if it is an echo request for us.
func (h *handHost) step() error {
	n, err := h.link.ReadFrame(h.in)
	if err != nil {
		return err
	}
	f := h.in[:n]
	if len(f) < 14 || [6]byte(f[0:6]) != h.mac || binary.BigEndian.Uint16(f[12:14]) != etherTypeIPv4 {
		return nil
	}
	b := f[14:]
	if len(b) < 20 {
		return nil
	}
	ih := (*[20]byte)(b)
	hl := int(ih[0]&0xf) * 4
	tl := int(binary.BigEndian.Uint16(ih[2:4]))
	if ih[0]>>4 != 4 || hl < 20 || tl < hl || tl > len(b) || csumFold(csumSum(b[:hl], 0)) != 0xffff {
		return nil
	}
	if [4]byte(ih[16:20]) != h.addr || ih[9] != protoICMP || ih[6]&0x3f|ih[7] != 0 {
		return nil
	}
	p := b[hl:tl]
	if len(p) < 8 || p[0] != icmpEchoReq || csumFold(csumSum(p, 0)) != 0xffff {
		return nil
	}
	// Ethernet: back to the sender; IPv4: swap the addresses (the
	// checksum does not change), TTL 64 (patched); ICMP: echo reply
	// (patched).
	copy(f[0:6], f[6:12])
	copy(f[6:12], h.mac[:])
	src := binary.LittleEndian.Uint32(ih[12:16])
	binary.LittleEndian.PutUint32(ih[12:16], binary.LittleEndian.Uint32(ih[16:20]))
	binary.LittleEndian.PutUint32(ih[16:20], src)
	old := binary.BigEndian.Uint16(ih[8:10])
	ih[8] = 64
	binary.BigEndian.PutUint16(ih[10:12], csumUpdate16(binary.BigEndian.Uint16(ih[10:12]), old, binary.BigEndian.Uint16(ih[8:10])))
	p[0] = icmpEchoReply
	binary.BigEndian.PutUint16(p[2:4], csumUpdate16(binary.BigEndian.Uint16(p[2:4]), icmpEchoReq<<8, icmpEchoReply<<8))
	return h.link.WriteFrame(f[:14+tl])
}

// TestStackAgrees checks that the stack and the hand-written reflector
// answer p3 with the same frame, and that the reply is p3 turned around.
func TestStackAgrees(t *testing.T) {
	frame := vector(t, "p3_icmp_echo")
	buf := make([]byte, stack.MaxFrame)
	s, sp := newStackOnPipe(t)
	sp.WriteFrame(frame)
	if err := s.Step(); err != nil {
		t.Fatal(err)
	}
	n, err := sp.ReadFrame(buf)
	if err != nil {
		t.Fatal(err)
	}
	got := bytes.Clone(buf[:n])
	h, hp := newHandOnPipe(t)
	hp.WriteFrame(frame)
	if err := h.step(); err != nil {
		t.Fatal(err)
	}
	n, err = hp.ReadFrame(buf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, buf[:n]) {
		t.Errorf("stack's reply\n%x\nhand's\n%x", got, buf[:n])
	}
	want, err := reflectHand(bytes.Clone(frame))
	if err != nil {
		t.Fatal(err)
	}
	copy(want[0:6], frame[6:12])
	copy(want[6:12], frame[0:6])
	if !bytes.Equal(got, want) {
		t.Errorf("stack's reply\n%x\nwant p3 turned around\n%x", got, want)
	}
}

// BenchmarkStack answers p3 through a whole host on an in-memory link.
func BenchmarkStack(b *testing.B) {
	frame := vector(b, "p3_icmp_echo")
	run := func(b *testing.B, peer *stack.PipeEnd, step func() error) {
		buf := make([]byte, stack.MaxFrame)
		b.ReportAllocs()
		b.SetBytes(int64(len(frame)))
		for b.Loop() {
			peer.WriteFrame(frame)
			if err := step(); err != nil {
				b.Fatal(err)
			}
			if n, err := peer.ReadFrame(buf); err != nil || n != len(frame) {
				b.Fatal(n, err)
			}
		}
	}
	b.Run("impl=hand/pkt=p3", func(b *testing.B) {
		h, peer := newHandOnPipe(b)
		run(b, peer, h.step)
	})
	b.Run("impl=mplc/pkt=p3", func(b *testing.B) {
		s, peer := newStackOnPipe(b)
		run(b, peer, s.Step)
	})
}
