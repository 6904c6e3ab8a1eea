package stack

import (
	"net/netip"
	"time"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
)

const (
	// arpEntries is how many neighbours the ARP cache holds; when it is
	// full, a new entry replaces the oldest.
	arpEntries = 64
	// arpWaiting is how many next hops can wait for ARP at once, each
	// with one frame queued (RFC 1122 2.3.2.2: at least one).
	arpWaiting = 4
	// arpTries is how many requests go out for a next hop, one a second
	// (RFC 1122 2.3.2.1), before its queued frame is dropped.
	arpTries = 3
	arpRetry = time.Second
)

type arpEntry struct {
	ip  netip.Addr
	mac [6]byte
}

// waiting is a next hop being resolved, with the frame to send to it.
type waiting struct {
	ip    netip.Addr // the zero Addr: a free slot
	frame []byte     // MaxFrame bytes; the queued frame is frame[:n]
	n     int
	tries int
	last  time.Time // when the last request went out
}

// arpTable is the neighbour cache and the next hops being resolved.
type arpTable struct {
	entries [arpEntries]arpEntry
	next    int // the slot the next new entry takes, once all are used
	wait    [arpWaiting]waiting
	waiting int // slots of wait in use
}

func (t *arpTable) init() {
	for i := range t.wait {
		t.wait[i].frame = make([]byte, MaxFrame)
	}
}

func (t *arpTable) lookup(ip netip.Addr) (mac [6]byte, ok bool) {
	for i := range t.entries {
		if e := &t.entries[i]; e.ip == ip {
			return e.mac, true
		}
	}
	return mac, false
}

// update sets the MAC of ip if the cache has it, and reports whether it
// did (RFC 826's merge step).
func (t *arpTable) update(ip netip.Addr, mac [6]byte) bool {
	for i := range t.entries {
		if e := &t.entries[i]; e.ip == ip {
			e.mac = mac
			return true
		}
	}
	return false
}

// insert adds ip, replacing the oldest entry when the cache is full.
func (t *arpTable) insert(ip netip.Addr, mac [6]byte) {
	for i := range t.entries {
		if !t.entries[i].ip.IsValid() {
			t.entries[i] = arpEntry{ip, mac}
			return
		}
	}
	t.entries[t.next] = arpEntry{ip, mac}
	t.next = (t.next + 1) % arpEntries
}

// nextRetry returns when the next ARP request is due, or the zero time
// when nothing waits.
func (t *arpTable) nextRetry() time.Time {
	var next time.Time
	if t.waiting == 0 {
		return next
	}
	for i := range t.wait {
		w := &t.wait[i]
		if !w.ip.IsValid() {
			continue
		}
		if at := w.last.Add(arpRetry); next.IsZero() || at.Before(next) {
			next = at
		}
	}
	return next
}

// inputARP handles an ARP packet (RFC 826 "Packet Reception", with the
// checks of RFC 1122 2.3.2 and the conformance cases of the ARP tests):
// the hardware and protocol types and address lengths first, then the
// merge of the sender into the cache, then, for us as the target, the
// insert and, for a request, the reply.
func (s *Stack) inputARP(payload []byte) {
	a, err := arp.Parse(payload)
	if err != nil {
		s.c.drop(ARPMalformed)
		return
	}
	// IEEE 802 (6) is Ethernet too (RFC 1042); Linux answers it with 1.
	if h := a.Htype(); h != arp.HtypeEthernet && h != arp.HtypeIEEE802 {
		s.c.drop(ARPHardware)
		return
	}
	if a.Ptype() != arp.PtypeIPv4 {
		s.c.drop(ARPProtocol)
		return
	}
	e, ok := a.AsEthernetIPv4()
	if !ok {
		s.c.drop(ARPLengths)
		return
	}
	sha, spa, tpa := [6]byte(e.SHA()), e.SPA(), e.TPA()
	// A broadcast or multicast sender would have us broadcast the
	// reply: Linux does, but nothing good comes of it (ARP tests 017/018
	// recommend silence), so such a packet is ignored whole.
	if sha[0]&1 != 0 {
		s.c.drop(ARPSender)
		return
	}
	// A probe (RFC 5227: sender 0.0.0.0) is answered but not learnt;
	// another sender outside the subnet, or not a host address of it,
	// is ignored.
	probe := spa.IsUnspecified()
	if !probe && (!s.prefix.Contains(spa) || spa == s.bcast || spa == s.prefix.Addr() || spa == s.addr) {
		s.c.drop(ARPSender)
		return
	}
	merged := !probe && s.arp.update(spa, sha)
	op := a.Op()
	if tpa != s.addr {
		s.c.drop(ARPNotOurs)
		if merged {
			s.flushWaiting(spa, sha)
		}
		return
	}
	if !merged && !probe {
		s.arp.insert(spa, sha)
	}
	if !probe {
		s.flushWaiting(spa, sha)
	}
	switch op {
	case arp.OpRequest:
		s.sendARP(arp.OpReply, sha, sha, spa)
	case arp.OpReply:
	default:
		s.c.drop(ARPOp)
	}
}

// sendARP sends an ARP packet from us to the Ethernet address to, about
// target hardware address tha and protocol address tpa.
func (s *Stack) sendARP(op arp.Op, to, tha [6]byte, tpa netip.Addr) {
	eth := ethernet.Builder{Dst: to[:], Src: s.mac[:], Ethertype: ethernet.EthertypeARP}
	body := arp.NewEthernetIPv4Builder()
	body.Op = op
	body.SHA, body.SPA = s.mac[:], s.addr
	body.THA, body.TPA = tha[:], tpa
	out, err := eth.AppendHeader(s.out[:0])
	if err == nil {
		out, err = body.AppendTo(out)
	}
	if err == nil {
		out, err = eth.Finish(out, 0)
	}
	if err != nil {
		s.c.drop(TxError)
		return
	}
	s.write(out)
}

// sendIP sends frame, an Ethernet frame around an IPv4 packet to dst,
// to dst's next hop: at once if the cache knows its MAC, else after ARP
// resolves it (the frame is copied into the waiting slot).
func (s *Stack) sendIP(frame []byte, dst netip.Addr) {
	hop := dst
	if !s.prefix.Contains(dst) {
		if !s.gateway.IsValid() {
			s.c.drop(IPNoRoute)
			return
		}
		hop = s.gateway
	}
	var eth ethernet.Packet
	if err := eth.Decode(frame); err != nil {
		s.c.drop(TxError)
		return
	}
	eth.SetSrc(s.mac[:])
	if mac, ok := s.arp.lookup(hop); ok {
		if len(frame)-ipStart > mtu {
			s.fragment(frame, hop, mac)
			return
		}
		eth.SetDst(mac[:])
		s.write(frame)
		return
	}
	big := len(frame)-ipStart > mtu || len(frame) > MaxFrame
	slot := -1
	for i := range s.arp.wait {
		if w := &s.arp.wait[i]; w.ip == hop || (slot < 0 && !w.ip.IsValid()) {
			slot = i
		}
	}
	if slot < 0 {
		s.c.drop(ARPQueueFull)
		return
	}
	w := &s.arp.wait[slot]
	n := 0
	if big {
		// Too large to wait in a slot: it is dropped, and the hop
		// asked for (at the pace of any other), so that the sender's
		// next try goes through.
		s.c.drop(ARPUnresolved)
	} else {
		n = len(frame)
	}
	if w.ip == hop {
		// The newest frame replaces the one queued (the one-frame
		// queue of RFC 1122 2.3.2.2); the earlier one is lost.
		if w.n > 0 || big {
			s.c.drop(ARPQueueFull)
		}
		if !big {
			w.n = copy(w.frame, frame)
		}
		return
	}
	*w = waiting{ip: hop, frame: w.frame, n: copy(w.frame, frame[:n]), tries: 1, last: time.Now()}
	s.arp.waiting++
	s.sendARP(arp.OpRequest, broadcastMAC, [6]byte{}, hop)
}

// flushWaiting sends the frame waiting for ip, now that its MAC is known.
func (s *Stack) flushWaiting(ip netip.Addr, mac [6]byte) {
	if s.arp.waiting == 0 {
		return
	}
	for i := range s.arp.wait {
		w := &s.arp.wait[i]
		if w.ip != ip {
			continue
		}
		var eth ethernet.Packet
		if w.n > 0 && eth.Decode(w.frame[:w.n]) == nil {
			eth.SetDst(mac[:])
			s.write(w.frame[:w.n])
		}
		w.ip = netip.Addr{}
		s.arp.waiting--
	}
}

// arpTimers sends the ARP requests that are due, and gives up on next
// hops asked arpTries times.
func (s *Stack) arpTimers(now time.Time) {
	for i := range s.arp.wait {
		w := &s.arp.wait[i]
		if !w.ip.IsValid() || now.Sub(w.last) < arpRetry {
			continue
		}
		if w.tries >= arpTries {
			s.c.drop(ARPUnresolved)
			w.ip = netip.Addr{}
			s.arp.waiting--
			continue
		}
		w.tries++
		w.last = now
		s.sendARP(arp.OpRequest, broadcastMAC, [6]byte{}, w.ip)
	}
}
