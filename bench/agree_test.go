package bench

import (
	"bytes"
	"encoding/binary"
	"net/netip"
	"strings"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// TestDecodeAgrees checks that every decoder reads the same values from
// every frame vector, and that these are the values the vectors' README
// describes.
func TestDecodeAgrees(t *testing.T) {
	want := map[string]func(f *fields) bool{
		// SYN, win 64240, MSS 1460, SACK_PERM, TS 0x8f1e223a/0, NOP, WS 7.
		"p1_tcp_syn": func(f *fields) bool {
			return f.IPProtocol == 6 && f.IPDontFragment && f.PayloadLen == 0 &&
				f.IPSrc == netip.MustParseAddr("192.168.1.100") &&
				f.TCPSrcPort == 51234 && f.TCPDstPort == 80 && f.TCPFlags == 0x02 && f.TCPWindow == 64240 &&
				f.TCPDataOffset == 10 && f.TCPOptions == 5 && f.TCPMSS == 1460 && f.TCPSACKPermitted &&
				f.TCPTSVal == 0x8f1e223a && f.TCPTSEcr == 0 && f.TCPWScale == 7
		},
		// ACK+PSH, win 501, NOP NOP TS, 1448 bytes of data.
		"p2_tcp_ack_1448": func(f *fields) bool {
			return f.IPProtocol == 6 && f.IPTotalLength == 1500 && f.IPTTL == 56 && f.PayloadLen == 1448 &&
				f.TCPSrcPort == 80 && f.TCPFlags == 0x18 && f.TCPWindow == 501 && f.TCPOptions == 3 &&
				f.TCPTSEcr == 0x8f1e223a
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
				if f.EtherType != etherTypeIPv4 || f.IPVersion != 4 || f.IPIHL != 5 || !f.IPChecksumOK || !want[name](&f) {
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
// values from those it accepts (decode) or makes the same reply of them
// (reflect): every vector truncated at every length, and with each header
// byte (Ethernet, IPv4 and the next 8 bytes) set to a few other values.
// (gopacket checks less: not the IPv4 version, for instance, and it
// decodes truncated frames in part.)
func TestValidationAgrees(t *testing.T) {
	check := func(name string, frame []byte) {
		t.Helper()
		var g, h fields
		gerr := decodeMplc(frame, &g)
		herr := decodeHand(frame, &h)
		switch {
		case (gerr == nil) != (herr == nil):
			t.Errorf("%s %x:\nmplc: %v\nhand: %v", name, frame[:min(len(frame), 50)], gerr, herr)
		case gerr == nil && g != h:
			t.Errorf("%s %x:\nmplc read %+v\nhand read %+v", name, frame[:min(len(frame), 50)], g, h)
		}
		gout, gerr := reflectMplc(bytes.Clone(frame))
		hout, herr := reflectHand(bytes.Clone(frame))
		switch {
		case (gerr == nil) != (herr == nil):
			t.Errorf("reflect %s %x:\nmplc: %v\nhand: %v", name, frame[:min(len(frame), 50)], gerr, herr)
		case gerr == nil && !bytes.Equal(gout, hout):
			t.Errorf("reflect %s %x:\nmplc made %x\nhand made %x", name, frame[:min(len(frame), 50)], gout, hout)
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
		if !strings.HasPrefix(im.name, "gopacket") {
			out, err := buildCases(t)[0].make(im)([]byte("xyz"))
			if err != nil || string(out[:3]) != "xyz" || !bytes.Equal(out[3:], want["p3_icmp_echo"]) {
				t.Errorf("%s: appending to a non-empty dst: %x, %v", im.name, out, err)
			}
		}
	}
}

// allocFree reports whether the implementation named name must allocate
// nothing: the baseline and the generated code.
func allocFree(name string) bool {
	return name == "hand" || name == "mplc" || strings.HasPrefix(name, "mplc_")
}

// TestNoAllocs checks that the generated code and the baseline allocate
// nothing, on decode, reflect and checksum, and on build into a large
// enough buffer.
func TestNoAllocs(t *testing.T) {
	for _, im := range decodeImpls {
		if !allocFree(im.name) {
			continue
		}
		for _, name := range frameNames {
			frame := vector(t, name)
			decode := im.new()
			var f fields
			if n := testing.AllocsPerRun(100, func() { _ = decode(frame, &f) }); n != 0 {
				t.Errorf("decode %s %s: %v allocs", im.name, name, n)
			}
		}
	}
	for _, im := range buildImpls {
		if !allocFree(im.name) {
			continue
		}
		for _, c := range buildCases(t) {
			build := c.make(im)
			buf := make([]byte, 0, 2048)
			if n := testing.AllocsPerRun(100, func() { _, _ = build(buf[:0]) }); n != 0 {
				t.Errorf("build %s %s: %v allocs", im.name, c.name, n)
			}
		}
	}
	orig := vector(t, "p3_icmp_echo")
	for _, im := range reflectImpls {
		if !allocFree(im.name) {
			continue
		}
		reflect, frame := im.new(), bytes.Clone(orig)
		if n := testing.AllocsPerRun(100, func() {
			copy(frame, orig)
			_, _ = reflect(frame)
		}); n != 0 {
			t.Errorf("reflect %s: %v allocs", im.name, n)
		}
	}
	for _, im := range csumImpls {
		if !allocFree(im.name) {
			continue
		}
		for _, name := range frameNames {
			in := newCsumInput(t, vector(t, name))
			if n := testing.AllocsPerRun(100, func() { sinkResult = im.fn(in) }); n != 0 {
				t.Errorf("checksum %s %s: %v allocs", im.name, name, n)
			}
		}
	}
}

// wantReply is the echo reply to p3, made by the definition: addresses
// swapped, type 0, and the ICMP checksum computed again over the whole
// message.
func wantReply(t *testing.T) []byte {
	b := vector(t, "p3_icmp_echo")
	var src [4]byte
	copy(src[:], b[26:30])
	copy(b[26:30], b[30:34])
	copy(b[30:34], src[:])
	b[34] = icmpEchoReply
	b[36], b[37] = 0, 0
	binary.BigEndian.PutUint16(b[36:38], mplrt.Checksum(b[34:], 0))
	if mplrt.Checksum(b[14:34], 0) != 0 {
		t.Fatal("the reply's IPv4 header checksum does not verify")
	}
	return b
}

// TestReflectAgrees checks that every implementation makes exactly the
// echo reply, again and again from the request restored as the benchmark
// restores it, and that they refuse what is not an echo request.
func TestReflectAgrees(t *testing.T) {
	orig, want := vector(t, "p3_icmp_echo"), wantReply(t)
	if bytes.Equal(orig, want) {
		t.Fatal("the reply is the request")
	}
	for _, im := range reflectImpls {
		reflect, frame := im.new(), bytes.Clone(orig)
		for range 3 {
			copy(frame[:reflectHeaderLen], orig)
			out, err := reflect(frame)
			if err != nil {
				t.Fatalf("%s: %v", im.name, err)
			}
			if !bytes.Equal(out, want) {
				t.Errorf("%s: made\n%x\nwant\n%x", im.name, out, want)
			}
		}
		// The reply, an echo reply, and the other vectors are refused.
		if _, err := reflect(bytes.Clone(want)); err == nil {
			t.Errorf("%s: reflected an echo reply", im.name)
		}
		for _, name := range frameNames[:2] {
			if _, err := reflect(vector(t, name)); err == nil {
				t.Errorf("%s: reflected %s", im.name, name)
			}
		}
	}
}

// TestChecksumAgrees checks that every checksum implementation finds the
// vectors' checksums right, and that they agree on each vector with one
// bit of its header or payload flipped, or its length cut to odd.
func TestChecksumAgrees(t *testing.T) {
	var cases int
	for _, name := range frameNames {
		frame := vector(t, name)
		orig := newCsumInput(t, frame)
		for _, im := range csumImpls {
			if r := im.fn(orig); !r.IPv4 || !r.Transport {
				t.Errorf("%s %s: %+v", im.name, name, r)
			}
		}
		n := 14 + len(orig.Header) + len(orig.Payload)
		for i := 14; i < n; i++ {
			for _, bit := range []byte{0x01, 0x80} {
				b := bytes.Clone(frame)
				b[i] ^= bit
				in := &csumInput{Header: b[14 : 14+len(orig.Header)], Payload: b[14+len(orig.Header) : n], Proto: orig.Proto}
				want := csumImpls[0].fn(in)
				if want.IPv4 && want.Transport {
					t.Errorf("%s byte %d ^ %#x: hand found no error", name, i, bit)
				}
				for _, im := range csumImpls[1:] {
					if r := im.fn(in); r != want {
						t.Errorf("%s byte %d ^ %#x: %s %+v, hand %+v", name, i, bit, im.name, r, want)
					}
				}
				cases++
			}
		}
		// Odd lengths, which pad the last byte with a zero.
		for cut := 1; cut <= 7 && cut < len(orig.Payload); cut += 2 {
			in := &csumInput{Header: orig.Header, Payload: orig.Payload[:len(orig.Payload)-cut], Proto: orig.Proto}
			want := csumImpls[0].fn(in)
			for _, im := range csumImpls[1:] {
				if r := im.fn(in); r != want {
					t.Errorf("%s cut %d: %s %+v, hand %+v", name, cut, im.name, r, want)
				}
			}
			cases++
		}
	}
	t.Logf("%d cases", cases)
}
