package icmpv6

// These tests run the code mplc generates from icmpv6.mpl, ICMPv6 (RFC
// 4443) with the Neighbor Discovery messages (RFC 4861): every case built,
// parsed and rebuilt, compared with gopacket's ICMPv6 layers (on our
// packets and on packets gopacket serializes with their checksums), no
// allocations, fuzzing, and the ICMPv6 packets of the captures.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/mplgo/mpl/internal/fuzzcheck"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/mplgo/mpl/gen/ethernet"
	mplrt "github.com/mplgo/mpl/runtime"
)

const capturesDir = "../../../../testdata/captures"

// builderOf returns the builder of p's case holding p's fields, or the
// generic Builder for a type no case takes.
func builderOf(p *Packet) mplrt.Appender {
	c, k := p.Code(), p.Checksum()
	switch p.Kind() {
	case KindDestinationUnreachable:
		v, _ := p.AsDestinationUnreachable()
		return DestinationUnreachableBuilder{Code: c, Checksum: k, Unused: v.Unused(), Original: v.Original()}
	case KindPacketTooBig:
		v, _ := p.AsPacketTooBig()
		return PacketTooBigBuilder{Code: c, Checksum: k, MTU: v.MTU(), Original: v.Original()}
	case KindTimeExceeded:
		v, _ := p.AsTimeExceeded()
		return TimeExceededBuilder{Code: c, Checksum: k, Unused: v.Unused(), Original: v.Original()}
	case KindParameterProblem:
		v, _ := p.AsParameterProblem()
		return ParameterProblemBuilder{Code: c, Checksum: k, Pointer: v.Pointer(), Original: v.Original()}
	case KindEchoRequest:
		v, _ := p.AsEchoRequest()
		return EchoRequestBuilder{Code: c, Checksum: k, Identifier: v.Identifier(), Sequence: v.Sequence(), Data: v.Data()}
	case KindEchoReply:
		v, _ := p.AsEchoReply()
		return EchoReplyBuilder{Code: c, Checksum: k, Identifier: v.Identifier(), Sequence: v.Sequence(), Data: v.Data()}
	case KindRouterSolicitation:
		v, _ := p.AsRouterSolicitation()
		return RouterSolicitationBuilder{Code: c, Checksum: k, Reserved: v.Reserved(), Options: v.Options()}
	case KindRouterAdvertisement:
		v, _ := p.AsRouterAdvertisement()
		return RouterAdvertisementBuilder{Code: c, Checksum: k, CurHopLimit: v.CurHopLimit(), Managed: v.Managed(),
			Other: v.Other(), Reserved: v.Reserved(), RouterLifetime: v.RouterLifetime(), ReachableTime: v.ReachableTime(),
			RetransTimer: v.RetransTimer(), Options: v.Options()}
	case KindNeighborSolicitation:
		v, _ := p.AsNeighborSolicitation()
		return NeighborSolicitationBuilder{Code: c, Checksum: k, Reserved: v.Reserved(), Target: v.Target(), Options: v.Options()}
	case KindNeighborAdvertisement:
		v, _ := p.AsNeighborAdvertisement()
		return NeighborAdvertisementBuilder{Code: c, Checksum: k, Router: v.Router(), Solicited: v.Solicited(),
			Override: v.Override(), Reserved: v.Reserved(), Target: v.Target(), Options: v.Options()}
	case KindRedirect:
		v, _ := p.AsRedirect()
		return RedirectBuilder{Code: c, Checksum: k, Reserved: v.Reserved(), Target: v.Target(), Destination: v.Destination(), Options: v.Options()}
	}
	return Builder{Type: p.Type(), Code: c, Checksum: k}
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func randAddr(r *rand.Rand) netip.Addr { return netip.AddrFrom16([16]byte(randBytes(r, 16))) }

// randOptions returns well-formed NDP options (RFC 4861 4.6): type, length
// in 8-byte units, data.
func randOptions(r *rand.Rand) []byte {
	var b []byte
	for n := r.IntN(3); n > 0; n-- {
		units := 1 + r.IntN(3)
		b = append(b, byte(1+r.IntN(5)), byte(units))
		b = append(b, randBytes(r, units*8-2)...)
	}
	return b
}

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func as16(a netip.Addr) []byte { s := a.As16(); return s[:] }

func flag(v bool, bit uint) byte {
	if v {
		return 1 << bit
	}
	return 0
}

// randCase returns a random builder of one of the cases, its kind, and
// its reference encoding from RFC 4443 and RFC 4861.
func randCase(r *rand.Rand) (mplrt.Appender, Kind, []byte) {
	code, sum := uint8(r.IntN(8)), uint16(r.Uint32())
	hdr := func(typ byte) []byte { return []byte{typ, code, byte(sum >> 8), byte(sum)} }
	orig := randBytes(r, r.IntN(80))
	switch k := Kind(1 + r.IntN(11)); k {
	case KindDestinationUnreachable:
		b := DestinationUnreachableBuilder{Code: code, Checksum: sum, Unused: r.Uint32(), Original: orig}
		return b, k, cat(hdr(1), u32(b.Unused), orig)
	case KindPacketTooBig:
		b := PacketTooBigBuilder{Code: code, Checksum: sum, MTU: 1280 + r.Uint32N(9000), Original: orig}
		return b, k, cat(hdr(2), u32(b.MTU), orig)
	case KindTimeExceeded:
		b := TimeExceededBuilder{Code: code, Checksum: sum, Unused: r.Uint32(), Original: orig}
		return b, k, cat(hdr(3), u32(b.Unused), orig)
	case KindParameterProblem:
		b := ParameterProblemBuilder{Code: code, Checksum: sum, Pointer: r.Uint32N(64), Original: orig}
		return b, k, cat(hdr(4), u32(b.Pointer), orig)
	case KindEchoRequest, KindEchoReply:
		id, seq := uint16(r.Uint32()), uint16(r.Uint32())
		if k == KindEchoRequest {
			return EchoRequestBuilder{Code: code, Checksum: sum, Identifier: id, Sequence: seq, Data: orig}, k,
				cat(hdr(128), u32(uint32(id)<<16|uint32(seq)), orig)
		}
		return EchoReplyBuilder{Code: code, Checksum: sum, Identifier: id, Sequence: seq, Data: orig}, k,
			cat(hdr(129), u32(uint32(id)<<16|uint32(seq)), orig)
	case KindRouterSolicitation:
		b := RouterSolicitationBuilder{Code: code, Checksum: sum, Reserved: r.Uint32(), Options: randOptions(r)}
		return b, k, cat(hdr(133), u32(b.Reserved), b.Options)
	case KindRouterAdvertisement:
		b := RouterAdvertisementBuilder{Code: code, Checksum: sum, CurHopLimit: uint8(r.Uint32()), Managed: r.IntN(2) == 0,
			Other: r.IntN(2) == 0, Reserved: uint8(r.IntN(64)), RouterLifetime: uint16(r.Uint32()),
			ReachableTime: r.Uint32(), RetransTimer: r.Uint32(), Options: randOptions(r)}
		return b, k, cat(hdr(134), []byte{b.CurHopLimit, flag(b.Managed, 7) | flag(b.Other, 6) | b.Reserved},
			binary.BigEndian.AppendUint16(nil, b.RouterLifetime), u32(b.ReachableTime), u32(b.RetransTimer), b.Options)
	case KindNeighborSolicitation:
		b := NeighborSolicitationBuilder{Code: code, Checksum: sum, Reserved: r.Uint32(), Target: randAddr(r), Options: randOptions(r)}
		return b, k, cat(hdr(135), u32(b.Reserved), as16(b.Target), b.Options)
	case KindNeighborAdvertisement:
		b := NeighborAdvertisementBuilder{Code: code, Checksum: sum, Router: r.IntN(2) == 0, Solicited: r.IntN(2) == 0,
			Override: r.IntN(2) == 0, Reserved: r.Uint32N(1 << 29), Target: randAddr(r), Options: randOptions(r)}
		w := uint32(flag(b.Router, 7)|flag(b.Solicited, 6)|flag(b.Override, 5))<<24 | b.Reserved
		return b, k, cat(hdr(136), u32(w), as16(b.Target), b.Options)
	default:
		b := RedirectBuilder{Code: code, Checksum: sum, Reserved: r.Uint32(), Target: randAddr(r), Destination: randAddr(r), Options: randOptions(r)}
		return b, KindRedirect, cat(hdr(137), u32(b.Reserved), as16(b.Target), as16(b.Destination), b.Options)
	}
}

// TestRoundTrip: build every case -> reference bytes -> parse -> the
// builder of the parsed fields is the one built -> same bytes.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 9))
	seen := map[Kind]int{}
	for i := 0; i < 3000; i++ {
		b, kind, want := randCase(r)
		out, err := b.AppendTo([]byte{0xee})
		if err != nil {
			t.Fatalf("%+v: %v", b, err)
		}
		if out[0] != 0xee || !bytes.Equal(out[1:], want) {
			t.Fatalf("%T built %x, want %x", b, out[1:], want)
		}
		p, err := Parse(out[1:])
		if err != nil {
			t.Fatalf("Parse(%x): %v", out[1:], err)
		}
		if p.Kind() != kind || !bytes.Equal(p.Bytes(), want) || len(p.Rest()) != 0 {
			t.Fatalf("parsed %s as %v, want %v", p.String(), p.Kind(), kind)
		}
		seen[kind]++
		back := builderOf(&p)
		if fmt.Sprintf("%T %+v", back, back) != fmt.Sprintf("%T %+v", b, b) {
			t.Fatalf("parsed fields %+v, want %+v", back, b)
		}
		again, err := back.AppendTo(nil)
		if err != nil || !bytes.Equal(again, want) {
			t.Fatalf("rebuilt %x, %v; want %x", again, err, want)
		}
		checkGopacket(t, &p)
	}
	if len(seen) != 11 {
		t.Errorf("built only %v", seen)
	}
}

func ip(a netip.Addr) net.IP { return net.IP(as16(a)) }

// checkGopacket compares p with what gopacket decodes from its bytes.
func checkGopacket(t *testing.T, p *Packet) {
	t.Helper()
	g := gopacket.NewPacket(p.Bytes(), layers.LayerTypeICMPv6, gopacket.Default)
	gi, _ := g.Layer(layers.LayerTypeICMPv6).(*layers.ICMPv6)
	if gi == nil {
		t.Fatalf("gopacket decodes no ICMPv6 from %x: %v", p.Bytes(), g.ErrorLayer())
	}
	if gi.TypeCode.Type() != p.Type() || gi.TypeCode.Code() != p.Code() || gi.Checksum != p.Checksum() {
		t.Fatalf("%s: gopacket %v checksum %#x", p.String(), gi.TypeCode, gi.Checksum)
	}
	bad := func(what string, got, want any) {
		t.Helper()
		t.Fatalf("%s: %s %v, gopacket %v", p.String(), what, got, want)
	}
	var opts []byte
	var gopts layers.ICMPv6Options
	switch p.Kind() {
	case KindDestinationUnreachable, KindPacketTooBig, KindTimeExceeded, KindParameterProblem:
		// gopacket decodes no layer for the errors: the four bytes after
		// the checksum and the invoking packet are its payload.
		want := p.Bytes()[4:]
		if !bytes.Equal(gi.Payload, want) {
			bad("body", want, gi.Payload)
		}
		var word uint32
		switch p.Kind() {
		case KindPacketTooBig:
			v, _ := p.AsPacketTooBig()
			word = v.MTU()
		case KindParameterProblem:
			v, _ := p.AsParameterProblem()
			word = v.Pointer()
		default:
			return
		}
		if g := binary.BigEndian.Uint32(gi.Payload); g != word {
			bad("mtu/pointer", word, g)
		}
		return
	case KindEchoRequest, KindEchoReply:
		ge, _ := g.Layer(layers.LayerTypeICMPv6Echo).(*layers.ICMPv6Echo)
		var id, seq uint16
		var data []byte
		if v, ok := p.AsEchoRequest(); ok {
			id, seq, data = v.Identifier(), v.Sequence(), v.Data()
		} else {
			v, _ := p.AsEchoReply()
			id, seq, data = v.Identifier(), v.Sequence(), v.Data()
		}
		if ge == nil || ge.Identifier != id || ge.SeqNumber != seq || !bytes.Equal(ge.Payload, data) {
			bad("echo", fmt.Sprint(id, seq, data), ge)
		}
		return
	case KindRouterSolicitation:
		gl, _ := g.Layer(layers.LayerTypeICMPv6RouterSolicitation).(*layers.ICMPv6RouterSolicitation)
		v, _ := p.AsRouterSolicitation()
		if gl == nil {
			bad("layer", "RouterSolicitation", g.ErrorLayer())
		}
		opts, gopts = v.Options(), gl.Options
	case KindRouterAdvertisement:
		gl, _ := g.Layer(layers.LayerTypeICMPv6RouterAdvertisement).(*layers.ICMPv6RouterAdvertisement)
		v, _ := p.AsRouterAdvertisement()
		if gl == nil {
			bad("layer", "RouterAdvertisement", g.ErrorLayer())
		}
		if gl.HopLimit != v.CurHopLimit() || gl.ManagedAddressConfig() != v.Managed() || gl.OtherConfig() != v.Other() ||
			gl.Flags&0x3f != v.Reserved() || gl.RouterLifetime != v.RouterLifetime() ||
			gl.ReachableTime != v.ReachableTime() || gl.RetransTimer != v.RetransTimer() {
			bad("fields", v.String(), gl)
		}
		opts, gopts = v.Options(), gl.Options
	case KindNeighborSolicitation:
		gl, _ := g.Layer(layers.LayerTypeICMPv6NeighborSolicitation).(*layers.ICMPv6NeighborSolicitation)
		v, _ := p.AsNeighborSolicitation()
		if gl == nil || !gl.TargetAddress.Equal(ip(v.Target())) {
			bad("target", v.Target(), gl)
		}
		opts, gopts = v.Options(), gl.Options
	case KindNeighborAdvertisement:
		gl, _ := g.Layer(layers.LayerTypeICMPv6NeighborAdvertisement).(*layers.ICMPv6NeighborAdvertisement)
		v, _ := p.AsNeighborAdvertisement()
		if gl == nil || !gl.TargetAddress.Equal(ip(v.Target())) || gl.Router() != v.Router() ||
			gl.Solicited() != v.Solicited() || gl.Override() != v.Override() || gl.Flags&0x1f != uint8(v.Reserved()>>24) {
			bad("fields", v.String(), gl)
		}
		opts, gopts = v.Options(), gl.Options
	case KindRedirect:
		gl, _ := g.Layer(layers.LayerTypeICMPv6Redirect).(*layers.ICMPv6Redirect)
		v, _ := p.AsRedirect()
		if gl == nil || !gl.TargetAddress.Equal(ip(v.Target())) || !gl.DestinationAddress.Equal(ip(v.Destination())) {
			bad("addresses", v.String(), gl)
		}
		opts, gopts = v.Options(), gl.Options
	default:
		return
	}
	// The raw options are gopacket's options, encoded again.
	var enc []byte
	for _, o := range gopts {
		enc = append(enc, byte(o.Type), byte((len(o.Data)+2)/8))
		enc = append(enc, o.Data...)
	}
	if !bytes.Equal(enc, opts) {
		bad("options", opts, gopts)
	}
}

// checksum6 computes the RFC 4443 2.3 checksum of msg with the runtime's
// checksum functions: over the IPv6 pseudo-header (RFC 8200 8.1) and the
// message with its checksum field cleared through the setter.
func checksum6(src, dst net.IP, msg []byte) uint16 {
	m := bytes.Clone(msg)
	p, err := Parse(m)
	if err != nil {
		return 0
	}
	p.SetChecksum(0)
	pseudo := append(append(bytes.Clone(src.To16()), dst.To16()...), u32(uint32(len(m)))...)
	pseudo = append(pseudo, 0, 0, 0, 58)
	return mplrt.Checksum(m, mplrt.Sum(pseudo, 0))
}

// TestGopacketSerialized parses messages gopacket serializes, with their
// checksums over the IPv6 pseudo-header, and rebuilds them byte for byte.
func TestGopacketSerialized(t *testing.T) {
	src, dst := net.ParseIP("fe80::1"), net.ParseIP("ff02::1")
	ip6 := &layers.IPv6{Version: 6, NextHeader: layers.IPProtocolICMPv6, HopLimit: 255, SrcIP: src, DstIP: dst}
	lladdr := layers.ICMPv6Option{Type: layers.ICMPv6OptSourceAddress, Data: []byte{2, 0, 0, 0, 0, 1}}
	target := net.ParseIP("2001:db8::7")
	for _, tc := range []struct {
		kind Kind
		ls   []gopacket.SerializableLayer
	}{
		{KindEchoRequest, []gopacket.SerializableLayer{&layers.ICMPv6Echo{Identifier: 7, SeqNumber: 1}, gopacket.Payload("ping")}},
		{KindEchoReply, []gopacket.SerializableLayer{&layers.ICMPv6Echo{Identifier: 7, SeqNumber: 1}, gopacket.Payload("ping")}},
		{KindRouterSolicitation, []gopacket.SerializableLayer{&layers.ICMPv6RouterSolicitation{Options: layers.ICMPv6Options{lladdr}}}},
		{KindRouterAdvertisement, []gopacket.SerializableLayer{&layers.ICMPv6RouterAdvertisement{HopLimit: 64, Flags: 0xc0,
			RouterLifetime: 1800, ReachableTime: 30000, RetransTimer: 1000, Options: layers.ICMPv6Options{lladdr}}}},
		{KindNeighborSolicitation, []gopacket.SerializableLayer{&layers.ICMPv6NeighborSolicitation{TargetAddress: target, Options: layers.ICMPv6Options{lladdr}}}},
		{KindNeighborAdvertisement, []gopacket.SerializableLayer{&layers.ICMPv6NeighborAdvertisement{Flags: 0x60, TargetAddress: target}}},
		{KindRedirect, []gopacket.SerializableLayer{&layers.ICMPv6Redirect{TargetAddress: target, DestinationAddress: net.ParseIP("2001:db8::99")}}},
		{KindPacketTooBig, []gopacket.SerializableLayer{gopacket.Payload(append(u32(1280), make([]byte, 48)...))}},
		{KindParameterProblem, []gopacket.SerializableLayer{gopacket.Payload(append(u32(6), make([]byte, 48)...))}},
	} {
		types := map[Kind]uint8{KindEchoRequest: 128, KindEchoReply: 129, KindRouterSolicitation: 133, KindRouterAdvertisement: 134,
			KindNeighborSolicitation: 135, KindNeighborAdvertisement: 136, KindRedirect: 137, KindPacketTooBig: 2, KindParameterProblem: 4}
		icmp := &layers.ICMPv6{TypeCode: layers.CreateICMPv6TypeCode(types[tc.kind], 0)}
		if err := icmp.SetNetworkLayerForChecksum(ip6); err != nil {
			t.Fatal(err)
		}
		buf := gopacket.NewSerializeBuffer()
		err := gopacket.SerializeLayers(buf, gopacket.SerializeOptions{ComputeChecksums: true, FixLengths: true},
			append([]gopacket.SerializableLayer{ip6, icmp}, tc.ls...)...)
		if err != nil {
			t.Fatalf("%v: %v", tc.kind, err)
		}
		msg := buf.Bytes()[40:]
		p, err := Parse(msg)
		if err != nil || p.Kind() != tc.kind {
			t.Fatalf("Parse(%x): %v %v, want %v", msg, p.Kind(), err, tc.kind)
		}
		if p.Checksum() != icmp.Checksum || p.Checksum() == 0 {
			t.Errorf("%v: checksum %#x, gopacket computed %#x", tc.kind, p.Checksum(), icmp.Checksum)
		}
		if sum := checksum6(src, dst, msg); sum != icmp.Checksum {
			t.Errorf("%v: RFC 4443 checksum %#x, gopacket computed %#x", tc.kind, sum, icmp.Checksum)
		}
		checkGopacket(t, &p)
		out, err := builderOf(&p).AppendTo(nil)
		if err != nil || !bytes.Equal(out, msg) {
			t.Errorf("%v: rebuilt %x, %v; want %x", tc.kind, out, err, msg)
		}
	}
}

// TestUnknownType: a type no case takes leaves the body in Rest, and the
// generic builder writes the header and the body as given.
func TestUnknownType(t *testing.T) {
	in := []byte{143, 0, 0x12, 0x34, 0, 0, 0, 1, 4, 0, 0, 0} // an MLDv2 report, not in the spec
	p, err := Parse(in)
	if err != nil || p.Kind() != KindUnknown || len(p.Bytes()) != 4 || !bytes.Equal(p.Rest(), in[4:]) {
		t.Fatalf("%s, %v, rest %x", p.String(), err, p.Rest())
	}
	if _, ok := p.AsEchoRequest(); ok {
		t.Error("AsEchoRequest of an unknown type")
	}
	out, err := Builder{Type: 143, Checksum: 0x1234, Body: in[4:]}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, in) {
		t.Errorf("Builder = %x, %v", out, err)
	}
}

func TestErrors(t *testing.T) {
	ns, _ := NeighborSolicitationBuilder{Target: netip.MustParseAddr("2001:db8::1")}.AppendTo(nil)
	for _, tc := range []struct {
		in    []byte
		field string
		kind  mplrt.Kind
		off   int
	}{
		{nil, "type", mplrt.KindTruncated, 0},
		{[]byte{128, 0, 0}, "checksum", mplrt.KindTruncated, 2},
		{[]byte{2, 0, 0, 0, 0, 0}, "mtu", mplrt.KindTruncated, 4},
		{ns[:23], "target", mplrt.KindTruncated, 8},
		{[]byte{134, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "retrans_timer", mplrt.KindTruncated, 12},
	} {
		_, err := Parse(tc.in)
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != tc.field || e.Kind != tc.kind || e.Offset != tc.off {
			t.Errorf("Parse(%x): %v; want %s %v at %d", tc.in, err, tc.field, tc.kind, tc.off)
		}
	}
	if _, err := (NeighborAdvertisementBuilder{Reserved: 1 << 29}).AppendTo(nil); err == nil {
		t.Error("a 30-bit reserved field built")
	}
	if _, err := (RedirectBuilder{Target: netip.MustParseAddr("192.0.2.1")}).AppendTo(nil); err == nil {
		t.Error("an IPv4 target built")
	}
}

func TestText(t *testing.T) {
	out, _ := NeighborAdvertisementBuilder{Checksum: 0xabcd, Solicited: true, Override: true,
		Target: netip.MustParseAddr("fe80::1"), Options: []byte{2, 1, 0, 1, 2, 3, 4, 5}}.AppendTo(nil)
	p, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "icmpv6 type=136 code=0 checksum=0xabcd case=NeighborAdvertisement router=false solicited=true override=true reserved=0 target=fe80::1 options=0201000102030405"
	if s := p.String(); s != want {
		t.Errorf("String() =\n %s\nwant\n %s", s, want)
	}
}

func TestAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 4))
	buf := make([]byte, 0, 4096)
	for i := 0; i < 40; i++ {
		b, kind, in := randCase(r)
		var p Packet
		var sink int
		p, _ = Parse(in)
		for name, fn := range map[string]func(){
			"Parse": func() { p, _ = Parse(in) },
			"Decode": func() {
				if p.Decode(in) != nil {
					t.Fatal("Decode failed")
				}
			},
			"accessors": func() {
				sink += int(p.Type()) + int(p.Code()) + int(p.Checksum()) + int(p.Kind()) + len(p.Bytes()) + len(p.Rest())
				if v, ok := p.AsNeighborAdvertisement(); ok {
					sink += int(v.Reserved()) + len(v.Options())
					if v.Target().IsValid() && v.Router() {
						sink++
					}
				}
				if v, ok := p.AsRouterAdvertisement(); ok {
					sink += int(v.CurHopLimit()) + int(v.RetransTimer()) + len(v.Options())
				}
				if v, ok := p.AsPacketTooBig(); ok {
					sink += int(v.MTU()) + len(v.Original())
				}
				if v, ok := p.AsRedirect(); ok && v.Destination().IsValid() {
					sink++
				}
			},
			"Walk":       func() { p.Walk(func(mplrt.Field) bool { sink++; return true }) },
			"AppendText": func() { buf = p.AppendText(buf[:0]) },
			"AppendTo": func() {
				var err error
				if buf, err = b.AppendTo(buf[:0]); err != nil {
					t.Fatal(err)
				}
			},
		} {
			if n := testing.AllocsPerRun(20, fn); n != 0 {
				t.Errorf("%v: %s allocates %v times", kind, name, n)
			}
		}
	}
}

// FuzzParse: Parse never panics; what parses walks, prints and rebuilds
// with the builder of its case to the same bytes.
func FuzzParse(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 5))
	for i := 0; i < 22; i++ {
		_, _, b := randCase(r)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "icmpv6" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		p.Walk(func(mplrt.Field) bool { return true })
		_ = p.String()
		out, err := builderOf(&p).AppendTo(nil)
		if err != nil || !bytes.Equal(out, p.Bytes()) || !bytes.Equal(append(out, p.Rest()...), data) {
			t.Fatalf("rebuilt %x, %v; want %x", out, err, p.Bytes())
		}
		q, err := Parse(out)
		if err != nil || q.Kind() != p.Kind() {
			t.Fatalf("rebuilt packet parses as %v, %v", q.Kind(), err)
		}
	})
}

// readCapture reads the frames of a pcap or pcapng file.
func readCapture(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	if bytes.HasPrefix(data, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		r, err = pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.DefaultNgReaderOptions)
	} else {
		r, err = pcapgo.NewReader(bytes.NewReader(data))
	}
	if err != nil {
		return nil, err
	}
	var frames [][]byte
	for {
		b, _, err := r.ReadPacketData()
		if err == io.EOF {
			return frames, nil
		}
		if err != nil {
			return nil, err
		}
		frames = append(frames, bytes.Clone(b))
	}
}

// TestCaptures parses the ICMPv6 messages of the captures: Ethernet frames
// with ethertype 0x86dd whose IPv6 next header is 58, the message taken
// from the IPv6 payload length. The corpus has none today; the test
// checks that gopacket agrees there are none, and would compare any.
func TestCaptures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(capturesDir, "*.pcap*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	ours, theirs := 0, 0
	for _, file := range files {
		frames, err := readCapture(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i, frame := range frames {
			if g := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default); g.Layer(layers.LayerTypeICMPv6) != nil {
				theirs++
			}
			eth, err := ethernet.Parse(frame)
			if err != nil || eth.Ethertype() != ethernet.EthertypeIPv6 {
				continue
			}
			ip6 := eth.Payload()
			if len(ip6) < 40 || ip6[6] != 58 {
				continue
			}
			n := int(binary.BigEndian.Uint16(ip6[4:]))
			if n > len(ip6)-40 {
				t.Errorf("%s frame %d: truncated IPv6 packet", filepath.Base(file), i+1)
				continue
			}
			ours++
			p, err := Parse(ip6[40 : 40+n])
			if err != nil {
				t.Errorf("%s frame %d: %v", filepath.Base(file), i+1, err)
				continue
			}
			checkGopacket(t, &p)
		}
	}
	t.Logf("ICMPv6 messages in the captures: %d parsed, %d decoded by gopacket", ours, theirs)
	if ours != theirs {
		t.Errorf("gopacket finds %d ICMPv6 messages, we find %d", theirs, ours)
	}
}

// bug skips a test that fails because of a generator bug, unless
// MPL_E2E_BUGS is set.
func bug(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("MPL_E2E_BUGS") == "" {
		t.Skip("generator bug: " + what)
	}
}

// TestRawBodyBuilder: what a builder builds parses. The generic Builder
// takes the classify's bytes raw; with a type that a case takes, a body
// too short for that case should fail to build, as the case builders
// fail when the packet would not parse as their case.
func TestRawBodyBuilder(t *testing.T) {
	bug(t, "Builder{Type, Body} does not check Body against the case its Type selects: "+
		"Builder{Type: 135, Body: 3 bytes} builds 87000000010203, which Parse rejects (reserved at offset 4: truncated); "+
		"an array element with a classify has only such a builder (no case builders below the top level)")
	out, err := Builder{Type: 135, Body: []byte{1, 2, 3}}.AppendTo(nil)
	if err != nil {
		return
	}
	if _, perr := Parse(out); perr != nil {
		t.Errorf("Builder built %x, which Parse rejects: %v", out, perr)
	}
}

// diffPackets are the packets of the package for internal/fuzzcheck.
var diffPackets = []fuzzcheck.Packet{
	{Spec: "icmpv6.mpl", Name: "icmpv6", Parse: Parse, Builders: []any{Builder{}, DestinationUnreachableBuilder{}, PacketTooBigBuilder{}, TimeExceededBuilder{}, ParameterProblemBuilder{}, EchoRequestBuilder{}, EchoReplyBuilder{}, RouterSolicitationBuilder{}, RouterAdvertisementBuilder{}, NeighborSolicitationBuilder{}, NeighborAdvertisementBuilder{}, RedirectBuilder{}}},
}

// FuzzDifferentialICMPv6 parses the input as each packet, works the view
// through every accessor, iterator, Walk and String, rebuilds it with the
// builders and compares (see internal/fuzzcheck).
func FuzzDifferentialICMPv6(f *testing.F) {
	for _, p := range diffPackets {
		for _, s := range fuzzcheck.Seeds(p) {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range diffPackets {
			fuzzcheck.Check(t, p, b)
		}
	})
}
