package bench

import (
	"net/netip"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
)

// dlpDecoder is gopacket's fast path: a DecodingLayerParser over
// preallocated layers, all reused from frame to frame. Layers it has no
// decoder for (the ICMP data, DNS, the TCP data) end the decoding. gopacket
// verifies no checksum: the IPv4 header's is summed with the hand-written
// helpers.
type dlpDecoder struct {
	eth     layers.Ethernet
	ip4     layers.IPv4
	icmp4   layers.ICMPv4
	udp     layers.UDP
	tcp     layers.TCP
	parser  *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
}

func newDLPDecoder() *dlpDecoder {
	d := &dlpDecoder{decoded: make([]gopacket.LayerType, 0, 8)}
	d.parser = gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet,
		&d.eth, &d.ip4, &d.icmp4, &d.udp, &d.tcp)
	d.parser.IgnoreUnsupported = true
	return d
}

func (d *dlpDecoder) decode(frame []byte, f *fields) error {
	if err := d.parser.DecodeLayers(frame, &d.decoded); err != nil {
		return err
	}
	if d.parser.Truncated {
		return errTruncatedGopacket
	}
	for _, t := range d.decoded {
		switch t {
		case layers.LayerTypeEthernet:
			readEthernet(&d.eth, f)
		case layers.LayerTypeIPv4:
			readIPv4(&d.ip4, f)
		case layers.LayerTypeICMPv4:
			readICMPv4(&d.icmp4, f)
		case layers.LayerTypeUDP:
			readUDP(&d.udp, f)
		case layers.LayerTypeTCP:
			readTCP(&d.tcp, f)
		}
	}
	return nil
}

// decodePacket is gopacket's general API: NewPacket decodes every layer it
// can into newly allocated layer structs (NoCopy: they alias frame).
func decodePacket(frame []byte, f *fields) error {
	p := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.NoCopy)
	if e := p.ErrorLayer(); e != nil {
		return e.Error()
	}
	if p.Metadata().Truncated {
		return errTruncatedGopacket
	}
	if l, ok := p.Layer(layers.LayerTypeEthernet).(*layers.Ethernet); ok {
		readEthernet(l, f)
	}
	if l, ok := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4); ok {
		readIPv4(l, f)
	}
	if l, ok := p.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4); ok {
		readICMPv4(l, f)
	}
	if l, ok := p.Layer(layers.LayerTypeUDP).(*layers.UDP); ok {
		readUDP(l, f)
	}
	if l, ok := p.Layer(layers.LayerTypeTCP).(*layers.TCP); ok {
		readTCP(l, f)
	}
	return nil
}

func readEthernet(l *layers.Ethernet, f *fields) {
	f.EthDst = [6]byte(l.DstMAC)
	f.EthSrc = [6]byte(l.SrcMAC)
	f.EtherType = uint16(l.EthernetType)
	f.PayloadLen = len(l.Payload)
}

func readIPv4(l *layers.IPv4, f *fields) {
	f.IPVersion = l.Version
	f.IPIHL = l.IHL
	f.IPDSCP = l.TOS >> 2
	f.IPECN = l.TOS & 3
	f.IPTotalLength = l.Length
	f.IPID = l.Id
	f.IPReserved = l.Flags&layers.IPv4EvilBit != 0
	f.IPDontFragment = l.Flags&layers.IPv4DontFragment != 0
	f.IPMoreFragments = l.Flags&layers.IPv4MoreFragments != 0
	f.IPFragmentOffset = l.FragOffset
	f.IPTTL = l.TTL
	f.IPProtocol = uint8(l.Protocol)
	f.IPChecksum = l.Checksum
	f.IPSrc = netip.AddrFrom4([4]byte(l.SrcIP))
	f.IPDst = netip.AddrFrom4([4]byte(l.DstIP))
	f.IPOptionsLen = len(l.Contents) - 20
	f.IPChecksumOK = csumFold(csumSum(l.Contents, 0)) == 0xffff
	f.PayloadLen = len(l.Payload)
}

func readICMPv4(l *layers.ICMPv4, f *fields) {
	t := l.TypeCode.Type()
	f.ICMPType = t
	f.ICMPCode = l.TypeCode.Code()
	f.ICMPChecksum = l.Checksum
	if t == icmpEchoReq || t == icmpEchoReply {
		f.ICMPID = l.Id
		f.ICMPSeq = l.Seq
		f.PayloadLen = len(l.Payload)
	} else {
		f.PayloadLen = len(l.Payload) + 4
	}
}

func readTCP(l *layers.TCP, f *fields) {
	f.TCPSrcPort = uint16(l.SrcPort)
	f.TCPDstPort = uint16(l.DstPort)
	f.TCPSeq = l.Seq
	f.TCPAck = l.Ack
	f.TCPDataOffset = l.DataOffset
	var fl uint8
	for i, b := range [8]bool{l.FIN, l.SYN, l.RST, l.PSH, l.ACK, l.URG, l.ECE, l.CWR} {
		if b {
			fl |= 1 << i
		}
	}
	f.TCPFlags = fl
	f.TCPWindow = l.Window
	f.TCPChecksum = l.Checksum
	f.TCPUrgent = l.Urgent
	f.TCPOptions = len(l.Options)
	for _, o := range l.Options {
		switch o.OptionType {
		case layers.TCPOptionKindMSS:
			if len(o.OptionData) == 2 {
				f.TCPMSS = uint16(o.OptionData[0])<<8 | uint16(o.OptionData[1])
			}
		case layers.TCPOptionKindWindowScale:
			if len(o.OptionData) == 1 {
				f.TCPWScale = o.OptionData[0]
			}
		case layers.TCPOptionKindSACKPermitted:
			f.TCPSACKPermitted = true
		case layers.TCPOptionKindTimestamps:
			if len(o.OptionData) == 8 {
				f.TCPTSVal = uint32(o.OptionData[0])<<24 | uint32(o.OptionData[1])<<16 | uint32(o.OptionData[2])<<8 | uint32(o.OptionData[3])
				f.TCPTSEcr = uint32(o.OptionData[4])<<24 | uint32(o.OptionData[5])<<16 | uint32(o.OptionData[6])<<8 | uint32(o.OptionData[7])
			}
		}
	}
	f.PayloadLen = len(l.Payload)
}

func readUDP(l *layers.UDP, f *fields) {
	f.UDPSrcPort = uint16(l.SrcPort)
	f.UDPDstPort = uint16(l.DstPort)
	f.UDPLength = l.Length
	f.UDPChecksum = l.Checksum
	f.PayloadLen = len(l.Payload)
}

// gopacketBuilder serializes with preallocated layers into a reused
// SerializeBuffer, with FixLengths (IHL, total length, UDP length) and
// without ComputeChecksums: the checksums are copied from the input.
type gopacketBuilder struct {
	buf     gopacket.SerializeBuffer
	opts    gopacket.SerializeOptions
	eth     layers.Ethernet
	ip4     layers.IPv4
	icmp4   layers.ICMPv4
	udpL    layers.UDP
	payload gopacket.Payload
}

func newGopacketBuilder() *gopacketBuilder {
	return &gopacketBuilder{
		buf:  gopacket.NewSerializeBuffer(),
		opts: gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true},
	}
}

func (g *gopacketBuilder) setL3(in *l3Input, proto layers.IPProtocol) {
	g.eth = layers.Ethernet{
		DstMAC:       in.DstMAC,
		SrcMAC:       in.SrcMAC,
		EthernetType: layers.EthernetTypeIPv4,
	}
	ttl := in.TTL
	if ttl == 0 {
		ttl = 64
	}
	g.ip4 = layers.IPv4{
		Version:  4,
		TOS:      in.DSCP<<2 | in.ECN,
		Id:       in.ID,
		Flags:    layers.IPv4Flag(in.DontFragment << 1),
		TTL:      ttl,
		Protocol: proto,
		SrcIP:    in.SrcIP,
		DstIP:    in.DstIP,
	}
}

// echo returns a buildFunc that ignores dst and returns the bytes of g's
// buffer, valid until the next call.
func (g *gopacketBuilder) echo(in *echoInput) buildFunc {
	return func([]byte) ([]byte, error) {
		g.setL3(&in.l3Input, layers.IPProtocolICMPv4)
		g.icmp4 = layers.ICMPv4{
			TypeCode: layers.CreateICMPv4TypeCode(icmpEchoReq, in.Code),
			Id:       in.Identifier,
			Seq:      in.Sequence,
		}
		g.payload = in.Data
		err := gopacket.SerializeLayers(g.buf, g.opts, &g.eth, &g.ip4, &g.icmp4, &g.payload)
		return g.buf.Bytes(), err
	}
}

func (g *gopacketBuilder) udp(in *udpInput) buildFunc {
	return func([]byte) ([]byte, error) {
		g.setL3(&in.l3Input, layers.IPProtocolUDP)
		g.udpL = layers.UDP{
			SrcPort: layers.UDPPort(in.SrcPort),
			DstPort: layers.UDPPort(in.DstPort),
		}
		if err := g.udpL.SetNetworkLayerForChecksum(&g.ip4); err != nil {
			return nil, err
		}
		g.payload = in.Payload
		err := gopacket.SerializeLayers(g.buf, g.opts, &g.eth, &g.ip4, &g.udpL, &g.payload)
		return g.buf.Bytes(), err
	}
}

// gopacketReflector is the reflect work as gopacket does it: it has no
// in-place setters, so it decodes with a DecodingLayerParser, changes the
// layers' fields and serializes them again into a reused buffer with
// ComputeChecksums (the ICMP checksum is computed over the whole message,
// not patched; the IPv4 one comes out the same).
type gopacketReflector struct {
	eth     layers.Ethernet
	ip4     layers.IPv4
	icmp4   layers.ICMPv4
	parser  *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
	buf     gopacket.SerializeBuffer
	payload gopacket.Payload
}

func newGopacketReflector() *gopacketReflector {
	g := &gopacketReflector{
		decoded: make([]gopacket.LayerType, 0, 8),
		buf:     gopacket.NewSerializeBuffer(),
	}
	g.parser = gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet, &g.eth, &g.ip4, &g.icmp4)
	g.parser.IgnoreUnsupported = true
	return g
}

func (g *gopacketReflector) reflect(frame []byte) ([]byte, error) {
	if err := g.parser.DecodeLayers(frame, &g.decoded); err != nil {
		return nil, err
	}
	if g.parser.Truncated {
		return nil, errTruncatedGopacket
	}
	if len(g.decoded) != 3 || g.decoded[2] != layers.LayerTypeICMPv4 || g.icmp4.TypeCode.Type() != icmpEchoReq {
		return nil, errNotEchoRequest
	}
	g.ip4.SrcIP, g.ip4.DstIP = g.ip4.DstIP, g.ip4.SrcIP
	g.icmp4.TypeCode = layers.CreateICMPv4TypeCode(icmpEchoReply, g.icmp4.TypeCode.Code())
	g.payload = g.icmp4.Payload
	err := gopacket.SerializeLayers(g.buf, gopacket.SerializeOptions{ComputeChecksums: true},
		&g.eth, &g.ip4, &g.icmp4, &g.payload)
	return g.buf.Bytes(), err
}

// checksumGopacket verifies the checksums with gopacket.ComputeChecksum
// and FoldChecksum, which the layers' VerifyChecksum methods use, over the
// same bytes; the pseudo-header is summed as gopacket's TCP and UDP layers
// sum it (their function for it is not exported).
func checksumGopacket(in *csumInput) csumResult {
	h := in.Header
	r := csumResult{IPv4: gopacket.FoldChecksum(gopacket.ComputeChecksum(h, 0)) == 0, Transport: true}
	p := in.Payload
	switch in.Proto {
	case protoTCP, protoUDP:
		if in.Proto == protoUDP && len(p) >= 8 && p[6]|p[7] == 0 {
			break
		}
		var ph uint32
		ph += (uint32(h[12]) + uint32(h[14])) << 8
		ph += uint32(h[13]) + uint32(h[15])
		ph += (uint32(h[16]) + uint32(h[18])) << 8
		ph += uint32(h[17]) + uint32(h[19])
		n := uint32(len(p))
		ph += uint32(in.Proto) + n&0xffff + n>>16
		r.Transport = gopacket.FoldChecksum(gopacket.ComputeChecksum(p, ph)) == 0
	case protoICMP:
		r.Transport = gopacket.FoldChecksum(gopacket.ComputeChecksum(p, 0)) == 0
	}
	return r
}
