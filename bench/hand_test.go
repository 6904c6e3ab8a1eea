package bench

import (
	"encoding/binary"
	"errors"
	"net/netip"
	"slices"
)

// The hand-written baseline: the fastest plain Go we know for exactly the
// work the generated code does in the benchmarks, with the same checks.
//
// Fixed headers are converted once to array pointers, (*[20]byte)(b), after
// one length check, so that every field read is a constant index into an
// array and needs no bounds check; variable-length parts are sliced with
// indices the compiler can prove in range from the checks just made. Multi-
// byte fields are read and written with encoding/binary.BigEndian, which
// compiles to one load or store and a byte swap. Errors are preallocated
// sentinels. `go test -gcflags=-d=ssa/check_bce ./bench` reports no bounds
// check in decodeHand, and one in each builder: the dst[start:start+n] in
// grow, since after the growth branch the compiler no longer knows that
// cap(dst) >= start+n (besides those inside slices.Grow, on the growth path
// only). The fixed headers and the copy of the payload are then check-free
// because the builders first bound the payload length, which also bounds n.
//
// Validation, as in the generated parsers: Ethernet needs 14 bytes; IPv4
// needs 20 bytes, version 4, IHL >= 5, and IHL*4 <= total length <= the
// bytes there are (bytes past the total length, such as Ethernet padding,
// are not payload); ICMP needs 4 bytes plus what the body of its type
// needs (4 for echo, 16 for timestamps, ...); UDP needs 8 bytes and
// 8 <= length <= the bytes there are; TCP needs 20 bytes, a data offset
// of at least 5 words within the segment, and options each of a length
// that fits what is left of them and suits its kind (MSS 4, window scale
// 3, SACK-permitted 2, SACK 2 plus whole 8-byte blocks, timestamps 10,
// others at least 2), an End taking the rest as padding. The IPv4 header
// checksum is verified. The builders check what the
// generated builders check: 6-byte MACs, IPv4 addresses, a total length
// that fits in 16 bits, and the ranges of the bit fields.

var (
	errHandTruncated = errors.New("hand: truncated")
	errHandVersion   = errors.New("hand: ipv4 version is not 4")
	errHandIHL       = errors.New("hand: ipv4 ihl < 5")
	errHandLength    = errors.New("hand: length field out of range")
	errHandBuild     = errors.New("hand: field out of range")
	errHandOption    = errors.New("hand: tcp option length")
)

// icmpMinBody is how many bytes must follow the 4-byte ICMP header for
// each type that the ICMP spec knows, as the generated parser requires.
var icmpMinBody = [256]uint8{
	0: 4, 3: 4, 4: 4, 5: 4, 8: 4, 11: 4, 12: 4,
	13: 16, 14: 16, 17: 8, 18: 8,
}

// decodeHand is the hand-written decoder: see the comment above.
func decodeHand(frame []byte, f *fields) error {
	if len(frame) < 14 {
		return errHandTruncated
	}
	eh := (*[14]byte)(frame)
	f.EthDst = [6]byte(eh[0:6])
	f.EthSrc = [6]byte(eh[6:12])
	et := binary.BigEndian.Uint16(eh[12:14])
	f.EtherType = et
	b := frame[14:]
	if et != etherTypeIPv4 {
		f.PayloadLen = len(b)
		return nil
	}

	if len(b) < 20 {
		return errHandTruncated
	}
	h := (*[20]byte)(b)
	if h[0]>>4 != 4 {
		return errHandVersion
	}
	ihl := h[0] & 0xf
	if ihl < 5 {
		return errHandIHL
	}
	hl := int(ihl) * 4
	tl := int(binary.BigEndian.Uint16(h[2:4]))
	if tl < hl || tl > len(b) {
		return errHandLength
	}
	f.IPVersion = 4
	f.IPIHL = ihl
	f.IPDSCP = h[1] >> 2
	f.IPECN = h[1] & 3
	f.IPTotalLength = uint16(tl)
	f.IPID = binary.BigEndian.Uint16(h[4:6])
	f.IPReserved = h[6]&0x80 != 0
	f.IPDontFragment = h[6]&0x40 != 0
	f.IPMoreFragments = h[6]&0x20 != 0
	f.IPFragmentOffset = binary.BigEndian.Uint16(h[6:8]) & 0x1fff
	f.IPTTL = h[8]
	proto := h[9]
	f.IPProtocol = proto
	f.IPChecksum = binary.BigEndian.Uint16(h[10:12])
	f.IPSrc = netip.AddrFrom4([4]byte(h[12:16]))
	f.IPDst = netip.AddrFrom4([4]byte(h[16:20]))
	f.IPOptionsLen = hl - 20
	f.IPChecksumOK = csumFold(csumSum(b[:hl], 0)) == 0xffff
	p := b[hl:tl]

	switch proto {
	case protoICMP:
		if len(p) < 4 {
			return errHandTruncated
		}
		ih := (*[4]byte)(p)
		t := ih[0]
		f.ICMPType = t
		f.ICMPCode = ih[1]
		f.ICMPChecksum = binary.BigEndian.Uint16(ih[2:4])
		if t == icmpEchoReq || t == icmpEchoReply {
			if len(p) < 8 {
				return errHandTruncated
			}
			e := (*[8]byte)(p)
			f.ICMPID = binary.BigEndian.Uint16(e[4:6])
			f.ICMPSeq = binary.BigEndian.Uint16(e[6:8])
			f.PayloadLen = len(p) - 8
			return nil
		}
		if len(p)-4 < int(icmpMinBody[t]) {
			return errHandTruncated
		}
		f.PayloadLen = len(p) - 4
	case protoUDP:
		if len(p) < 8 {
			return errHandTruncated
		}
		u := (*[8]byte)(p)
		ul := int(binary.BigEndian.Uint16(u[4:6]))
		if ul < 8 || ul > len(p) {
			return errHandLength
		}
		f.UDPSrcPort = binary.BigEndian.Uint16(u[0:2])
		f.UDPDstPort = binary.BigEndian.Uint16(u[2:4])
		f.UDPLength = uint16(ul)
		f.UDPChecksum = binary.BigEndian.Uint16(u[6:8])
		f.PayloadLen = len(p[8:ul])
	case protoTCP:
		return decodeTCPHand(p, f)
	default:
		f.PayloadLen = len(p)
	}
	return nil
}

// decodeTCPHand decodes the TCP segment p into f: the header, then the
// options one by one, each checked as the generated parser checks it.
func decodeTCPHand(p []byte, f *fields) error {
	if len(p) < 20 {
		return errHandTruncated
	}
	h := (*[20]byte)(p)
	doff := h[12] >> 4
	hl := int(doff) * 4
	if doff < 5 || hl > len(p) {
		return errHandLength
	}
	f.TCPSrcPort = binary.BigEndian.Uint16(h[0:2])
	f.TCPDstPort = binary.BigEndian.Uint16(h[2:4])
	f.TCPSeq = binary.BigEndian.Uint32(h[4:8])
	f.TCPAck = binary.BigEndian.Uint32(h[8:12])
	f.TCPDataOffset = doff
	f.TCPFlags = h[13]
	f.TCPWindow = binary.BigEndian.Uint16(h[14:16])
	f.TCPChecksum = binary.BigEndian.Uint16(h[16:18])
	f.TCPUrgent = binary.BigEndian.Uint16(h[18:20])
	o := p[20:hl]
	n := 0
	for len(o) > 0 {
		n++
		kind := o[0]
		if kind == 0 { // End: the rest is padding
			break
		}
		if kind == 1 { // NOP
			o = o[1:]
			continue
		}
		if len(o) < 2 {
			return errHandTruncated
		}
		l := int(o[1])
		if l < 2 || l > len(o) {
			return errHandOption
		}
		v := o[2:l]
		switch kind {
		case 2:
			if len(v) != 2 {
				return errHandOption
			}
			f.TCPMSS = binary.BigEndian.Uint16(v)
		case 3:
			if len(v) != 1 {
				return errHandOption
			}
			f.TCPWScale = v[0]
		case 4:
			if len(v) != 0 {
				return errHandOption
			}
			f.TCPSACKPermitted = true
		case 5:
			if len(v)%8 != 0 {
				return errHandOption
			}
		case 8:
			if len(v) != 8 {
				return errHandOption
			}
			f.TCPTSVal = binary.BigEndian.Uint32(v[0:4])
			f.TCPTSEcr = binary.BigEndian.Uint32(v[4:8])
		}
		o = o[l:]
	}
	f.TCPOptions = n
	f.PayloadLen = len(p) - hl
	return nil
}

// grow extends dst by n bytes, which the caller overwrites, and returns
// it and those n bytes.
func grow(dst []byte, n int) (all, tail []byte) {
	if cap(dst)-len(dst) < n {
		dst = slices.Grow(dst, n)
	}
	start := len(dst)
	tail = dst[start : start+n]
	return dst[:start+n], tail
}

// putL3 writes the Ethernet and IPv4 headers (34 bytes) of a frame whose
// IPv4 packet, with no options, is totalLen bytes long.
func putL3(h *[34]byte, in *l3Input, proto uint8, totalLen int) {
	copy(h[0:6], in.DstMAC)
	copy(h[6:12], in.SrcMAC)
	binary.BigEndian.PutUint16(h[12:14], etherTypeIPv4)
	h[14] = 0x45
	h[15] = in.DSCP<<2 | in.ECN
	binary.BigEndian.PutUint16(h[16:18], uint16(totalLen))
	binary.BigEndian.PutUint16(h[18:20], in.ID)
	binary.BigEndian.PutUint16(h[20:22], uint16(in.DontFragment)<<14)
	ttl := in.TTL
	if ttl == 0 {
		ttl = 64 // the spec's default
	}
	h[22] = ttl
	h[23] = proto
	h[24], h[25] = 0, 0 // the checksum, computed over the header later
	*(*[4]byte)(h[26:30]) = in.Src.As4()
	*(*[4]byte)(h[30:34]) = in.Dst.As4()
}

// putIPv4Checksum computes the header checksum of the IPv4 header (no
// options) in h[14:34], whose checksum field is zero.
func putIPv4Checksum(h *[42]byte) {
	s := uint64(binary.BigEndian.Uint32(h[14:18])) + uint64(binary.BigEndian.Uint32(h[18:22])) +
		uint64(binary.BigEndian.Uint32(h[22:26])) + uint64(binary.BigEndian.Uint32(h[26:30])) +
		uint64(binary.BigEndian.Uint32(h[30:34]))
	binary.BigEndian.PutUint16(h[24:26], ^csumFold(s))
}

// checkL3 checks what the generated builders check of the Ethernet and
// IPv4 fields.
func checkL3(in *l3Input) bool {
	return len(in.DstMAC) == 6 && len(in.SrcMAC) == 6 &&
		in.DSCP <= 0x3f && in.ECN <= 3 && in.DontFragment <= 1 &&
		(in.Src.Is4() || in.Src.Is4In6()) && (in.Dst.Is4() || in.Dst.Is4In6())
}

// buildEchoHand appends the Ethernet/IPv4/ICMP echo request frame of in to
// dst.
func buildEchoHand(dst []byte, in *echoInput) ([]byte, error) {
	const hdr = 14 + 20 + 8
	// The IPv4 total length must fit in 16 bits; checking it first also
	// tells the compiler that n below neither overflows nor is < hdr.
	if len(in.Data) > 0xffff-(hdr-14) || !checkL3(&in.l3Input) {
		return dst, errHandBuild
	}
	n := hdr + len(in.Data)
	dst, out := grow(dst, n)
	h := (*[hdr]byte)(out)
	putL3((*[34]byte)(h[:34]), &in.l3Input, protoICMP, n-14)
	h[34] = icmpEchoReq
	h[35] = in.Code
	h[36], h[37] = 0, 0
	binary.BigEndian.PutUint16(h[38:40], in.Identifier)
	binary.BigEndian.PutUint16(h[40:42], in.Sequence)
	copy(out[hdr:], in.Data)
	putIPv4Checksum(h)
	binary.BigEndian.PutUint16(h[36:38], ^csumFold(csumSum(out[34:], 0)))
	return dst, nil
}

// buildUDPHand appends the Ethernet/IPv4/UDP frame of in to dst.
func buildUDPHand(dst []byte, in *udpInput) ([]byte, error) {
	const hdr = 14 + 20 + 8
	// The IPv4 total length must fit in 16 bits; checking it first also
	// tells the compiler that n below neither overflows nor is < hdr.
	if len(in.Payload) > 0xffff-(hdr-14) || !checkL3(&in.l3Input) {
		return dst, errHandBuild
	}
	n := hdr + len(in.Payload)
	dst, out := grow(dst, n)
	h := (*[hdr]byte)(out)
	putL3((*[34]byte)(h[:34]), &in.l3Input, protoUDP, n-14)
	binary.BigEndian.PutUint16(h[34:36], in.SrcPort)
	binary.BigEndian.PutUint16(h[36:38], in.DstPort)
	binary.BigEndian.PutUint16(h[38:40], uint16(n-34))
	h[40], h[41] = 0, 0
	copy(out[hdr:], in.Payload)
	putIPv4Checksum(h)
	// The pseudo-header: the addresses (as two 32-bit words), the
	// protocol and the UDP length; a sum of 0 is sent as 0xffff.
	ps := uint64(binary.BigEndian.Uint32(h[26:30])) + uint64(binary.BigEndian.Uint32(h[30:34])) + protoUDP + uint64(n-34)
	c := ^csumFold(csumSum(out[34:], ps))
	if c == 0 {
		c = 0xffff
	}
	binary.BigEndian.PutUint16(h[40:42], c)
	return dst, nil
}

// reflectHand turns the ICMP echo request in frame into its reply in
// place: it checks the frame as decodeHand does, swaps the IPv4 source
// and destination (the IPv4 header checksum stays right: a one's
// complement sum does not depend on the order of its words), sets the
// ICMP type to echo reply and patches the ICMP checksum by RFC 1624.
func reflectHand(frame []byte) ([]byte, error) {
	if len(frame) < 14 {
		return nil, errHandTruncated
	}
	if binary.BigEndian.Uint16((*[14]byte)(frame)[12:14]) != etherTypeIPv4 {
		return nil, errNotEchoRequest
	}
	b := frame[14:]
	if len(b) < 20 {
		return nil, errHandTruncated
	}
	h := (*[20]byte)(b)
	if h[0]>>4 != 4 {
		return nil, errHandVersion
	}
	ihl := h[0] & 0xf
	if ihl < 5 {
		return nil, errHandIHL
	}
	hl := int(ihl) * 4
	tl := int(binary.BigEndian.Uint16(h[2:4]))
	if tl < hl || tl > len(b) {
		return nil, errHandLength
	}
	if h[9] != protoICMP {
		return nil, errNotEchoRequest
	}
	p := b[hl:tl]
	if len(p) < 8 {
		return nil, errHandTruncated // or not an echo request: an error either way
	}
	e := (*[8]byte)(p)
	if e[0] != icmpEchoReq {
		return nil, errNotEchoRequest
	}
	src := binary.LittleEndian.Uint32(h[12:16])
	binary.LittleEndian.PutUint32(h[12:16], binary.LittleEndian.Uint32(h[16:20]))
	binary.LittleEndian.PutUint32(h[16:20], src)
	e[0] = icmpEchoReply
	// The word type<<8|code goes from 8<<8|code to 0<<8|code: ~old + new
	// is the same sum for any code.
	binary.BigEndian.PutUint16(e[2:4], csumUpdate16(binary.BigEndian.Uint16(e[2:4]), icmpEchoReq<<8, icmpEchoReply<<8))
	return frame, nil
}

// csumUpdate16 is RFC 1624 equation 3, HC' = ~(~HC + ~m + m'), for a
// 16-bit word of the covered data changing from old to new.
func csumUpdate16(ck, old, new uint16) uint16 {
	s := uint32(^ck) + uint32(^old) + uint32(new)
	s = s&0xffff + s>>16
	s = s&0xffff + s>>16
	return ^uint16(s)
}

// csumFold folds a sum of big-endian 16-bit words (or of 32-bit words,
// each worth the sum of its halves modulo 0xffff) to 16 bits with
// end-around carry. It returns 0 only for a sum of 0.
func csumFold(s uint64) uint16 {
	s = s&0xffffffff + s>>32
	s = s&0xffff + s>>16
	s = s&0xffff + s>>16
	s = s&0xffff + s>>16
	return uint16(s)
}

// csumSum adds b to the sum acc as big-endian 32-bit words, eight bytes a
// round, then the 4-, 2- and 1-byte tail (an odd last byte padded with a
// zero on the right, RFC 1071). A uint64 does not overflow for any
// packet.
func csumSum(b []byte, acc uint64) uint64 {
	for len(b) >= 8 {
		acc += uint64(binary.BigEndian.Uint32(b[0:4])) + uint64(binary.BigEndian.Uint32(b[4:8]))
		b = b[8:]
	}
	if len(b) >= 4 {
		acc += uint64(binary.BigEndian.Uint32(b[0:4]))
		b = b[4:]
	}
	if len(b) >= 2 {
		acc += uint64(binary.BigEndian.Uint16(b[0:2]))
		b = b[2:]
	}
	if len(b) == 1 {
		acc += uint64(b[0]) << 8
	}
	return acc
}

// checksumHand verifies the checksums of in: a header of 20 bytes (no
// options) is summed without a loop, as five 32-bit words, the addresses
// among them summed once for the header and the pseudo-header. No bounds
// check is left.
func checksumHand(in *csumInput) csumResult {
	h := in.Header
	if len(h) < 20 {
		return csumResult{} // not an IPv4 header
	}
	a := (*[20]byte)(h)
	addrs := uint64(binary.BigEndian.Uint32(a[12:16])) + uint64(binary.BigEndian.Uint32(a[16:20]))
	var hs uint64
	if len(h) == 20 {
		hs = uint64(binary.BigEndian.Uint32(a[0:4])) + uint64(binary.BigEndian.Uint32(a[4:8])) +
			uint64(binary.BigEndian.Uint32(a[8:12])) + addrs
	} else {
		hs = csumSum(h, 0)
	}
	r := csumResult{IPv4: csumFold(hs) == 0xffff, Transport: true}
	p := in.Payload
	switch in.Proto {
	case protoTCP, protoUDP:
		if in.Proto == protoUDP && len(p) >= 8 && p[6]|p[7] == 0 {
			break
		}
		r.Transport = csumFold(csumSum(p, addrs+uint64(in.Proto)+uint64(len(p)))) == 0xffff
	case protoICMP:
		r.Transport = csumFold(csumSum(p, 0)) == 0xffff
	}
	return r
}
