package bench

import (
	"encoding/hex"
	"errors"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// vectorDir holds the benchmark packets, one line of hex each.
const vectorDir = "../testdata/vectors"

// frameNames are the whole-frame vectors that the decode benchmarks parse.
var frameNames = []string{
	"p1_tcp_syn",
	"p2_tcp_ack_1448",
	"p3_icmp_echo",
	"p4_dns_udp",
	"p5_dns_udp",
}

// vector returns the bytes of testdata/vectors/name.hex.
func vector(tb testing.TB, name string) []byte {
	tb.Helper()
	s, err := os.ReadFile(filepath.Join(vectorDir, name+".hex"))
	if err != nil {
		tb.Fatal(err)
	}
	b, err := hex.DecodeString(strings.TrimSpace(string(s)))
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return b
}

// fields is what a decoder reads from a frame: every header field of
// Ethernet, IPv4 (its header checksum verified) and ICMP echo, UDP or TCP
// with its options, and the length of the innermost payload (ICMP data,
// UDP payload, TCP data, or the IPv4 payload for another protocol). Every
// decoder fills it the same way, so that TestDecodeAgrees can compare
// them.
type fields struct {
	EthDst, EthSrc [6]byte
	EtherType      uint16

	IPVersion, IPIHL, IPDSCP, IPECN             uint8
	IPTotalLength, IPID                         uint16
	IPReserved, IPDontFragment, IPMoreFragments bool
	IPFragmentOffset                            uint16
	IPTTL, IPProtocol                           uint8
	IPChecksum                                  uint16
	IPChecksumOK                                bool
	IPSrc, IPDst                                netip.Addr
	IPOptionsLen                                int

	ICMPType, ICMPCode            uint8
	ICMPChecksum, ICMPID, ICMPSeq uint16
	UDPSrcPort, UDPDstPort        uint16
	UDPLength, UDPChecksum        uint16

	TCPSrcPort, TCPDstPort            uint16
	TCPSeq, TCPAck                    uint32
	TCPDataOffset, TCPFlags           uint8 // flags: the 8 bits CWR to FIN
	TCPWindow, TCPChecksum, TCPUrgent uint16
	// The options: how many (NOP and End included), and the values of
	// MSS, window scale, SACK-permitted and timestamps.
	TCPOptions       int
	TCPMSS           uint16
	TCPWScale        uint8
	TCPSACKPermitted bool
	TCPTSVal         uint32
	TCPTSEcr         uint32

	PayloadLen int
}

// Protocol numbers the decoders dispatch on.
const (
	etherTypeIPv4 = 0x0800
	protoICMP     = 1
	protoTCP      = 6
	protoUDP      = 17
	icmpEchoReply = 0
	icmpEchoReq   = 8
)

// decodeFunc decodes frame into f. Decoders keep their state (gopacket's
// preallocated layers) in the closure.
type decodeFunc func(frame []byte, f *fields) error

// decodeImpl is one implementation of the decode benchmark.
type decodeImpl struct {
	name string
	new  func() decodeFunc
}

// decodeImpls are the implementations compared, baseline first.
var decodeImpls = []decodeImpl{
	{"hand", func() decodeFunc { return decodeHand }},
	{"mplc", func() decodeFunc { return decodeMplc }},
	{"mplc_decode", func() decodeFunc { return new(viewDecoder).decode }},
	{"gopacket_dlp", func() decodeFunc { return newDLPDecoder().decode }},
	{"gopacket_packet", func() decodeFunc { return decodePacket }},
}

// l3Input is the Ethernet and IPv4 part of a frame to build. The
// addresses are given both as netip.Addr (mplc, hand) and as net.IP
// (gopacket), converted once, outside the benchmark loop.
type l3Input struct {
	DstMAC, SrcMAC net.HardwareAddr
	DSCP, ECN      uint8
	ID             uint16
	DontFragment   uint8
	TTL            uint8
	Src, Dst       netip.Addr
	SrcIP, DstIP   net.IP
}

// echoInput is the p3 ICMP echo request frame.
type echoInput struct {
	l3Input
	Code       uint8
	Identifier uint16
	Sequence   uint16
	Data       []byte
}

// udpInput is the p4 DNS-over-UDP frame.
type udpInput struct {
	l3Input
	SrcPort, DstPort uint16
	Payload          []byte
}

func mustMAC(s string) net.HardwareAddr {
	a, err := net.ParseMAC(s)
	if err != nil {
		panic(err)
	}
	return a
}

func l3(dstMAC, srcMAC, src, dst string) l3Input {
	s, d := netip.MustParseAddr(src), netip.MustParseAddr(dst)
	return l3Input{
		DstMAC: mustMAC(dstMAC), SrcMAC: mustMAC(srcMAC),
		TTL: 64, Src: s, Dst: d,
		SrcIP: net.IP(s.AsSlice()), DstIP: net.IP(d.AsSlice()),
	}
}

// p3Input returns the field values of p3_icmp_echo.hex (see the README
// of testdata/vectors), written out rather than parsed from the vector.
func p3Input() *echoInput {
	in := &echoInput{
		l3Input:    l3("00:1a:2b:3c:4d:5e", "52:54:00:12:34:56", "192.168.1.100", "93.184.215.14"),
		Identifier: 0x0b3d,
		Sequence:   1,
	}
	in.ID = 0xa1b2
	in.DontFragment = 1
	// iputils ping: a 16-byte timeval, then 0x10..0x37.
	in.Data = []byte{0x5e, 0x2c, 0x1a, 0x67, 0, 0, 0, 0, 0x40, 0xe2, 0x01, 0, 0, 0, 0, 0}
	for c := byte(0x10); c <= 0x37; c++ {
		in.Data = append(in.Data, c)
	}
	return in
}

// p4Input returns the field values of p4_dns_udp.hex, with the DNS
// message read from p4_dns_payload.hex.
func p4Input(tb testing.TB) *udpInput {
	in := &udpInput{
		l3Input: l3("52:54:00:12:34:56", "00:1a:2b:3c:4d:5e", "192.168.1.1", "192.168.1.100"),
		SrcPort: 53,
		DstPort: 41234,
		Payload: vector(tb, "p4_dns_payload"),
	}
	in.ID = 0x7e57
	return in
}

// buildFunc appends a frame to dst and returns it (gopacket ignores dst
// and returns the bytes of its own reused buffer).
type buildFunc func(dst []byte) ([]byte, error)

// buildImpl is one implementation of the build benchmark.
type buildImpl struct {
	name string
	echo func(in *echoInput) buildFunc
	udp  func(in *udpInput) buildFunc
}

// buildImpls are the implementations compared, baseline first.
var buildImpls = []buildImpl{
	{
		"hand",
		func(in *echoInput) buildFunc {
			return func(dst []byte) ([]byte, error) { return buildEchoHand(dst, in) }
		},
		func(in *udpInput) buildFunc { return func(dst []byte) ([]byte, error) { return buildUDPHand(dst, in) } },
	},
	{
		"mplc",
		func(in *echoInput) buildFunc {
			return func(dst []byte) ([]byte, error) { return buildEchoMplc(dst, in) }
		},
		func(in *udpInput) buildFunc {
			return func(dst []byte) ([]byte, error) { return buildUDPMplc(dst, in) }
		},
	},
	{
		"mplc_direct",
		func(in *echoInput) buildFunc {
			return func(dst []byte) ([]byte, error) { return buildEchoMplcDirect(dst, in) }
		},
		func(in *udpInput) buildFunc {
			return func(dst []byte) ([]byte, error) { return buildUDPMplcDirect(dst, in) }
		},
	},
	{
		"gopacket_serialize",
		func(in *echoInput) buildFunc { return newGopacketBuilder().echo(in) },
		func(in *udpInput) buildFunc { return newGopacketBuilder().udp(in) },
	},
}

// buildCase is one frame the build benchmark makes.
type buildCase struct {
	name string
	make func(impl buildImpl) buildFunc
}

func buildCases(tb testing.TB) []buildCase {
	echo, udp := p3Input(), p4Input(tb)
	return []buildCase{
		{"p3_icmp_echo", func(im buildImpl) buildFunc { return im.echo(echo) }},
		{"p4_dns_udp", func(im buildImpl) buildFunc { return im.udp(udp) }},
	}
}

// errTruncatedGopacket reports a frame that gopacket decoded only in
// part because it was shorter than its headers said.
var errTruncatedGopacket = errors.New("gopacket: truncated")

// reflectFunc turns the ICMP echo request frame in frame into its echo
// reply and returns the reply: frame itself, changed in place, or (for
// gopacket) bytes of its own reused buffer. A frame that is not a valid
// Ethernet/IPv4/ICMP echo request is an error.
type reflectFunc func(frame []byte) ([]byte, error)

// reflectImpl is one implementation of the reflect benchmark.
type reflectImpl struct {
	name string
	new  func() reflectFunc
}

// reflectImpls are the implementations compared, baseline first.
var reflectImpls = []reflectImpl{
	{"hand", func() reflectFunc { return reflectHand }},
	{"mplc", func() reflectFunc { return reflectMplc }},
	{"mplc_decode", func() reflectFunc { return new(viewDecoder).reflect }},
	{"gopacket_serialize", func() reflectFunc { return newGopacketReflector().reflect }},
}

// errNotEchoRequest reports a valid frame that is not an ICMP echo
// request over IPv4 over Ethernet.
var errNotEchoRequest = errors.New("not an ICMP echo request")

// reflectHeaderLen is the length of the Ethernet, IPv4 (without options)
// and ICMP echo headers: the part of p3 that reflecting changes.
const reflectHeaderLen = 14 + 20 + 8

// csumInput is the IPv4 packet of a frame, split into its header and its
// payload (the transport header and data): what the checksum benchmark
// verifies. It is sliced once, outside the benchmark loop.
type csumInput struct {
	Header  []byte // the IPv4 header, options included
	Payload []byte // the IPv4 payload, up to the total length
	Proto   uint8  // the IPv4 protocol
}

// newCsumInput slices the IPv4 packet of frame, which must be valid.
func newCsumInput(tb testing.TB, frame []byte) *csumInput {
	tb.Helper()
	var f fields
	if err := decodeHand(frame, &f); err != nil || f.EtherType != etherTypeIPv4 {
		tb.Fatalf("not an IPv4 frame: %v", err)
	}
	ip := frame[14 : 14+int(f.IPTotalLength)]
	hl := int(f.IPIHL) * 4
	return &csumInput{Header: ip[:hl], Payload: ip[hl:], Proto: f.IPProtocol}
}

// csumResult is what a checksum implementation reports: whether the IPv4
// header checksum and the transport checksum verify (RFC 1071: the sum
// over the data, checksum field included, is all ones). The transport
// checksum is TCP's or UDP's over the pseudo-header, header and data
// (a UDP checksum of zero, meaning none, verifies), or ICMP's over the
// whole message; any other protocol verifies.
type csumResult struct {
	IPv4, Transport bool
}

// csumFunc verifies the checksums of in.
type csumFunc func(in *csumInput) csumResult

// csumImpl is one implementation of the checksum benchmark.
type csumImpl struct {
	name string
	fn   csumFunc
}

// csumImpls are the implementations compared, baseline first.
var csumImpls = []csumImpl{
	{"hand", checksumHand},
	{"mplc", checksumMplc},
	{"gopacket_compute", checksumGopacket},
}
