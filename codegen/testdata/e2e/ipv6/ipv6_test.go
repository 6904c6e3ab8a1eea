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
