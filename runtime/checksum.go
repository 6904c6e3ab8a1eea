package mplrt

import (
	"encoding/binary"
	"math/bits"
	"net/netip"
)

// The Internet checksum, as defined by RFC 1071 section 1:
//
//	"(1) Adjacent octets to be checksummed are paired to form 16-bit
//	integers, and the 1's complement sum of these 16-bit integers is
//	formed.
//
//	(2) To generate a checksum, the checksum field itself is cleared,
//	the 16-bit 1's complement sum is computed over the octets
//	concerned, and the 1's complement of this sum is placed in the
//	checksum field.
//
//	(3) To check a checksum, the 1's complement sum is computed over the
//	same set of octets, including the checksum field. If the result
//	is all 1 bits (-0 in 1's complement arithmetic), the check
//	succeeds."
//
// The functions below split that definition into an accumulation step
// ([Sum]), a fold to 16 bits ([Fold]) and the final complement
// ([Checksum]). An accumulator is a uint64 that stands for the 16-bit
// one's complement sum it folds to: any two accumulators can be added
// with end-around carry, and only [Fold] reduces one to 16 bits. An
// accumulator is zero only if every word added into it was zero, so
// Fold distinguishes +0 (0x0000, nothing but zeros was summed) from -0
// (0xffff), exactly as 16-bit one's complement addition does.

// Sum adds b, taken as a sequence of big-endian 16-bit words, into the
// one's complement accumulator initial and returns the new accumulator,
// not folded. If len(b) is odd the last byte is padded on the right with
// a zero byte, as RFC 1071 prescribes ("if the total length is odd, the
// received data is padded with one octet of zeros").
//
// Sums over several ranges chain: Sum(payload, Sum(header, pseudo))
// equals the sum over the concatenation of header and payload, provided
// every range but the last has even length. A range of odd length is
// summed as if followed by a zero byte, so chaining after it shifts the
// following bytes to the other half of their words.
//
// The byte order of the accumulator does not matter to callers: pass it
// back to Sum, to [Fold] or to [Checksum]. Sum does not allocate.
func Sum(b []byte, initial uint64) uint64 {
	// The words are summed little-endian in 64-bit lanes. By the
	// byte-order independence of the one's complement sum (RFC 1071
	// section 2(B)) that yields the sum with the two bytes of every word
	// swapped, and reversing the bytes of a 64-bit accumulator swaps the
	// bytes of each of its 16-bit words (their positions do not matter
	// modulo 0xffff), so initial is reversed on the way in and the result
	// on the way out.
	//
	// Each 64-byte block feeds two independent add-with-carry chains,
	// which the processor overlaps; the carry out of each chain is counted
	// in cs, a carry being worth 2**64, that is 1 modulo 0xffff. The loop
	// indexes b rather than reslicing it so that fewer values stay live
	// across it, and b[i : i+64] is proven in bounds: no checks remain.
	s0, s1, cs := bits.ReverseBytes64(initial), uint64(0), uint64(0)
	for i := 0; i <= len(b)-64; i += 64 {
		p := (*[64]byte)(b[i : i+64])
		var c uint64
		s0, c = bits.Add64(s0, binary.LittleEndian.Uint64(p[0:8]), 0)
		s0, c = bits.Add64(s0, binary.LittleEndian.Uint64(p[8:16]), c)
		s0, c = bits.Add64(s0, binary.LittleEndian.Uint64(p[16:24]), c)
		s0, c = bits.Add64(s0, binary.LittleEndian.Uint64(p[24:32]), c)
		cs += c
		s1, c = bits.Add64(s1, binary.LittleEndian.Uint64(p[32:40]), 0)
		s1, c = bits.Add64(s1, binary.LittleEndian.Uint64(p[40:48]), c)
		s1, c = bits.Add64(s1, binary.LittleEndian.Uint64(p[48:56]), c)
		s1, c = bits.Add64(s1, binary.LittleEndian.Uint64(p[56:64]), c)
		cs += c
	}
	s, c := bits.Add64(s0, s1, 0)
	// The three-index form keeps cap(b) from staying live across the loop.
	b = b[len(b)&^63 : len(b) : len(b)]
	if len(b) >= 32 {
		s, c = bits.Add64(s, binary.LittleEndian.Uint64(b[0:8]), c)
		s, c = bits.Add64(s, binary.LittleEndian.Uint64(b[8:16]), c)
		s, c = bits.Add64(s, binary.LittleEndian.Uint64(b[16:24]), c)
		s, c = bits.Add64(s, binary.LittleEndian.Uint64(b[24:32]), c)
		b = b[32:]
	}
	if len(b) >= 16 {
		s, c = bits.Add64(s, binary.LittleEndian.Uint64(b[0:8]), c)
		s, c = bits.Add64(s, binary.LittleEndian.Uint64(b[8:16]), c)
		b = b[16:]
	}
	if len(b) >= 8 {
		s, c = bits.Add64(s, binary.LittleEndian.Uint64(b[0:8]), c)
		b = b[8:]
	}
	if len(b) >= 4 {
		s, c = bits.Add64(s, uint64(binary.LittleEndian.Uint32(b[0:4])), c)
		b = b[4:]
	}
	if len(b) >= 2 {
		s, c = bits.Add64(s, uint64(binary.LittleEndian.Uint16(b[0:2])), c)
		b = b[2:]
	}
	if len(b) >= 1 {
		// Little-endian, the lone byte is the low half of its word:
		// the zero pad lands on the right once swapped.
		s, c = bits.Add64(s, uint64(b[0]), c)
	}
	// Fold in the carries. When this addition carries out, the new s is
	// at most cs (at most two carries per 64-byte block), so adding the carry back
	// cannot overflow.
	s, c = bits.Add64(s, cs, c)
	s += c
	return bits.ReverseBytes64(s)
}

// Fold reduces the one's complement accumulator sum to 16 bits with
// end-around carry. It does not complement: Fold returns 0xffff when a
// header with a correct checksum field is summed, and the checksum to
// store is ^Fold(sum) (see [Checksum]).
func Fold(sum uint64) uint16 {
	// The upper half of sum + rotl(sum, 32) is hi + lo + the carry out of
	// the lower half, that is, hi + lo with end-around carry.
	t := uint32((sum + bits.RotateLeft64(sum, 32)) >> 32)
	return uint16((t + bits.RotateLeft32(t, 16)) >> 16)
}

// Checksum returns the Internet checksum of b with the accumulator initial
// (0, or a pseudo-header sum such as [PseudoHeaderIPv4]): ^Fold(Sum(b,
// initial)), the value to store, big-endian, in a header's checksum field
// after clearing it. Summing the header again with the stored value then
// folds to 0xffff, and Checksum over it returns 0.
func Checksum(b []byte, initial uint64) uint16 {
	return ^Fold(Sum(b, initial))
}

// PseudoHeaderIPv4 returns the accumulator for the IPv4 pseudo-header
// that TCP (RFC 793) and UDP (RFC 768) prepend to their checksum: source
// and destination address, a zero byte, the protocol number and the
// TCP or UDP length (header plus data) in bytes. Pass it as initial to
// [Sum] or [Checksum] over the transport header and payload.
func PseudoHeaderIPv4(src, dst [4]byte, proto uint8, length uint16) uint64 {
	// Each 32-bit address is its two 16-bit words modulo 0xffff; the
	// total stays far below 2**64, and is zero only if every word is.
	return uint64(binary.BigEndian.Uint32(src[:])) +
		uint64(binary.BigEndian.Uint32(dst[:])) +
		uint64(proto) + uint64(length)
}

// Update16 returns the checksum field value after a 16-bit word of the
// covered data changes from old to new, given the current field value
// cksum, by RFC 1624 equation 3:
//
//	HC' = ~(~HC + ~m + m')
//
// old and new are the word as it sits big-endian at an even offset from
// the start of the checksummed data (for a field at an odd offset, swap
// the bytes of both). The result equals a full recomputation with
// [Checksum] (the RFC 1624 equation avoids the 0x0000 versus 0xffff
// mistake of RFC 1141), except when the change leaves every covered word
// zero: then it yields 0x0000 where recomputation yields 0xffff.
func Update16(cksum, old, new uint16) uint16 {
	return ^Fold(uint64(^cksum) + uint64(^old) + uint64(new))
}

// Update32 is [Update16] for a 32-bit value, such as an IPv4 address,
// that starts at an even offset of the covered data: it applies RFC 1624
// equation 3 to both of its 16-bit words.
func Update32(cksum uint16, old, new uint32) uint16 {
	// ^old as a 32-bit number is ~hi*2**16 + ~lo, which is ~hi + ~lo
	// modulo 0xffff and zero exactly when both are.
	return ^Fold(uint64(^cksum) + uint64(^old) + uint64(new))
}

// SumAddr returns the accumulator of address a as a pseudo-header holds
// it: its 4 bytes (an IPv4 address, or an IPv4-mapped IPv6 one) or its 16
// bytes, as 16-bit words; 0 for the zero Addr. Add it to other
// accumulators (they are plain sums) and pass the total as initial to
// [Sum].
func SumAddr(a netip.Addr) uint64 {
	if a.Is4() || a.Is4In6() {
		b := a.As4()
		return uint64(binary.BigEndian.Uint32(b[:]))
	}
	if !a.IsValid() {
		return 0
	}
	b := a.As16()
	return uint64(binary.BigEndian.Uint32(b[0:4])) + uint64(binary.BigEndian.Uint32(b[4:8])) +
		uint64(binary.BigEndian.Uint32(b[8:12])) + uint64(binary.BigEndian.Uint32(b[12:16]))
}
