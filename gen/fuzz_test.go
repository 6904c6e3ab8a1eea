package gen_test

// Fuzz targets, one per generated package, seeded with the frames of the
// captures and the vectors (for Ethernet) or the bytes each layer gets from
// the one below (for the others). Parse must not panic; an error must be a
// proper mplrt.Error; a parsed view must work through every accessor, Walk,
// String, Kind and every AsX, its setters must be able to write back what
// it holds, and rebuilding it with the generated builder must give a packet
// that parses to the same fields.
//
//	go test ./gen -run '^$' -fuzz '^FuzzIPv4$' -fuzztime 20s

import (
	"bytes"
	"fmt"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/tcp"
	"github.com/mplgo/mpl/gen/udp"
	"github.com/mplgo/mpl/gen/vlan"
	mplrt "github.com/mplgo/mpl/runtime"
)

var seedCache struct {
	once  sync.Once
	seeds [nLayers][][]byte
}

// fuzzSeeds returns the distinct inputs of layer l in the captures and the
// frame vectors: whole frames for Ethernet; for the VLAN tags the Ethernet
// payload of tagged frames (and the outer tag's payload); for ARP and IPv4
// the payload of Ethernet, or of the last tag, of that ethertype; for ICMP
// and UDP the IPv4 payload of first fragments of that protocol.
func fuzzSeeds(f *testing.F, l int) [][]byte {
	f.Helper()
	caps := loadCaptures(f)
	var vectors [][]byte
	for _, v := range frameVectors {
		vectors = append(vectors, loadVector(f, v))
	}
	seedCache.once.Do(func() {
		seen := [nLayers]map[string]bool{}
		add := func(l int, b []byte) {
			if seen[l] == nil {
				seen[l] = map[string]bool{}
			}
			if !seen[l][string(b)] {
				seen[l][string(b)] = true
				seedCache.seeds[l] = append(seedCache.seeds[l], b)
			}
		}
		addFrame := func(frame []byte) {
			add(lEthernet, frame)
			e, err := ethernet.Parse(frame)
			if err != nil {
				return
			}
			ethertype, payload := e.Ethertype(), e.Payload()
			for tag := 0; isVLANTag(ethertype); tag++ {
				if tag == 2 {
					return
				}
				add(lVLAN+tag, payload)
				v, err := vlan.Parse(payload)
				if err != nil {
					return
				}
				ethertype, payload = ethernet.Ethertype(v.Ethertype()), v.Payload()
			}
			switch ethertype {
			case ethernet.EthertypeARP:
				add(lARP, payload)
			case ethernet.EthertypeIPv4:
				add(lIPv4, payload)
				p, err := ipv4.Parse(payload)
				if err != nil || p.FragmentOffset() != 0 {
					return
				}
				switch p.Protocol() {
				case ipv4.ProtocolICMP:
					add(lICMP, p.Payload())
				case ipv4.ProtocolUDP:
					add(lUDP, p.Payload())
				case ipv4.ProtocolTCP:
					add(lTCP, p.Payload())
				}
			}
		}
		for _, c := range caps {
			for _, frame := range c.frames {
				addFrame(frame)
			}
		}
		for _, v := range vectors {
			addFrame(v)
		}
	})
	return seedCache.seeds[l]
}

func FuzzEthernet(f *testing.F) {
	for _, s := range fuzzSeeds(f, lEthernet) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, frame []byte) {
		checkLayer(t, lEthernet, frame)
		// And every layer above, as TestCaptures and the round trips
		// take them.
		s := parseStack(frame)
		for l := lEthernet + 1; l < nLayers; l++ {
			if s.res[l].tried {
				checkLayer(t, l, s.res[l].in)
			}
		}
		checkNestedRoundTrip(t, "frame", s)
	})
}

func FuzzARP(f *testing.F) {
	for _, s := range fuzzSeeds(f, lARP) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkLayer(t, lARP, b) })
}

func FuzzIPv4(f *testing.F) {
	for _, s := range fuzzSeeds(f, lIPv4) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkLayer(t, lIPv4, b) })
}

func FuzzICMP(f *testing.F) {
	for _, s := range fuzzSeeds(f, lICMP) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkLayer(t, lICMP, b) })
}

func FuzzUDP(f *testing.F) {
	for _, s := range fuzzSeeds(f, lUDP) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkLayer(t, lUDP, b) })
}

func FuzzTCP(f *testing.F) {
	for _, s := range fuzzSeeds(f, lTCP) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkLayer(t, lTCP, b) })
}

// FuzzVLAN fuzzes one tag, seeded with the outer and the inner tags of the
// captures and the tags of unusualBuilds.
func FuzzVLAN(f *testing.F) {
	for _, s := range vlanSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) { checkLayer(t, lVLAN, b) })
}

// vlanSeeds are the inputs of both tag layers in the captures, the tags
// that unusualBuilds build, and a tag cut after each of its first bytes.
func vlanSeeds(f *testing.F) [][]byte {
	seeds := append(fuzzSeeds(f, lVLAN), fuzzSeeds(f, lVLAN2)...)
	for _, u := range unusualBuilds {
		if u.l == lVLAN || u.l == lVLAN2 {
			b, err := u.b.AppendTo(nil)
			if err != nil {
				f.Fatalf("%s: %v", u.name, err)
			}
			seeds = append(seeds, b)
		}
	}
	if len(seeds) > 0 {
		for n := range min(4, len(seeds[0])) {
			seeds = append(seeds, seeds[0][:n])
		}
	}
	// Inputs of every size class up to 2 KiB: a tag's payload is the
	// rest of its input, so its size steers only loop counts, which the
	// fuzzer counts as coverage. Without these it spends its first
	// minutes minimizing long inputs that only reach a new loop count.
	for n := 1; n <= 2048; n *= 2 {
		seeds = append(seeds, bytes.Repeat([]byte{'0'}, n))
	}
	return seeds
}

// layerView is what checkLayer needs of a parsed view.
type layerView interface {
	walker
	Bytes() []byte
	Rest() []byte
	String() string
}

// checkLayer parses in as layer l and checks everything about the result.
// It does not modify in.
func checkLayer(t *testing.T, l int, in []byte) {
	t.Helper()
	name := layerNames[l]
	v, err := parseLayer(l, in)
	if err != nil {
		if p := parseErrorProblem(name, in, err); p != "" {
			t.Fatalf("%s: %s\ninput %x", name, p, in)
		}
		return
	}
	if p := splitProblem(in, v.Bytes(), v.Rest()); p != "" {
		t.Fatalf("%s: %s\ninput %x", name, p, in)
	}

	// Every accessor, Walk (also stopped early), String.
	_, get, _ := viewCalls(t, l, in)
	for _, c := range get {
		if !c.fn() {
			t.Errorf("%s: %s reported false", name, c.name)
		}
	}
	fields := walkFields(v)
	for stop := range fields {
		calls := 0
		if v.Walk(func(mplrt.Field) bool { calls++; return calls <= stop }) || calls != stop+1 {
			t.Errorf("%s: Walk told to stop after field %d made %d calls", name, stop+1, calls)
		}
	}
	if s := v.String(); !strings.HasPrefix(s, name) {
		t.Errorf("%s: String() = %q", name, s)
	}

	// Cases: exactly the AsX of Kind succeeds, and the case works.
	switch p := v.(type) {
	case *arp.Packet:
		if msg := arpCaseProblem(*p); msg != "" {
			t.Error(msg)
		}
		arpCaseStrings(t, *p)
	case *icmp.Packet:
		if msg := icmpCaseProblem(*p); msg != "" {
			t.Error(msg)
		}
		icmpCaseStrings(t, *p)
	}

	// Every setter writes back the value it reads: no byte changes.
	cp := bytes.Clone(in)
	_, _, set := viewCalls(t, l, cp)
	for _, c := range set {
		if !c.fn() {
			t.Errorf("%s: %s refused the value its getter returned", name, c.name)
		}
	}
	if !bytes.Equal(cp, in) {
		t.Errorf("%s: setting every field to its own value changed the packet: %s", name, bytesDiff(in, cp))
	}

	// Rebuild with the generated builder and parse again.
	where := "rebuild"
	switch p := v.(type) {
	case *ethernet.Packet:
		checkRoundTrip(t, where, l, ethernetBuilder(*p), p.Bytes())
	case *arp.Packet:
		checkARPRoundTrip(t, where, *p, arpBuilder(*p), map[string]int{})
		checkARPRoundTrip(t, where+" (arp.Builder)", *p, arpBodyBuilder(*p), map[string]int{})
	case *ipv4.Packet:
		want, _ := ipv4Want(*p)
		checkRoundTrip(t, where, l, ipv4Builder(*p), want)
	case *icmp.Packet:
		want, _ := icmpWant(*p)
		checkRoundTrip(t, where, l, icmpBuilder(*p), want)
		checkRoundTrip(t, where+" (icmp.Builder)", l, icmpBodyBuilder(*p), want)
	case *udp.Packet:
		var zero netip.Addr
		want, _ := udpWant(*p, zero, zero)
		checkRoundTrip(t, where, l, udpBuilder(*p, zero, zero), want)
	case *tcp.Packet:
		var zero netip.Addr
		want, _ := tcpWant(*p, zero, zero)
		checkRoundTrip(t, where, l, tcpBuilder(*p, zero, zero), want)
	case *vlan.Packet:
		checkRoundTrip(t, where, l, vlanBuilder(*p), p.Bytes())
	}
}

// parseLayer parses in as layer l.
func parseLayer(l int, in []byte) (layerView, error) {
	var (
		v   layerView
		err error
	)
	switch l {
	case lEthernet:
		var x ethernet.Packet
		x, err = ethernet.Parse(in)
		v = &x
	case lARP:
		var x arp.Packet
		x, err = arp.Parse(in)
		v = &x
	case lIPv4:
		var x ipv4.Packet
		x, err = ipv4.Parse(in)
		v = &x
	case lICMP:
		var x icmp.Packet
		x, err = icmp.Parse(in)
		v = &x
	case lUDP:
		var x udp.Packet
		x, err = udp.Parse(in)
		v = &x
	case lTCP:
		var x tcp.Packet
		x, err = tcp.Parse(in)
		v = &x
	case lVLAN, lVLAN2:
		var x vlan.Packet
		x, err = vlan.Parse(in)
		v = &x
	default:
		err = fmt.Errorf("no layer %d", l)
	}
	return v, err
}

// arpCaseStrings formats the case p holds.
func arpCaseStrings(t *testing.T, p arp.Packet) {
	t.Helper()
	var s string
	if c, ok := p.AsEthernetIPv4(); ok {
		s = c.String()
	}
	if c, ok := p.AsOther(); ok {
		s = c.String()
	}
	if !strings.HasPrefix(s, "arp."+p.Kind().String()) {
		t.Errorf("arp: case String() = %q for kind %v", s, p.Kind())
	}
}

// icmpCaseStrings formats the case p holds.
func icmpCaseStrings(t *testing.T, p icmp.Packet) {
	t.Helper()
	var s string
	if c, ok := p.AsEchoReply(); ok {
		s = c.String()
	}
	if c, ok := p.AsDestinationUnreachable(); ok {
		s = c.String()
	}
	if c, ok := p.AsSourceQuench(); ok {
		s = c.String()
	}
	if c, ok := p.AsRedirect(); ok {
		s = c.String()
	}
	if c, ok := p.AsEchoRequest(); ok {
		s = c.String()
	}
	if c, ok := p.AsTimeExceeded(); ok {
		s = c.String()
	}
	if c, ok := p.AsParameterProblem(); ok {
		s = c.String()
	}
	if c, ok := p.AsTimestamp(); ok {
		s = c.String()
	}
	if c, ok := p.AsTimestampReply(); ok {
		s = c.String()
	}
	if c, ok := p.AsAddressMaskRequest(); ok {
		s = c.String()
	}
	if c, ok := p.AsAddressMaskReply(); ok {
		s = c.String()
	}
	if p.Kind() == icmp.KindUnknown {
		if s != "" {
			t.Errorf("icmp: unknown type %d, but a case formats as %q", p.Type(), s)
		}
		return
	}
	if !strings.HasPrefix(s, "icmp."+p.Kind().String()) {
		t.Errorf("icmp: case String() = %q for kind %v", s, p.Kind())
	}
}
