package mplrt

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"math/rand"
	"net/netip"
	"testing"
)

// refSum is the oracle: RFC 1071 taken literally, one big-endian 16-bit
// word at a time, added with end-around carry into a 64-bit accumulator.
func refSum(b []byte, initial uint64) uint64 {
	s := initial
	add := func(w uint64) {
		var c uint64
		s, c = bits.Add64(s, w, 0)
		s += c
	}
	for len(b) >= 2 {
		add(uint64(b[0])<<8 | uint64(b[1]))
		b = b[2:]
	}
	if len(b) == 1 {
		add(uint64(b[0]) << 8)
	}
	return s
}

// refFold folds with end-around carry until 16 bits remain.
func refFold(s uint64) uint16 {
	for s>>16 != 0 {
		s = s>>16 + s&0xffff
	}
	return uint16(s)
}

func refChecksum(b []byte, initial uint64) uint16 { return ^refFold(refSum(b, initial)) }

// fill fills b by one of several patterns chosen by mode.
func fill(r *rand.Rand, b []byte, mode int) {
	switch mode {
	case 0:
		clear(b)
	case 1:
		for i := range b {
			b[i] = 0xff
		}
	case 2:
		for i := range b {
			b[i] = byte(r.Intn(2)) * 0xff
		}
	default:
		r.Read(b)
	}
}

var initials = []uint64{0, 1, 0xffff, 0x10000, math.MaxUint32, math.MaxUint64, math.MaxUint64 - 1}

func TestSumMatchesReference(t *testing.T) {
	r := rand.New(rand.NewSource(1071))
	backing := make([]byte, 300+16)
	for n := 0; n <= 300; n++ {
		for trial := 0; trial < 12; trial++ {
			off := r.Intn(9)
			b := backing[off : off+n]
			fill(r, b, trial%6)
			init := r.Uint64() >> (r.Intn(4) * 16)
			if trial < len(initials) {
				init = initials[trial]
			}
			got, want := Fold(Sum(b, init)), refFold(refSum(b, init))
			if got != want {
				t.Fatalf("n=%d off=%d mode=%d init=%#x: Fold(Sum) = %#04x, want %#04x", n, off, trial%6, init, got, want)
			}
			if got, want := Checksum(b, init), refChecksum(b, init); got != want {
				t.Fatalf("n=%d off=%d: Checksum = %#04x, want %#04x", n, off, got, want)
			}
		}
	}
	// Long buffers, including jumbo frames, with random sub-slices.
	big := make([]byte, 20000)
	for trial := 0; trial < 200; trial++ {
		fill(r, big, trial%6)
		lo := r.Intn(64)
		hi := lo + r.Intn(len(big)-lo)
		init := r.Uint64()
		if got, want := Fold(Sum(big[lo:hi], init)), refFold(refSum(big[lo:hi], init)); got != want {
			t.Fatalf("[%d:%d] mode=%d: Fold(Sum) = %#04x, want %#04x", lo, hi, trial%6, got, want)
		}
	}
}

func TestSumZero(t *testing.T) {
	// +0 only when nothing but zeros was summed; -0 otherwise.
	if got := Fold(Sum(make([]byte, 1000), 0)); got != 0 {
		t.Errorf("Fold(Sum(zeros)) = %#04x, want 0", got)
	}
	if got := Checksum(nil, 0); got != 0xffff {
		t.Errorf("Checksum(nil) = %#04x, want 0xffff", got)
	}
	b := make([]byte, 128)
	for i := range b {
		b[i] = 0xff
	}
	if got := Fold(Sum(b, 0)); got != 0xffff {
		t.Errorf("Fold(Sum(0xff...)) = %#04x, want 0xffff", got)
	}
}

func TestFold(t *testing.T) {
	for _, s := range []uint64{0, 1, 0xfffe, 0xffff, 0x10000, 0x1fffe, 0xffff0001, 0xffffffff, 0x100000000,
		0xffff_ffff_0000_0001, 0x8000_0000_0000_0000, math.MaxUint64 - 1, math.MaxUint64} {
		if got, want := Fold(s), refFold(s); got != want {
			t.Errorf("Fold(%#x) = %#04x, want %#04x", s, got, want)
		}
	}
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 100000; i++ {
		s := r.Uint64() >> r.Intn(64)
		if got, want := Fold(s), refFold(s); got != want {
			t.Fatalf("Fold(%#x) = %#04x, want %#04x", s, got, want)
		}
	}
}

func TestKnownVectors(t *testing.T) {
	// RFC 1071 section 3, numerical example: the folded sum of
	// 00 01 f2 03 f4 f5 f6 f7 is 0xddf2.
	rfc := []byte{0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7}
	if got := Fold(Sum(rfc, 0)); got != 0xddf2 {
		t.Errorf("RFC 1071 example: Fold(Sum) = %#04x, want 0xddf2", got)
	}
	// An IPv4 header (192.168.0.1 -> 192.168.0.199, UDP) whose checksum is
	// 0xb861.
	hdr := []byte{0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7}
	if got := Fold(Sum(hdr, 0)); got != 0xffff {
		t.Errorf("IPv4 header verifies to %#04x, want 0xffff", got)
	}
	if got := Checksum(hdr, 0); got != 0 {
		t.Errorf("Checksum over a correct header = %#04x, want 0", got)
	}
	hdr[10], hdr[11] = 0, 0
	if got := Checksum(hdr, 0); got != 0xb861 {
		t.Errorf("IPv4 header checksum = %#04x, want 0xb861", got)
	}
}

func TestChaining(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	b := make([]byte, 400)
	for trial := 0; trial < 2000; trial++ {
		n := r.Intn(len(b))
		fill(r, b[:n], trial%6)
		whole := Fold(Sum(b[:n], 0))
		i := r.Intn(n + 1)
		j := i + r.Intn(n-i+1)
		if i%2 == 0 && j%2 == 0 {
			if got := Fold(Sum(b[j:n], Sum(b[i:j], Sum(b[:i], 0)))); got != whole {
				t.Fatalf("even split %d,%d of %d: chained %#04x, whole %#04x", i, j, n, got, whole)
			}
		}
		// Any split: the first range is summed as if zero-padded.
		padded := append(append(append([]byte(nil), b[:i]...), make([]byte, i%2)...), b[i:n]...)
		if got, want := Fold(Sum(b[i:n], Sum(b[:i], 0))), refFold(refSum(padded, 0)); got != want {
			t.Fatalf("split %d of %d: chained %#04x, padded %#04x", i, n, got, want)
		}
	}
}

func TestPseudoHeaderIPv4(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for trial := 0; trial < 10000; trial++ {
		var src, dst [4]byte
		r.Read(src[:])
		r.Read(dst[:])
		if trial%10 == 0 {
			src, dst = [4]byte{}, [4]byte{}
		}
		proto := uint8(r.Intn(256))
		length := uint16(r.Intn(65536))
		if trial%10 == 0 {
			proto, length = 0, 0
		}
		ph := make([]byte, 0, 12)
		ph = append(ph, src[:]...)
		ph = append(ph, dst[:]...)
		ph = append(ph, 0, proto)
		ph = binary.BigEndian.AppendUint16(ph, length)
		payload := make([]byte, r.Intn(100))
		r.Read(payload)
		want := refChecksum(append(ph, payload...), 0)
		if got := Checksum(payload, PseudoHeaderIPv4(src, dst, proto, length)); got != want {
			t.Fatalf("pseudo-header %x: Checksum = %#04x, want %#04x", ph, got, want)
		}
	}
	// A UDP datagram 10.0.0.1:1234 -> 10.0.0.2:53 carrying "hi".
	udp := []byte{0x04, 0xd2, 0x00, 0x35, 0x00, 0x0a, 0x00, 0x00, 'h', 'i'}
	ph := PseudoHeaderIPv4([4]byte{10, 0, 0, 1}, [4]byte{10, 0, 0, 2}, 17, uint16(len(udp)))
	c := Checksum(udp, ph)
	binary.BigEndian.PutUint16(udp[6:], c)
	if got := Fold(Sum(udp, ph)); got != 0xffff {
		t.Errorf("UDP datagram with stored checksum %#04x verifies to %#04x", c, got)
	}
}

func TestUpdate16(t *testing.T) {
	// RFC 1624 section 4: m = 0x5555 -> m' = 0x3285 with the other
	// words summing to 0xcd7a; the right answer is 0x0000 (RFC 1141's
	// equation gives 0xffff).
	if got := Update16(0xdd2f, 0x5555, 0x3285); got != 0x0000 {
		t.Errorf("RFC 1624 example: Update16 = %#04x, want 0x0000", got)
	}
	if got := refChecksum([]byte{0xcd, 0x7a, 0x55, 0x55}, 0); got != 0xdd2f {
		t.Fatalf("RFC 1624 example: initial checksum %#04x, want 0xdd2f", got)
	}
	// RFC 1624 erratum 4782: an unchanged word must leave a 0x0000
	// checksum alone (it does with true one's complement addition).
	if got := Update16(0x0000, 0x5555, 0x5555); got != 0x0000 {
		t.Errorf("no-op update of 0x0000 = %#04x, want 0x0000", got)
	}
	if got := Update32(0x0000, 0x5555aaaa, 0x5555aaaa); got != 0x0000 {
		t.Errorf("no-op Update32 of 0x0000 = %#04x, want 0x0000", got)
	}
	// The documented exception: every covered word becomes zero.
	if got := Update16(^uint16(0x1234), 0x1234, 0); got != 0x0000 || Checksum([]byte{0, 0}, 0) != 0xffff {
		t.Errorf("all-zero update = %#04x", got)
	}

	r := rand.New(rand.NewSource(1624))
	for trial := 0; trial < 20000; trial++ {
		b := make([]byte, 2+2*r.Intn(40))
		fill(r, b, 3+trial%3)
		b[0] |= 1 // keep the data nonzero
		old := Checksum(b, 0)
		at := 2 * r.Intn(len(b)/2)
		m := binary.BigEndian.Uint16(b[at:])
		m2 := uint16(r.Uint32())
		switch trial % 4 {
		case 1:
			// Make the new data sum to -0 so the right checksum is 0x0000.
			binary.BigEndian.PutUint16(b[at:], 0)
			m2 = refFold(refSum(b, 0)) ^ 0xffff
		case 2:
			m2 = 0
		case 3:
			m2 = ^m
		}
		binary.BigEndian.PutUint16(b[at:], m2)
		if Fold(Sum(b, 0)) == 0 {
			continue // all zero: the documented exception
		}
		want := Checksum(b, 0)
		if trial%4 == 1 && want != 0 {
			t.Fatalf("test setup: checksum %#04x, want 0", want)
		}
		if got := Update16(old, m, m2); got != want {
			t.Fatalf("trial %d: Update16(%#04x, %#04x, %#04x) = %#04x, recomputed %#04x", trial, old, m, m2, got, want)
		}
		// And updating back from a 0x0000 checksum.
		if got := Update16(want, m2, m); got != old {
			t.Fatalf("trial %d: reverse Update16 = %#04x, want %#04x", trial, got, old)
		}
	}
}

func TestUpdate32(t *testing.T) {
	r := rand.New(rand.NewSource(1624 + 32))
	for trial := 0; trial < 20000; trial++ {
		// An IPv4-like header with the checksum stored at 10.
		b := make([]byte, 20+4*r.Intn(10))
		fill(r, b, 3+trial%3)
		b[0] |= 1
		binary.BigEndian.PutUint16(b[10:], 0)
		binary.BigEndian.PutUint16(b[10:], Checksum(b, 0))
		old := binary.BigEndian.Uint16(b[10:])
		at := 12 + 2*r.Intn((len(b)-16)/2) // any even offset past the checksum
		m := binary.BigEndian.Uint32(b[at:])
		m2 := r.Uint32()
		if trial%3 == 1 {
			// New data summing to -0: the right checksum is 0x0000.
			binary.BigEndian.PutUint32(b[at:], 0)
			binary.BigEndian.PutUint16(b[10:], 0)
			m2 = uint32(refFold(refSum(b, 0)) ^ 0xffff)
		}
		binary.BigEndian.PutUint32(b[at:], m2)
		binary.BigEndian.PutUint16(b[10:], 0)
		want := Checksum(b, 0)
		got := Update32(old, m, m2)
		if got != want {
			t.Fatalf("trial %d: Update32(%#04x, %#08x, %#08x) = %#04x, recomputed %#04x", trial, old, m, m2, got, want)
		}
		binary.BigEndian.PutUint16(b[10:], got)
		if v := Fold(Sum(b, 0)); v != 0xffff {
			t.Fatalf("trial %d: updated header verifies to %#04x", trial, v)
		}
	}
}

func TestSumAllocs(t *testing.T) {
	b := make([]byte, 1500)
	if n := testing.AllocsPerRun(100, func() { _ = Checksum(b, 0) }); n != 0 {
		t.Errorf("Checksum allocates %v times", n)
	}
}

var checksumSink uint16

// BenchmarkChecksum compares Checksum with the 16-bit reference for each
// size, so one run shows the ratio.
func BenchmarkChecksum(b *testing.B) {
	for _, n := range []int{20, 64, 1500, 9000} {
		buf := make([]byte, n)
		rand.New(rand.NewSource(int64(n))).Read(buf)
		for _, impl := range []struct {
			name string
			f    func([]byte, uint64) uint16
		}{{"fast", Checksum}, {"ref", refChecksum}} {
			b.Run(fmt.Sprintf("%s/%d", impl.name, n), func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(n))
				var s uint16
				for b.Loop() {
					s += impl.f(buf, 0)
				}
				checksumSink = s
			})
		}
	}
}

func TestSumAddr(t *testing.T) {
	for _, s := range []string{"198.18.0.1", "255.255.255.255", "0.0.0.0", "2001:db8::1", "ffff:ffff::ffff", "::ffff:198.18.0.1"} {
		a := netip.MustParseAddr(s)
		b := a.AsSlice()
		if got, want := Fold(SumAddr(a)), Fold(Sum(b, 0)); got != want {
			t.Errorf("Fold(SumAddr(%s)) = %#04x, want %#04x (Sum of its bytes)", s, got, want)
		}
	}
	if SumAddr(netip.Addr{}) != 0 {
		t.Error("SumAddr of the zero Addr is not 0")
	}
	// An IPv4 pseudo-header built from SumAddr matches PseudoHeaderIPv4.
	src, dst := netip.MustParseAddr("198.18.0.1"), netip.MustParseAddr("198.19.255.254")
	if got, want := Fold(SumAddr(src)+SumAddr(dst)+17+100), Fold(PseudoHeaderIPv4(src.As4(), dst.As4(), 17, 100)); got != want {
		t.Errorf("pseudo-header via SumAddr folds to %#04x, want %#04x", got, want)
	}
}
