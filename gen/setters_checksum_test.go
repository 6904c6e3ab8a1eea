package gen_test

import (
	"fmt"
	"net/netip"
	"slices"
	"testing"

	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/tcp"
	"github.com/mplgo/mpl/gen/udp"
)

// TestSettersKeepChecksums sets fields of every IPv4 header, ICMP message
// and UDP datagram of the captures whose checksum verifies, and checks
// after each set that it still verifies and equals what Compute gives:
// setters update checksums incrementally (RFC 1624), and the setters that
// validate again (a length, a type) also when the range changes.
func TestSettersKeepChecksums(t *testing.T) {
	n := [4]int{}
	for _, c := range loadCaptures(t) {
		for i, frame := range c.frames {
			s, ok := parseStackSafe(t, c.name, frame)
			if !ok || !s.res[lIPv4].ok() {
				continue
			}
			where := func(layer, set string) string {
				return fmt.Sprintf("%s frame %d: %s: after %s", c.name, i+1, layer, set)
			}
			b := slices.Clone(s.ip.Bytes())
			ip, err := ipv4.Parse(b)
			if err != nil || ip.VerifyChecksum() != nil {
				continue
			}
			n[0]++
			checkIP := func(set string) {
				t.Helper()
				if err := ip.VerifyChecksum(); err != nil || ip.Checksum() != ip.ComputeChecksum() {
					t.Errorf("%s: %v (checksum %#04x, want %#04x)", where("ipv4", set), err, ip.Checksum(), ip.ComputeChecksum())
				}
			}
			ip.SetTTL(ip.TTL() - 1)
			checkIP("SetTTL")
			ip.SetID(ip.ID() ^ 0x5a5a)
			checkIP("SetID")
			ip.SetDontFragment(!ip.DontFragment())
			checkIP("SetDontFragment")
			ip.SetDSCP(ip.DSCP() ^ 0x15)
			checkIP("SetDSCP")
			ip.SetSrc(netip.MustParseAddr("198.18.7.9"))
			checkIP("SetSrc")
			if err := ip.SetIHL(ip.IHL()); err == nil {
				checkIP("SetIHL")
			}
			if err := ip.SetTotalLength(ip.TotalLength() - 1); err == nil {
				checkIP("SetTotalLength")
			}

			if s.res[lICMP].ok() && s.icmp.Kind() != icmp.KindUnknown {
				m, err := icmp.Parse(slices.Clone(s.icmp.Bytes()))
				if err == nil && m.VerifyChecksum() == nil {
					n[1]++
					checkICMP := func(set string) {
						t.Helper()
						if err := m.VerifyChecksum(); err != nil || m.Checksum() != m.ComputeChecksum() {
							t.Errorf("%s: %v (checksum %#04x, want %#04x)", where("icmp", set), err, m.Checksum(), m.ComputeChecksum())
						}
					}
					m.SetCode(m.Code() ^ 0x81)
					checkICMP("SetCode")
					if e, ok := m.AsEchoRequest(); ok {
						e.SetIdentifier(e.Identifier() + 1)
						checkICMP("EchoRequest.SetIdentifier")
						e.SetSequence(e.Sequence() ^ 0xffff)
						checkICMP("EchoRequest.SetSequence")
					}
					// To the echo reply, and to a type of no case (its
					// body goes to Rest, still in the range).
					if err := m.SetType(0); err == nil {
						checkICMP("SetType(0)")
					}
					if err := m.SetType(200); err == nil {
						checkICMP("SetType(200)")
					}
				}
			}
			if s.res[lTCP].ok() {
				src, dst := s.ip.Src(), s.ip.Dst()
				seg, err := tcp.Parse(slices.Clone(s.tcp.Bytes()))
				if err == nil && seg.VerifyChecksum(src, dst) == nil {
					n[3]++
					checkTCP := func(set string) {
						t.Helper()
						if err := seg.VerifyChecksum(src, dst); err != nil || seg.Checksum() != seg.ComputeChecksum(src, dst) {
							t.Errorf("%s: %v (checksum %#04x, want %#04x)", where("tcp", set), err, seg.Checksum(), seg.ComputeChecksum(src, dst))
						}
					}
					seg.SetSourcePort(seg.SourcePort() ^ 0x0f0f)
					checkTCP("SetSourcePort")
					seg.SetSequenceNumber(seg.SequenceNumber() + 12345)
					checkTCP("SetSequenceNumber")
					seg.SetFIN(!seg.FIN())
					checkTCP("SetFIN")
					seg.SetReserved(seg.Reserved() ^ 5)
					checkTCP("SetReserved")
					seg.SetWindow(seg.Window() ^ 0xff)
					checkTCP("SetWindow")
					seg.SetUrgentPointer(7)
					checkTCP("SetUrgentPointer")
					if seg.DataOffset() > 5 {
						// Fewer options: the range shrinks.
						if err := seg.SetDataOffset(seg.DataOffset() - 1); err == nil {
							checkTCP("SetDataOffset")
						}
					}
				}
			}
			if s.res[lUDP].ok() {
				src, dst := s.ip.Src(), s.ip.Dst()
				u, err := udp.Parse(slices.Clone(s.udp.Bytes()))
				if err != nil || u.Checksum() == 0 || u.VerifyChecksum(src, dst) != nil {
					continue
				}
				n[2]++
				checkUDP := func(set string) {
					t.Helper()
					if err := u.VerifyChecksum(src, dst); err != nil || u.Checksum() != u.ComputeChecksum(src, dst) {
						t.Errorf("%s: %v (checksum %#04x, want %#04x)", where("udp", set), err, u.Checksum(), u.ComputeChecksum(src, dst))
					}
				}
				u.SetSrcPort(u.SrcPort() + 7)
				checkUDP("SetSrcPort")
				u.SetDstPort(0)
				checkUDP("SetDstPort")
				if u.Length() > 9 {
					if err := u.SetLength(u.Length() - 1); err != nil {
						t.Errorf("%s: %v", where("udp", "SetLength"), err)
					}
					checkUDP("SetLength")
				}
			}
		}
	}
	t.Logf("checked setters on %d IPv4 headers, %d ICMP messages, %d UDP datagrams, %d TCP segments", n[0], n[1], n[2], n[3])
	if n[0] == 0 || n[1] == 0 || n[2] == 0 || n[3] == 0 {
		t.Error("no packet of some layer to check")
	}
}
