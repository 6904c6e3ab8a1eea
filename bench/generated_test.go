package bench

import (
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/tcp"
	"github.com/mplgo/mpl/gen/udp"
	mplrt "github.com/mplgo/mpl/runtime"
)

// decodeMplc decodes with the generated packages, as a user would:
// Parse each layer from the payload of the one before and read it through
// its accessors.
func decodeMplc(frame []byte, f *fields) error {
	eth, err := ethernet.Parse(frame)
	if err != nil {
		return err
	}
	f.EthDst = [6]byte(eth.Dst())
	f.EthSrc = [6]byte(eth.Src())
	f.EtherType = uint16(eth.Ethertype())
	if eth.Ethertype() != ethernet.EthertypeIPv4 {
		f.PayloadLen = len(eth.Payload())
		return nil
	}

	ip, err := ipv4.Parse(eth.Payload())
	if err != nil {
		return err
	}
	f.IPVersion = ip.Version()
	f.IPIHL = ip.IHL()
	f.IPDSCP = ip.DSCP()
	f.IPECN = ip.ECN()
	f.IPTotalLength = ip.TotalLength()
	f.IPID = ip.ID()
	f.IPReserved = ip.Reserved()
	f.IPDontFragment = ip.DontFragment()
	f.IPMoreFragments = ip.MoreFragments()
	f.IPFragmentOffset = ip.FragmentOffset()
	f.IPTTL = ip.TTL()
	f.IPProtocol = uint8(ip.Protocol())
	f.IPChecksum = ip.Checksum()
	f.IPSrc = ip.Src()
	f.IPDst = ip.Dst()
	f.IPOptionsLen = len(ip.Options())
	f.IPChecksumOK = ip.VerifyChecksum() == nil

	switch ip.Protocol() {
	case ipv4.ProtocolICMP:
		m, err := icmp.Parse(ip.Payload())
		if err != nil {
			return err
		}
		f.ICMPType = m.Type()
		f.ICMPCode = m.Code()
		f.ICMPChecksum = m.Checksum()
		switch m.Kind() {
		case icmp.KindEchoRequest:
			e, _ := m.AsEchoRequest()
			f.ICMPID = e.Identifier()
			f.ICMPSeq = e.Sequence()
			f.PayloadLen = len(e.Data())
		case icmp.KindEchoReply:
			e, _ := m.AsEchoReply()
			f.ICMPID = e.Identifier()
			f.ICMPSeq = e.Sequence()
			f.PayloadLen = len(e.Data())
		default:
			f.PayloadLen = len(ip.Payload()) - 4
		}
	case ipv4.ProtocolUDP:
		u, err := udp.Parse(ip.Payload())
		if err != nil {
			return err
		}
		f.UDPSrcPort = u.SrcPort()
		f.UDPDstPort = u.DstPort()
		f.UDPLength = u.Length()
		f.UDPChecksum = u.Checksum()
		f.PayloadLen = len(u.Payload())
	case ipv4.ProtocolTCP:
		seg, err := tcp.Parse(ip.Payload())
		if err != nil {
			return err
		}
		readTCPMplc(&seg, f)
	default:
		f.PayloadLen = len(ip.Payload())
	}
	return nil
}

// buildEchoMplc builds the echo request frame with the generated
// builders nested by mplrt.Nest, as the runtime's documentation shows.
func buildEchoMplc(dst []byte, in *echoInput) ([]byte, error) {
	return mplrt.Nest(
		ethernet.Builder{
			Dst:       in.DstMAC,
			Src:       in.SrcMAC,
			Ethertype: ethernet.EthertypeIPv4,
		},
		mplrt.Nest(
			ipv4.Builder{
				DSCP:         in.DSCP,
				ECN:          in.ECN,
				ID:           in.ID,
				DontFragment: in.DontFragment != 0,
				TTL:          in.TTL,
				Protocol:     ipv4.ProtocolICMP,
				Src:          in.Src,
				Dst:          in.Dst,
			},
			icmp.EchoRequestBuilder{
				Code:       in.Code,
				Identifier: in.Identifier,
				Sequence:   in.Sequence,
				Data:       in.Data,
			})).AppendTo(dst)
}

// buildUDPMplc builds the UDP frame with the generated builders.
func buildUDPMplc(dst []byte, in *udpInput) ([]byte, error) {
	return mplrt.Nest(
		ethernet.Builder{
			Dst:       in.DstMAC,
			Src:       in.SrcMAC,
			Ethertype: ethernet.EthertypeIPv4,
		},
		mplrt.Nest(
			ipv4.Builder{
				DSCP:         in.DSCP,
				ECN:          in.ECN,
				ID:           in.ID,
				DontFragment: in.DontFragment != 0,
				TTL:          in.TTL,
				Protocol:     ipv4.ProtocolUDP,
				Src:          in.Src,
				Dst:          in.Dst,
			},
			udp.Builder{
				Src:     in.Src,
				Dst:     in.Dst,
				SrcPort: in.SrcPort,
				DstPort: in.DstPort,
				Payload: in.Payload,
			})).AppendTo(dst)
}

// buildEchoMplcDirect builds the echo request frame by calling the
// builders' AppendHeader, AppendTo and Finish in sequence, as mplrt.Nest
// does, without Nest's generic wrapper.
func buildEchoMplcDirect(dst []byte, in *echoInput) ([]byte, error) {
	eth := ethernet.Builder{
		Dst:       in.DstMAC,
		Src:       in.SrcMAC,
		Ethertype: ethernet.EthertypeIPv4,
	}
	ip := ipv4.Builder{
		DSCP:         in.DSCP,
		ECN:          in.ECN,
		ID:           in.ID,
		DontFragment: in.DontFragment != 0,
		TTL:          in.TTL,
		Protocol:     ipv4.ProtocolICMP,
		Src:          in.Src,
		Dst:          in.Dst,
	}
	echo := icmp.EchoRequestBuilder{
		Code:       in.Code,
		Identifier: in.Identifier,
		Sequence:   in.Sequence,
		Data:       in.Data,
	}
	start := len(dst)
	dst, err := eth.AppendHeader(dst)
	if err != nil {
		return dst[:start], err
	}
	ipStart := len(dst)
	if dst, err = ip.AppendHeader(dst); err != nil {
		return dst[:start], err
	}
	if dst, err = echo.AppendTo(dst); err != nil {
		return dst[:start], err
	}
	if dst, err = ip.Finish(dst, ipStart); err != nil {
		return dst[:start], err
	}
	if dst, err = eth.Finish(dst, start); err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// buildUDPMplcDirect builds the UDP frame as buildEchoMplcDirect does.
func buildUDPMplcDirect(dst []byte, in *udpInput) ([]byte, error) {
	eth := ethernet.Builder{
		Dst:       in.DstMAC,
		Src:       in.SrcMAC,
		Ethertype: ethernet.EthertypeIPv4,
	}
	ip := ipv4.Builder{
		DSCP:         in.DSCP,
		ECN:          in.ECN,
		ID:           in.ID,
		DontFragment: in.DontFragment != 0,
		TTL:          in.TTL,
		Protocol:     ipv4.ProtocolUDP,
		Src:          in.Src,
		Dst:          in.Dst,
	}
	u := udp.Builder{
		Src:     in.Src,
		Dst:     in.Dst,
		SrcPort: in.SrcPort,
		DstPort: in.DstPort,
		Payload: in.Payload,
	}
	start := len(dst)
	dst, err := eth.AppendHeader(dst)
	if err != nil {
		return dst[:start], err
	}
	ipStart := len(dst)
	if dst, err = ip.AppendHeader(dst); err != nil {
		return dst[:start], err
	}
	if dst, err = u.AppendTo(dst); err != nil {
		return dst[:start], err
	}
	if dst, err = ip.Finish(dst, ipStart); err != nil {
		return dst[:start], err
	}
	if dst, err = eth.Finish(dst, start); err != nil {
		return dst[:start], err
	}
	return dst, nil
}

// reflectMplc turns an echo request into its reply in place with the
// generated views: Parse each layer, swap the IPv4 addresses with the
// setters and set the ICMP type (SetType validates the message again);
// the setters update both checksums (RFC 1624).
func reflectMplc(frame []byte) ([]byte, error) {
	eth, err := ethernet.Parse(frame)
	if err != nil {
		return nil, err
	}
	if eth.Ethertype() != ethernet.EthertypeIPv4 {
		return nil, errNotEchoRequest
	}
	ip, err := ipv4.Parse(eth.Payload())
	if err != nil {
		return nil, err
	}
	if ip.Protocol() != ipv4.ProtocolICMP {
		return nil, errNotEchoRequest
	}
	m, err := icmp.Parse(ip.Payload())
	if err != nil {
		return nil, err
	}
	return reflectViews(frame, &ip, &m)
}

// reflectViews is the part of reflectMplc after parsing, shared with
// viewDecoder.reflect.
func reflectViews(frame []byte, ip *ipv4.Packet, m *icmp.Packet) ([]byte, error) {
	if m.Kind() != icmp.KindEchoRequest {
		return nil, errNotEchoRequest
	}
	src, dst := ip.Src(), ip.Dst()
	ip.SetSrc(dst)
	ip.SetDst(src)
	// SetType validates the message again and updates its checksum.
	if err := m.SetType(icmpEchoReply); err != nil {
		return nil, err
	}
	return frame, nil
}

// checksumMplc verifies the checksums with mplrt's Sum, Fold and
// PseudoHeaderIPv4.
func checksumMplc(in *csumInput) csumResult {
	h := in.Header
	r := csumResult{IPv4: mplrt.Fold(mplrt.Sum(h, 0)) == 0xffff, Transport: true}
	switch in.Proto {
	case protoTCP, protoUDP:
		if in.Proto == protoUDP && len(in.Payload) >= 8 && in.Payload[6]|in.Payload[7] == 0 {
			break
		}
		ph := mplrt.PseudoHeaderIPv4([4]byte(h[12:16]), [4]byte(h[16:20]), in.Proto, uint16(len(in.Payload)))
		r.Transport = mplrt.Fold(mplrt.Sum(in.Payload, ph)) == 0xffff
	case protoICMP:
		r.Transport = mplrt.Fold(mplrt.Sum(in.Payload, 0)) == 0xffff
	}
	return r
}

// viewDecoder is the generated code used the way a hot loop uses it: one
// view per layer, reused with Decode, so nothing is copied or zeroed per
// packet. It reads the same fields as decodeMplc.
type viewDecoder struct {
	eth  ethernet.Packet
	ip   ipv4.Packet
	icmp icmp.Packet
	udp  udp.Packet
	tcp  tcp.Packet
}

func (d *viewDecoder) decode(frame []byte, f *fields) error {
	eth := &d.eth
	if err := eth.Decode(frame); err != nil {
		return err
	}
	f.EthDst = [6]byte(eth.Dst())
	f.EthSrc = [6]byte(eth.Src())
	f.EtherType = uint16(eth.Ethertype())
	if eth.Ethertype() != ethernet.EthertypeIPv4 {
		f.PayloadLen = len(eth.Payload())
		return nil
	}

	ip := &d.ip
	if err := ip.Decode(eth.Payload()); err != nil {
		return err
	}
	f.IPVersion = ip.Version()
	f.IPIHL = ip.IHL()
	f.IPDSCP = ip.DSCP()
	f.IPECN = ip.ECN()
	f.IPTotalLength = ip.TotalLength()
	f.IPID = ip.ID()
	f.IPReserved = ip.Reserved()
	f.IPDontFragment = ip.DontFragment()
	f.IPMoreFragments = ip.MoreFragments()
	f.IPFragmentOffset = ip.FragmentOffset()
	f.IPTTL = ip.TTL()
	f.IPProtocol = uint8(ip.Protocol())
	f.IPChecksum = ip.Checksum()
	f.IPSrc = ip.Src()
	f.IPDst = ip.Dst()
	f.IPOptionsLen = len(ip.Options())
	f.IPChecksumOK = ip.VerifyChecksum() == nil

	switch ip.Protocol() {
	case ipv4.ProtocolICMP:
		m := &d.icmp
		if err := m.Decode(ip.Payload()); err != nil {
			return err
		}
		f.ICMPType = m.Type()
		f.ICMPCode = m.Code()
		f.ICMPChecksum = m.Checksum()
		switch m.Kind() {
		case icmp.KindEchoRequest:
			e, _ := m.AsEchoRequest()
			f.ICMPID = e.Identifier()
			f.ICMPSeq = e.Sequence()
			f.PayloadLen = len(e.Data())
		case icmp.KindEchoReply:
			e, _ := m.AsEchoReply()
			f.ICMPID = e.Identifier()
			f.ICMPSeq = e.Sequence()
			f.PayloadLen = len(e.Data())
		default:
			f.PayloadLen = len(ip.Payload()) - 4
		}
	case ipv4.ProtocolUDP:
		u := &d.udp
		if err := u.Decode(ip.Payload()); err != nil {
			return err
		}
		f.UDPSrcPort = u.SrcPort()
		f.UDPDstPort = u.DstPort()
		f.UDPLength = u.Length()
		f.UDPChecksum = u.Checksum()
		f.PayloadLen = len(u.Payload())
	case ipv4.ProtocolTCP:
		seg := &d.tcp
		if err := seg.Decode(ip.Payload()); err != nil {
			return err
		}
		readTCPMplc(seg, f)
	default:
		f.PayloadLen = len(ip.Payload())
	}
	return nil
}

// readTCPMplc reads the fields and options of a parsed TCP segment.
func readTCPMplc(seg *tcp.Packet, f *fields) {
	f.TCPSrcPort = seg.SourcePort()
	f.TCPDstPort = seg.DestinationPort()
	f.TCPSeq = seg.SequenceNumber()
	f.TCPAck = seg.AcknowledgmentNumber()
	f.TCPDataOffset = seg.DataOffset()
	f.TCPFlags = mplrt.BoolBit(seg.CWR())<<7 | mplrt.BoolBit(seg.ECE())<<6 | mplrt.BoolBit(seg.URG())<<5 | mplrt.BoolBit(seg.ACK())<<4 |
		mplrt.BoolBit(seg.PSH())<<3 | mplrt.BoolBit(seg.RST())<<2 | mplrt.BoolBit(seg.SYN())<<1 | mplrt.BoolBit(seg.FIN())
	f.TCPWindow = seg.Window()
	f.TCPChecksum = seg.Checksum()
	f.TCPUrgent = seg.UrgentPointer()
	it := seg.Options()
	f.TCPOptions = it.Len()
	for o, ok := it.Next(); ok; o, ok = it.Next() {
		switch o.Kind() {
		case tcp.OptionKindMSS:
			c, _ := o.AsMSS()
			f.TCPMSS = c.MSS()
		case tcp.OptionKindWindowScale:
			c, _ := o.AsWindowScale()
			f.TCPWScale = c.Shift()
		case tcp.OptionKindSACKPermitted:
			f.TCPSACKPermitted = true
		case tcp.OptionKindTimestamps:
			c, _ := o.AsTimestamps()
			f.TCPTSVal = c.TsVal()
			f.TCPTSEcr = c.TsEcr()
		}
	}
	f.PayloadLen = len(seg.Data())
}

// reflect is reflectMplc with the views of d, reused with Decode.
func (d *viewDecoder) reflect(frame []byte) ([]byte, error) {
	eth := &d.eth
	if err := eth.Decode(frame); err != nil {
		return nil, err
	}
	if eth.Ethertype() != ethernet.EthertypeIPv4 {
		return nil, errNotEchoRequest
	}
	ip := &d.ip
	if err := ip.Decode(eth.Payload()); err != nil {
		return nil, err
	}
	if ip.Protocol() != ipv4.ProtocolICMP {
		return nil, errNotEchoRequest
	}
	m := &d.icmp
	if err := m.Decode(ip.Payload()); err != nil {
		return nil, err
	}
	return reflectViews(frame, ip, m)
}
