package gen_test

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/tcp"
	"github.com/mplgo/mpl/gen/udp"
	mplrt "github.com/mplgo/mpl/runtime"
)

// Build an Ethernet frame around an IPv4 packet around a UDP datagram in
// one call, every length and checksum computed, then parse it back layer
// by layer and verify the checksums.
func Example() {
	src, dst := netip.MustParseAddr("198.18.0.2"), netip.MustParseAddr("198.18.0.1")
	buf := make([]byte, 0, 1514)
	frame, err := mplrt.Nest(
		ethernet.Builder{
			Dst:       net.HardwareAddr{0x02, 0, 0, 0, 0, 1},
			Src:       net.HardwareAddr{0x02, 0, 0, 0, 0, 2},
			Ethertype: ethernet.EthertypeIPv4,
		},
		mplrt.Nest(
			ipv4.Builder{
				TTL:      64,
				Protocol: ipv4.ProtocolUDP,
				Src:      src,
				Dst:      dst,
			},
			// The UDP checksum's pseudo-header takes the addresses.
			udp.Builder{Src: src, Dst: dst, SrcPort: 41234, DstPort: 53, Payload: []byte("hello")},
		)).AppendTo(buf)
	if err != nil {
		panic(err)
	}

	eth, _ := ethernet.Parse(frame)
	ip, _ := ipv4.Parse(eth.Payload())
	d, _ := udp.Parse(ip.Payload())
	fmt.Println(ip.TotalLength(), ip.TTL(), ip.Protocol(), ip.Src(), "->", ip.Dst())
	fmt.Println(d)
	fmt.Println(ip.VerifyChecksum(), d.VerifyChecksum(ip.Src(), ip.Dst()))

	// The length field decides the layout: its setter validates the
	// datagram again and refuses a length that claims more than there is.
	err = d.SetLength(100)
	var e mplrt.Error
	if errors.As(err, &e) {
		fmt.Println(e.Field, e.Offset, errors.Is(err, mplrt.ErrLength), d.Length())
	}
	fmt.Println(err)
	// Output:
	// 33 64 UDP 198.18.0.2 -> 198.18.0.1
	// udp src_port=41234 dst_port=53 length=13 checksum=0x8e92 payload=68656c6c6f
	// <nil> <nil>
	// payload 8 true 13
	// udp: payload at offset 8: length: 0 <= (length - offset(checksum)) <= remaining bytes
}

// Build a TCP SYN with the options Linux sends, inside IPv4 inside
// Ethernet: the data offset, the padding and both checksums come out
// right (TestExampleTCPSyn has gopacket check them).
func Example_tcpSyn() {
	frame, err := buildSyn(make([]byte, 0, 128))
	if err != nil {
		panic(err)
	}
	eth, _ := ethernet.Parse(frame)
	ip, _ := ipv4.Parse(eth.Payload())
	seg, _ := tcp.Parse(ip.Payload())
	fmt.Println(seg.DataOffset(), seg.SYN(), ip.VerifyChecksum(), seg.VerifyChecksum(ip.Src(), ip.Dst()))
	it := seg.Options()
	for _, o := range it.All() {
		fmt.Print(o.Kind(), " ")
	}
	fmt.Println()
	// Output:
	// 10 true <nil> <nil>
	// MSS SACKPermitted Timestamps NOP WindowScale
}

// buildSyn appends the SYN of Example_tcpSyn to dst.
func buildSyn(dst []byte) ([]byte, error) {
	src, dstAddr := netip.MustParseAddr("198.18.0.2"), netip.MustParseAddr("198.18.0.1")
	return mplrt.Nest(
		ethernet.Builder{
			Dst:       net.HardwareAddr{0x02, 0, 0, 0, 0, 1},
			Src:       net.HardwareAddr{0x02, 0, 0, 0, 0, 2},
			Ethertype: ethernet.EthertypeIPv4,
		},
		mplrt.Nest(
			ipv4.Builder{TTL: 64, DontFragment: true, Protocol: ipv4.ProtocolTCP, Src: src, Dst: dstAddr},
			tcp.Builder{
				Src: src, Dst: dstAddr, // the checksum's pseudo-header
				SourcePort: 51234, DestinationPort: 80, SequenceNumber: 0x9a3c5e71,
				SYN: true, Window: 64240,
				Options: []tcp.OptionBuilder{
					{Kind: tcp.OptionKindMSS, MSS: tcp.MSSBuilder{MSS: 1460}},
					{Kind: tcp.OptionKindSACKPermitted},
					{Kind: tcp.OptionKindTimestamps, Timestamps: tcp.TimestampsBuilder{TsVal: 0x8f1e223a}},
					{Kind: tcp.OptionKindNOP},
					{Kind: tcp.OptionKindWindowScale, WindowScale: tcp.WindowScaleBuilder{Shift: 7}},
				},
			})).AppendTo(dst)
}
