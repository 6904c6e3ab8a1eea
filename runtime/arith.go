package mplrt

import (
	"math"
	"math/bits"
	"net/netip"
)

// Checked does the integer arithmetic of generated code where a spec's
// expression could overflow 64-bit signed arithmetic or divide by a value
// that may be zero (generated code uses plain operators everywhere else).
// Each method returns the exact result when it fits; otherwise it returns
// 0 and marks the Checked failed, and generated code then reports the
// field whose expression it was. The zero value is ready to use; it
// allocates nothing.
type Checked struct{ failed bool }

// Failed reports whether an operation did not have an exact int result.
func (c *Checked) Failed() bool { return c.failed }

// Add returns x + y.
func (c *Checked) Add(x, y int) int {
	s := x + y
	if (s > x) != (y > 0) {
		c.failed = true
		return 0
	}
	return s
}

// Sub returns x - y.
func (c *Checked) Sub(x, y int) int {
	d := x - y
	if (d < x) != (y > 0) {
		c.failed = true
		return 0
	}
	return d
}

// Mul returns x * y.
func (c *Checked) Mul(x, y int) int {
	if x == 0 || y == 0 {
		return 0
	}
	neg := (x < 0) != (y < 0)
	hi, lo := bits.Mul64(absU(x), absU(y))
	if hi != 0 || (!neg && lo > math.MaxInt64) || (neg && lo > 1<<63) {
		c.failed = true
		return 0
	}
	if neg {
		return int(-lo)
	}
	return int(lo)
}

// Div returns x / y, truncated toward zero; y == 0 fails.
func (c *Checked) Div(x, y int) int {
	if y == 0 || (x == math.MinInt64 && y == -1) {
		c.failed = true
		return 0
	}
	return x / y
}

// Rem returns x % y, with the sign of x; y == 0 fails.
func (c *Checked) Rem(x, y int) int {
	if y == 0 {
		c.failed = true
		return 0
	}
	if y == -1 {
		return 0
	}
	return x % y
}

// Neg returns -x.
func (c *Checked) Neg(x int) int {
	if x == math.MinInt64 {
		c.failed = true
		return 0
	}
	return -x
}

// Uint returns x as an int.
func (c *Checked) Uint(x uint64) int {
	if x > math.MaxInt64 {
		c.failed = true
		return 0
	}
	return int(x)
}

func absU(x int) uint64 {
	if x < 0 {
		return uint64(-x) // MinInt64 too: its two's complement is 1<<63
	}
	return uint64(x)
}

// CompareUint compares an unsigned field value with an int: it returns
// -1, 0 or +1 as u is less than, equal to or greater than x.
func CompareUint(u uint64, x int) int {
	switch {
	case x < 0 || u > uint64(x):
		return 1
	case u < uint64(x):
		return -1
	}
	return 0
}

// BoolBit returns 1 for true and 0 for false: the bit a boolean field
// holds.
func BoolBit(v bool) uint8 {
	if v {
		return 1
	}
	return 0
}

// AddrUint32 returns an IPv4 address (or an IPv4-mapped IPv6 address) as
// the uint32 its four bytes make in network byte order, and 0 for any
// other Addr (the zero Addr included): the value of an address field in a
// builder's arithmetic.
func AddrUint32(a netip.Addr) uint32 {
	if !a.Is4() && !a.Is4In6() {
		return 0
	}
	b := a.As4()
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
