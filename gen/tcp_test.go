package gen_test

import (
	"bytes"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/mplgo/mpl/gen/tcp"
)

// tcpFields are the fields of a TCP segment as both decoders see them.
type tcpFields struct {
	SrcPort, DstPort                       uint16
	Seq, Ack                               uint32
	DataOffset                             uint8
	NS                                     bool // the lowest reserved bit (RFC 3540, historic)
	CWR, ECE, URG, ACK, PSH, RST, SYN, FIN bool
	Window, Checksum, Urgent               uint16
	Options                                []tcpOption
	Padding                                []byte // after an End of Option List
	Payload                                []byte
}

// tcpOption is one option: its kind, its length (1 for End and NOP) and
// the bytes after the length.
type tcpOption struct {
	Kind, Length uint8
	Data         []byte
}

func mplTCP(p tcp.Packet) tcpFields {
	f := tcpFields{
		SrcPort: p.SourcePort(), DstPort: p.DestinationPort(),
		Seq: p.SequenceNumber(), Ack: p.AcknowledgmentNumber(),
		DataOffset: p.DataOffset(), NS: p.Reserved()&1 != 0,
		CWR: p.CWR(), ECE: p.ECE(), URG: p.URG(), ACK: p.ACK(), PSH: p.PSH(), RST: p.RST(), SYN: p.SYN(), FIN: p.FIN(),
		Window: p.Window(), Checksum: p.Checksum(), Urgent: p.UrgentPointer(),
		Payload: p.Data(),
	}
	it := p.Options()
	for _, o := range it.All() {
		f.Options = append(f.Options, mplOption(&o, &f))
	}
	return f
}

// mplOption returns o as a tcpOption, read through the accessors of its
// case; the padding after an End goes to f.
func mplOption(o *tcp.Option, f *tcpFields) tcpOption {
	k := o.OptionKind()
	switch o.Kind() {
	case tcp.OptionKindEnd:
		c, _ := o.AsEnd()
		f.Padding = c.Padding()
		return tcpOption{Kind: k, Length: 1}
	case tcp.OptionKindNOP:
		return tcpOption{Kind: k, Length: 1}
	case tcp.OptionKindMSS:
		c, _ := o.AsMSS()
		return tcpOption{Kind: k, Length: c.OptionLength(), Data: []byte{byte(c.MSS() >> 8), byte(c.MSS())}}
	case tcp.OptionKindWindowScale:
		c, _ := o.AsWindowScale()
		return tcpOption{Kind: k, Length: c.OptionLength(), Data: []byte{c.Shift()}}
	case tcp.OptionKindSACKPermitted:
		c, _ := o.AsSACKPermitted()
		return tcpOption{Kind: k, Length: c.OptionLength()}
	case tcp.OptionKindSACK:
		c, _ := o.AsSACK()
		var data []byte
		it := c.Blocks()
		for _, b := range it.All() {
			data = be32(be32(data, b.LeftEdge()), b.RightEdge())
		}
		return tcpOption{Kind: k, Length: c.OptionLength(), Data: data}
	case tcp.OptionKindTimestamps:
		c, _ := o.AsTimestamps()
		return tcpOption{Kind: k, Length: c.OptionLength(), Data: be32(be32(nil, c.TsVal()), c.TsEcr())}
	case tcp.OptionKindOther:
		c, _ := o.AsOther()
		return tcpOption{Kind: k, Length: c.OptionLength(), Data: c.OptionData()}
	}
	panic("tcp option of no case")
}

func be32(b []byte, v uint32) []byte {
	return append(b, byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func gopacketTCP(g *layers.TCP) tcpFields {
	f := tcpFields{
		SrcPort: uint16(g.SrcPort), DstPort: uint16(g.DstPort), Seq: g.Seq, Ack: g.Ack,
		DataOffset: g.DataOffset, NS: g.NS,
		CWR: g.CWR, ECE: g.ECE, URG: g.URG, ACK: g.ACK, PSH: g.PSH, RST: g.RST, SYN: g.SYN, FIN: g.FIN,
		Window: g.Window, Checksum: g.Checksum, Urgent: g.Urgent,
		Padding: g.Padding, Payload: g.Payload,
	}
	for _, o := range g.Options {
		f.Options = append(f.Options, tcpOption{Kind: uint8(o.OptionType), Length: o.OptionLength, Data: o.OptionData})
	}
	return f
}

// tcpBuilder returns the builder of p, which an IP packet from src to dst
// carries: every option through the builder of its case.
func tcpBuilder(p tcp.Packet, src, dst netip.Addr) tcp.Builder {
	b := tcp.Builder{
		Src: src, Dst: dst,
		SourcePort: p.SourcePort(), DestinationPort: p.DestinationPort(),
		SequenceNumber: p.SequenceNumber(), AcknowledgmentNumber: p.AcknowledgmentNumber(),
		Reserved: p.Reserved(),
		CWR:      p.CWR(), ECE: p.ECE(), URG: p.URG(), ACK: p.ACK(), PSH: p.PSH(), RST: p.RST(), SYN: p.SYN(), FIN: p.FIN(),
		Window: p.Window(), UrgentPointer: p.UrgentPointer(),
		Data: p.Data(),
	}
	it := p.Options()
	for _, o := range it.All() {
		b.Options = append(b.Options, tcpOptionBuilder(&o))
	}
	return b
}

// tcpOptionBuilder returns the builder of option o's case.
func tcpOptionBuilder(o *tcp.Option) tcp.OptionBuilder {
	ob := tcp.OptionBuilder{Kind: o.Kind()}
	switch o.Kind() {
	case tcp.OptionKindEnd:
		c, _ := o.AsEnd()
		ob.End.Padding = c.Padding()
	case tcp.OptionKindMSS:
		c, _ := o.AsMSS()
		ob.MSS.MSS = c.MSS()
	case tcp.OptionKindWindowScale:
		c, _ := o.AsWindowScale()
		ob.WindowScale.Shift = c.Shift()
	case tcp.OptionKindSACK:
		c, _ := o.AsSACK()
		it := c.Blocks()
		for _, b := range it.All() {
			ob.SACK.Blocks = append(ob.SACK.Blocks, tcp.BlockBuilder{LeftEdge: b.LeftEdge(), RightEdge: b.RightEdge()})
		}
	case tcp.OptionKindTimestamps:
		c, _ := o.AsTimestamps()
		ob.Timestamps.TsVal, ob.Timestamps.TsEcr = c.TsVal(), c.TsEcr()
	case tcp.OptionKindOther:
		c, _ := o.AsOther()
		ob.Other.OptionKind, ob.Other.OptionData = o.OptionKind(), c.OptionData()
	}
	return ob
}

// tcpWant is what tcpBuilder(p, src, dst) must produce: p's bytes with the
// right checksum.
func tcpWant(p tcp.Packet, src, dst netip.Addr) (want []byte, note string) {
	return withChecksum(p.Bytes(), 16, p.VerifyChecksum(src, dst), p.ComputeChecksum(src, dst), "tcp")
}

// tcpCalls are the calls on a TCP view for the allocation tests: every
// getter, the options with every field of their cases, the checksum, and
// every setter (the checksum follows).
func tcpCalls(p tcp.Packet) (get, set []call) {
	var src, dst netip.Addr
	get = []call{
		{"SourcePort", func() bool { sinkU16 = p.SourcePort(); return true }},
		{"DestinationPort", func() bool { sinkU16 = p.DestinationPort(); return true }},
		{"SequenceNumber", func() bool { sinkU32 = p.SequenceNumber(); return true }},
		{"AcknowledgmentNumber", func() bool { sinkU32 = p.AcknowledgmentNumber(); return true }},
		{"DataOffset", func() bool { sinkU8 = p.DataOffset(); return true }},
		{"Reserved", func() bool { sinkU8 = p.Reserved(); return true }},
		{"flags", func() bool {
			sinkBool = p.CWR() || p.ECE() || p.URG() || p.ACK() || p.PSH() || p.RST() || p.SYN() || p.FIN()
			return true
		}},
		{"Window", func() bool { sinkU16 = p.Window(); return true }},
		{"Checksum", func() bool { sinkU16 = p.Checksum(); return true }},
		{"UrgentPointer", func() bool { sinkU16 = p.UrgentPointer(); return true }},
		{"Options", func() bool {
			it := p.Options()
			for o, ok := it.Next(); ok; o, ok = it.Next() {
				sinkU8 = o.OptionKind()
				switch o.Kind() {
				case tcp.OptionKindMSS:
					c, _ := o.AsMSS()
					sinkU16 = c.MSS()
				case tcp.OptionKindWindowScale:
					c, _ := o.AsWindowScale()
					sinkU8 = c.Shift()
				case tcp.OptionKindSACK:
					c, _ := o.AsSACK()
					bs := c.Blocks()
					for b, ok := bs.Next(); ok; b, ok = bs.Next() {
						sinkU32 = b.LeftEdge() ^ b.RightEdge()
					}
				case tcp.OptionKindTimestamps:
					c, _ := o.AsTimestamps()
					sinkU32 = c.TsVal() ^ c.TsEcr()
				case tcp.OptionKindOther:
					c, _ := o.AsOther()
					sinkBytes = c.OptionData()
				case tcp.OptionKindEnd:
					c, _ := o.AsEnd()
					sinkBytes = c.Padding()
				}
			}
			return true
		}},
		{"Data", func() bool { sinkBytes = p.Data(); return true }},
		{"VerifyChecksum", func() bool { sinkBool = p.VerifyChecksum(src, dst) == nil; return true }},
		{"ComputeChecksum", func() bool { sinkU16 = p.ComputeChecksum(src, dst); return true }},
		{"Bytes", func() bool { sinkBytes = p.Bytes(); return true }},
		{"Rest", func() bool { sinkBytes = p.Rest(); return true }},
		{"Walk", func() bool { return p.Walk(walkNop) }},
	}
	set = []call{
		{"SetSourcePort", func() bool { p.SetSourcePort(p.SourcePort()); return true }},
		{"SetDestinationPort", func() bool { p.SetDestinationPort(p.DestinationPort()); return true }},
		{"SetSequenceNumber", func() bool { p.SetSequenceNumber(p.SequenceNumber()); return true }},
		{"SetAcknowledgmentNumber", func() bool { p.SetAcknowledgmentNumber(p.AcknowledgmentNumber()); return true }},
		{"SetReserved", func() bool { p.SetReserved(p.Reserved()); return true }},
		{"SetFlags", func() bool {
			p.SetCWR(p.CWR())
			p.SetECE(p.ECE())
			p.SetURG(p.URG())
			p.SetACK(p.ACK())
			p.SetPSH(p.PSH())
			p.SetRST(p.RST())
			p.SetSYN(p.SYN())
			p.SetFIN(p.FIN())
			return true
		}},
		{"SetWindow", func() bool { p.SetWindow(p.Window()); return true }},
		{"SetUrgentPointer", func() bool { p.SetUrgentPointer(p.UrgentPointer()); return true }},
		{"SetDataOffset", func() bool { return p.SetDataOffset(p.DataOffset()) == nil }},
		{"SetChecksum", func() bool { p.SetChecksum(p.Checksum()); return true }},
	}
	return get, set
}

// TestTCPBadInput: malformed segments fail with the field, offset and
// constraint at fault.
func TestTCPBadInput(t *testing.T) {
	// A header of 20 bytes, data offset 5, then what each case adds.
	seg := func(doff byte, opts ...byte) []byte {
		b := []byte{0x30, 0x39, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, doff << 4, 0x02, 0xff, 0xff, 0, 0, 0, 0}
		return append(b, opts...)
	}
	for _, tc := range []struct {
		name string
		in   []byte
		want string
	}{
		{"data offset 4", seg(4), "tcp: data_offset at offset 12: min: data_offset >= 5"},
		{"data offset past the segment", seg(6), "tcp: options at offset 20: length: 0 <= ((data_offset * 4) - offset(urgent_pointer)) <= remaining bytes"},
		{"truncated header", seg(5)[:19], "tcp: urgent_pointer at offset 18: truncated: 2 bytes"},
		{"option length 0", seg(6, 0x22, 0, 1, 1), "tcp: option_length at offset 21: min: option_length >= 2"},
		{"option length 1", seg(6, 0x22, 1, 1, 1), "tcp: option_length at offset 21: min: option_length >= 2"},
		{"option past the header", seg(6, 0x22, 6, 1, 1), "tcp: option_data at offset 22: length: 0 <= (option_length - 2) <= remaining bytes"},
		{"MSS of length 3", seg(6, 2, 3, 5, 0xb4), "tcp: option_length at offset 21: const: option_length == 4"},
		{"MSS cut by the header's end", seg(6, 1, 1, 2, 4), "tcp: mss at offset 24: truncated: 2 bytes"},
		{"second SACK block cut short", seg(8, 5, 12, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0), "tcp: left_edge at offset 30: truncated: 4 bytes"},
		{"SACK of 6 bytes", seg(7, 5, 6, 0, 0, 0, 1, 1, 1), "tcp: right_edge at offset 26: truncated: 4 bytes"},
	} {
		_, err := tcp.Parse(tc.in)
		if err == nil {
			t.Errorf("%s: parsed", tc.name)
			continue
		}
		if err.Error() != tc.want {
			t.Errorf("%s: error %q\nwant       %q", tc.name, err, tc.want)
		}
		if p := parseErrorProblem("tcp", tc.in, err); p != "" {
			t.Errorf("%s: %s", tc.name, p)
		}
	}
}

// TestExampleTCPSyn decodes the SYN of Example_tcpSyn with gopacket and
// serializes it again with gopacket computing the lengths and checksums:
// the bytes must be the same, so gopacket agrees with the generated
// builders on every field, option, length and checksum.
func TestExampleTCPSyn(t *testing.T) {
	frame, err := buildSyn(nil)
	if err != nil {
		t.Fatal(err)
	}
	pkt := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
	eth, _ := pkt.Layer(layers.LayerTypeEthernet).(*layers.Ethernet)
	ip, _ := pkt.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
	seg, _ := pkt.Layer(layers.LayerTypeTCP).(*layers.TCP)
	if eth == nil || ip == nil || seg == nil {
		t.Fatalf("gopacket decodes %v", pkt)
	}
	if len(seg.Options) != 5 || seg.Options[0].OptionType != layers.TCPOptionKindMSS || seg.Options[4].OptionType != layers.TCPOptionKindWindowScale {
		t.Errorf("gopacket sees the options %v", seg.Options)
	}
	if err := seg.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, seg); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), frame) {
		t.Errorf("gopacket makes\n%x\nthe builders made\n%x", buf.Bytes(), frame)
	}
}
