package bench

import (
	"bytes"
	"net/netip"
	"testing"
)

// TestDecodeAgrees checks that every decoder reads the same values from
// every frame vector, and that these are the values the vectors' README
// describes.
func TestDecodeAgrees(t *testing.T) {
	want := map[string]func(f *fields) bool{
		"p1_tcp_syn": func(f *fields) bool {
			return f.IPProtocol == 6 && f.IPDontFragment && f.PayloadLen == 40 &&
				f.IPSrc == netip.MustParseAddr("192.168.1.100")
		},
		"p2_tcp_ack_1448": func(f *fields) bool {
			return f.IPProtocol == 6 && f.IPTotalLength == 1500 && f.IPTTL == 56 && f.PayloadLen == 1480
		},
		"p3_icmp_echo": func(f *fields) bool {
			return f.ICMPType == 8 && f.ICMPID == 0x0b3d && f.ICMPSeq == 1 && f.PayloadLen == 56 &&
				f.IPDst == netip.MustParseAddr("93.184.215.14")
		},
		"p4_dns_udp": func(f *fields) bool {
			return f.UDPSrcPort == 53 && f.UDPDstPort == 41234 && f.UDPLength == 84 && f.PayloadLen == 76
		},
		"p5_dns_udp": func(f *fields) bool {
			return f.UDPSrcPort == 53 && f.UDPLength == 290 && f.PayloadLen == 282
		},
	}
	for _, name := range frameNames {
		frame := vector(t, name)
		var base fields
		for i, im := range decodeImpls {
			var f fields
			if err := im.new()(frame, &f); err != nil {
				t.Errorf("%s %s: %v", im.name, name, err)
				continue
			}
			if i == 0 {
				base = f
				if f.EtherType != etherTypeIPv4 || f.IPVersion != 4 || f.IPIHL != 5 || !want[name](&f) {
					t.Errorf("%s %s: read %+v", im.name, name, f)
				}
			} else if f != base {
				t.Errorf("%s %s:\nread %+v\n%s read %+v", im.name, name, f, decodeImpls[0].name, base)
			}
		}
	}
}

// TestDecodeReusesDecoder decodes every vector in turn with one decoder of
// each kind, as the benchmarks reuse them, and checks the values against
// a fresh decoder's.
func TestDecodeReusesDecoder(t *testing.T) {
	for _, im := range decodeImpls {
		decode := im.new()
		for range 2 {
			for _, name := range frameNames {
				frame := vector(t, name)
				var got, want fields
				if err := decode(frame, &got); err != nil {
					t.Fatalf("%s %s: %v", im.name, name, err)
				}
				if err := im.new()(frame, &want); err != nil {
					t.Fatal(err)
				}
				if got != want {
					t.Errorf("%s %s: reused decoder read %+v, want %+v", im.name, name, got, want)
				}
			}
		}
	}
}

// TestValidationAgrees checks that the hand-written baseline accepts and
// rejects the same frames as the generated parsers, and reads the same
// values from those it accepts: every vector truncated at every length,
// and with each header byte (Ethernet, IPv4 and the next 8 bytes) set to
// a few other values. (gopacket checks less: not the IPv4 version, for
// instance, and it decodes truncated frames in part.)
func TestValidationAgrees(t *testing.T) {
	check := func(name string, frame []byte) {
		t.Helper()
		var g, h fields
		gerr := decodeGenerated(frame, &g)
		herr := decodeHand(frame, &h)
		switch {
		case (gerr == nil) != (herr == nil):
			t.Errorf("%s %x:\ngenerated: %v\nhand: %v", name, frame[:min(len(frame), 50)], gerr, herr)
		case gerr == nil && g != h:
			t.Errorf("%s %x:\ngenerated read %+v\nhand read %+v", name, frame[:min(len(frame), 50)], g, h)
		}
	}
	var frames int
	for _, name := range frameNames {
		frame := vector(t, name)
		for n := range len(frame) {
			check(name+" truncated", frame[:n])
			frames++
		}
		b := bytes.Clone(frame)
		for i := range 14 + 20 + 8 {
			orig := b[i]
			for _, v := range []byte{0, 1, 3, 4, 5, 6, 7, 8, 11, 13, 17, 0x44, 0x46, 0x4f, 0x65, 0x80, 0xff, orig - 1, orig + 1, orig ^ 0x80} {
				b[i] = v
				check(name+" mutated", b)
				frames++
			}
			b[i] = orig
		}
	}
	// ICMP messages of every type, 0 to 24 bytes long: the length each
	// type needs.
	echo := vector(t, "p3_icmp_echo")
	for typ := range 256 {
		for n := range 25 {
			b := bytes.Clone(echo[:14+20+n])
			b[16], b[17] = 0, byte(20+n)
			if n > 0 {
				b[34] = byte(typ)
			}
			check("icmp", b)
			frames++
		}
	}
	t.Logf("%d frames", frames)
}

// TestBuildMatchesVectors checks that every builder makes exactly the
// vector's bytes, twice in a row into the same buffer, after something
// else was built there.
func TestBuildMatchesVectors(t *testing.T) {
	want := map[string][]byte{
		"p3_icmp_echo": vector(t, "p3_icmp_echo"),
		"p4_dns_udp":   vector(t, "p4_dns_udp"),
	}
	for _, im := range buildImpls {
		buf := make([]byte, 0, 2048)
		for range 2 {
			for _, c := range buildCases(t) {
				build := c.make(im)
				for range 2 {
					out, err := build(buf[:0])
					if err != nil {
						t.Fatalf("%s %s: %v", im.name, c.name, err)
					}
					if !bytes.Equal(out, want[c.name]) {
						t.Errorf("%s %s: built\n%x\nwant\n%x", im.name, c.name, out, want[c.name])
					}
				}
			}
		}
		// Appending keeps what dst held.
		if im.name != "gopacket" {
			out, err := buildCases(t)[0].make(im)([]byte("xyz"))
			if err != nil || string(out[:3]) != "xyz" || !bytes.Equal(out[3:], want["p3_icmp_echo"]) {
				t.Errorf("%s: appending to a non-empty dst: %x, %v", im.name, out, err)
			}
		}
	}
}

// TestNoAllocs checks that the generated code and the baseline allocate
// nothing, on decode and on build into a large enough buffer.
func TestNoAllocs(t *testing.T) {
	for _, im := range decodeImpls[:3] {
		for _, name := range frameNames {
			frame := vector(t, name)
			decode := im.new()
			var f fields
			if n := testing.AllocsPerRun(100, func() { _ = decode(frame, &f) }); n != 0 {
				t.Errorf("decode %s %s: %v allocs", im.name, name, n)
			}
		}
	}
	for _, im := range buildImpls[:2] {
		for _, c := range buildCases(t) {
			build := c.make(im)
			buf := make([]byte, 0, 2048)
			if n := testing.AllocsPerRun(100, func() { _, _ = build(buf[:0]) }); n != 0 {
				t.Errorf("build %s %s: %v allocs", im.name, c.name, n)
			}
		}
	}
}
