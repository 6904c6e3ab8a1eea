package stack

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"time"

	"github.com/mplgo/mpl/gen/ethernet"
)

// Config is a stack's identity on its link.
type Config struct {
	// MAC is the stack's Ethernet address: six bytes, unicast.
	MAC net.HardwareAddr
	// Addr is the stack's IPv4 address and its subnet, as 198.18.1.2/24.
	// Hosts in the subnet are reached directly, others through Gateway.
	Addr netip.Prefix
	// Gateway is the next hop for addresses outside the subnet; without
	// one, replies to them are dropped (IPNoRoute).
	Gateway netip.Addr
}

// UDPHandler is a UDP service (Stack.HandleUDP).
type UDPHandler interface {
	// HandleUDP is given the payload of a datagram from src and appends
	// the reply's payload to dst; ok false sends nothing. payload and
	// dst are only valid during the call.
	HandleUDP(dst []byte, src netip.AddrPort, payload []byte) (reply []byte, ok bool)
}

// Stack is a userspace IPv4 host on one link: it answers ARP for its
// address, echo requests, and the UDP services registered with HandleUDP,
// and counts what it drops by reason. One goroutine runs it (Run); every
// frame is parsed and every reply built with the generated codecs of gen/,
// in buffers allocated once, so that a frame in steady state allocates
// nothing.
type Stack struct {
	link    Link
	mac     [6]byte
	addr    netip.Addr
	prefix  netip.Prefix
	bcast   netip.Addr
	gateway netip.Addr
	udp     []udpService // few: a scan beats a map's hash
	in, out []byte       // the frame read, and a reply built
	ipID    uint16
	arp     arpTable
	reasm   [reasmSlots]reasm
	// reasmWaiting is how many slots of reasm are in use.
	reasmWaiting int
	reasmTimeout time.Duration
	c            counters
	// dl is the link's read deadlines, if it has them; deadline is the
	// one set (zero: none).
	dl       deadliner
	deadline time.Time
}

// New returns a stack for link with the identity cfg. It reads nothing
// until Run.
func New(link Link, cfg Config) (*Stack, error) {
	if len(cfg.MAC) != 6 || cfg.MAC[0]&1 != 0 {
		return nil, fmt.Errorf("stack: MAC %v is not a unicast Ethernet address", cfg.MAC)
	}
	if !cfg.Addr.IsValid() || !cfg.Addr.Addr().Is4() || cfg.Addr.Bits() > 30 {
		return nil, fmt.Errorf("stack: address %v is not an IPv4 address in a subnet of at least 4 addresses", cfg.Addr)
	}
	if cfg.Gateway.IsValid() && (!cfg.Gateway.Is4() || !cfg.Addr.Contains(cfg.Gateway)) {
		return nil, fmt.Errorf("stack: gateway %v is not in %v", cfg.Gateway, cfg.Addr.Masked())
	}
	s := &Stack{
		link:    link,
		addr:    cfg.Addr.Addr(),
		prefix:  cfg.Addr.Masked(),
		gateway: cfg.Gateway,
		in:      make([]byte, MaxFrame),
		out:     make([]byte, 0, MaxFrame),
	}
	s.dl, _ = link.(deadliner)
	copy(s.mac[:], cfg.MAC)
	// The subnet's broadcast address: every host bit set.
	b := s.prefix.Addr().As4()
	for i := s.prefix.Bits(); i < 32; i++ {
		b[i/8] |= 0x80 >> (i % 8)
	}
	s.bcast = netip.AddrFrom4(b)
	s.arp.init()
	s.initReasm()
	s.reasmTimeout = reasmTimeout
	return s, nil
}

// HandleUDP registers h for datagrams to port; a nil h closes the port.
// Call it before Run.
func (s *Stack) HandleUDP(port uint16, h UDPHandler) {
	for i, u := range s.udp {
		if u.port == port {
			if h == nil {
				s.udp = append(s.udp[:i], s.udp[i+1:]...)
			} else {
				s.udp[i].h = h
			}
			return
		}
	}
	if h != nil {
		s.udp = append(s.udp, udpService{port, h})
	}
}

type udpService struct {
	port uint16
	h    UDPHandler
}

// service returns the handler of port, or nil.
func (s *Stack) service(port uint16) UDPHandler {
	for _, u := range s.udp {
		if u.port == port {
			return u.h
		}
	}
	return nil
}

// Counters returns a snapshot of the stack's counters. It may be called
// while Run runs.
func (s *Stack) Counters() Counters {
	var c Counters
	c.Received = s.c.received.Load()
	c.Sent = s.c.sent.Load()
	for i := range c.Dropped {
		c.Dropped[i] = s.c.dropped[i].Load()
	}
	return c
}

// Run reads and answers frames until the link is closed (it then returns
// nil) or fails.
func (s *Stack) Run() error {
	for {
		if err := s.Step(); err != nil {
			if errors.Is(err, ErrClosed) {
				return nil
			}
			return err
		}
	}
}

// deadliner is a Link whose reads can time out (TAP, pipe): the stack
// then retries ARP and gives up on reassembly on time even when no frame
// arrives.
type deadliner interface {
	SetReadDeadline(t time.Time) error
}

// Step reads one frame, waiting for it, and handles it. When ARP
// resolutions or reassemblies are pending and the link has read
// deadlines, it returns early (nil) to handle their timers on time.
func (s *Stack) Step() error {
	if s.dl != nil && (s.arp.waiting > 0 || s.reasmWaiting > 0 || !s.deadline.IsZero()) {
		next := s.arp.nextRetry()
		if r := s.nextReasm(); !r.IsZero() && (next.IsZero() || r.Before(next)) {
			next = r
		}
		if next != s.deadline {
			if err := s.dl.SetReadDeadline(next); err != nil {
				return err
			}
			s.deadline = next
		}
	}
	n, err := s.link.ReadFrame(s.in)
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			s.timers()
			return nil
		}
		return err
	}
	s.c.received.Add(1)
	s.input(s.in[:n])
	if s.arp.waiting > 0 || s.reasmWaiting > 0 {
		s.timers()
	}
	return nil
}

func (s *Stack) timers() {
	now := time.Now()
	s.arpTimers(now)
	s.reasmTimers(now)
}

// input handles one frame.
func (s *Stack) input(frame []byte) {
	var eth ethernet.Packet
	if err := eth.Decode(frame); err != nil {
		s.c.drop(EthTruncated)
		return
	}
	dst := eth.Dst()
	if [6]byte(dst) != s.mac && [6]byte(dst) != broadcastMAC {
		s.c.drop(EthNotOurs)
		return
	}
	switch eth.Ethertype() {
	case ethernet.EthertypeARP:
		s.inputARP(eth.Payload())
	case ethernet.EthertypeIPv4:
		s.inputIPv4(frame, eth.Payload(), [6]byte(dst) == broadcastMAC)
	default:
		s.c.drop(EthType)
	}
}

var broadcastMAC = [6]byte{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}

// write sends a finished frame.
func (s *Stack) write(frame []byte) {
	if err := s.link.WriteFrame(frame); err != nil {
		s.c.drop(TxError)
		return
	}
	s.c.sent.Add(1)
}
