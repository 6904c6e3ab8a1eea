package vlan

// These tests run the code mplc generates from vlan.mpl, the IEEE 802.1Q
// tag: round trips through the builder, the reserved VID 0xFFF, no
// allocations, fuzzing, and every VLAN-tagged frame of the captures
// compared with gopacket's Dot1Q.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/mplgo/mpl/internal/fuzzcheck"
	"io"
	"math/rand/v2"
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

// encode is the reference encoding of a tag, from IEEE 802.1Q 9.6.
func encode(b Builder) []byte {
	tci := uint16(b.Pcp)<<13 | uint16(b.Vid)
	if b.Dei {
		tci |= 1 << 12
	}
	out := binary.BigEndian.AppendUint16(nil, tci)
	out = binary.BigEndian.AppendUint16(out, uint16(b.Ethertype))
	return append(out, b.Payload...)
}

func randBuilder(r *rand.Rand) Builder {
	types := []Ethertype{EthertypeIPv4, EthertypeARP, EthertypeVLAN, EthertypeIPv6, EthertypeQinQ, Ethertype(r.Uint32())}
	b := Builder{
		Pcp:       uint8(r.IntN(8)),
		Dei:       r.IntN(2) == 0,
		Vid:       uint16(r.IntN(4095)),
		Ethertype: types[r.IntN(len(types))],
		Payload:   make([]byte, r.IntN(64)),
	}
	for i := range b.Payload {
		b.Payload[i] = byte(r.Uint32())
	}
	if r.IntN(4) == 0 {
		b.Payload = nil
	}
	return b
}

func same(p *Packet, b Builder) bool {
	return p.Pcp() == b.Pcp && p.Dei() == b.Dei && p.Vid() == b.Vid &&
		p.Ethertype() == b.Ethertype && bytes.Equal(p.Payload(), b.Payload)
}

// builderOf is the builder that rebuilds p.
func builderOf(p *Packet) Builder {
	return Builder{Pcp: p.Pcp(), Dei: p.Dei(), Vid: p.Vid(), Ethertype: p.Ethertype(), Payload: p.Payload()}
}

// TestRoundTrip: build -> reference bytes -> parse -> same fields ->
// rebuild -> same bytes.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 3000; i++ {
		b := randBuilder(r)
		if i == 0 {
			b = Builder{} // zero is a valid tag: priority 0, VID 0 (priority tagged)
		}
		want := encode(b)
		out, err := b.AppendTo([]byte("pre"))
		if err != nil {
			t.Fatalf("%+v: %v", b, err)
		}
		if string(out[:3]) != "pre" || !bytes.Equal(out[3:], want) {
			t.Fatalf("built %x, want %x", out[3:], want)
		}
		p, err := Parse(out[3:])
		if err != nil {
			t.Fatalf("Parse(%x): %v", out[3:], err)
		}
		if !same(&p, b) || len(p.Rest()) != 0 || !bytes.Equal(p.Bytes(), want) {
			t.Fatalf("parsed %s, want %+v", p.String(), b)
		}
		again, err := builderOf(&p).AppendTo(nil)
		if err != nil || !bytes.Equal(again, want) {
			t.Fatalf("rebuilt %x, %v; want %x", again, err, want)
		}
		// gopacket reads the same tag.
		g := gopacket.NewPacket(want, layers.LayerTypeDot1Q, gopacket.Lazy)
		d, _ := g.Layer(layers.LayerTypeDot1Q).(*layers.Dot1Q)
		if d == nil || d.Priority != b.Pcp || d.DropEligible != b.Dei || d.VLANIdentifier != b.Vid || uint16(d.Type) != uint16(b.Ethertype) {
			t.Fatalf("%s: gopacket %+v", p.String(), d)
		}
	}
}

func TestText(t *testing.T) {
	p, err := Parse([]byte{0xb0, 0x64, 0x86, 0xdd, 0xaa})
	if err != nil {
		t.Fatal(err)
	}
	if s, want := p.String(), "vlan pcp=5 dei=true vid=100 ethertype=IPv6 payload=aa"; s != want {
		t.Errorf("String() = %q, want %q", s, want)
	}
}

// TestReservedVID: VID 0xFFF is reserved (802.1Q table 9-2): Parse and
// the builder refuse it.
func TestReservedVID(t *testing.T) {
	_, err := Parse([]byte{0x0f, 0xff, 0x08, 0x00})
	var e mplrt.Error
	if !errors.As(err, &e) || e.Kind != mplrt.KindMax || e.Field != "vid" || e.Offset != 0 {
		t.Errorf("Parse of VID 0xFFF: %v", err)
	}
	if _, err := Parse([]byte{0xef, 0xfe, 0x08, 0x00}); err != nil {
		t.Errorf("Parse of VID 4094: %v", err)
	}
	out, err := Builder{Vid: 4095}.AppendTo([]byte{1})
	if err == nil || !errors.As(err, &e) || e.Kind != mplrt.KindMax || len(out) != 1 {
		t.Errorf("Builder{Vid: 4095}: %x, %v", out, err)
	}
	if _, err := (Builder{Vid: 4096}).AppendTo(nil); err == nil {
		t.Error("Builder{Vid: 4096} built")
	}
	if _, err := (Builder{Pcp: 8}).AppendTo(nil); err == nil {
		t.Error("Builder{Pcp: 8} built")
	}
	for n := 0; n < 4; n++ {
		if _, err := Parse(make([]byte, n)); !errors.Is(err, mplrt.ErrTruncated) {
			t.Errorf("Parse of %d bytes: %v", n, err)
		}
	}
}

func TestAllocs(t *testing.T) {
	in := encode(Builder{Pcp: 3, Dei: true, Vid: 42, Ethertype: EthertypeIPv4, Payload: make([]byte, 46)})
	buf := make([]byte, 0, 256)
	var p Packet
	var sink int
	checks := map[string]func(){
		"Parse": func() { p, _ = Parse(in) },
		"Decode": func() {
			if p.Decode(in) != nil {
				t.Fatal("Decode failed")
			}
		},
		"accessors": func() {
			sink += int(p.Pcp()) + int(p.Vid()) + int(p.Ethertype()) + len(p.Payload()) + len(p.Bytes()) + len(p.Rest())
			if p.Dei() {
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
	}
	p, _ = Parse(in)
	for name, fn := range checks {
		if n := testing.AllocsPerRun(100, fn); n != 0 {
			t.Errorf("%s allocates %v times", name, n)
		}
	}
}

// FuzzParse: Parse never panics; what parses walks, prints and rebuilds
// to the same bytes.
func FuzzParse(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 8; i++ {
		f.Add(encode(randBuilder(r)))
	}
	f.Add([]byte{0x0f, 0xff, 0, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "vlan" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		n := 0
		p.Walk(func(mplrt.Field) bool { n++; return true })
		if n != 5 {
			t.Fatalf("Walk visited %d fields", n)
		}
		_ = p.String()
		out, err := builderOf(&p).AppendTo(nil)
		if err != nil || !bytes.Equal(out, data) {
			t.Fatalf("rebuilt %x, %v; want %x", out, err, data)
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

func isTag(t ethernet.Ethertype) bool { return t == 0x8100 || t == 0x88a8 }

// checkFrameRebuild builds the whole frame again with nested builders:
// Ethernet around one or two tags around the innermost payload.
func checkFrameRebuild(t *testing.T, where string, frame []byte, eth ethernet.Packet, tags []Packet) {
	t.Helper()
	eb := ethernet.Builder{Dst: eth.Dst(), Src: eth.Src(), Ethertype: eth.Ethertype()}
	var out []byte
	var err error
	if len(tags) == 1 {
		out, err = mplrt.Nest(eb, builderOf(&tags[0])).AppendTo(nil)
	} else {
		inner := builderOf(&tags[1])
		outer := builderOf(&tags[0])
		outer.Payload = nil
		out, err = mplrt.Nest(eb, mplrt.Nest(outer, inner)).AppendTo(nil)
	}
	if err != nil || !bytes.Equal(out, frame) {
		t.Errorf("%s: nested builders made %x, %v; want %x", where, out, err, frame)
	}
}

// TestCapturesGopacket parses every VLAN-tagged frame of every capture:
// Ethernet with gen/ethernet, then each tag; it compares the tags with
// gopacket's Dot1Q layers field by field and rebuilds each tag.
func TestCapturesGopacket(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(capturesDir, "*.pcap*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	var frames, tagged, tags int
	perCapture := map[string]string{}
	for _, file := range files {
		caps, err := readCapture(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i, frame := range caps {
			frames++
			eth, err := ethernet.Parse(frame)
			if err != nil || !isTag(eth.Ethertype()) {
				continue
			}
			tagged++
			where := fmt.Sprintf("%s frame %d", filepath.Base(file), i+1)
			var got []Packet
			in := eth.Payload()
			for {
				p, err := Parse(in)
				if err != nil {
					t.Errorf("%s: tag %d: %v", where, len(got)+1, err)
					break
				}
				got = append(got, p)
				out, err := builderOf(&p).AppendTo(nil)
				if err != nil || !bytes.Equal(out, in) {
					t.Errorf("%s: tag %d rebuilt %x, %v; want %x", where, len(got), out, err, in)
				}
				if !isTag(ethernet.Ethertype(p.Ethertype())) {
					break
				}
				in = p.Payload()
			}
			tags += len(got)
			perCapture[filepath.Base(file)] += fmt.Sprintf(" %d:%d", i+1, len(got))
			if len(got) > 0 && len(got) <= 2 {
				checkFrameRebuild(t, where, frame, eth, got)
			}
			g := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
			var want []*layers.Dot1Q
			for _, l := range g.Layers() {
				if d, ok := l.(*layers.Dot1Q); ok {
					want = append(want, d)
				}
			}
			if len(want) != len(got) {
				t.Errorf("%s: %d tags, gopacket %d", where, len(got), len(want))
				continue
			}
			for k, d := range want {
				p := &got[k]
				if p.Pcp() != d.Priority || p.Dei() != d.DropEligible || p.Vid() != d.VLANIdentifier ||
					uint16(p.Ethertype()) != uint16(d.Type) || !bytes.Equal(p.Payload(), d.Payload) {
					t.Errorf("%s: tag %d: %s; gopacket pcp=%d dei=%v vid=%d type=%#04x",
						where, k+1, p.String(), d.Priority, d.DropEligible, d.VLANIdentifier, uint16(d.Type))
				}
			}
		}
	}
	t.Logf("%d frames in %d captures; %d VLAN-tagged frames, %d tags (frame:tags by capture: %v)", frames, len(files), tagged, tags, perCapture)
	if tagged == 0 {
		t.Error("no VLAN-tagged frame in the captures")
	}
}

// diffPackets are the packets of the package for internal/fuzzcheck.
var diffPackets = []fuzzcheck.Packet{
	{Spec: "vlan.mpl", Name: "vlan", Parse: Parse, Builders: []any{Builder{}}},
}

// FuzzDifferentialVLAN parses the input as each packet, works the view
// through every accessor, iterator, Walk and String, rebuilds it with the
// builders and compares (see internal/fuzzcheck).
func FuzzDifferentialVLAN(f *testing.F) {
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
