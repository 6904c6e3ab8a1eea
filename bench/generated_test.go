package bench

import (
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/udp"
	mplrt "github.com/mplgo/mpl/runtime"
)

// decodeGenerated decodes with the generated packages, as a user would:
// Parse each layer from the payload of the one before and read it through
// its accessors.
func decodeGenerated(frame []byte, f *fields) error {
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
	default:
		f.PayloadLen = len(ip.Payload())
	}
	return nil
}

func genL3(in *l3Input, proto ipv4.Protocol) (ethernet.Builder, ipv4.Builder) {
	return ethernet.Builder{
			Dst:       in.DstMAC,
			Src:       in.SrcMAC,
			Ethertype: ethernet.EthertypeIPv4,
		}, ipv4.Builder{
			DSCP:         in.DSCP,
			ECN:          in.ECN,
			ID:           in.ID,
			DontFragment: in.DontFragment != 0,
			TTL:          in.TTL,
			Protocol:     proto,
			Checksum:     in.IPChecksum,
			Src:          in.Src,
			Dst:          in.Dst,
		}
}

// buildEchoGenerated builds the echo request frame with the generated
// builders nested by mplrt.Nest, as the runtime's documentation shows.
func buildEchoGenerated(dst []byte, in *echoInput) ([]byte, error) {
	eth, ip := genL3(&in.l3Input, ipv4.ProtocolICMP)
	return mplrt.Nest(eth, mplrt.Nest(ip, icmp.EchoRequestBuilder{
		Code:       in.Code,
		Checksum:   in.ICMPChecksum,
		Identifier: in.Identifier,
		Sequence:   in.Sequence,
		Data:       in.Data,
	})).AppendTo(dst)
}

// buildUDPGenerated builds the UDP frame with the generated builders.
func buildUDPGenerated(dst []byte, in *udpInput) ([]byte, error) {
	eth, ip := genL3(&in.l3Input, ipv4.ProtocolUDP)
	return mplrt.Nest(eth, mplrt.Nest(ip, udp.Builder{
		SrcPort:  in.SrcPort,
		DstPort:  in.DstPort,
		Checksum: in.UDPChecksum,
		Payload:  in.Payload,
	})).AppendTo(dst)
}

// viewDecoder is the generated code used the way a hot loop uses it: one
// view per layer, reused with Decode, so nothing is copied or zeroed per
// packet. It reads the same fields as decodeGenerated.
type viewDecoder struct {
	eth  ethernet.Packet
	ip   ipv4.Packet
	icmp icmp.Packet
	udp  udp.Packet
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
	default:
		f.PayloadLen = len(ip.Payload())
	}
	return nil
}
