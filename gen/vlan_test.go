package gen_test

// VLAN tags (gen/vlan) in the layer framework: the fields compared with
// gopacket's Dot1Q, the builder of a parsed tag, the calls for the
// allocation tests, and tests of what the captures do not show (tags
// built by hand, QinQ frames built with nested builders, bad input).

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/udp"
	"github.com/mplgo/mpl/gen/vlan"
	mplrt "github.com/mplgo/mpl/runtime"
)

// isVLANTag reports whether an ethertype announces a VLAN tag: an 802.1Q
// C-tag (0x8100) or an 802.1ad S-tag (0x88a8). gopacket decodes both as
// Dot1Q.
func isVLANTag(t ethernet.Ethertype) bool {
	return t == ethernet.EthertypeVLAN || t == ethernet.EthertypeQinQ
}

// vlanFields are the fields of a tag as both decoders see them.
type vlanFields struct {
	PCP       uint8
	DEI       bool
	VID       uint16
	Ethertype uint16
	Payload   []byte
}

func mplVLAN(p vlan.Packet) vlanFields {
	return vlanFields{PCP: p.Pcp(), DEI: p.Dei(), VID: p.Vid(), Ethertype: uint16(p.Ethertype()), Payload: p.Payload()}
}

func gopacketVLAN(g *layers.Dot1Q) vlanFields {
	return vlanFields{PCP: g.Priority, DEI: g.DropEligible, VID: g.VLANIdentifier, Ethertype: uint16(g.Type), Payload: g.Payload}
}

func vlanBuilder(p vlan.Packet) vlan.Builder {
	return vlan.Builder{Pcp: p.Pcp(), Dei: p.Dei(), Vid: p.Vid(), Ethertype: p.Ethertype(), Payload: p.Payload()}
}

func parseVLANFields(b []byte) ([]mplrt.Field, error) {
	p, err := vlan.Parse(b)
	if err != nil {
		return nil, err
	}
	return fieldsOf(&p), nil
}

// vlanCalls are the calls on a tag for the allocation tests: every getter
// and every setter.
func vlanCalls(p vlan.Packet) (get, set []call) {
	get = []call{
		{"Pcp", func() bool { sinkU8 = p.Pcp(); return true }},
		{"Dei", func() bool { sinkBool = p.Dei(); return true }},
		{"Vid", func() bool { sinkU16 = p.Vid(); return true }},
		{"Ethertype", func() bool { sinkU16 = uint16(p.Ethertype()); return true }},
		{"Payload", func() bool { sinkBytes = p.Payload(); return true }},
		{"Bytes", func() bool { sinkBytes = p.Bytes(); return true }},
		{"Rest", func() bool { sinkBytes = p.Rest(); return true }},
		{"Walk", func() bool { return p.Walk(walkNop) }},
	}
	set = []call{
		{"SetPcp", func() bool { p.SetPcp(p.Pcp()); return true }},
		{"SetDei", func() bool { p.SetDei(p.Dei()); return true }},
		{"SetVid", func() bool { p.SetVid(p.Vid()); return true }},
		{"SetEthertype", func() bool { p.SetEthertype(p.Ethertype()); return true }},
	}
	return get, set
}

// vlanTCI is the reference encoding of a tag's first two bytes (IEEE
// 802.1Q 9.6): priority, drop eligible, VLAN identifier.
func vlanTCI(pcp uint8, dei bool, vid uint16) uint16 {
	tci := uint16(pcp)<<13 | vid
	if dei {
		tci |= 1 << 12
	}
	return tci
}

// TestVLANEveryTCI parses and builds every tag control information value
// (all 65536): the fields are the bits of IEEE 802.1Q, gopacket reads the
// same, the builder writes the same bytes back, and VID 0 and 0xFFF (which
// 802.1Q reserves) parse as tshark and gopacket decode them.
func TestVLANEveryTCI(t *testing.T) {
	in := []byte{0, 0, 0x08, 0x00, 0x45}
	var d layers.Dot1Q
	for tci := range 1 << 16 {
		binary.BigEndian.PutUint16(in, uint16(tci))
		p, err := vlan.Parse(in)
		if err != nil {
			t.Fatalf("tci %#04x: %v", tci, err)
		}
		pcp, dei, vid := uint8(tci>>13), tci&0x1000 != 0, uint16(tci&0xfff)
		if p.Pcp() != pcp || p.Dei() != dei || p.Vid() != vid || p.Ethertype() != vlan.EthertypeIPv4 || !bytes.Equal(p.Payload(), in[4:]) {
			t.Fatalf("tci %#04x: parsed %s", tci, p.String())
		}
		if err := d.DecodeFromBytes(in, gopacket.NilDecodeFeedback); err != nil {
			t.Fatalf("tci %#04x: gopacket: %v", tci, err)
		}
		if mine, theirs := mplVLAN(p), gopacketVLAN(&d); !bytes.Equal(mine.Payload, theirs.Payload) || mine.PCP != theirs.PCP ||
			mine.DEI != theirs.DEI || mine.VID != theirs.VID || mine.Ethertype != theirs.Ethertype {
			t.Fatalf("tci %#04x: mpl %+v, gopacket %+v", tci, mine, theirs)
		}
		out, err := vlanBuilder(p).AppendTo(nil)
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("tci %#04x: rebuilt %x, %v", tci, out, err)
		}
		if got := vlanTCI(pcp, dei, vid); got != uint16(tci) {
			t.Fatalf("tci %#04x: reference encoding %#04x", tci, got)
		}
	}
}

// TestVLANSetters: each setter changes its bits and no other.
func TestVLANSetters(t *testing.T) {
	in := []byte{0xff, 0xff, 0x88, 0xa8, 1, 2}
	p, err := vlan.Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	p.SetVid(0)
	p.SetPcp(2)
	p.SetDei(false)
	p.SetEthertype(vlan.EthertypeARP)
	if want := []byte{0x40, 0x00, 0x08, 0x06, 1, 2}; !bytes.Equal(in, want) {
		t.Errorf("after the setters %x, want %x", in, want)
	}
	p.SetVid(0xffff) // the low 12 bits
	if in[0] != 0x4f || in[1] != 0xff {
		t.Errorf("SetVid(0xffff): %x", in[:2])
	}
}

// TestVLANBadInput: a tag needs its four bytes.
func TestVLANBadInput(t *testing.T) {
	for _, tc := range []struct {
		in   []byte
		want string
	}{
		{nil, "vlan: pcp at offset 0: truncated: 2 bytes for bit fields pcp to vid"},
		{[]byte{0x20}, "vlan: pcp at offset 0: truncated: 2 bytes for bit fields pcp to vid"},
		{[]byte{0x20, 1, 8}, "vlan: ethertype at offset 2: truncated: 2 bytes"},
	} {
		_, err := vlan.Parse(tc.in)
		if err == nil || err.Error() != tc.want {
			t.Errorf("Parse(%x): %v, want %q", tc.in, err, tc.want)
		}
		if !errors.Is(err, mplrt.ErrTruncated) {
			t.Errorf("Parse(%x): %v is not ErrTruncated", tc.in, err)
		}
		if p := parseErrorProblem("vlan", tc.in, err); p != "" {
			t.Errorf("Parse(%x): %s", tc.in, p)
		}
	}
	if _, err := vlan.Parse([]byte{0, 0, 0, 0}); err != nil {
		t.Errorf("an empty tag: %v", err)
	}
}

// qinqFrame builds Ethernet, an S-tag, a C-tag, IPv4 and UDP with nested
// builders.
func qinqFrame() mplrt.Nested[ethernet.Builder, mplrt.Nested[vlan.Builder, mplrt.Nested[vlan.Builder, mplrt.Nested[ipv4.Builder, udp.Builder]]]] {
	src, dst := netip.MustParseAddr("198.18.0.1"), netip.MustParseAddr("198.18.0.2")
	return mplrt.Nest(
		ethernet.Builder{Dst: net.HardwareAddr{2, 0, 0, 0, 0, 2}, Src: net.HardwareAddr{2, 0, 0, 0, 0, 1}, Ethertype: ethernet.EthertypeQinQ},
		mplrt.Nest(vlan.Builder{Pcp: 5, Vid: 300, Ethertype: vlan.EthertypeVLAN},
			mplrt.Nest(vlan.Builder{Dei: true, Vid: 4094, Ethertype: vlan.EthertypeIPv4},
				mplrt.Nest(ipv4.Builder{TTL: 64, Protocol: ipv4.ProtocolUDP, Src: src, Dst: dst},
					udp.Builder{Src: src, Dst: dst, SrcPort: 5353, DstPort: 53, Payload: []byte("query")}))))
}

// TestVLANNested builds a QinQ frame with nested builders, checks its bytes
// against a hand-made encoding, decodes it with parseStack and with
// gopacket (two Dot1Q layers), and builds it with no allocation.
func TestVLANNested(t *testing.T) {
	frame, err := qinqFrame().AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	head := []byte{2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x88, 0xa8}
	head = binary.BigEndian.AppendUint16(head, vlanTCI(5, false, 300))
	head = append(head, 0x81, 0x00)
	head = binary.BigEndian.AppendUint16(head, vlanTCI(0, true, 4094))
	head = append(head, 0x08, 0x00)
	if !bytes.HasPrefix(frame, head) || len(frame) != len(head)+20+8+5 {
		t.Fatalf("built %x; want %x then IPv4 and UDP", frame, head)
	}
	s := parseStack(frame)
	if s.tags != 2 || !s.res[lVLAN].ok() || !s.res[lVLAN2].ok() || !s.res[lUDP].ok() || string(s.udp.Payload()) != "query" {
		t.Fatalf("parseStack: %d tags, %+v", s.tags, s.res)
	}
	if err := s.udp.VerifyChecksum(s.ip.Src(), s.ip.Dst()); err != nil {
		t.Error(err)
	}
	if s.depth(lUDP) != 4 || s.depth(lVLAN2) != 2 {
		t.Errorf("depths: udp %d, inner tag %d", s.depth(lUDP), s.depth(lVLAN2))
	}
	if !checkNestedRoundTrip(t, "qinq", s) {
		t.Error("checkNestedRoundTrip did not rebuild the frame")
	}
	g := newGopacketStack()
	g.decode(frame)
	want := []gopacket.LayerType{layers.LayerTypeEthernet, layers.LayerTypeDot1Q, layers.LayerTypeDot1Q, layers.LayerTypeIPv4, layers.LayerTypeUDP}
	if g.err != nil || len(g.decoded) != len(want) {
		t.Fatalf("gopacket decoded %v, %v", g.decoded, g.err)
	}
	for i, typ := range want {
		if g.decoded[i] != typ {
			t.Fatalf("gopacket decoded %v, want %v", g.decoded, want)
		}
	}
	var dis disagreements
	for l := range nLayers {
		if s.res[l].tried && !compareLayer(t, "qinq", l, s, g, &dis, 1) {
			t.Errorf("%s not compared", layerLabel(l))
		}
	}
	if len(dis.byReason) != 0 {
		t.Errorf("disagreements: %v", dis.byReason)
	}
	// Cut inside the IPv4 header: both reject IPv4, at depth 3, and
	// gopacket's failing layer is found through the inner tag.
	cut := frame[:14+8+10]
	s = parseStack(cut)
	g.decode(cut)
	if s.res[lIPv4].err == nil || g.err == nil || g.typeAt(s.depth(lIPv4)) != layers.LayerTypeIPv4 {
		t.Errorf("cut frame: mpl %v, gopacket %v, type at depth %d %v", s.res[lIPv4].err, g.err, s.depth(lIPv4), g.typeAt(s.depth(lIPv4)))
	}
	for l := range nLayers {
		compareLayer(t, "qinq cut", l, s, g, &dis, 2)
	}
	if len(dis.byReason) != 0 {
		t.Errorf("cut frame: disagreements: %v", dis.byReason)
	}

	b := qinqFrame()
	buf := make([]byte, 0, 256)
	checkNoAllocs(t, "ethernet/vlan/vlan/ipv4/udp", func() bool {
		buf, err = b.AppendTo(buf[:0])
		return err == nil
	})
	var v vlan.Packet
	checkNoAllocs(t, "vlan.Decode", func() bool { return v.Decode(frame[14:]) == nil })
	checkNoAllocs(t, "vlan.Parse of a truncated tag", func() bool { _, err := vlan.Parse(frame[14:17]); return err != nil })
}
