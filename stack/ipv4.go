package stack

import (
	"errors"
	"net/netip"

	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/udp"
	mplrt "github.com/mplgo/mpl/runtime"
)

// replyTTL is the TTL of the packets the stack sends.
const replyTTL = 64

// mtu is the largest IPv4 packet the stack sends.
const mtu = 1500

// inputIPv4 handles an IPv4 packet (RFC 791, RFC 1122 3.2.1): header
// checks first, in the order of RFC 1122 (version, header length, total
// length, checksum), then addresses, fragments and options, then the
// protocol.
func (s *Stack) inputIPv4(frame, payload []byte, linkBroadcast bool) {
	var ip ipv4.Packet
	if err := ip.Decode(payload); err != nil {
		s.c.drop(ipReason(err))
		return
	}
	if ip.VerifyChecksum() != nil {
		s.c.drop(IPChecksum)
		return
	}
	src, dst := ip.Src(), ip.Dst()
	if !s.validSource(src) {
		s.c.drop(IPSource)
		return
	}
	broadcast := dst == s.bcast || dst == limitedBroadcast
	if dst != s.addr && !broadcast {
		s.c.drop(IPNotOurs)
		return
	}
	if linkBroadcast && !broadcast {
		// A unicast datagram in a link-layer broadcast: RFC 1122 3.3.6
		// has hosts discard it, and 3.2.2 forbids answering it with an
		// ICMP error.
		s.c.drop(IPLinkBroadcast)
		return
	}
	if ip.MoreFragments() || ip.FragmentOffset() != 0 {
		if broadcast {
			s.c.drop(IPFragment)
			return
		}
		f, ok := s.reassemble(&ip)
		if !ok {
			return
		}
		frame = f
		if err := ip.Decode(f[ipStart:]); err != nil {
			s.c.drop(IPFragment)
			return
		}
	}
	var opts ipv4.Options
	if len(ip.Options()) > 0 {
		var err error
		if opts, err = ipv4.ParseOptions(ip.Options()); err != nil {
			s.c.drop(IPOptions)
			if !broadcast && !isICMPError(&ip) {
				s.paramProblem(&ip, err)
			}
			return
		}
		if hasSourceRoute(&opts) {
			s.c.drop(IPSourceRoute)
			return
		}
	}
	switch ip.Protocol() {
	case ipv4.ProtocolICMP:
		s.inputICMP(frame, &ip, &opts, broadcast)
	case ipv4.ProtocolUDP:
		s.inputUDP(&ip, broadcast)
	default:
		s.c.drop(IPProtocol)
		if !broadcast {
			// RFC 1122 3.2.2.1: protocol unreachable, code 2.
			s.unreachable(&ip, 2)
		}
	}
}

// ipReason tells which rule an IPv4 header broke, from the field the
// generated parser names.
func ipReason(err error) Reason {
	var e mplrt.Error
	if !errors.As(err, &e) || e.Kind == mplrt.KindTruncated && e.Field != "payload" {
		return IPMalformed
	}
	switch e.Field {
	case "version":
		return IPVersion
	case "ihl", "options":
		return IPHeaderLength
	case "total_length", "payload":
		return IPTotalLength
	}
	return IPMalformed
}

var limitedBroadcast = netip.AddrFrom4([4]byte{255, 255, 255, 255})

// validSource reports whether a packet from src may be answered or
// delivered (RFC 1122 3.2.1.3: not loopback, multicast, broadcast or
// class E; not 0.0.0.0, which no reply can reach, nor the subnet's own
// address, nor ours). Linux answers an echo from the subnet's broadcast address;
// the stack does not.
func (s *Stack) validSource(src netip.Addr) bool {
	a := src.As4()
	switch {
	case a[0] == 0 || a[0] == 127 || a[0] >= 224: // this network, loopback, multicast, class E, broadcast
		return false
	case src == s.bcast || src == s.prefix.Addr() || src == s.addr:
		return false
	}
	return true
}

// hasSourceRoute reports whether the options hold a loose or strict
// source route: RFC 1122 3.2.1.8 would have a host answer along the
// reversed route, but RFC 7126 4.3 and 4.4 recommend dropping them, as
// Linux does by default.
func hasSourceRoute(opts *ipv4.Options) bool {
	it := opts.Options()
	for o, ok := it.Next(); ok; o, ok = it.Next() {
		switch o.Kind() {
		case ipv4.OptionsOptionKindLooseSourceRoute, ipv4.OptionsOptionKindStrictSourceRoute:
			return true
		}
	}
	return false
}

// recordRoute adds our address to the Record Route options of opts that
// have room (RFC 791), and reports whether it changed any.
func (s *Stack) recordRoute(opts *ipv4.Options) bool {
	changed := false
	it := opts.Options()
	for o, ok := it.Next(); ok; o, ok = it.Next() {
		rr, ok := o.AsRecordRoute()
		if !ok {
			continue
		}
		// The pointer counts from the option's first byte, 1-based:
		// the first slot is at 4.
		p := int(rr.Pointer())
		if p < 4 || (p-4)%4 != 0 {
			continue
		}
		route := rr.Route()
		for i, slot := range route.All() {
			if i == (p-4)/4 {
				slot.SetAddress(s.addr)
				rr.SetPointer(uint8(p + 4))
				changed = true
				break
			}
		}
	}
	return changed
}

// isICMPError reports whether ip carries an ICMP error message, which no
// ICMP error may answer (RFC 1122 3.2.2). The type byte alone tells: an
// error cut short is an error still.
func isICMPError(ip *ipv4.Packet) bool {
	return ip.Protocol() == ipv4.ProtocolICMP && len(ip.Payload()) > 0 && icmpErrorType(ip.Payload()[0])
}

// icmpErrorType reports whether t is the type of an ICMP error message.
func icmpErrorType(t uint8) bool {
	switch t {
	case icmp.TypeDestinationUnreachable, icmp.TypeSourceQuench, icmp.TypeRedirect, icmp.TypeTimeExceeded, icmp.TypeParameterProblem:
		return true
	}
	return false
}

// inputICMP answers echo requests; other messages are counted and
// dropped.
func (s *Stack) inputICMP(frame []byte, ip *ipv4.Packet, opts *ipv4.Options, broadcast bool) {
	var m icmp.Packet
	if err := m.Decode(ip.Payload()); err != nil {
		s.c.drop(ICMPMalformed)
		return
	}
	if m.VerifyChecksum() != nil {
		s.c.drop(ICMPChecksum)
		return
	}
	if m.Kind() != icmp.KindEchoRequest {
		s.c.drop(ICMPType)
		return
	}
	if broadcast {
		s.c.drop(ICMPBroadcast)
		return
	}
	s.echo(frame, ip, opts, &m)
}

// echo turns an echo request into its reply in place (RFC 792, RFC 1122
// 3.2.2.6): the addresses swap, the type becomes echo reply, the setters
// update both checksums incrementally (RFC 1624), and the frame is cut
// to the packet's total length (padding is not echoed). A Record Route
// option gets our address twice, as Linux does: once as the request
// arrives, once as the reply leaves.
func (s *Stack) echo(frame []byte, ip *ipv4.Packet, opts *ipv4.Options, m *icmp.Packet) {
	if err := m.SetType(icmp.TypeEchoReply); err != nil {
		s.c.drop(ICMPMalformed)
		return
	}
	src := ip.Src()
	ip.SetSrc(s.addr)
	ip.SetDst(src)
	if ip.TTL() != replyTTL {
		ip.SetTTL(replyTTL)
	}
	if len(ip.Options()) > 0 {
		in := s.recordRoute(opts)
		out := s.recordRoute(opts)
		if in || out {
			// The options are a view of their own: the header's
			// checksum is computed again over them.
			ip.SetChecksum(ip.ComputeChecksum())
		}
	}
	n := len(frame) - len(ip.Rest())
	s.sendIP(frame[:n], src)
}

// unreachable answers ip with a Destination Unreachable of code (2:
// protocol, 3: port) quoting its header and the first 8 bytes of its
// payload (RFC 792, RFC 1122 3.2.2).
func (s *Stack) unreachable(ip *ipv4.Packet, code uint8) {
	m := icmp.DestinationUnreachableBuilder{Code: code, Original: quote(ip)}
	s.sendICMP(ip.Src(), func(dst []byte) ([]byte, error) { return m.AppendTo(dst) })
}

// paramProblem answers ip, whose options failed to parse with err, with
// a Parameter Problem whose pointer is the offset of the octet at fault
// in the header (RFC 792).
func (s *Stack) paramProblem(ip *ipv4.Packet, err error) {
	at := len(ip.Bytes()) - len(ip.Payload()) - len(ip.Options())
	var e mplrt.Error
	if errors.As(err, &e) {
		at += e.Offset
	}
	m := icmp.ParameterProblemBuilder{Pointer: uint8(at), Original: quote(ip)}
	s.sendICMP(ip.Src(), func(dst []byte) ([]byte, error) { return m.AppendTo(dst) })
}

// quote returns what an ICMP error about ip carries: its header and the
// first 8 bytes of its payload.
func quote(ip *ipv4.Packet) []byte {
	b := ip.Bytes()
	return b[:len(b)-len(ip.Payload())+min(8, len(ip.Payload()))]
}

// sendICMP builds an IPv4 packet to dst around the ICMP message body
// appends, and sends it.
func (s *Stack) sendICMP(dst netip.Addr, body func([]byte) ([]byte, error)) {
	out, ipb, ok := s.beginIP(ipv4.ProtocolICMP, dst)
	if !ok {
		return
	}
	out, err := body(out)
	s.endIP(out, &ipb, err)
}

// ipStart is where beginIP puts the IPv4 header in s.out: after the
// Ethernet header, whose length the builder tells.
var ipStart = func() int {
	b, _ := ethernet.Builder{}.AppendHeader(nil)
	return len(b)
}()

// beginIP appends the Ethernet and IPv4 headers of a packet from us to
// dst to s.out; endIP finishes it once its payload follows.
func (s *Stack) beginIP(proto ipv4.Protocol, dst netip.Addr) ([]byte, ipv4.Builder, bool) {
	eth := ethernet.Builder{Dst: broadcastMAC[:], Src: s.mac[:], Ethertype: ethernet.EthertypeIPv4}
	b := ipv4.NewBuilder()
	b.TTL = replyTTL
	b.Protocol = proto
	b.Src, b.Dst = s.addr, dst
	b.ID = s.ipID
	out, err := eth.AppendHeader(s.out[:0])
	if err == nil {
		out, err = b.AppendHeader(out)
	}
	if err != nil {
		s.c.drop(TxError)
		return nil, b, false
	}
	return out, b, true
}

func (s *Stack) endIP(out []byte, b *ipv4.Builder, err error) {
	if err == nil && len(out)-ipStart > mtu {
		s.c.drop(TxTooLarge)
		return
	}
	if err == nil {
		out, err = b.Finish(out, ipStart)
	}
	if err == nil {
		out, err = ethernet.Builder{}.Finish(out, 0)
	}
	if err != nil {
		s.c.drop(TxError)
		return
	}
	s.ipID++
	s.sendIP(out, b.Dst)
}

// inputUDP delivers a datagram to its port's service and sends the
// service's reply, or answers Port Unreachable for a closed port.
func (s *Stack) inputUDP(ip *ipv4.Packet, broadcast bool) {
	var u udp.Packet
	if err := u.Decode(ip.Payload()); err != nil {
		s.c.drop(UDPMalformed)
		return
	}
	src, dst := ip.Src(), ip.Dst()
	if u.Checksum() != 0 && u.VerifyChecksum(src, dst) != nil {
		s.c.drop(UDPChecksum)
		return
	}
	h := s.service(u.DstPort())
	if h == nil {
		s.c.drop(UDPClosed)
		if !broadcast {
			s.unreachable(ip, 3)
		}
		return
	}
	out, ipb, ok := s.beginIP(ipv4.ProtocolUDP, src)
	if !ok {
		return
	}
	ub := udp.Builder{Src: s.addr, Dst: src, SrcPort: u.DstPort(), DstPort: u.SrcPort()}
	udpStart := len(out)
	out, err := ub.AppendHeader(out)
	if err != nil {
		s.c.drop(TxError)
		return
	}
	out, ok = h.HandleUDP(out, netip.AddrPortFrom(src, u.SrcPort()), u.Payload())
	if !ok {
		s.c.drop(UDPNoReply)
		return
	}
	if len(out)-ipStart > mtu {
		s.c.drop(TxTooLarge)
		return
	}
	out, err = ub.Finish(out, udpStart)
	s.endIP(out, &ipb, err)
}
