package stack

import (
	"errors"
	"net/netip"
	"time"

	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
)

var errTxFrame = errors.New("stack: the builders wrote a header of an unexpected length")

const (
	// reasmSlots is how many datagrams can be reassembled at once; a
	// fragment of another datagram takes the oldest slot's place.
	reasmSlots = 4
	// reasmTimeout is how long a datagram may take to arrive whole
	// (RFC 1122 3.3.2 recommends 60 to 120 s; Linux waits 30 s).
	reasmTimeout = 30 * time.Second
	// maxIPPayload is the most data an IPv4 datagram can hold: 65535
	// bytes less the smallest header.
	maxIPPayload = 65535 - 20
	// reasmData is where a slot's buffer holds the data: after room
	// for the Ethernet header and the largest IPv4 header.
	reasmData = 14 + 60
)

// reasm is a datagram being reassembled (RFC 791 section 3.2, RFC 1122
// 3.3.2): its data at reasmData in buf, which blocks of 8 bytes arrived,
// and the first fragment's header, kept as a builder.
type reasm struct {
	used     bool
	src, dst netip.Addr
	proto    ipv4.Protocol
	id       uint16
	buf      []byte
	have     [maxIPPayload/64 + 1]byte // one bit per 8-byte block
	total    int                       // the data's length; -1 until the last fragment
	maxEnd   int                       // the end of the data received furthest on
	first    bool                      // fragment 0 arrived: head holds its header
	head     ipv4.Builder
	opts     [40]byte
	quote    [60 + 8]byte // fragment 0's header and first 8 data bytes, for Time Exceeded
	quoteLen int
	// icmpError: fragment 0 holds an ICMP error, which no Time Exceeded
	// answers.
	icmpError bool
	deadline  time.Time
	started   time.Time
}

func (s *Stack) initReasm() {
	for i := range s.reasm {
		s.reasm[i].buf = make([]byte, reasmData+maxIPPayload)
	}
}

// reassemble adds a fragment to its datagram. When the datagram is
// whole it returns a frame holding it: an Ethernet header and the
// datagram, with the first fragment's header, not a fragment any more.
func (s *Stack) reassemble(ip *ipv4.Packet) ([]byte, bool) {
	src, dst, proto, id := ip.Src(), ip.Dst(), ip.Protocol(), ip.ID()
	off := int(ip.FragmentOffset()) * 8
	data := ip.Payload()
	more := ip.MoreFragments()
	if off+len(data) > maxIPPayload || (more && len(data)%8 != 0) || (more && len(data) == 0) {
		// Past 65535 bytes (the ping of death), or a fragment
		// other than the last whose length is not a multiple of 8.
		s.c.drop(IPFragment)
		return nil, false
	}
	var r *reasm
	oldest := 0
	for i := range s.reasm {
		x := &s.reasm[i]
		if x.used && x.src == src && x.dst == dst && x.proto == proto && x.id == id {
			r = x
			break
		}
		if !x.used || (s.reasm[oldest].used && x.started.Before(s.reasm[oldest].started)) {
			oldest = i
		}
	}
	if r == nil {
		r = &s.reasm[oldest]
		if r.used {
			s.c.drop(IPReassembly)
			s.reasmWaiting--
		}
		now := time.Now()
		buf := r.buf
		*r = reasm{used: true, src: src, dst: dst, proto: proto, id: id, buf: buf, total: -1, started: now, deadline: now.Add(s.reasmTimeout)}
		s.reasmWaiting++
	}
	end := off + len(data)
	if !more {
		// The last fragment sets the length: it must agree with an
		// earlier last one and hold all the data received so far.
		if r.total >= 0 && r.total != end || end < r.maxEnd {
			s.c.drop(IPReassembly)
			s.dropReasm(r)
			return nil, false
		}
		r.total = end
	}
	if r.total >= 0 && end > r.total {
		s.c.drop(IPReassembly)
		s.dropReasm(r)
		return nil, false
	}
	r.maxEnd = max(r.maxEnd, end)
	copy(r.buf[reasmData+off:], data)
	for b := off / 8; b < (off+len(data)+7)/8; b++ {
		r.have[b/8] |= 1 << (b % 8)
	}
	if off == 0 && !r.first {
		r.first = true
		r.head = ipv4.Builder{
			DSCP: ip.DSCP(), ECN: ip.ECN(), ID: id, DontFragment: ip.DontFragment(),
			TTL: ip.TTL(), Protocol: proto, Src: src, Dst: dst,
			Options: r.opts[:copy(r.opts[:], ip.Options())],
		}
		r.quoteLen = copy(r.quote[:], quote(ip))
		r.icmpError = isICMPError(ip)
	}
	if !r.first || r.total < 0 {
		return nil, false
	}
	for b := 0; b < (r.total+7)/8; b++ {
		if r.have[b/8]&(1<<(b%8)) == 0 {
			return nil, false
		}
	}
	// Whole: the header goes right before the data.
	hl := 20 + len(r.head.Options)
	start := reasmData - hl - ipStart
	out, err := ethernet.Builder{Dst: s.mac[:], Src: s.mac[:], Ethertype: ethernet.EthertypeIPv4}.AppendHeader(r.buf[start:start])
	if err == nil {
		out, err = r.head.AppendHeader(out)
	}
	if err == nil && len(out) != reasmData-start {
		err = errTxFrame
	}
	if err == nil {
		out, err = r.head.Finish(r.buf[start:reasmData+r.total], ipStart)
	}
	s.dropReasm(r)
	if err != nil {
		s.c.drop(IPFragment)
		return nil, false
	}
	return out, true
}

func (s *Stack) dropReasm(r *reasm) {
	if r.used {
		r.used = false
		s.reasmWaiting--
	}
}

// reasmTimers gives up on datagrams that took too long, answering Time
// Exceeded (code 1) for those whose first fragment arrived and is not
// an ICMP error (RFC 1122 3.3.2 and 3.2.2, RFC 792).
func (s *Stack) reasmTimers(now time.Time) {
	for i := range s.reasm {
		r := &s.reasm[i]
		if !r.used || now.Before(r.deadline) {
			continue
		}
		s.c.drop(IPReassembly)
		s.dropReasm(r)
		if r.first && !r.icmpError {
			m := icmp.TimeExceededBuilder{Code: 1, Original: r.quote[:r.quoteLen]}
			s.sendICMP(r.src, func(dst []byte) ([]byte, error) { return m.AppendTo(dst) })
		}
	}
}

// nextReasm returns the earliest reassembly deadline, or the zero time.
func (s *Stack) nextReasm() time.Time {
	var next time.Time
	if s.reasmWaiting == 0 {
		return next
	}
	for i := range s.reasm {
		if r := &s.reasm[i]; r.used && (next.IsZero() || r.deadline.Before(next)) {
			next = r.deadline
		}
	}
	return next
}

// fragment sends frame, an Ethernet frame around an IPv4 packet larger
// than the MTU, as fragments (RFC 791): each carries as much data as
// fits, in multiples of 8 bytes; the first keeps the options, the others
// carry none (the stack sends no option that RFC 791 copies into every
// fragment). A packet that may not be fragmented is dropped.
func (s *Stack) fragment(frame []byte, hop netip.Addr, mac [6]byte) {
	var ip ipv4.Packet
	if err := ip.Decode(frame[ipStart:]); err != nil || ip.DontFragment() || &frame[0] == &s.out[:1][0] {
		s.c.drop(TxTooLarge)
		return
	}
	data := ip.Payload()
	base := int(ip.FragmentOffset()) * 8
	b := ipv4.Builder{
		DSCP: ip.DSCP(), ECN: ip.ECN(), ID: ip.ID(), TTL: ip.TTL(), Protocol: ip.Protocol(),
		Src: ip.Src(), Dst: ip.Dst(), Options: ip.Options(),
	}
	eth := ethernet.Builder{Dst: mac[:], Src: s.mac[:], Ethertype: ethernet.EthertypeIPv4}
	for off := 0; off < len(data); {
		room := (mtu - 20 - len(b.Options)) &^ 7
		n := min(room, len(data)-off)
		b.FragmentOffset = uint16((base + off) / 8)
		b.MoreFragments = off+n < len(data) || ip.MoreFragments()
		b.Payload = data[off : off+n]
		out, err := eth.AppendHeader(s.out[:0])
		if err == nil {
			out, err = b.AppendTo(out)
		}
		if err == nil {
			out, err = eth.Finish(out, 0)
		}
		if err != nil {
			s.c.drop(TxError)
			return
		}
		s.write(out)
		off += n
		b.Options = nil
	}
}
