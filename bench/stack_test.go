package bench

import (
	"bytes"
	"encoding/binary"
	"net"
	"net/netip"
	"strings"
	"testing"

	miekg "github.com/miekg/dns"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/stack"
	"github.com/mplgo/mpl/stack/dnsserver"
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
	askFor(tb, s, peer, id.gwMAC, id.gateway, id.addr.Addr())
	return s, peer
}

// askFor has the host at sha and spa ask the stack for tpa's MAC with an
// ARP request, so that the stack learns it, and reads the reply.
func askFor(tb testing.TB, s *stack.Stack, peer *stack.PipeEnd, sha net.HardwareAddr, spa, tpa netip.Addr) {
	tb.Helper()
	req := arp.NewEthernetIPv4Builder()
	req.Op, req.SHA, req.SPA, req.THA, req.TPA = arp.OpRequest, sha, spa, make(net.HardwareAddr, 6), tpa
	body, err := req.AppendTo(nil)
	if err != nil {
		tb.Fatal(err)
	}
	frame, err := ethernet.Builder{Dst: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, Src: sha, Ethertype: ethernet.EthertypeARP, Payload: body}.AppendTo(nil)
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
	query := p4Query(b)
	runDNS := func(b *testing.B, peer *stack.PipeEnd, step func() error) {
		buf := make([]byte, stack.MaxFrame)
		b.ReportAllocs()
		b.SetBytes(int64(len(query)))
		for b.Loop() {
			peer.WriteFrame(query)
			if err := step(); err != nil {
				b.Fatal(err)
			}
			if _, err := peer.ReadFrame(buf); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("impl=hand/pkt=p4q", func(b *testing.B) {
		h, peer := newHandDNSOnPipe(b, query)
		runDNS(b, peer, h.step)
	})
	b.Run("impl=mplc/pkt=p4q", func(b *testing.B) {
		s, peer := newDNSStackOnPipe(b)
		runDNS(b, peer, s.Step)
	})
}

// The DNS benchmark (pkt=p4q) sends p4's query (www.example.com A, with
// EDNS0) to a host serving a zone that answers it: "mplc" is the stack
// with stack/dnsserver on port 53 (its answer memoised after the first
// query: what each later query costs is the cache hit, built only on the
// generated codecs); "hand" checks the frame as the stack does (Ethernet,
// IPv4 with its checksum, UDP with its checksum, the DNS header and
// question) and answers from the same memoised bytes with hand-written
// headers and checksums.

const p4Zone = `$ORIGIN example.com.
$TTL 300
@ IN SOA ns.example.com. hostmaster.example.com. 1 3600 600 86400 300
@ IN NS ns.example.com.
ns IN A 192.0.2.53
www IN A 93.184.215.14
www IN A 93.184.216.34
`

// The addresses of the DNS benchmark: a client and the host, on one
// subnet.
var (
	dnsClientMAC  = net.HardwareAddr{0x02, 0x00, 0x5e, 0x12, 0x01, 0x01}
	dnsClientAddr = netip.MustParseAddr("198.18.1.1")
	dnsHostMAC    = net.HardwareAddr{0x02, 0x00, 0x5e, 0x12, 0x01, 0x02}
	dnsHostAddr   = netip.MustParseAddr("198.18.1.2")
)

// p4Query is the frame of p4's query from the client to the host.
func p4Query(tb testing.TB) []byte {
	q := new(miekg.Msg)
	q.SetQuestion("www.example.com.", miekg.TypeA)
	q.Id = 0x1a2b
	q.SetEdns0(1232, false)
	msg, err := q.Pack()
	if err != nil {
		tb.Fatal(err)
	}
	frame, err := buildUDPMplcDirect(nil, &udpInput{
		l3Input: l3Input{SrcMAC: dnsClientMAC, DstMAC: dnsHostMAC, TTL: 64, ID: 1, Src: dnsClientAddr, Dst: dnsHostAddr},
		SrcPort: 40000, DstPort: 53, Payload: msg,
	})
	if err != nil {
		tb.Fatal(err)
	}
	return frame
}

// newDNSStackOnPipe returns the stack serving p4Zone, with the client's
// MAC learnt, and the other end of its pipe.
func newDNSStackOnPipe(tb testing.TB) (*stack.Stack, *stack.PipeEnd) {
	z, err := dnsserver.LoadZone(strings.NewReader(p4Zone), "example.com.", "p4.zone")
	if err != nil {
		tb.Fatal(err)
	}
	a, peer := stack.NewPipe()
	s, err := stack.New(a, stack.Config{MAC: dnsHostMAC, Addr: netip.PrefixFrom(dnsHostAddr, 24)})
	if err != nil {
		tb.Fatal(err)
	}
	s.HandleUDP(53, dnsserver.New(z))
	askFor(tb, s, peer, dnsClientMAC, dnsClientAddr, dnsHostAddr)
	return s, peer
}

// handDNS is the hand-written DNS host: one memoised answer, for one
// question, as the stack's server would send it.
type handDNS struct {
	link     stack.Link
	mac      [6]byte
	addr     [4]byte
	question []byte // the question's name, type and class, the name in lower case
	answer   []byte // the DNS reply, its ID and question's letter case to patch
	in, out  []byte
	ipID     uint16
}

// newHandDNSOnPipe returns the hand-written host, its answer taken from
// the stack's reply to query (so that both send the same bytes).
func newHandDNSOnPipe(tb testing.TB, query []byte) (*handDNS, *stack.PipeEnd) {
	s, sp := newDNSStackOnPipe(tb)
	sp.WriteFrame(query)
	if err := s.Step(); err != nil {
		tb.Fatal(err)
	}
	buf := make([]byte, stack.MaxFrame)
	n, err := sp.ReadFrame(buf)
	if err != nil {
		tb.Fatal(err)
	}
	reply := buf[14+20+8 : n]
	qend := 12 + len("\x03www\x07example\x03com\x00") + 4
	a, peer := stack.NewPipe()
	h := &handDNS{
		link: a, mac: [6]byte(dnsHostMAC), addr: dnsHostAddr.As4(),
		question: bytes.ToLower(query[14+20+8+12 : 14+20+8+qend]),
		answer:   bytes.Clone(reply),
		in:       make([]byte, stack.MaxFrame), out: make([]byte, stack.MaxFrame),
		ipID: 1, // the stack's first reply (the one taken) had 0
	}
	return h, peer
}

// step reads one frame and answers it if it is the query for the
// memoised question.
func (h *handDNS) step() error {
	n, err := h.link.ReadFrame(h.in)
	if err != nil {
		return err
	}
	f := h.in[:n]
	if len(f) < 14+20 || [6]byte(f[0:6]) != h.mac || binary.BigEndian.Uint16(f[12:14]) != etherTypeIPv4 {
		return nil
	}
	b := f[14:]
	ih := (*[20]byte)(b)
	hl := int(ih[0]&0xf) * 4
	tl := int(binary.BigEndian.Uint16(ih[2:4]))
	if ih[0]>>4 != 4 || hl < 20 || tl < hl || tl > len(b) || csumFold(csumSum(b[:hl], 0)) != 0xffff {
		return nil
	}
	if [4]byte(ih[16:20]) != h.addr || ih[9] != protoUDP || ih[6]&0x3f|ih[7] != 0 {
		return nil
	}
	u := b[hl:tl]
	if len(u) < 8 {
		return nil
	}
	ul := int(binary.BigEndian.Uint16(u[4:6]))
	if ul < 8 || ul > len(u) || binary.BigEndian.Uint16(u[2:4]) != 53 {
		return nil
	}
	u = u[:ul]
	if binary.BigEndian.Uint16(u[6:8]) != 0 {
		ps := uint64(binary.BigEndian.Uint32(ih[12:16])) + uint64(binary.BigEndian.Uint32(ih[16:20])) + protoUDP + uint64(ul)
		if csumFold(csumSum(u, ps)) != 0xffff {
			return nil
		}
	}
	m := u[8:]
	// A query (QR 0, opcode 0) with one question, the one memoised.
	if len(m) < 12+len(h.question) || m[2]&0xf8 != 0 || binary.BigEndian.Uint16(m[4:6]) != 1 {
		return nil
	}
	q := m[12 : 12+len(h.question)]
	for i, c := range q {
		if c|0x20 != h.question[i]|0x20 && c != h.question[i] {
			return nil
		}
	}
	// The reply: Ethernet back to the sender, a new IPv4 header, UDP
	// with the ports swapped, the memoised answer with the query's ID,
	// RD and question.
	o := h.out[:14+20+8+len(h.answer)]
	copy(o[0:6], f[6:12])
	copy(o[6:12], h.mac[:])
	binary.BigEndian.PutUint16(o[12:14], etherTypeIPv4)
	oh := (*[20]byte)(o[14:34])
	oh[0], oh[1] = 0x45, 0
	binary.BigEndian.PutUint16(oh[2:4], uint16(20+8+len(h.answer)))
	binary.BigEndian.PutUint16(oh[4:6], h.ipID)
	h.ipID++
	oh[6], oh[7], oh[8], oh[9] = 0, 0, 64, protoUDP
	oh[10], oh[11] = 0, 0
	copy(oh[12:16], h.addr[:])
	copy(oh[16:20], ih[12:16])
	binary.BigEndian.PutUint16(oh[10:12], ^csumFold(csumSum(oh[:], 0)))
	ou := o[34:]
	copy(ou[0:2], u[2:4])
	copy(ou[2:4], u[0:2])
	binary.BigEndian.PutUint16(ou[4:6], uint16(8+len(h.answer)))
	ou[6], ou[7] = 0, 0
	dm := ou[8:]
	copy(dm, h.answer)
	copy(dm[0:2], m[0:2])
	dm[2] = dm[2]&^0x01 | m[2]&0x01 // RD
	dm[3] = dm[3]&^0x10 | m[3]&0x10 // CD
	copy(dm[12:], q)
	ps := uint64(binary.BigEndian.Uint32(oh[12:16])) + uint64(binary.BigEndian.Uint32(oh[16:20])) + protoUDP + uint64(8+len(h.answer))
	c := ^csumFold(csumSum(ou, ps))
	if c == 0 {
		c = 0xffff
	}
	binary.BigEndian.PutUint16(ou[6:8], c)
	return h.link.WriteFrame(o)
}

// TestStackDNSAgrees checks that the stack and the hand-written host
// answer p4's query with the same frame, and that the stack's answer is
// the zone's two addresses.
func TestStackDNSAgrees(t *testing.T) {
	query := p4Query(t)
	buf := make([]byte, stack.MaxFrame)
	s, sp := newDNSStackOnPipe(t)
	var replies [][]byte
	for i := 0; i < 2; i++ { // a miss, then a hit
		sp.WriteFrame(query)
		if err := s.Step(); err != nil {
			t.Fatal(err)
		}
		n, err := sp.ReadFrame(buf)
		if err != nil {
			t.Fatal(err)
		}
		replies = append(replies, bytes.Clone(buf[:n]))
	}
	h, hp := newHandDNSOnPipe(t, query)
	hp.WriteFrame(query)
	if err := h.step(); err != nil {
		t.Fatal(err)
	}
	n, err := hp.ReadFrame(buf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(replies[1], buf[:n]) {
		t.Errorf("stack's reply\n%x\nhand's\n%x", replies[1], buf[:n])
	}
	var m miekg.Msg
	if err := m.Unpack(replies[1][14+20+8:]); err != nil {
		t.Fatal(err)
	}
	if m.Id != 0x1a2b || !m.Authoritative || len(m.Answer) != 2 || m.IsEdns0() == nil {
		t.Errorf("reply:\n%v", &m)
	}
}
