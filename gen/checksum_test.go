package gen_test

import (
	"net/netip"
	"testing"

	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/udp"
)

// refSum is RFC 1071 taken literally, independent of the generated code
// and of mplrt: big-endian 16-bit words (an odd last byte padded with a
// zero) added with end-around carry, starting from the 16-bit sum init.
func refSum(b []byte, init uint32) uint16 {
	s := init
	for i := 0; i < len(b); i += 2 {
		w := uint32(b[i]) << 8
		if i+1 < len(b) {
			w |= uint32(b[i+1])
		}
		s += w
		s = s&0xffff + s>>16
	}
	return uint16(s)
}

// refPseudo is the IPv4 pseudo-header of RFC 768 as a 16-bit sum.
func refPseudo(ip []byte, proto uint8, length int) uint32 {
	return uint32(refSum(append(append([]byte{}, ip[12:20]...), 0, proto, byte(length>>8), byte(length)), 0))
}

// refCompute returns the checksum of b with the field at off taken as
// zero.
func refCompute(b []byte, off int, init uint32) uint16 {
	c := append([]byte{}, b...)
	c[off], c[off+1] = 0, 0
	return ^refSum(c, init)
}

// TestChecksumsCaptures checks VerifyChecksum and ComputeChecksum of every
// IPv4 header, ICMP message and UDP datagram of the captures against
// refSum. Captures hold good checksums, bad ones (some on purpose: zeek's
// bad-checksum twins) and, from hosts that offload them, zeros (UDP: no
// checksum, which verifies) or partial sums (which do not).
func TestChecksumsCaptures(t *testing.T) {
	var good, bad [4]int
	count := func(i int, ok bool) {
		if ok {
			good[i]++
		} else {
			bad[i]++
		}
	}
	for _, c := range loadCaptures(t) {
		for i, frame := range c.frames {
			s, ok := parseStackSafe(t, c.name, frame)
			if !ok || !s.res[lIPv4].ok() {
				continue
			}
			hdr := s.ip.Bytes()[:len(s.ip.Bytes())-len(s.ip.Payload())]
			checkSum(t, c.name, i, "ipv4", s.ip.VerifyChecksum(), s.ip.ComputeChecksum(), hdr, 10, 0, false)
			count(0, s.ip.VerifyChecksum() == nil)
			if s.res[lICMP].ok() {
				msg := s.ip.Payload()
				if s.icmp.Kind() != icmp.KindUnknown {
					msg = s.icmp.Bytes()
				}
				checkSum(t, c.name, i, "icmp", s.icmp.VerifyChecksum(), s.icmp.ComputeChecksum(), msg, 2, 0, false)
				count(1, s.icmp.VerifyChecksum() == nil)
			}
			if s.res[lUDP].ok() {
				u := s.udp.Bytes()
				init := refPseudo(s.ip.Bytes(), 17, int(s.udp.Length()))
				src, dst := s.ip.Src(), s.ip.Dst()
				checkSum(t, c.name, i, "udp", s.udp.VerifyChecksum(src, dst), s.udp.ComputeChecksum(src, dst), u, 6, init, true)
				count(2, s.udp.VerifyChecksum(src, dst) == nil)
			}
			if s.res[lTCP].ok() {
				seg := s.tcp.Bytes()
				init := refPseudo(s.ip.Bytes(), 6, len(seg))
				src, dst := s.ip.Src(), s.ip.Dst()
				checkSum(t, c.name, i, "tcp", s.tcp.VerifyChecksum(src, dst), s.tcp.ComputeChecksum(src, dst), seg, 16, init, false)
				count(3, s.tcp.VerifyChecksum(src, dst) == nil)
			}
		}
	}
	t.Logf("verify: ipv4 %d good, %d bad; icmp %d good, %d bad; udp %d good (0 included), %d bad; tcp %d good, %d bad",
		good[0], bad[0], good[1], bad[1], good[2], bad[2], good[3], bad[3])
	if good[0] == 0 || bad[0] == 0 || good[1] == 0 || good[2] == 0 || bad[2] == 0 || good[3] == 0 || bad[3] == 0 {
		t.Error("the captures should hold good and bad checksums")
	}
}

// checkSum compares what a view's Verify and Compute methods say of b,
// whose checksum field is at off, with refSum.
func checkSum(t *testing.T, capture string, frame int, layer string, verr error, got uint16, b []byte, off int, init uint32, absent bool) {
	t.Helper()
	ok := refSum(b, init) == 0xffff || (absent && b[off] == 0 && b[off+1] == 0)
	if (verr == nil) != ok {
		t.Errorf("%s frame %d: %s: Verify says %v, refSum says ok=%v", capture, frame+1, layer, verr, ok)
	}
	want := refCompute(b, off, init)
	if absent && want == 0 {
		want = 0xffff
	}
	if got != want {
		t.Errorf("%s frame %d: %s: Compute = %#04x, want %#04x", capture, frame+1, layer, got, want)
	}
}

// TestChecksumZeroView checks that the checksum methods of zero views
// neither panic nor verify.
func TestChecksumZeroView(t *testing.T) {
	var ip ipv4.Packet
	var m icmp.Packet
	var u udp.Packet
	if ip.VerifyChecksum() == nil || m.VerifyChecksum() == nil || u.VerifyChecksum(netip.Addr{}, netip.Addr{}) == nil {
		t.Error("a zero view's checksum verifies")
	}
	if ip.ComputeChecksum() != 0 || m.ComputeChecksum() != 0 {
		t.Error("a zero view's Compute is not 0")
	}
}
