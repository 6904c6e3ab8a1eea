package ipv6

// These tests run the code mplc generates from ipv6.mpl, the RFC 8200
// fixed header: round trips through the builders, nesting, the payload
// length, no allocations, fuzzing, and every IPv6 packet of the captures
// compared with gopacket's IPv6 layer.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/mplgo/mpl/internal/fuzzcheck"
	"io"
	"math/rand/v2"
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

// encode is the reference encoding of a packet, from RFC 8200 3.
func encode(b Builder) []byte {
	w := 6<<28 | uint32(b.TrafficClass)<<20 | b.FlowLabel
	out := binary.BigEndian.AppendUint32(nil, w)
	out = binary.BigEndian.AppendUint16(out, uint16(len(b.Payload)))
	out = append(out, byte(b.NextHeader), b.HopLimit)
	src, dst := b.Src.As16(), b.Dst.As16()
	out = append(out, src[:]...)
	out = append(out, dst[:]...)
	return append(out, b.Payload...)
}

func randAddr(r *rand.Rand) netip.Addr {
	var a [16]byte
	for i := range a {
		a[i] = byte(r.Uint32())
	}
	if r.IntN(4) == 0 {
		a = [16]byte{0xfe, 0x80, 15: byte(r.Uint32())}
	}
	return netip.AddrFrom16(a)
}

func randBuilder(r *rand.Rand) Builder {
	next := []NextHeader{NextHeaderTCP, NextHeaderUDP, NextHeaderICMPv6, NextHeaderHopByHop, NextHeaderNoNext, NextHeader(r.Uint32())}
	b := NewBuilder()
	b.TrafficClass = uint8(r.Uint32())
	b.FlowLabel = r.Uint32N(1 << 20)
	b.NextHeader = next[r.IntN(len(next))]
	if r.IntN(2) == 0 {
		b.HopLimit = uint8(r.Uint32())
	}
	b.Src, b.Dst = randAddr(r), randAddr(r)
	n := r.IntN(100)
	if r.IntN(50) == 0 {
		n = 1500
	}
	b.Payload = make([]byte, n)
	for i := range b.Payload {
		b.Payload[i] = byte(r.Uint32())
	}
	return b
}

// builderOf is the builder that rebuilds p.
func builderOf(p *Packet) Builder {
	return Builder{TrafficClass: p.TrafficClass(), FlowLabel: p.FlowLabel(), NextHeader: p.NextHeader(),
		HopLimit: p.HopLimit(), Src: p.Src(), Dst: p.Dst(), Payload: p.Payload()}
}

func same(p *Packet, b Builder) bool {
	return p.Version() == 6 && p.TrafficClass() == b.TrafficClass && p.FlowLabel() == b.FlowLabel &&
		int(p.PayloadLength()) == len(b.Payload) && p.NextHeader() == b.NextHeader && p.HopLimit() == b.HopLimit &&
		p.Src() == b.Src && p.Dst() == b.Dst && bytes.Equal(p.Payload(), b.Payload)
}

// TestRoundTrip: build -> reference bytes -> parse (with link padding
// after the packet) -> same fields -> rebuild -> same bytes.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 6))
	for i := 0; i < 2000; i++ {
		b := randBuilder(r)
		want := encode(b)
		out, err := b.AppendTo([]byte{0xee})
		if err != nil {
			t.Fatalf("%+v: %v", b, err)
		}
		if out[0] != 0xee || !bytes.Equal(out[1:], want) {
			t.Fatalf("built %x, want %x", out[1:], want)
		}
		pad := make([]byte, r.IntN(3)*7)
		p, err := Parse(append(out[1:], pad...))
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if !same(&p, b) || !bytes.Equal(p.Bytes(), want) || len(p.Rest()) != len(pad) {
			t.Fatalf("parsed %s (rest %x), want %+v", p.String(), p.Rest(), b)
		}
		again, err := builderOf(&p).AppendTo(nil)
		if err != nil || !bytes.Equal(again, want) {
			t.Fatalf("rebuilt %x, %v; want %x", again, err, want)
		}
		// gopacket reads the same header; it takes a hop-by-hop header
		// apart, and rejects a zero payload length without a jumbo option.
		if b.NextHeader != NextHeaderHopByHop && len(b.Payload) > 0 {
			g := gopacket.NewPacket(want, layers.LayerTypeIPv6, gopacket.Lazy)
			gl, _ := g.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
			if gl == nil || gl.TrafficClass != b.TrafficClass || gl.FlowLabel != b.FlowLabel || gl.Length != uint16(len(b.Payload)) ||
				uint8(gl.NextHeader) != uint8(b.NextHeader) || gl.HopLimit != b.HopLimit || !gl.SrcIP.Equal(b.Src.AsSlice()) ||
				!gl.DstIP.Equal(b.Dst.AsSlice()) || !bytes.Equal(gl.Payload, b.Payload) {
				t.Fatalf("%s: gopacket %+v", p.String(), gl)
			}
		}
	}
}

func TestDefaults(t *testing.T) {
	if b := NewBuilder(); b.HopLimit != 64 {
		t.Errorf("NewBuilder().HopLimit = %d", b.HopLimit)
	}
	// The zero builder writes zeros, hop limit included, and the
	// unspecified address for the zero netip.Addr.
	out, err := Builder{}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, append([]byte{0x60}, make([]byte, 39)...)) {
		t.Errorf("Builder{} = %x, %v", out, err)
	}
}

func TestText(t *testing.T) {
	b := Builder{TrafficClass: 0xb8, FlowLabel: 0x12345, NextHeader: NextHeaderUDP, HopLimit: 255,
		Src: netip.MustParseAddr("2001:db8::1"), Dst: netip.MustParseAddr("ff02::1"), Payload: []byte{1, 2}}
	out, err := b.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	want := "ipv6 version=6 traffic_class=184 flow_label=0x12345 payload_length=2 next_header=UDP hop_limit=255 src=2001:db8::1 dst=ff02::1 payload=0102"
	if s := p.String(); s != want {
		t.Errorf("String() =\n %s\nwant\n %s", s, want)
	}
}

func TestErrors(t *testing.T) {
	good, _ := Builder{Payload: []byte{1, 2, 3}}.AppendTo(nil)
	for _, tc := range []struct {
		in    []byte
		field string
		kind  mplrt.Kind
		off   int
	}{
		{good[:0], "version", mplrt.KindTruncated, 0},
		{good[:39], "dst", mplrt.KindTruncated, 24},
		{good[:42], "payload", mplrt.KindLength, 40},
		{append([]byte{0x40}, good[1:]...), "version", mplrt.KindConst, 0},
	} {
		_, err := Parse(tc.in)
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != tc.field || e.Kind != tc.kind || e.Offset != tc.off {
			t.Errorf("Parse(%x): %v; want %s %v at %d", tc.in, err, tc.field, tc.kind, tc.off)
		}
	}
	// A payload longer than payload_length can say.
	if out, err := (Builder{Payload: make([]byte, 65536)}).AppendTo([]byte{1}); err == nil || len(out) != 1 {
		t.Errorf("a 65536-byte payload built: %d bytes, %v", len(out), err)
	}
	if _, err := (Builder{FlowLabel: 1 << 20}).AppendTo(nil); err == nil {
		t.Error("a 21-bit flow label built")
	}
	if _, err := (Builder{Src: netip.MustParseAddr("192.0.2.1")}).AppendTo(nil); err == nil {
		t.Error("an IPv4 source address built")
	}
}

// TestNest: IPv6 in IPv6 (RFC 2473) built with mplrt.Nest computes both
// payload lengths.
func TestNest(t *testing.T) {
	inner := Builder{NextHeader: NextHeaderNoNext, HopLimit: 1, Src: netip.MustParseAddr("::1"), Dst: netip.MustParseAddr("::2"), Payload: []byte("abc")}
	outer := NewBuilder()
	outer.NextHeader = NextHeaderIPv6
	out, err := mplrt.Nest(outer, inner).AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(out)
	if err != nil || p.PayloadLength() != 43 || p.HopLimit() != 64 {
		t.Fatalf("outer %s, %v", p.String(), err)
	}
	q, err := Parse(p.Payload())
	if err != nil || q.PayloadLength() != 3 || string(q.Payload()) != "abc" || q.Dst() != inner.Dst {
		t.Fatalf("inner %s, %v", q.String(), err)
	}
}

func TestAllocs(t *testing.T) {
	in := encode(randBuilder(rand.New(rand.NewPCG(7, 7))))
	buf := make([]byte, 0, 4096)
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
			sink += int(p.Version()) + int(p.TrafficClass()) + int(p.FlowLabel()) + int(p.PayloadLength()) +
				int(p.NextHeader()) + int(p.HopLimit()) + len(p.Payload()) + len(p.Bytes()) + len(p.Rest())
			if p.Src().IsValid() && p.Dst().IsValid() {
				sink++
			}
		},
		"Walk":       func() { p.Walk(func(mplrt.Field) bool { sink++; return true }) },
		"AppendText": func() { buf = p.AppendText(buf[:0]) },
		"AppendTo": func() {
			var err error
			if buf, err = builderOf(&p).AppendTo(buf[:0]); err != nil {
				t.Fatal(err)
			}
		},
	} {
		if n := testing.AllocsPerRun(100, fn); n != 0 {
			t.Errorf("%s allocates %v times", name, n)
		}
	}
}

// FuzzParse: Parse never panics; what parses walks, prints and rebuilds
// to the same bytes.
func FuzzParse(f *testing.F) {
	r := rand.New(rand.NewPCG(8, 8))
	for i := 0; i < 8; i++ {
		b := encode(randBuilder(r))
		f.Add(b)
		f.Add(b[:len(b)*2/3])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "ipv6" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		n := 0
		p.Walk(func(mplrt.Field) bool { n++; return true })
		if n != 9 {
			t.Fatalf("Walk visited %d fields", n)
		}
		_ = p.String()
		out, err := builderOf(&p).AppendTo(nil)
		if err != nil || !bytes.Equal(out, p.Bytes()) || !bytes.Equal(append(out, p.Rest()...), data) {
			t.Fatalf("rebuilt %x, %v; want %x", out, err, p.Bytes())
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

// TestCapturesGopacket parses every IPv6 packet of the captures (Ethernet
// frames with ethertype 0x86dd, through gen/ethernet), compares each with
// gopacket's IPv6 layer and rebuilds it.
func TestCapturesGopacket(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(capturesDir, "*.pcap*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	perCapture := map[string]int{}
	total := 0
	for _, file := range files {
		frames, err := readCapture(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i, frame := range frames {
			eth, err := ethernet.Parse(frame)
			if err != nil || eth.Ethertype() != ethernet.EthertypeIPv6 {
				continue
			}
			where := fmt.Sprintf("%s frame %d", filepath.Base(file), i+1)
			g := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
			gl, _ := g.Layer(layers.LayerTypeIPv6).(*layers.IPv6)
			p, err := Parse(eth.Payload())
			if err != nil {
				t.Errorf("%s: %v (gopacket: %v)", where, err, gl != nil)
				continue
			}
			total++
			perCapture[filepath.Base(file)]++
			if gl == nil {
				t.Errorf("%s: gopacket has no IPv6 layer: %v", where, g.ErrorLayer())
				continue
			}
			src, _ := netip.AddrFromSlice(gl.SrcIP)
			dst, _ := netip.AddrFromSlice(gl.DstIP)
			if p.Version() != gl.Version || p.TrafficClass() != gl.TrafficClass || p.FlowLabel() != gl.FlowLabel ||
				p.PayloadLength() != gl.Length || uint8(p.NextHeader()) != uint8(gl.NextHeader) ||
				p.HopLimit() != gl.HopLimit || p.Src() != src || p.Dst() != dst {
				t.Errorf("%s: %s\ngopacket %+v", where, p.String(), gl)
			}
			if p.NextHeader() != NextHeaderHopByHop && !bytes.Equal(p.Payload(), gl.Payload) {
				t.Errorf("%s: payload %x, gopacket %x", where, p.Payload(), gl.Payload)
			}
			out, err := builderOf(&p).AppendTo(nil)
			if err != nil || !bytes.Equal(out, p.Bytes()) {
				t.Errorf("%s: rebuilt %x, %v; want %x", where, out, err, p.Bytes())
			}
			// The whole frame, with gen/ethernet around it; the link
			// padding is the IPv6 view's Rest.
			eb := ethernet.Builder{Dst: eth.Dst(), Src: eth.Src(), Ethertype: eth.Ethertype()}
			out, err = mplrt.Nest(eb, builderOf(&p)).AppendTo(nil)
			if out = append(out, p.Rest()...); err != nil || !bytes.Equal(out, frame) {
				t.Errorf("%s: nested builders made %x, %v; want %x", where, out, err, frame)
			}
		}
	}
	t.Logf("%d IPv6 packets parsed: %v", total, perCapture)
	if total == 0 {
		t.Error("no IPv6 packet in the captures")
	}
}

// raw is an mplrt.Appender of bytes given whole.
type raw []byte

func (r raw) AppendTo(dst []byte) ([]byte, error) { return append(dst, r...), nil }

// extensionChain builds an IPv6 packet with the extension headers in the
// order RFC 8200 4.1 recommends, Hop-by-Hop Options (a router alert, RFC
// 2711), Destination Options, Routing (type 2, RFC 6275), Fragment, around
// a UDP header and payload, all with nested builders.
func extensionChain(t testing.TB) []byte {
	ip := NewBuilder()
	ip.NextHeader = NextHeaderHopByHop
	ip.Src, ip.Dst = netip.MustParseAddr("2001:db8::1"), netip.MustParseAddr("2001:db8::2")
	hbh := OptionsHeaderBuilder{NextHeader: 60, Options: []byte{5, 2, 0, 0, 1, 0}}
	dst := OptionsHeaderBuilder{NextHeader: 43, Options: []byte{1, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}}
	home := netip.MustParseAddr("2001:db8::99").As16()
	rt := RoutingBuilder{NextHeader: 44, RoutingType: 2, SegmentsLeft: 1, Data: append(make([]byte, 4), home[:]...)}
	frag := FragmentBuilder{NextHeader: 17, FragmentOffset: 0, MoreFragments: true, Identification: 0xdeadbeef}
	udp := raw{0x30, 0x39, 0x00, 0x35, 0x00, 0x0c, 0x00, 0x00, 'p', 'i', 'n', 'g'}
	out, err := mplrt.Nest(ip, mplrt.Nest(hbh, mplrt.Nest(dst, mplrt.Nest(rt, mplrt.Nest(frag, udp))))).AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestExtensionHeaders parses a chain of extension headers built with
// the builders, compares each with gopacket's layer and rebuilds each.
func TestExtensionHeaders(t *testing.T) {
	in := extensionChain(t)
	p, err := Parse(in)
	if err != nil || p.NextHeader() != NextHeaderHopByHop || int(p.PayloadLength()) != len(in)-40 {
		t.Fatalf("%s: %v", p.String(), err)
	}
	hbh, err := ParseOptionsHeader(p.Payload())
	if err != nil || hbh.HdrExtLen() != 0 || hbh.NextHeader() != 60 {
		t.Fatalf("hop-by-hop %s: %v", hbh.String(), err)
	}
	dst, err := ParseOptionsHeader(hbh.Payload())
	if err != nil || dst.HdrExtLen() != 1 || dst.NextHeader() != 43 {
		t.Fatalf("destination %s: %v", dst.String(), err)
	}
	rt, err := ParseRouting(dst.Payload())
	if err != nil || rt.HdrExtLen() != 2 || rt.RoutingType() != 2 || rt.SegmentsLeft() != 1 || len(rt.Data()) != 20 {
		t.Fatalf("routing %s: %v", rt.String(), err)
	}
	frag, err := ParseFragment(rt.Payload())
	if err != nil || frag.NextHeader() != 17 || !frag.MoreFragments() || frag.Identification() != 0xdeadbeef || len(frag.Payload()) != 12 {
		t.Fatalf("fragment %s: %v", frag.String(), err)
	}

	g := gopacket.NewPacket(in, layers.LayerTypeIPv6, gopacket.Default)
	if e := g.ErrorLayer(); e != nil {
		t.Fatalf("gopacket: %v", e.Error())
	}
	gh, _ := g.Layer(layers.LayerTypeIPv6HopByHop).(*layers.IPv6HopByHop)
	gd, _ := g.Layer(layers.LayerTypeIPv6Destination).(*layers.IPv6Destination)
	gr, _ := g.Layer(layers.LayerTypeIPv6Routing).(*layers.IPv6Routing)
	gf, _ := g.Layer(layers.LayerTypeIPv6Fragment).(*layers.IPv6Fragment)
	if gh == nil || gd == nil || gr == nil || gf == nil {
		t.Fatalf("gopacket decodes %v", g.Layers())
	}
	header := func(b, payload []byte) []byte { return b[:len(b)-len(payload)] }
	for _, c := range []struct {
		name                string
		next, hlen          uint8
		contents, payload   []byte
		gnext, ghlen        uint8
		gcontents, gpayload []byte
	}{
		{"hop-by-hop", hbh.NextHeader(), hbh.HdrExtLen(), header(hbh.Bytes(), hbh.Payload()), hbh.Payload(),
			uint8(gh.NextHeader), gh.HeaderLength, gh.Contents, gh.Payload},
		{"destination", dst.NextHeader(), dst.HdrExtLen(), header(dst.Bytes(), dst.Payload()), dst.Payload(),
			uint8(gd.NextHeader), gd.HeaderLength, gd.Contents, gd.Payload},
		{"routing", rt.NextHeader(), rt.HdrExtLen(), header(rt.Bytes(), rt.Payload()), rt.Payload(),
			uint8(gr.NextHeader), gr.HeaderLength, gr.Contents, gr.Payload},
	} {
		if c.next != c.gnext || c.hlen != c.ghlen || !bytes.Equal(c.contents, c.gcontents) || !bytes.Equal(c.payload, c.gpayload) {
			t.Errorf("%s: next %d len %d %x, gopacket next %d len %d %x", c.name, c.next, c.hlen, c.contents, c.gnext, c.ghlen, c.gcontents)
		}
	}
	if gr.RoutingType != rt.RoutingType() || gr.SegmentsLeft != rt.SegmentsLeft() {
		t.Errorf("routing %s, gopacket %+v", rt.String(), gr)
	}
	if uint8(gf.NextHeader) != frag.NextHeader() || gf.Reserved1 != frag.Reserved() || gf.FragmentOffset != frag.FragmentOffset() ||
		gf.Reserved2 != frag.Res() || gf.MoreFragments != frag.MoreFragments() || gf.Identification != frag.Identification() ||
		!bytes.Equal(gf.Payload, frag.Payload()) {
		t.Errorf("fragment %s, gopacket %+v", frag.String(), gf)
	}

	// Each header rebuilds to its bytes.
	for _, c := range []struct {
		b    mplrt.Appender
		want []byte
	}{
		{OptionsHeaderBuilder{NextHeader: hbh.NextHeader(), Options: hbh.Options(), Payload: hbh.Payload()}, hbh.Bytes()},
		{OptionsHeaderBuilder{NextHeader: dst.NextHeader(), Options: dst.Options(), Payload: dst.Payload()}, dst.Bytes()},
		{RoutingBuilder{NextHeader: rt.NextHeader(), RoutingType: rt.RoutingType(), SegmentsLeft: rt.SegmentsLeft(), Data: rt.Data(), Payload: rt.Payload()}, rt.Bytes()},
		{FragmentBuilder{NextHeader: frag.NextHeader(), Reserved: frag.Reserved(), FragmentOffset: frag.FragmentOffset(), Res: frag.Res(),
			MoreFragments: frag.MoreFragments(), Identification: frag.Identification(), Payload: frag.Payload()}, frag.Bytes()},
	} {
		if out, err := c.b.AppendTo(nil); err != nil || !bytes.Equal(out, c.want) {
			t.Errorf("%T rebuilt %x, %v; want %x", c.b, out, err, c.want)
		}
	}

	// The chain parses without allocating.
	if n := testing.AllocsPerRun(100, func() {
		p, _ := Parse(in)
		h, _ := ParseOptionsHeader(p.Payload())
		d, _ := ParseOptionsHeader(h.Payload())
		r, _ := ParseRouting(d.Payload())
		f, _ := ParseFragment(r.Payload())
		f.Walk(func(mplrt.Field) bool { return true })
	}); n != 0 {
		t.Errorf("parsing the chain allocates %v times", n)
	}
}

// TestExtensionHeaderLengths: hdr_ext_len counts 8-byte units after the
// first 8 bytes; options that do not fill whole units cannot be built.
func TestExtensionHeaderLengths(t *testing.T) {
	for n := 0; n <= 30; n++ {
		out, err := OptionsHeaderBuilder{Options: make([]byte, n)}.AppendTo([]byte{1})
		if ok := (n+2)%8 == 0; ok != (err == nil) {
			t.Errorf("%d bytes of options: %x, %v", n, out, err)
		} else if ok && (out[2] != byte((n+2)/8-1) || len(out) != 1+n+2) {
			t.Errorf("%d bytes of options built %x", n, out)
		} else if !ok && len(out) != 1 {
			t.Errorf("%d bytes of options: dst changed on error", n)
		}
	}
	_, err := ParseOptionsHeader([]byte{17, 1, 0, 0, 0, 0, 0, 0})
	var e mplrt.Error
	if !errors.As(err, &e) || e.Field != "options" || e.Kind != mplrt.KindLength || e.Offset != 2 {
		t.Errorf("hdr_ext_len past the input: %v", err)
	}
	if _, err := ParseFragment(make([]byte, 7)); !errors.Is(err, mplrt.ErrTruncated) {
		t.Errorf("a 7-byte fragment header: %v", err)
	}
}

// FuzzExtensionHeaders: the extension header parsers never panic; what
// they accept walks, prints and rebuilds to the same bytes.
func FuzzExtensionHeaders(f *testing.F) {
	in := extensionChain(f)
	for i := 40; i < len(in); i += 8 {
		f.Add(in[i:])
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(err error, walk func(func(mplrt.Field) bool) bool, text string, b mplrt.Appender, want []byte) {
			if err != nil {
				var e mplrt.Error
				if !errors.As(err, &e) || e.Offset < 0 || e.Offset > len(data) {
					t.Fatalf("bad error %v", err)
				}
				return
			}
			walk(func(mplrt.Field) bool { return true })
			out, err := b.AppendTo(nil)
			if err != nil || !bytes.Equal(out, want) {
				t.Fatalf("%s rebuilt %x, %v; want %x", text, out, err, want)
			}
		}
		if o, err := ParseOptionsHeader(data); err != nil {
			check(err, nil, "", nil, nil)
		} else {
			check(nil, o.Walk, o.String(), OptionsHeaderBuilder{NextHeader: o.NextHeader(), Options: o.Options(), Payload: o.Payload()}, data)
		}
		if r, err := ParseRouting(data); err != nil {
			check(err, nil, "", nil, nil)
		} else {
			check(nil, r.Walk, r.String(), RoutingBuilder{NextHeader: r.NextHeader(), RoutingType: r.RoutingType(),
				SegmentsLeft: r.SegmentsLeft(), Data: r.Data(), Payload: r.Payload()}, data)
		}
		if fr, err := ParseFragment(data); err != nil {
			check(err, nil, "", nil, nil)
		} else {
			check(nil, fr.Walk, fr.String(), FragmentBuilder{NextHeader: fr.NextHeader(), Reserved: fr.Reserved(),
				FragmentOffset: fr.FragmentOffset(), Res: fr.Res(), MoreFragments: fr.MoreFragments(),
				Identification: fr.Identification(), Payload: fr.Payload()}, data)
		}
	})
}

// diffPackets are the packets of the package for internal/fuzzcheck.
var diffPackets = []fuzzcheck.Packet{
	{Spec: "ipv6.mpl", Name: "ipv6", Parse: Parse, Builders: []any{Builder{}}},
	{Spec: "ipv6.mpl", Name: "options_header", Parse: ParseOptionsHeader, Builders: []any{OptionsHeaderBuilder{}}},
	{Spec: "ipv6.mpl", Name: "routing", Parse: ParseRouting, Builders: []any{RoutingBuilder{}}},
	{Spec: "ipv6.mpl", Name: "fragment", Parse: ParseFragment, Builders: []any{FragmentBuilder{}}},
}

// FuzzDifferentialIPv6 parses the input as each packet, works the view
// through every accessor, iterator, Walk and String, rebuilds it with the
// builders and compares (see internal/fuzzcheck).
func FuzzDifferentialIPv6(f *testing.F) {
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
