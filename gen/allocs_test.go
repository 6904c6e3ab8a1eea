package gen_test

// Allocations: parsing, every accessor and setter, Walk, and every builder
// of every generated package must allocate nothing, and so must a nested
// build into a buffer that is large enough. Benchmarks for the vectors.

import (
	"fmt"
	"net"
	"net/netip"
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

// call is one method call on a view, named for messages; it reports false
// if a setter refused its value.
type call struct {
	name string
	fn   func() bool
}

// Sinks keep the compiler from dropping accessor calls.
var (
	sinkU8    uint8
	sinkU16   uint16
	sinkU32   uint32
	sinkBytes []byte
	sinkMAC   net.HardwareAddr
	sinkAddr  netip.Addr
	sinkBool  bool
)

// walkNop is a Walk callback that captures nothing.
func walkNop(mplrt.Field) bool { return true }

// The calls on each view: every accessor, Walk, and every setter with the
// value the field already has (so that the bytes do not change).

func ethernetCalls(p ethernet.Packet) (get, set []call) {
	get = []call{
		{"Dst", func() bool { sinkMAC = p.Dst(); return true }},
		{"Src", func() bool { sinkMAC = p.Src(); return true }},
		{"Ethertype", func() bool { sinkU16 = uint16(p.Ethertype()); return true }},
		{"Payload", func() bool { sinkBytes = p.Payload(); return true }},
		{"Bytes", func() bool { sinkBytes = p.Bytes(); return true }},
		{"Rest", func() bool { sinkBytes = p.Rest(); return true }},
		{"Walk", func() bool { return p.Walk(walkNop) }},
	}
	set = []call{
		{"SetDst", func() bool { return p.SetDst(p.Dst()) }},
		{"SetSrc", func() bool { return p.SetSrc(p.Src()) }},
		{"SetEthertype", func() bool { p.SetEthertype(p.Ethertype()); return true }},
	}
	return get, set
}

func arpCalls(p arp.Packet) (get, set []call) {
	get = []call{
		{"Htype", func() bool { sinkU16 = uint16(p.Htype()); return true }},
		{"Ptype", func() bool { sinkU16 = uint16(p.Ptype()); return true }},
		{"Hlen", func() bool { sinkU8 = p.Hlen(); return true }},
		{"Plen", func() bool { sinkU8 = p.Plen(); return true }},
		{"Op", func() bool { sinkU16 = uint16(p.Op()); return true }},
		{"Kind", func() bool { sinkU8 = uint8(p.Kind()); return true }},
		{"AsEthernetIPv4", func() bool { _, sinkBool = p.AsEthernetIPv4(); return true }},
		{"AsOther", func() bool { _, sinkBool = p.AsOther(); return true }},
		{"Bytes", func() bool { sinkBytes = p.Bytes(); return true }},
		{"Rest", func() bool { sinkBytes = p.Rest(); return true }},
		{"Walk", func() bool { return p.Walk(walkNop) }},
	}
	set = []call{
		{"SetHtype", func() bool { p.SetHtype(p.Htype()); return true }},
		{"SetPtype", func() bool { p.SetPtype(p.Ptype()); return true }},
		{"SetHlen", func() bool { p.SetHlen(p.Hlen()); return true }},
		{"SetPlen", func() bool { p.SetPlen(p.Plen()); return true }},
		{"SetOp", func() bool { p.SetOp(p.Op()); return true }},
	}
	if c, ok := p.AsEthernetIPv4(); ok {
		get = append(get,
			call{"EthernetIPv4.SHA", func() bool { sinkMAC = c.SHA(); return true }},
			call{"EthernetIPv4.SPA", func() bool { sinkAddr = c.SPA(); return true }},
			call{"EthernetIPv4.THA", func() bool { sinkMAC = c.THA(); return true }},
			call{"EthernetIPv4.TPA", func() bool { sinkAddr = c.TPA(); return true }},
			call{"EthernetIPv4.Walk", func() bool { return c.Walk(walkNop) }},
		)
		set = append(set,
			call{"EthernetIPv4.SetSHA", func() bool { return c.SetSHA(c.SHA()) }},
			call{"EthernetIPv4.SetSPA", func() bool { return c.SetSPA(c.SPA()) }},
			call{"EthernetIPv4.SetTHA", func() bool { return c.SetTHA(c.THA()) }},
			call{"EthernetIPv4.SetTPA", func() bool { return c.SetTPA(c.TPA()) }},
		)
	}
	if c, ok := p.AsOther(); ok {
		get = append(get,
			call{"Other.SHA", func() bool { sinkBytes = c.SHA(); return true }},
			call{"Other.SPA", func() bool { sinkBytes = c.SPA(); return true }},
			call{"Other.THA", func() bool { sinkBytes = c.THA(); return true }},
			call{"Other.TPA", func() bool { sinkBytes = c.TPA(); return true }},
			call{"Other.Walk", func() bool { return c.Walk(walkNop) }},
		)
	}
	return get, set
}

func ipv4Calls(p ipv4.Packet) (get, set []call) {
	get = []call{
		{"Version", func() bool { sinkU8 = p.Version(); return true }},
		{"IHL", func() bool { sinkU8 = p.IHL(); return true }},
		{"DSCP", func() bool { sinkU8 = p.DSCP(); return true }},
		{"ECN", func() bool { sinkU8 = p.ECN(); return true }},
		{"TotalLength", func() bool { sinkU16 = p.TotalLength(); return true }},
		{"ID", func() bool { sinkU16 = p.ID(); return true }},
		{"Reserved", func() bool { sinkBool = p.Reserved(); return true }},
		{"DontFragment", func() bool { sinkBool = p.DontFragment(); return true }},
		{"MoreFragments", func() bool { sinkBool = p.MoreFragments(); return true }},
		{"FragmentOffset", func() bool { sinkU16 = p.FragmentOffset(); return true }},
		{"TTL", func() bool { sinkU8 = p.TTL(); return true }},
		{"Protocol", func() bool { sinkU8 = uint8(p.Protocol()); return true }},
		{"Checksum", func() bool { sinkU16 = p.Checksum(); return true }},
		{"Src", func() bool { sinkAddr = p.Src(); return true }},
		{"Dst", func() bool { sinkAddr = p.Dst(); return true }},
		{"Options", func() bool { sinkBytes = p.Options(); return true }},
		{"Payload", func() bool { sinkBytes = p.Payload(); return true }},
		{"Bytes", func() bool { sinkBytes = p.Bytes(); return true }},
		{"Rest", func() bool { sinkBytes = p.Rest(); return true }},
		{"Walk", func() bool { return p.Walk(walkNop) }},
	}
	set = []call{
		{"SetIHL", func() bool { p.SetIHL(p.IHL()); return true }},
		{"SetDSCP", func() bool { p.SetDSCP(p.DSCP()); return true }},
		{"SetECN", func() bool { p.SetECN(p.ECN()); return true }},
		{"SetTotalLength", func() bool { p.SetTotalLength(p.TotalLength()); return true }},
		{"SetID", func() bool { p.SetID(p.ID()); return true }},
		{"SetReserved", func() bool { p.SetReserved(p.Reserved()); return true }},
		{"SetDontFragment", func() bool { p.SetDontFragment(p.DontFragment()); return true }},
		{"SetMoreFragments", func() bool { p.SetMoreFragments(p.MoreFragments()); return true }},
		{"SetFragmentOffset", func() bool { p.SetFragmentOffset(p.FragmentOffset()); return true }},
		{"SetTTL", func() bool { p.SetTTL(p.TTL()); return true }},
		{"SetProtocol", func() bool { p.SetProtocol(p.Protocol()); return true }},
		{"SetChecksum", func() bool { p.SetChecksum(p.Checksum()); return true }},
		{"SetSrc", func() bool { return p.SetSrc(p.Src()) }},
		{"SetDst", func() bool { return p.SetDst(p.Dst()) }},
	}
	return get, set
}

func icmpCalls(p icmp.Packet) (get, set []call) {
	get = []call{
		{"Type", func() bool { sinkU8 = p.Type(); return true }},
		{"Code", func() bool { sinkU8 = p.Code(); return true }},
		{"Checksum", func() bool { sinkU16 = p.Checksum(); return true }},
		{"Kind", func() bool { sinkU8 = uint8(p.Kind()); return true }},
		{"AsEchoReply", func() bool { _, sinkBool = p.AsEchoReply(); return true }},
		{"AsDestinationUnreachable", func() bool { _, sinkBool = p.AsDestinationUnreachable(); return true }},
		{"AsSourceQuench", func() bool { _, sinkBool = p.AsSourceQuench(); return true }},
		{"AsRedirect", func() bool { _, sinkBool = p.AsRedirect(); return true }},
		{"AsEchoRequest", func() bool { _, sinkBool = p.AsEchoRequest(); return true }},
		{"AsTimeExceeded", func() bool { _, sinkBool = p.AsTimeExceeded(); return true }},
		{"AsParameterProblem", func() bool { _, sinkBool = p.AsParameterProblem(); return true }},
		{"AsTimestamp", func() bool { _, sinkBool = p.AsTimestamp(); return true }},
		{"AsTimestampReply", func() bool { _, sinkBool = p.AsTimestampReply(); return true }},
		{"AsAddressMaskRequest", func() bool { _, sinkBool = p.AsAddressMaskRequest(); return true }},
		{"AsAddressMaskReply", func() bool { _, sinkBool = p.AsAddressMaskReply(); return true }},
		{"Bytes", func() bool { sinkBytes = p.Bytes(); return true }},
		{"Rest", func() bool { sinkBytes = p.Rest(); return true }},
		{"Walk", func() bool { return p.Walk(walkNop) }},
	}
	set = []call{
		{"SetType", func() bool { p.SetType(p.Type()); return true }},
		{"SetCode", func() bool { p.SetCode(p.Code()); return true }},
		{"SetChecksum", func() bool { p.SetChecksum(p.Checksum()); return true }},
	}
	g, s := icmpCaseCalls(p)
	return append(get, g...), append(set, s...)
}

// icmpCaseCalls are the calls on the case p holds.
func icmpCaseCalls(p icmp.Packet) (get, set []call) {
	// echo, timestamp and address mask cases all have these two.
	idSeq := func(k string, id func() uint16, setID func(uint16), seq func() uint16, setSeq func(uint16)) {
		get = append(get,
			call{k + ".Identifier", func() bool { sinkU16 = id(); return true }},
			call{k + ".Sequence", func() bool { sinkU16 = seq(); return true }})
		set = append(set,
			call{k + ".SetIdentifier", func() bool { setID(id()); return true }},
			call{k + ".SetSequence", func() bool { setSeq(seq()); return true }})
	}
	u32 := func(name string, get32 func() uint32, set32 func(uint32)) {
		get = append(get, call{name, func() bool { sinkU32 = get32(); return true }})
		set = append(set, call{"Set" + name, func() bool { set32(get32()); return true }})
	}
	data := func(name string, f func() []byte) {
		get = append(get, call{name, func() bool { sinkBytes = f(); return true }})
	}
	walk := func(name string, w walker) {
		get = append(get, call{name + ".Walk", func() bool { return w.Walk(walkNop) }})
	}
	switch p.Kind() {
	case icmp.KindEchoReply:
		c, _ := p.AsEchoReply()
		idSeq("EchoReply", c.Identifier, c.SetIdentifier, c.Sequence, c.SetSequence)
		data("EchoReply.Data", c.Data)
		walk("EchoReply", &c)
	case icmp.KindEchoRequest:
		c, _ := p.AsEchoRequest()
		idSeq("EchoRequest", c.Identifier, c.SetIdentifier, c.Sequence, c.SetSequence)
		data("EchoRequest.Data", c.Data)
		walk("EchoRequest", &c)
	case icmp.KindDestinationUnreachable:
		c, _ := p.AsDestinationUnreachable()
		get = append(get,
			call{"DestinationUnreachable.Unused", func() bool { sinkU16 = c.Unused(); return true }},
			call{"DestinationUnreachable.NextHopMTU", func() bool { sinkU16 = c.NextHopMTU(); return true }})
		set = append(set,
			call{"DestinationUnreachable.SetUnused", func() bool { c.SetUnused(c.Unused()); return true }},
			call{"DestinationUnreachable.SetNextHopMTU", func() bool { c.SetNextHopMTU(c.NextHopMTU()); return true }})
		data("DestinationUnreachable.Original", c.Original)
		walk("DestinationUnreachable", &c)
	case icmp.KindSourceQuench:
		c, _ := p.AsSourceQuench()
		u32("SourceQuench.Unused", c.Unused, c.SetUnused)
		data("SourceQuench.Original", c.Original)
		walk("SourceQuench", &c)
	case icmp.KindRedirect:
		c, _ := p.AsRedirect()
		get = append(get, call{"Redirect.Gateway", func() bool { sinkAddr = c.Gateway(); return true }})
		set = append(set, call{"Redirect.SetGateway", func() bool { return c.SetGateway(c.Gateway()) }})
		data("Redirect.Original", c.Original)
		walk("Redirect", &c)
	case icmp.KindTimeExceeded:
		c, _ := p.AsTimeExceeded()
		u32("TimeExceeded.Unused", c.Unused, c.SetUnused)
		data("TimeExceeded.Original", c.Original)
		walk("TimeExceeded", &c)
	case icmp.KindParameterProblem:
		c, _ := p.AsParameterProblem()
		get = append(get, call{"ParameterProblem.Pointer", func() bool { sinkU8 = c.Pointer(); return true }})
		set = append(set, call{"ParameterProblem.SetPointer", func() bool { c.SetPointer(c.Pointer()); return true }})
		u32("ParameterProblem.Unused", c.Unused, c.SetUnused)
		data("ParameterProblem.Original", c.Original)
		walk("ParameterProblem", &c)
	case icmp.KindTimestamp:
		c, _ := p.AsTimestamp()
		idSeq("Timestamp", c.Identifier, c.SetIdentifier, c.Sequence, c.SetSequence)
		u32("Timestamp.Originate", c.Originate, c.SetOriginate)
		u32("Timestamp.Receive", c.Receive, c.SetReceive)
		u32("Timestamp.Transmit", c.Transmit, c.SetTransmit)
		walk("Timestamp", &c)
	case icmp.KindTimestampReply:
		c, _ := p.AsTimestampReply()
		idSeq("TimestampReply", c.Identifier, c.SetIdentifier, c.Sequence, c.SetSequence)
		u32("TimestampReply.Originate", c.Originate, c.SetOriginate)
		u32("TimestampReply.Receive", c.Receive, c.SetReceive)
		u32("TimestampReply.Transmit", c.Transmit, c.SetTransmit)
		walk("TimestampReply", &c)
	case icmp.KindAddressMaskRequest:
		c, _ := p.AsAddressMaskRequest()
		idSeq("AddressMaskRequest", c.Identifier, c.SetIdentifier, c.Sequence, c.SetSequence)
		get = append(get, call{"AddressMaskRequest.Mask", func() bool { sinkAddr = c.Mask(); return true }})
		set = append(set, call{"AddressMaskRequest.SetMask", func() bool { return c.SetMask(c.Mask()) }})
		walk("AddressMaskRequest", &c)
	case icmp.KindAddressMaskReply:
		c, _ := p.AsAddressMaskReply()
		idSeq("AddressMaskReply", c.Identifier, c.SetIdentifier, c.Sequence, c.SetSequence)
		get = append(get, call{"AddressMaskReply.Mask", func() bool { sinkAddr = c.Mask(); return true }})
		set = append(set, call{"AddressMaskReply.SetMask", func() bool { return c.SetMask(c.Mask()) }})
		walk("AddressMaskReply", &c)
	}
	return get, set
}

func udpCalls(p udp.Packet) (get, set []call) {
	get = []call{
		{"SrcPort", func() bool { sinkU16 = p.SrcPort(); return true }},
		{"DstPort", func() bool { sinkU16 = p.DstPort(); return true }},
		{"Length", func() bool { sinkU16 = p.Length(); return true }},
		{"Checksum", func() bool { sinkU16 = p.Checksum(); return true }},
		{"Payload", func() bool { sinkBytes = p.Payload(); return true }},
		{"Bytes", func() bool { sinkBytes = p.Bytes(); return true }},
		{"Rest", func() bool { sinkBytes = p.Rest(); return true }},
		{"Walk", func() bool { return p.Walk(walkNop) }},
	}
	set = []call{
		{"SetSrcPort", func() bool { p.SetSrcPort(p.SrcPort()); return true }},
		{"SetDstPort", func() bool { p.SetDstPort(p.DstPort()); return true }},
		{"SetLength", func() bool { p.SetLength(p.Length()); return true }},
		{"SetChecksum", func() bool { p.SetChecksum(p.Checksum()); return true }},
	}
	return get, set
}

// viewCalls parses b as layer l (which must succeed) and returns the calls
// on the view, and the Parse call itself.
func viewCalls(tb testing.TB, l int, b []byte) (parse call, get, set []call) {
	tb.Helper()
	fail := func(err error) {
		tb.Fatalf("%s: %v\n%x", layerNames[l], err, b)
	}
	switch l {
	case lEthernet:
		p, err := ethernet.Parse(b)
		if err != nil {
			fail(err)
		}
		get, set = ethernetCalls(p)
		parse = call{"Parse", func() bool { _, err := ethernet.Parse(b); return err == nil }}
	case lARP:
		p, err := arp.Parse(b)
		if err != nil {
			fail(err)
		}
		get, set = arpCalls(p)
		parse = call{"Parse", func() bool { _, err := arp.Parse(b); return err == nil }}
	case lIPv4:
		p, err := ipv4.Parse(b)
		if err != nil {
			fail(err)
		}
		get, set = ipv4Calls(p)
		parse = call{"Parse", func() bool { _, err := ipv4.Parse(b); return err == nil }}
	case lICMP:
		p, err := icmp.Parse(b)
		if err != nil {
			fail(err)
		}
		get, set = icmpCalls(p)
		parse = call{"Parse", func() bool { _, err := icmp.Parse(b); return err == nil }}
	case lUDP:
		p, err := udp.Parse(b)
		if err != nil {
			fail(err)
		}
		get, set = udpCalls(p)
		parse = call{"Parse", func() bool { _, err := udp.Parse(b); return err == nil }}
	case lTCP:
		p, err := tcp.Parse(b)
		if err != nil {
			fail(err)
		}
		get, set = tcpCalls(p)
		parse = call{"Parse", func() bool { _, err := tcp.Parse(b); return err == nil }}
	case lVLAN, lVLAN2:
		p, err := vlan.Parse(b)
		if err != nil {
			fail(err)
		}
		get, set = vlanCalls(p)
		parse = call{"Parse", func() bool { _, err := vlan.Parse(b); return err == nil }}
	}
	return parse, get, set
}

// allocSamples are packets of every package and every case: the frame
// vectors layer by layer, and what unusualBuilds build.
func allocSamples(tb testing.TB) []struct {
	name string
	l    int
	b    []byte
} {
	type sample = struct {
		name string
		l    int
		b    []byte
	}
	var out []sample
	for _, v := range frameVectors {
		s := parseStack(loadVector(tb, v))
		for l, r := range s.res {
			if r.ok() {
				out = append(out, sample{v + " " + layerNames[l], l, r.in})
			}
		}
	}
	for _, u := range unusualBuilds {
		b, err := u.b.AppendTo(nil)
		if err != nil {
			tb.Fatalf("%s: %v", u.name, err)
		}
		out = append(out, sample{u.name, u.l, b})
	}
	return out
}

func checkNoAllocs(t *testing.T, what string, fn func() bool) {
	t.Helper()
	ok := true
	if n := testing.AllocsPerRun(50, func() { ok = fn() && ok }); n != 0 {
		t.Errorf("%s allocates %v times", what, n)
	}
	if !ok {
		t.Errorf("%s failed", what)
	}
}

// TestAllocsViews checks Parse, every accessor, Walk and every setter.
func TestAllocsViews(t *testing.T) {
	for _, s := range allocSamples(t) {
		t.Run(s.name, func(t *testing.T) {
			b := append([]byte(nil), s.b...) // the setters write to it
			parse, get, set := viewCalls(t, s.l, b)
			checkNoAllocs(t, layerNames[s.l]+"."+parse.name, parse.fn)
			for _, c := range get {
				checkNoAllocs(t, c.name, c.fn)
			}
			for _, c := range set {
				checkNoAllocs(t, c.name, c.fn)
			}
		})
	}
}

// TestAllocsParseErrors checks that a failing Parse allocates nothing
// once its error site has reported that offset before.
func TestAllocsParseErrors(t *testing.T) {
	var (
		ethShort  = make([]byte, 13)
		arpShort  = []byte{0, 1, 8, 0, 6, 4, 0, 1, 1}
		ipIHL4    = append([]byte{0x44}, make([]byte, 19)...)
		echoShort = []byte{8, 0, 0, 0, 1}
		udpLen7   = []byte{0, 1, 0, 2, 0, 7, 0, 0}
		vlanShort = []byte{0x20, 1, 8}
	)
	bad := []call{
		{"ethernet truncated", func() bool { _, err := ethernet.Parse(ethShort); return err != nil }},
		{"arp truncated", func() bool { _, err := arp.Parse(arpShort); return err != nil }},
		{"ipv4 ihl 4", func() bool { _, err := ipv4.Parse(ipIHL4); return err != nil }},
		{"icmp echo truncated", func() bool { _, err := icmp.Parse(echoShort); return err != nil }},
		{"udp length 7", func() bool { _, err := udp.Parse(udpLen7); return err != nil }},
		{"vlan truncated", func() bool { _, err := vlan.Parse(vlanShort); return err != nil }},
	}
	for _, c := range bad {
		checkNoAllocs(t, c.name, c.fn)
	}
}

// TestAllocsBuilders checks AppendTo of every builder into a buffer that is
// large enough.
func TestAllocsBuilders(t *testing.T) {
	buf := make([]byte, 0, 1<<17)
	builders := []struct {
		name string
		b    mplrt.Appender
	}{
		{"arp.Builder", arp.Builder{Htype: arp.HtypeEthernet, Ptype: arp.PtypeIPv4, Hlen: 6, Plen: 4, Op: arp.OpRequest, Body: make([]byte, 20)}},
	}
	for _, u := range unusualBuilds {
		builders = append(builders, struct {
			name string
			b    mplrt.Appender
		}{fmt.Sprintf("%T (%s)", u.b, u.name), u.b})
	}
	for _, c := range builders {
		b := c.b
		checkNoAllocs(t, c.name+".AppendTo", func() bool {
			var err error
			buf, err = b.AppendTo(buf[:0])
			return err == nil
		})
	}
}

// nestedBuilders are the three-level builds: Ethernet, IPv4 and an ICMP
// echo request, and Ethernet, IPv4 and UDP.
func nestedBuilders() (echo mplrt.Nested[ethernet.Builder, mplrt.Nested[ipv4.Builder, icmp.EchoRequestBuilder]],
	dns mplrt.Nested[ethernet.Builder, mplrt.Nested[ipv4.Builder, udp.Builder]]) {
	eth := ethernet.Builder{
		Dst:       net.HardwareAddr{0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e},
		Src:       net.HardwareAddr{0x52, 0x54, 0x00, 0x12, 0x34, 0x56},
		Ethertype: ethernet.EthertypeIPv4,
	}
	ip := ipv4.Builder{ID: 0x4c1d, DontFragment: true, TTL: 64, Src: netip.MustParseAddr("192.168.1.100"), Dst: netip.MustParseAddr("93.184.215.14")}
	ipICMP, ipUDP := ip, ip
	ipICMP.Protocol, ipUDP.Protocol = ipv4.ProtocolICMP, ipv4.ProtocolUDP
	echo = mplrt.Nest(eth, mplrt.Nest(ipICMP, icmp.EchoRequestBuilder{Identifier: 0x0b3d, Sequence: 1, Data: make([]byte, 56)}))
	dns = mplrt.Nest(eth, mplrt.Nest(ipUDP, udp.Builder{SrcPort: 41234, DstPort: 53, Payload: make([]byte, 76)}))
	return echo, dns
}

// TestAllocsNested checks the three-level builds into a preallocated buffer,
// and that they parse back.
func TestAllocsNested(t *testing.T) {
	echo, dns := nestedBuilders()
	buf := make([]byte, 0, 2048)
	for _, c := range []struct {
		name string
		b    mplrt.Appender
	}{{"ethernet/ipv4/icmp echo", echo}, {"ethernet/ipv4/udp", dns}} {
		b := c.b
		checkNoAllocs(t, c.name, func() bool {
			var err error
			buf, err = b.AppendTo(buf[:0])
			return err == nil
		})
		s := parseStack(buf)
		if !s.res[lICMP].ok() && !s.res[lUDP].ok() {
			t.Errorf("%s: what it built does not parse to the top: %+v", c.name, s.res)
		}
	}
	// The concrete generic types, without an interface in between.
	checkNoAllocs(t, "Nested echo (concrete)", func() bool {
		var err error
		buf, err = echo.AppendTo(buf[:0])
		return err == nil
	})
	checkNoAllocs(t, "Nested udp (concrete)", func() bool {
		var err error
		buf, err = dns.AppendTo(buf[:0])
		return err == nil
	})
}

// BenchmarkParse parses each frame vector through ethernet, ipv4 and
// icmp or udp.
func BenchmarkParse(b *testing.B) {
	for _, v := range frameVectors {
		frame := loadVector(b, v)
		b.Run(v, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(frame)))
			for b.Loop() {
				e, err := ethernet.Parse(frame)
				if err != nil {
					b.Fatal(err)
				}
				p, err := ipv4.Parse(e.Payload())
				if err != nil {
					b.Fatal(err)
				}
				switch p.Protocol() {
				case ipv4.ProtocolICMP:
					m, err := icmp.Parse(p.Payload())
					if err != nil {
						b.Fatal(err)
					}
					sinkU8 = uint8(m.Kind())
				case ipv4.ProtocolUDP:
					u, err := udp.Parse(p.Payload())
					if err != nil {
						b.Fatal(err)
					}
					sinkU16 = u.DstPort()
				default:
					sinkU8 = p.TTL()
				}
			}
		})
	}
}

// BenchmarkNestedBuild builds the three-level packets into a preallocated
// buffer.
func BenchmarkNestedBuild(b *testing.B) {
	echo, dns := nestedBuilders()
	buf := make([]byte, 0, 2048)
	b.Run("ethernet-ipv4-icmp-echo", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = echo.AppendTo(buf[:0])
		}
		b.SetBytes(int64(len(buf)))
	})
	b.Run("ethernet-ipv4-udp", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			buf, _ = dns.AppendTo(buf[:0])
		}
		b.SetBytes(int64(len(buf)))
	})
}
