package gen_test

// Round trips: every packet of the captures that parses is built again from
// its parsed fields with the generated builders, and must come out byte for
// byte the same and parse to the same fields. Then hand-made builders with
// unusual values, and builder errors.

import (
	"bytes"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"unsafe"

	"github.com/google/go-cmp/cmp"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/tcp"
	"github.com/mplgo/mpl/gen/udp"
	"github.com/mplgo/mpl/gen/vlan"
	mplrt "github.com/mplgo/mpl/runtime"
)

// Builders from parsed views: every field the view has, as the builder
// takes it. Builders compute checksums: a packet whose checksum does not
// verify is rebuilt with the right one (see withChecksum).

func ethernetBuilder(p ethernet.Packet) ethernet.Builder {
	return ethernet.Builder{Dst: p.Dst(), Src: p.Src(), Ethertype: p.Ethertype(), Payload: p.Payload()}
}

// arpBuilder returns the case builder for p's Kind.
func arpBuilder(p arp.Packet) mplrt.Appender {
	switch p.Kind() {
	case arp.KindEthernetIPv4:
		c, _ := p.AsEthernetIPv4()
		return arp.EthernetIPv4Builder{
			Htype: p.Htype(), Ptype: p.Ptype(), Plen: p.Plen(), Op: p.Op(),
			SHA: c.SHA(), SPA: c.SPA(), THA: c.THA(), TPA: c.TPA(),
		}
	case arp.KindOther:
		c, _ := p.AsOther()
		return arp.OtherBuilder{
			Htype: p.Htype(), Ptype: p.Ptype(), Hlen: p.Hlen(), Plen: p.Plen(), Op: p.Op(),
			SHA: c.SHA(), SPA: c.SPA(), THA: c.THA(), TPA: c.TPA(),
		}
	}
	return arpBodyBuilder(p)
}

// arpBodyBuilder returns the builder that takes the cases as bytes.
func arpBodyBuilder(p arp.Packet) arp.Builder {
	return arp.Builder{Htype: p.Htype(), Ptype: p.Ptype(), Hlen: p.Hlen(), Plen: p.Plen(), Op: p.Op(), Body: p.Bytes()[8:]}
}

func ipv4Builder(p ipv4.Packet) ipv4.Builder {
	return ipv4.Builder{
		DSCP: p.DSCP(), ECN: p.ECN(), ID: p.ID(),
		Reserved: p.Reserved(), DontFragment: p.DontFragment(), MoreFragments: p.MoreFragments(),
		FragmentOffset: p.FragmentOffset(), TTL: p.TTL(), Protocol: p.Protocol(),
		Src: p.Src(), Dst: p.Dst(), Options: p.Options(), Payload: p.Payload(),
	}
}

// icmpBuilder returns the case builder for p's Kind, or for a message of an
// unknown type the builder that takes the body (the view's Rest) as bytes.
func icmpBuilder(p icmp.Packet) mplrt.Appender {
	code := p.Code()
	switch p.Kind() {
	case icmp.KindEchoReply:
		c, _ := p.AsEchoReply()
		return icmp.EchoReplyBuilder{Code: code, Identifier: c.Identifier(), Sequence: c.Sequence(), Data: c.Data()}
	case icmp.KindDestinationUnreachable:
		c, _ := p.AsDestinationUnreachable()
		return icmp.DestinationUnreachableBuilder{Code: code, Unused: c.Unused(), NextHopMTU: c.NextHopMTU(), Original: c.Original()}
	case icmp.KindSourceQuench:
		c, _ := p.AsSourceQuench()
		return icmp.SourceQuenchBuilder{Code: code, Unused: c.Unused(), Original: c.Original()}
	case icmp.KindRedirect:
		c, _ := p.AsRedirect()
		return icmp.RedirectBuilder{Code: code, Gateway: c.Gateway(), Original: c.Original()}
	case icmp.KindEchoRequest:
		c, _ := p.AsEchoRequest()
		return icmp.EchoRequestBuilder{Code: code, Identifier: c.Identifier(), Sequence: c.Sequence(), Data: c.Data()}
	case icmp.KindTimeExceeded:
		c, _ := p.AsTimeExceeded()
		return icmp.TimeExceededBuilder{Code: code, Unused: c.Unused(), Original: c.Original()}
	case icmp.KindParameterProblem:
		c, _ := p.AsParameterProblem()
		return icmp.ParameterProblemBuilder{Code: code, Pointer: c.Pointer(), Unused: c.Unused(), Original: c.Original()}
	case icmp.KindTimestamp:
		c, _ := p.AsTimestamp()
		return icmp.TimestampBuilder{Code: code, Identifier: c.Identifier(), Sequence: c.Sequence(), Originate: c.Originate(), Receive: c.Receive(), Transmit: c.Transmit()}
	case icmp.KindTimestampReply:
		c, _ := p.AsTimestampReply()
		return icmp.TimestampReplyBuilder{Code: code, Identifier: c.Identifier(), Sequence: c.Sequence(), Originate: c.Originate(), Receive: c.Receive(), Transmit: c.Transmit()}
	case icmp.KindAddressMaskRequest:
		c, _ := p.AsAddressMaskRequest()
		return icmp.AddressMaskRequestBuilder{Code: code, Identifier: c.Identifier(), Sequence: c.Sequence(), Mask: c.Mask()}
	case icmp.KindAddressMaskReply:
		c, _ := p.AsAddressMaskReply()
		return icmp.AddressMaskReplyBuilder{Code: code, Identifier: c.Identifier(), Sequence: c.Sequence(), Mask: c.Mask()}
	}
	return icmp.Builder{Type: p.Type(), Code: code, Body: p.Rest()}
}

// icmpBodyBuilder returns the builder that takes the case as bytes.
func icmpBodyBuilder(p icmp.Packet) icmp.Builder {
	body := p.Bytes()[4:]
	if p.Kind() == icmp.KindUnknown {
		body = p.Rest()
	}
	return icmp.Builder{Type: p.Type(), Code: p.Code(), Body: body}
}

// icmpWant is what a builder from p must produce: the packet, and for an
// unknown type the body that the view leaves in Rest, with the right
// checksum; note says if the packet's own was wrong.
func icmpWant(p icmp.Packet) (want []byte, note string) {
	want = p.Bytes()
	if p.Kind() == icmp.KindUnknown {
		want = slices.Concat(p.Bytes(), p.Rest())
	}
	return withChecksum(want, 2, p.VerifyChecksum(), p.ComputeChecksum(), "icmp")
}

// udpBuilder returns the builder of p, which an IPv4 packet from src to
// dst carries.
func udpBuilder(p udp.Packet, src, dst netip.Addr) udp.Builder {
	return udp.Builder{Src: src, Dst: dst, SrcPort: p.SrcPort(), DstPort: p.DstPort(), Payload: p.Payload()}
}

// udpWant is what udpBuilder(p, src, dst) must produce: p's bytes with the
// right checksum, since a builder always computes one (a checksum of 0,
// none, included).
func udpWant(p udp.Packet, src, dst netip.Addr) (want []byte, note string) {
	err := p.VerifyChecksum(src, dst)
	if err == nil && p.Checksum() == 0 {
		return withChecksum(p.Bytes(), 6, errors.New("none"), p.ComputeChecksum(src, dst), "udp (none, 0)")
	}
	return withChecksum(p.Bytes(), 6, err, p.ComputeChecksum(src, dst), "udp")
}

// ipv4Want is what ipv4Builder(p) must produce: p's bytes with the right
// header checksum. (A builder writes every field as given, zero included;
// the defaults are in ipv4.NewBuilder.)
func ipv4Want(p ipv4.Packet) (want []byte, note string) {
	return withChecksum(p.Bytes(), 10, p.VerifyChecksum(), p.ComputeChecksum(), "ipv4")
}

// withChecksum returns b, or if verr (what the view's Verify method said)
// is not nil a copy of b with sum at offset at, and a note naming layer.
//
// A checksum that verifies but is not the one builders compute is the
// other zero of one's complement (0xffff where the sum gives 0x0000, or
// the reverse): builders write theirs.
func withChecksum(b []byte, at int, verr error, sum uint16, layer string) ([]byte, string) {
	stored := uint16(b[at])<<8 | uint16(b[at+1])
	if verr == nil && stored == sum {
		return b, ""
	}
	c := slices.Clone(b)
	c[at], c[at+1] = byte(sum>>8), byte(sum)
	if verr == nil {
		return c, layer + " checksum verifies as the other zero of one's complement: rebuilt with the computed one"
	}
	return c, layer + " checksum wrong in the capture: rebuilt with the right one"
}

// fieldsOf is the fields of a view, with its Rest as a last pseudo-field.
func fieldsOf(v interface {
	walker
	Rest() []byte
}) []mplrt.Field {
	return append(walkFields(v), mplrt.Field{Name: "(rest)", Format: mplrt.FormatBytes, Bytes: v.Rest()})
}

// parsers parse each layer and return its fields.
var parsers = [nLayers]func([]byte) ([]mplrt.Field, error){
	lEthernet: func(b []byte) ([]mplrt.Field, error) {
		p, err := ethernet.Parse(b)
		if err != nil {
			return nil, err
		}
		return fieldsOf(&p), nil
	},
	lARP: func(b []byte) ([]mplrt.Field, error) {
		p, err := arp.Parse(b)
		if err != nil {
			return nil, err
		}
		return fieldsOf(&p), nil
	},
	lIPv4: func(b []byte) ([]mplrt.Field, error) {
		p, err := ipv4.Parse(b)
		if err != nil {
			return nil, err
		}
		return fieldsOf(&p), nil
	},
	lICMP: func(b []byte) ([]mplrt.Field, error) {
		p, err := icmp.Parse(b)
		if err != nil {
			return nil, err
		}
		return fieldsOf(&p), nil
	},
	lUDP: func(b []byte) ([]mplrt.Field, error) {
		p, err := udp.Parse(b)
		if err != nil {
			return nil, err
		}
		return fieldsOf(&p), nil
	},
	lTCP: func(b []byte) ([]mplrt.Field, error) {
		p, err := tcp.Parse(b)
		if err != nil {
			return nil, err
		}
		return fieldsOf(&p), nil
	},
	lVLAN:  parseVLANFields,
	lVLAN2: parseVLANFields,
}

// fieldsText formats fields as name=value, as String does.
func fieldsText(fs []mplrt.Field) string {
	var b []byte
	for i, f := range fs {
		if i > 0 {
			b = append(b, ' ')
		}
		b = f.AppendText(b)
	}
	return string(b)
}

// bytesDiff describes how got differs from want.
func bytesDiff(want, got []byte) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	lo := max(i-4, 0)
	show := func(b []byte) string {
		return fmt.Sprintf("%x", b[min(lo, len(b)):min(i+12, len(b))])
	}
	return fmt.Sprintf("%d bytes, want %d; first difference at byte %d: got %s... want %s... (from byte %d)",
		len(got), len(want), i, show(got), show(want), lo)
}

// filledBuffer returns prefix in a buffer whose spare capacity holds 0xa5,
// so that a byte a builder forgets to write shows up.
func filledBuffer(prefix []byte, spare int) []byte {
	b := make([]byte, len(prefix)+spare)
	copy(b, prefix)
	for i := len(prefix); i < len(b); i++ {
		b[i] = 0xa5
	}
	return b[:len(prefix)]
}

var roundTripPrefixes = [][]byte{nil, {0x5a, 0x5a, 0x5a}}

// checkRoundTrip builds b, which must give want, into a buffer filled with
// 0xa5, empty and after a prefix, and checks that what it built parses to
// the fields want parses to.
func checkRoundTrip(t *testing.T, where string, l int, b mplrt.Appender, want []byte) {
	t.Helper()
	wantFields, err := parsers[l](want)
	if err != nil {
		t.Errorf("%s: %s: the expected packet does not parse: %v", where, layerNames[l], err)
		return
	}
	for _, prefix := range roundTripPrefixes {
		out, err := b.AppendTo(filledBuffer(prefix, len(want)+64))
		if err != nil {
			t.Errorf("%s: %s: %T.AppendTo: %v", where, layerNames[l], b, err)
			return
		}
		if len(out) < len(prefix) || !bytes.Equal(out[:len(prefix)], prefix) {
			t.Errorf("%s: %s: %T.AppendTo changed the %d bytes before it", where, layerNames[l], b, len(prefix))
			return
		}
		got := out[len(prefix):]
		if !bytes.Equal(got, want) {
			t.Errorf("%s: %s: %T.AppendTo (after %d bytes) built %s", where, layerNames[l], b, len(prefix), bytesDiff(want, got))
			return
		}
		gotFields, err := parsers[l](got)
		if err != nil {
			t.Errorf("%s: %s: what %T built does not parse: %v", where, layerNames[l], b, err)
			return
		}
		if !fieldsEqual(wantFields, gotFields) {
			t.Errorf("%s: %s: fields of what %T built differ (-parsed +built):\n%s", where, layerNames[l], b, cmp.Diff(wantFields, gotFields, fieldCmpOpts))
		}
	}
}

// checkARPRoundTrip is checkRoundTrip for ARP. arp.Builder, which takes
// the cases as unchecked bytes, builds every packet exactly. A case
// builder builds the packet exactly, or fails naming plen (whose guard,
// plen = 4, a zero plen fails) or spa.
func checkARPRoundTrip(t *testing.T, where string, p arp.Packet, b mplrt.Appender, notes map[string]int) {
	t.Helper()
	if _, ok := b.(arp.Builder); ok || p.Plen() == 4 {
		checkRoundTrip(t, where, lARP, b, p.Bytes())
		return
	}
	out, err := b.AppendTo(nil)
	if err != nil {
		var e mplrt.Error
		if !errors.As(err, &e) || (e.Field != "spa" && e.Field != "plen" && e.Field != "hlen") {
			t.Errorf("%s: arp: plen %d: %T.AppendTo: %v, want an error naming spa or plen", where, p.Plen(), b, err)
		}
		notes[fmt.Sprintf("arp plen %d is not the EthernetIPv4 case", p.Plen())]++
		return
	}
	if !bytes.Equal(out, p.Bytes()) {
		t.Errorf("%s: arp: plen %d: %T.AppendTo built %s", where, p.Plen(), b, bytesDiff(p.Bytes(), out))
	}
}

// TestRoundTripCaptures rebuilds every layer that parses in the captures.
func TestRoundTripCaptures(t *testing.T) {
	var built [nLayers]int
	notes := map[string]int{}
	nested := 0
	for _, c := range loadCaptures(t) {
		t.Run(c.name, func(t *testing.T) {
			for i, frame := range c.frames {
				where := fmt.Sprintf("%s frame %d", c.name, i+1)
				s, ok := parseStackSafe(t, where, frame)
				if !ok {
					continue
				}
				if s.res[lEthernet].ok() {
					checkRoundTrip(t, where, lEthernet, ethernetBuilder(s.eth), s.eth.Bytes())
					built[lEthernet]++
				}
				if s.res[lARP].ok() {
					checkARPRoundTrip(t, where, s.arp, arpBuilder(s.arp), notes)
					checkARPRoundTrip(t, where+" (arp.Builder)", s.arp, arpBodyBuilder(s.arp), notes)
					built[lARP]++
				}
				if s.res[lIPv4].ok() {
					want, note := ipv4Want(s.ip)
					if note != "" {
						notes[note]++
					}
					checkRoundTrip(t, where, lIPv4, ipv4Builder(s.ip), want)
					built[lIPv4]++
				}
				if s.res[lICMP].ok() {
					want, note := icmpWant(s.icmp)
					if note != "" {
						notes[note]++
					}
					checkRoundTrip(t, where, lICMP, icmpBuilder(s.icmp), want)
					checkRoundTrip(t, where+" (icmp.Builder)", lICMP, icmpBodyBuilder(s.icmp), want)
					built[lICMP]++
				}
				if s.res[lUDP].ok() {
					want, note := udpWant(s.udp, s.ip.Src(), s.ip.Dst())
					if note != "" {
						notes[note]++
					}
					checkRoundTrip(t, where, lUDP, udpBuilder(s.udp, s.ip.Src(), s.ip.Dst()), want)
					built[lUDP]++
				}
				if s.res[lTCP].ok() {
					want, note := tcpWant(s.tcp, s.ip.Src(), s.ip.Dst())
					if note != "" {
						notes[note]++
					}
					checkRoundTrip(t, where, lTCP, tcpBuilder(s.tcp, s.ip.Src(), s.ip.Dst()), want)
					built[lTCP]++
				}
				for k := range s.vlan {
					if l := lVLAN + k; s.res[l].ok() {
						checkRoundTrip(t, where, l, vlanBuilder(s.vlan[k]), s.vlan[k].Bytes())
						built[l]++
					}
				}
				if checkNestedRoundTrip(t, where, s) {
					nested++
				}
			}
		})
	}
	var b strings.Builder
	for l := range nLayers {
		fmt.Fprintf(&b, " %s %d", layerLabel(l), built[l])
	}
	t.Logf("rebuilt:%s; whole frames rebuilt with mplrt.Nest: %d", b.String(), nested)
	for n, k := range notes {
		t.Logf("%d packets: %s", k, n)
	}
}

// checkNestedRoundTrip rebuilds the whole frame with mplrt.Nest, where every
// layer is exactly the payload of the one below (no padding, no trailer):
// Ethernet, its VLAN tags, and ARP, or IPv4 with ICMP, UDP or TCP.
func checkNestedRoundTrip(t *testing.T, where string, s stack) bool {
	t.Helper()
	if !s.res[lEthernet].ok() {
		return false
	}
	eb := ethernetBuilder(s.eth)
	eb.Payload = nil
	var b mplrt.Appender
	want := s.eth.Bytes()
	// ARP or IPv4 starts after the Ethernet header and the tags.
	at := 14 + 4*s.tags
	// patch puts the right checksums of a layer at off in want.
	patch := func(off int, w []byte) {
		if !bytes.Equal(want[off:off+len(w)], w) {
			want = slices.Concat(want[:off], w, want[off+len(w):])
		}
	}
	switch {
	case s.res[lARP].ok() && len(s.arp.Rest()) == 0:
		b = arpBuilder(s.arp)
	case s.res[lIPv4].ok() && len(s.ip.Rest()) == 0:
		ib := ipv4Builder(s.ip)
		ib.Payload = nil
		ipw, _ := ipv4Want(s.ip)
		hl := len(s.ip.Bytes()) - len(s.ip.Payload())
		switch {
		case s.res[lICMP].ok() && s.icmp.Kind() != icmp.KindUnknown && len(s.icmp.Rest()) == 0:
			b = mplrt.Nest(ib, icmpBuilder(s.icmp))
			w, _ := icmpWant(s.icmp)
			patch(at+hl, w)
		case s.res[lUDP].ok() && len(s.udp.Rest()) == 0:
			b = mplrt.Nest(ib, mplrt.Appender(udpBuilder(s.udp, s.ip.Src(), s.ip.Dst())))
			w, _ := udpWant(s.udp, s.ip.Src(), s.ip.Dst())
			patch(at+hl, w)
		case s.res[lTCP].ok() && len(s.tcp.Rest()) == 0:
			b = mplrt.Nest(ib, mplrt.Appender(tcpBuilder(s.tcp, s.ip.Src(), s.ip.Dst())))
			w, _ := tcpWant(s.tcp, s.ip.Src(), s.ip.Dst())
			patch(at+hl, w)
		}
		patch(at, ipw[:hl])
	}
	if b == nil {
		return false
	}
	// The tags around it, the inner one first (a tag's payload is the
	// rest of the frame, so it is exactly what the tag carries).
	for k := s.tags - 1; k >= 0; k-- {
		vb := vlanBuilder(s.vlan[k])
		vb.Payload = nil
		b = mplrt.Nest(vb, b)
	}
	b = mplrt.Nest(eb, b)
	out, err := b.AppendTo(filledBuffer(nil, len(s.eth.Bytes())+64))
	if err != nil {
		t.Errorf("%s: nested build: %v", where, err)
	} else if !bytes.Equal(out, want) {
		t.Errorf("%s: nested build: %s", where, bytesDiff(want, out))
	}
	return true
}

// builderCmpOpts compare builders field by field (bytes.Equal also takes
// net.HardwareAddr).
var builderCmpOpts = fieldCmpOpts

// builderFromBytes parses b as layer l and returns the builder of the parsed
// view, as the round trip makes it.
func builderFromBytes(l int, b []byte) (mplrt.Appender, error) {
	switch l {
	case lEthernet:
		p, err := ethernet.Parse(b)
		if err != nil {
			return nil, err
		}
		return ethernetBuilder(p), nil
	case lARP:
		p, err := arp.Parse(b)
		if err != nil {
			return nil, err
		}
		return arpBuilder(p), nil
	case lIPv4:
		p, err := ipv4.Parse(b)
		if err != nil {
			return nil, err
		}
		return ipv4Builder(p), nil
	case lICMP:
		p, err := icmp.Parse(b)
		if err != nil {
			return nil, err
		}
		return icmpBuilder(p), nil
	case lUDP:
		p, err := udp.Parse(b)
		if err != nil {
			return nil, err
		}
		return udpBuilder(p, netip.Addr{}, netip.Addr{}), nil
	case lTCP:
		p, err := tcp.Parse(b)
		if err != nil {
			return nil, err
		}
		return tcpBuilder(p, netip.Addr{}, netip.Addr{}), nil
	case lVLAN, lVLAN2:
		p, err := vlan.Parse(b)
		if err != nil {
			return nil, err
		}
		return vlanBuilder(p), nil
	}
	return nil, errors.New("no such layer")
}

// verifyChecksum parses b as layer l and verifies its checksum, if the
// layer has one (a UDP datagram with the zero addresses).
func verifyChecksum(l int, b []byte) error {
	switch l {
	case lIPv4:
		p, err := ipv4.Parse(b)
		if err != nil {
			return err
		}
		return p.VerifyChecksum()
	case lICMP:
		p, err := icmp.Parse(b)
		if err != nil {
			return err
		}
		return p.VerifyChecksum()
	case lUDP:
		p, err := udp.Parse(b)
		if err != nil {
			return err
		}
		if p.Checksum() == 0 {
			return errors.New("checksum 0: none computed")
		}
		return p.VerifyChecksum(netip.Addr{}, netip.Addr{})
	case lTCP:
		p, err := tcp.Parse(b)
		if err != nil {
			return err
		}
		return p.VerifyChecksum(netip.Addr{}, netip.Addr{})
	}
	return nil
}

func filled(n int, c byte) []byte { return bytes.Repeat([]byte{c}, n) }

var (
	broadcastMAC = net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
	zeroMAC      = net.HardwareAddr{0, 0, 0, 0, 0, 0}
	allOnes4     = netip.AddrFrom4([4]byte{255, 255, 255, 255})
	zero4        = netip.AddrFrom4([4]byte{})
	someAddr     = netip.MustParseAddr("192.0.2.1")
)

// unusualBuilds are hand-made builders with extreme values: maximal fields,
// options of 4 and 40 bytes, empty and maximal payloads, every ICMP case.
var unusualBuilds = []struct {
	name string
	l    int
	b    mplrt.Appender
	// want is the builder the parsed packet gives back, where a default
	// makes it differ from b; nil means b itself.
	want mplrt.Appender
}{
	{"ethernet max", lEthernet, ethernet.Builder{Dst: broadcastMAC, Src: broadcastMAC, Ethertype: 0xffff, Payload: filled(1500, 0xff)}, nil},
	{"ethernet empty payload", lEthernet, ethernet.Builder{Dst: zeroMAC, Src: zeroMAC}, nil},
	{"ipv4 max, 40 bytes of options, empty payload", lIPv4, ipv4.Builder{
		DSCP: 63, ECN: 3, ID: 0xffff, Reserved: true, DontFragment: true, MoreFragments: true, FragmentOffset: 0x1fff,
		TTL: 255, Protocol: 255, Src: allOnes4, Dst: allOnes4, Options: filled(40, 0xff),
	}, nil},
	{"ipv4 4 bytes of options (router alert)", lIPv4, ipv4.Builder{
		TTL: 1, Protocol: ipv4.ProtocolIGMP, Src: zero4, Dst: someAddr, Options: []byte{0x94, 0x04, 0, 0}, Payload: filled(8, 0x11),
	}, nil},
	{"ipv4 default ttl", lIPv4, func() ipv4.Builder { b := ipv4.NewBuilder(); b.Src, b.Dst = someAddr, someAddr; return b }(), ipv4.Builder{TTL: 64, Src: someAddr, Dst: someAddr}},
	{"ipv4 ttl 0", lIPv4, ipv4.Builder{TTL: 0, Src: someAddr, Dst: someAddr}, nil},
	{"ethernet zero addresses", lEthernet, ethernet.Builder{Dst: broadcastMAC}, ethernet.Builder{Dst: broadcastMAC, Src: zeroMAC}},
	{"icmp address mask request zero Addr", lICMP, icmp.AddressMaskRequestBuilder{}, icmp.AddressMaskRequestBuilder{Mask: netip.IPv4Unspecified()}},
	{"ipv4 zero Addr is 0.0.0.0", lIPv4, ipv4.Builder{TTL: 1, Dst: someAddr}, ipv4.Builder{TTL: 1, Src: netip.IPv4Unspecified(), Dst: someAddr}},
	{"ipv4 4in6 addresses", lIPv4, ipv4.Builder{TTL: 9, Src: netip.AddrFrom16(someAddr.As16()), Dst: netip.MustParseAddr("::ffff:10.0.0.1")},
		ipv4.Builder{TTL: 9, Src: someAddr, Dst: netip.MustParseAddr("10.0.0.1")}},
	{"ipv4 total length 65535", lIPv4, ipv4.Builder{TTL: 64, Src: someAddr, Dst: someAddr, Options: filled(40, 1), Payload: filled(65535-60, 0xee)}, nil},
	{"udp max, empty payload", lUDP, udp.Builder{SrcPort: 0xffff, DstPort: 0xffff}, nil},
	{"udp zero ports", lUDP, udp.Builder{Payload: []byte{0}}, nil},
	{"udp length 65535", lUDP, udp.Builder{SrcPort: 53, DstPort: 53, Payload: filled(65535-8, 0x42)}, nil},
	{"arp ethernet/ipv4 max", lARP, arp.EthernetIPv4Builder{Htype: 0xffff, Ptype: 0xffff, Plen: 4, Op: 0xffff, SHA: broadcastMAC, SPA: allOnes4, THA: broadcastMAC, TPA: allOnes4}, nil},
	{"arp ethernet/ipv4 default plen", lARP, func() arp.EthernetIPv4Builder {
		b := arp.NewEthernetIPv4Builder()
		b.Htype, b.Ptype, b.Op, b.SHA, b.SPA, b.THA, b.TPA = arp.HtypeEthernet, arp.PtypeIPv4, arp.OpRequest, zeroMAC, zero4, zeroMAC, zero4
		return b
	}(),
		arp.EthernetIPv4Builder{Htype: arp.HtypeEthernet, Ptype: arp.PtypeIPv4, Plen: 4, Op: arp.OpRequest, SHA: zeroMAC, SPA: zero4, THA: zeroMAC, TPA: zero4}},
	{"arp other hlen 255 plen 255", lARP, arp.OtherBuilder{Htype: 0xffff, Ptype: 0xffff, Hlen: 255, Plen: 255, Op: 0xffff,
		SHA: filled(255, 1), SPA: filled(255, 2), THA: filled(255, 3), TPA: filled(255, 4)}, nil},
	{"arp other hlen 0", lARP, arp.OtherBuilder{Htype: 0, Ptype: arp.PtypeIPv4, Hlen: 0, Plen: 4, Op: arp.OpReply, SPA: filled(4, 9), TPA: filled(4, 8)}, nil},
	{"arp other hlen 6 plen 16", lARP, arp.OtherBuilder{Htype: arp.HtypeEthernet, Ptype: 0x86dd, Hlen: 6, Plen: 16, Op: arp.OpRequest,
		SHA: broadcastMAC, SPA: filled(16, 0xfe), THA: zeroMAC, TPA: filled(16, 0x20)}, nil},
	{"icmp echo request max, empty data", lICMP, icmp.EchoRequestBuilder{Code: 255, Identifier: 0xffff, Sequence: 0xffff}, nil},
	{"icmp echo reply", lICMP, icmp.EchoReplyBuilder{Identifier: 1, Sequence: 2, Data: []byte{0}}, nil},
	{"icmp destination unreachable max", lICMP, icmp.DestinationUnreachableBuilder{Code: 255, Unused: 0xffff, NextHopMTU: 0xffff}, nil},
	{"icmp source quench max", lICMP, icmp.SourceQuenchBuilder{Code: 255, Unused: 0xffffffff, Original: filled(28, 0x45)}, nil},
	{"icmp redirect", lICMP, icmp.RedirectBuilder{Code: 1, Gateway: allOnes4, Original: filled(28, 0x45)}, nil},
	{"icmp time exceeded max", lICMP, icmp.TimeExceededBuilder{Code: 1, Unused: 0xffffffff}, nil},
	{"icmp parameter problem max", lICMP, icmp.ParameterProblemBuilder{Code: 255, Pointer: 255, Unused: 0xffffff, Original: filled(1, 0)}, nil},
	{"icmp timestamp max", lICMP, icmp.TimestampBuilder{Code: 255, Identifier: 0xffff, Sequence: 0xffff, Originate: 0xffffffff, Receive: 0xffffffff, Transmit: 0xffffffff}, nil},
	{"icmp timestamp reply", lICMP, icmp.TimestampReplyBuilder{Identifier: 7, Originate: 86399999}, nil},
	{"icmp address mask request", lICMP, icmp.AddressMaskRequestBuilder{Mask: zero4}, nil},
	{"icmp address mask reply max", lICMP, icmp.AddressMaskReplyBuilder{Code: 255, Identifier: 0xffff, Sequence: 0xffff, Mask: allOnes4}, nil},
	{"icmp unknown type with a body", lICMP, icmp.Builder{Type: 255, Code: 255, Body: filled(10, 0x77)}, nil},
	{"icmp unknown type, empty", lICMP, icmp.Builder{Type: 42}, nil},
	{"tcp syn, Linux options", lTCP, tcp.Builder{SourcePort: 51234, DestinationPort: 80, SequenceNumber: 1, SYN: true, Window: 64240,
		Options: []tcp.OptionBuilder{
			{Kind: tcp.OptionKindMSS, MSS: tcp.MSSBuilder{MSS: 1460}},
			{Kind: tcp.OptionKindSACKPermitted},
			{Kind: tcp.OptionKindTimestamps, Timestamps: tcp.TimestampsBuilder{TsVal: 0x8f1e223a}},
			{Kind: tcp.OptionKindNOP},
			{Kind: tcp.OptionKindWindowScale, WindowScale: tcp.WindowScaleBuilder{Shift: 7}},
		}}, nil},
	{"tcp max, no options", lTCP, tcp.Builder{SourcePort: 0xffff, DestinationPort: 0xffff, SequenceNumber: 0xffffffff, AcknowledgmentNumber: 0xffffffff,
		Reserved: 15, CWR: true, ECE: true, URG: true, ACK: true, PSH: true, RST: true, SYN: true, FIN: true, Window: 0xffff, UrgentPointer: 0xffff,
		Data: filled(100, 0x77)}, nil},
	{"tcp sack of 4 blocks and an option of another kind", lTCP, tcp.Builder{ACK: true, Options: []tcp.OptionBuilder{
		{Kind: tcp.OptionKindNOP}, {Kind: tcp.OptionKindNOP},
		{Kind: tcp.OptionKindSACK, SACK: tcp.SACKBuilder{Blocks: []tcp.BlockBuilder{{LeftEdge: 1, RightEdge: 2}, {LeftEdge: 3, RightEdge: 4}, {LeftEdge: 5, RightEdge: 6}, {LeftEdge: 0xffffffff}}}},
		{Kind: tcp.OptionKindOther, Other: tcp.OtherBuilder{OptionKind: 254, OptionData: []byte{0xf9, 0x89}}},
	}}, nil},
	// align(32): a window scale option alone is padded with a zero byte,
	// which parses as an End of Option List.
	{"vlan max, QinQ", lVLAN, vlan.Builder{Pcp: 7, Dei: true, Vid: 4095, Ethertype: vlan.EthertypeQinQ, Payload: filled(4, 0xff)}, nil},
	{"vlan zero: priority tag, empty payload", lVLAN, vlan.Builder{}, nil},
	{"vlan C-tag around IPv4", lVLAN2, vlan.Builder{Pcp: 3, Vid: 100, Ethertype: vlan.EthertypeIPv4, Payload: filled(46, 0x45)}, nil},
	{"vlan ethertype without a name", lVLAN, vlan.Builder{Vid: 1, Ethertype: 0x9100, Payload: []byte{0}}, nil},
	{"vlan 1500-byte payload", lVLAN, vlan.Builder{Pcp: 1, Vid: 2, Ethertype: vlan.EthertypeIPv6, Payload: filled(1500, 0x60)}, nil},
	{"tcp options padded", lTCP, tcp.Builder{SYN: true, Options: []tcp.OptionBuilder{
		{Kind: tcp.OptionKindWindowScale, WindowScale: tcp.WindowScaleBuilder{Shift: 14}},
	}}, tcp.Builder{SYN: true, Options: []tcp.OptionBuilder{
		{Kind: tcp.OptionKindWindowScale, WindowScale: tcp.WindowScaleBuilder{Shift: 14}},
		{Kind: tcp.OptionKindEnd},
	}}},
}

// TestBuildUnusual builds each of unusualBuilds, parses the result, and
// checks that the builder made from the parsed view is the one built, and
// builds the same bytes again.
func TestBuildUnusual(t *testing.T) {
	for _, tc := range unusualBuilds {
		t.Run(tc.name, func(t *testing.T) {
			out, err := tc.b.AppendTo(filledBuffer(nil, 128))
			if err != nil {
				t.Fatalf("%T.AppendTo: %v", tc.b, err)
			}
			back, err := builderFromBytes(tc.l, out)
			if err != nil {
				t.Fatalf("what %T built does not parse: %v\n%x", tc.b, err, out)
			}
			if err := verifyChecksum(tc.l, out); err != nil {
				t.Errorf("the checksum of what %T built does not verify: %v", tc.b, err)
			}
			want := tc.want
			if want == nil {
				want = tc.b
			}
			if d := cmp.Diff(want, back, builderCmpOpts); d != "" {
				t.Errorf("build, parse: fields differ (-built +parsed):\n%s", d)
			}
			again, err := back.AppendTo(nil)
			if err != nil {
				t.Fatalf("rebuilding from the parsed view: %v", err)
			}
			if !bytes.Equal(again, out) {
				t.Errorf("rebuilt from the parsed view: %s", bytesDiff(out, again))
			}
		})
	}
}

// sameSlice reports whether a and b are the same slice: same length,
// capacity and backing array.
func sameSlice(a, b []byte) bool {
	return len(a) == len(b) && cap(a) == cap(b) && unsafe.SliceData(a) == unsafe.SliceData(b)
}

// badBuilds are builders that must fail, with the field the error names.
var badBuilds = []struct {
	name   string
	b      mplrt.Appender
	packet string
	fields []string     // the error names one of these
	kinds  []mplrt.Kind // and has one of these kinds; nil: any
}{
	{"ipv4 options of 3 bytes", ipv4.Builder{Src: someAddr, Dst: someAddr, Options: []byte{1, 1, 1}}, "ipv4", []string{"options"}, []mplrt.Kind{mplrt.KindLength, mplrt.KindAlign}},
	{"ipv4 options of 5 bytes", ipv4.Builder{Src: someAddr, Dst: someAddr, Options: filled(5, 1)}, "ipv4", []string{"options"}, []mplrt.Kind{mplrt.KindLength, mplrt.KindAlign}},
	{"ipv4 options of 44 bytes", ipv4.Builder{Src: someAddr, Dst: someAddr, Options: filled(44, 1)}, "ipv4", []string{"ihl", "options"}, nil},
	{"ipv4 dscp 64", ipv4.Builder{DSCP: 64, Src: someAddr, Dst: someAddr}, "ipv4", []string{"dscp"}, []mplrt.Kind{mplrt.KindMax}},
	{"ipv4 ecn 4", ipv4.Builder{ECN: 4, Src: someAddr, Dst: someAddr}, "ipv4", []string{"ecn"}, []mplrt.Kind{mplrt.KindMax}},
	{"ipv4 fragment_offset 0x2000", ipv4.Builder{FragmentOffset: 0x2000, Src: someAddr, Dst: someAddr}, "ipv4", []string{"fragment_offset"}, []mplrt.Kind{mplrt.KindMax}},
	{"ipv4 src IPv6", ipv4.Builder{Src: netip.MustParseAddr("2001:db8::1"), Dst: someAddr}, "ipv4", []string{"src"}, nil},
	{"ipv4 dst IPv6", ipv4.Builder{Src: someAddr, Dst: netip.IPv6Loopback()}, "ipv4", []string{"dst"}, nil},
	{"ipv4 total length 65536", ipv4.Builder{Src: someAddr, Dst: someAddr, Payload: filled(65536-20, 0)}, "ipv4", []string{"total_length"}, nil},
	{"udp length 65536", udp.Builder{Payload: filled(65536-8, 0)}, "udp", []string{"length"}, nil},
	{"ethernet dst of 5 bytes", ethernet.Builder{Dst: broadcastMAC[:5], Src: zeroMAC}, "ethernet", []string{"dst"}, nil},
	{"arp sha of 7 bytes", arp.EthernetIPv4Builder{SHA: filled(7, 1), SPA: someAddr, THA: zeroMAC, TPA: someAddr}, "arp", []string{"sha"}, nil},
	{"arp spa IPv6", arp.EthernetIPv4Builder{SHA: zeroMAC, SPA: netip.IPv6Unspecified(), THA: zeroMAC, TPA: someAddr}, "arp", []string{"spa"}, nil},
	// The EthernetIPv4 case holds only when plen is 4 (its guard); with
	// another plen what the builder builds parses as the Other case.
	{"arp ethernet/ipv4 plen 5", arp.EthernetIPv4Builder{Plen: 5, SHA: zeroMAC, SPA: someAddr, THA: zeroMAC, TPA: someAddr}, "arp", []string{"hlen", "plen"}, []mplrt.Kind{mplrt.KindClassify}},
	{"arp other sha shorter than hlen", arp.OtherBuilder{Hlen: 4, Plen: 2, SHA: filled(3, 1), SPA: filled(2, 1), THA: filled(4, 1), TPA: filled(2, 1)}, "arp", []string{"sha"}, nil},
	{"arp other tpa longer than plen", arp.OtherBuilder{Hlen: 4, Plen: 2, SHA: filled(4, 1), SPA: filled(2, 1), THA: filled(4, 1), TPA: filled(3, 1)}, "arp", []string{"tpa"}, nil},
	{"arp other that would parse as ethernet/ipv4", arp.OtherBuilder{Hlen: 6, Plen: 4, SHA: filled(6, 1), SPA: filled(4, 1), THA: filled(6, 1), TPA: filled(4, 1)}, "arp", []string{"hlen"}, []mplrt.Kind{mplrt.KindClassify}},
	{"icmp redirect gateway IPv6", icmp.RedirectBuilder{Gateway: netip.IPv6Loopback()}, "icmp", []string{"gateway"}, nil},
	{"icmp address mask reply IPv6", icmp.AddressMaskReplyBuilder{Mask: netip.IPv6Loopback()}, "icmp", []string{"mask"}, nil},
	{"icmp parameter problem unused 2^24", icmp.ParameterProblemBuilder{Unused: 1 << 24}, "icmp", []string{"unused"}, []mplrt.Kind{mplrt.KindMax}},
	{"nested: ipv4 dscp 64 around udp", mplrt.Nest(ipv4.Builder{DSCP: 64, Src: someAddr, Dst: someAddr}, udp.Builder{}), "ipv4", []string{"dscp"}, nil},
	{"nested: ethernet, ipv4 options of 3 bytes, icmp echo", mplrt.Nest(ethernet.Builder{Dst: zeroMAC, Src: zeroMAC, Ethertype: ethernet.EthertypeIPv4},
		mplrt.Nest(ipv4.Builder{Src: someAddr, Dst: someAddr, Options: filled(3, 1)}, icmp.EchoRequestBuilder{Data: filled(56, 1)})), "ipv4", []string{"options"}, nil},
	{"tcp options of 44 bytes", tcp.Builder{Options: slices.Repeat([]tcp.OptionBuilder{{Kind: tcp.OptionKindMSS}}, 11)}, "tcp", []string{"data_offset"}, []mplrt.Kind{mplrt.KindValue}},
	{"tcp option of 256 bytes", tcp.Builder{Options: []tcp.OptionBuilder{{Kind: tcp.OptionKindOther, Other: tcp.OtherBuilder{OptionKind: 99, OptionData: filled(254, 0)}}}}, "tcp", []string{"option_length"}, []mplrt.Kind{mplrt.KindValue}},
	{"vlan pcp 8", vlan.Builder{Pcp: 8}, "vlan", []string{"pcp"}, []mplrt.Kind{mplrt.KindMax}},
	{"vlan vid 4096", vlan.Builder{Vid: 4096}, "vlan", []string{"vid"}, []mplrt.Kind{mplrt.KindMax}},
	{"nested: ethernet, vlan vid 0x1000, ipv4", mplrt.Nest(ethernet.Builder{Dst: zeroMAC, Src: zeroMAC, Ethertype: ethernet.EthertypeVLAN},
		mplrt.Nest(vlan.Builder{Vid: 0x1000, Ethertype: vlan.EthertypeIPv4}, ipv4.Builder{Src: someAddr, Dst: someAddr})), "vlan", []string{"vid"}, nil},
	{"nested: udp too long inside ipv4", mplrt.Nest(ipv4.Builder{Src: someAddr, Dst: someAddr}, udp.Builder{Payload: filled(65536-8, 0)}), "udp", []string{"length"}, nil},
}

// TestBuildErrors checks that bad builders fail with an mplrt.Error naming
// the field, and return dst unchanged: into a buffer with spare capacity,
// into a full one, and into nil.
func TestBuildErrors(t *testing.T) {
	for _, tc := range badBuilds {
		t.Run(tc.name, func(t *testing.T) {
			prefix := []byte{1, 2, 3, 4, 5, 6, 7}
			roomy := filledBuffer(prefix, 256)
			full := slices.Clip(bytes.Clone(prefix))
			for _, dst := range [][]byte{roomy, full, nil} {
				out, err := tc.b.AppendTo(dst)
				if err == nil {
					built := out[len(dst):]
					parsed := "it does not parse as " + tc.packet
					if l := slices.Index(layerNames[:], tc.packet); l >= 0 {
						if fs, err := parsers[l](built); err != nil {
							parsed += ": " + err.Error()
						} else {
							parsed = "it parses as " + fieldsText(fs)
						}
					}
					t.Fatalf("%T.AppendTo succeeded, built %x; %s", tc.b, built, parsed)
				}
				var e mplrt.Error
				if !errors.As(err, &e) {
					t.Fatalf("error %q (%T) is not an mplrt.Error", err, err)
				}
				if e.Packet != tc.packet || !slices.Contains(tc.fields, e.Field) || (tc.kinds != nil && !slices.Contains(tc.kinds, e.Kind)) {
					t.Errorf("error %q: packet %q, field %q, kind %v; want packet %q, field in %q, kind in %v", err, e.Packet, e.Field, e.Kind, tc.packet, tc.fields, tc.kinds)
				}
				if len(out) != len(dst) || !bytes.Equal(out, dst) {
					t.Errorf("AppendTo(dst with len %d, cap %d) failed but returned %d bytes %x, not dst", len(dst), cap(dst), len(out), out)
				} else if !sameSlice(out, dst) && !(dst == nil && len(out) == 0) {
					// Same length and bytes, but another slice: the
					// builder grew dst before it failed. Harmless, so
					// only logged.
					t.Logf("AppendTo(dst with len %d, cap %d) failed and returned the same bytes in another array (cap %d)", len(dst), cap(dst), cap(out))
				}
			}
		})
	}
}

// TestBuildInPlace rebuilds packets into the buffer their views read
// from, the way a responder turns a request into its reply: a builder
// must read every field it is given before it writes over the bytes the
// field aliases.
func TestBuildInPlace(t *testing.T) {
	frame := loadVector(t, "p3_icmp_echo.hex")
	want := slices.Clone(frame)
	copy(want[0:6], frame[6:12])
	copy(want[6:12], frame[0:6])
	copy(want[14+12:14+16], frame[14+16:14+20])
	copy(want[14+16:14+20], frame[14+12:14+16])

	b := slices.Clone(frame)
	eth, err := ethernet.Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	out, err := ethernet.Builder{Dst: eth.Src(), Src: eth.Dst(), Ethertype: eth.Ethertype()}.AppendHeader(b[:0])
	if err != nil {
		t.Fatal(err)
	}
	ip, err := ipv4.Parse(b[14:])
	if err != nil {
		t.Fatal(err)
	}
	ib := ipv4.Builder{
		DSCP: ip.DSCP(), ECN: ip.ECN(), ID: ip.ID(), Reserved: ip.Reserved(),
		DontFragment: ip.DontFragment(), MoreFragments: ip.MoreFragments(),
		FragmentOffset: ip.FragmentOffset(), TTL: ip.TTL(), Protocol: ip.Protocol(),
		Src: ip.Dst(), Dst: ip.Src(), Options: ip.Options(), Payload: ip.Payload(),
	}
	if out, err = ib.AppendTo(out); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out, want) {
		t.Errorf("rebuilt in place:\n got %x\nwant %x", out, want)
	}
}
