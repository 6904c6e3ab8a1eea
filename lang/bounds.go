package lang

import (
	"math"
	"math/big"
)

// Generated code evaluates integer expressions in 64-bit signed arithmetic
// (Go's int on the 64-bit platforms it supports). The checker and the
// generator use the bounds of each expression to know where that
// arithmetic cannot overflow, so that only the operations that can get a
// check.

// MaxLen bounds offsets, sizes, remaining() and array lengths: no slice is
// longer than the address space (2^48 bytes on amd64 and arm64).
const MaxLen = 1 << 48

var (
	minInt64 = big.NewInt(math.MinInt64)
	maxInt64 = big.NewInt(math.MaxInt64)
	maxLen   = big.NewInt(MaxLen)
)

// Bounds returns the smallest and largest values an integer expression can
// take, computed exactly (without overflow) from the types of the fields
// and parameters it reads. A divisor that may be zero is left out: the
// division fails instead.
func Bounds(e Expr) (lo, hi *big.Int) {
	switch e := e.(type) {
	case *IntLit:
		v := new(big.Int).SetUint64(e.Value)
		return v, v
	case *FieldRef:
		return new(big.Int), maxValue(e.Field)
	case *ParamRef:
		return minInt64, maxInt64
	case *Offset, *Sizeof, *Remaining, *ArrayLength:
		return new(big.Int), maxLen
	case *Unary:
		if e.Op != "-" {
			return new(big.Int), big.NewInt(1)
		}
		l, h := Bounds(e.X)
		return new(big.Int).Neg(h), new(big.Int).Neg(l)
	case *Binary:
		xl, xh := Bounds(e.X)
		yl, yh := Bounds(e.Y)
		switch e.Op {
		case "+":
			return new(big.Int).Add(xl, yl), new(big.Int).Add(xh, yh)
		case "-":
			return new(big.Int).Sub(xl, yh), new(big.Int).Sub(xh, yl)
		case "*":
			c := []*big.Int{
				new(big.Int).Mul(xl, yl), new(big.Int).Mul(xl, yh),
				new(big.Int).Mul(xh, yl), new(big.Int).Mul(xh, yh),
			}
			lo, hi := c[0], c[0]
			for _, v := range c[1:] {
				if v.Cmp(lo) < 0 {
					lo = v
				}
				if v.Cmp(hi) > 0 {
					hi = v
				}
			}
			return lo, hi
		case "/":
			// |x / y| <= |x| for any nonzero integer y.
			m := maxAbs(xl, xh)
			if xl.Sign() >= 0 && yl.Sign() >= 0 {
				return new(big.Int), m
			}
			return new(big.Int).Neg(m), m
		case "%":
			// |x % y| < |y| and <= |x|; the sign is x's.
			m := maxAbs(yl, yh)
			m.Sub(m, big.NewInt(1))
			if ax := maxAbs(xl, xh); ax.Cmp(m) < 0 {
				m = ax
			}
			if m.Sign() < 0 {
				m.SetInt64(0)
			}
			if xl.Sign() >= 0 {
				return new(big.Int), m
			}
			return new(big.Int).Neg(m), m
		}
		return new(big.Int), big.NewInt(1) // comparisons and logic
	}
	return new(big.Int), new(big.Int)
}

func maxAbs(lo, hi *big.Int) *big.Int {
	a, b := new(big.Int).Abs(lo), new(big.Int).Abs(hi)
	if a.Cmp(b) > 0 {
		return a
	}
	return b
}

func fitsInt64(lo, hi *big.Int) bool {
	return lo.Cmp(minInt64) >= 0 && hi.Cmp(maxInt64) <= 0
}

// NeedsCheck reports whether evaluating e itself (not its operands) in
// 64-bit signed arithmetic can go wrong: a result out of range, a
// division by a value that may be zero, or a 64-bit field above the
// largest int.
func NeedsCheck(e Expr) bool {
	switch e := e.(type) {
	case *FieldRef:
		return maxValue(e.Field).Cmp(maxInt64) > 0
	case *Unary:
		if e.Op == "-" {
			l, h := Bounds(e)
			return !fitsInt64(l, h)
		}
	case *Binary:
		switch e.Op {
		case "+", "-", "*":
			l, h := Bounds(e)
			return !fitsInt64(l, h)
		case "/", "%":
			yl, yh := Bounds(e.Y)
			if yl.Sign() <= 0 && yh.Sign() >= 0 {
				return true // the divisor may be zero
			}
			l, h := Bounds(e)
			return !fitsInt64(l, h)
		}
	}
	return false
}

// AnyNeedsCheck reports whether some part of e needs a check.
func AnyNeedsCheck(e Expr) bool {
	if e == nil {
		return false
	}
	if _, ok := constValue(e); ok {
		return false // folded by the generator
	}
	if NeedsCheck(e) {
		return true
	}
	switch e := e.(type) {
	case *Unary:
		return AnyNeedsCheck(e.X)
	case *Binary:
		return AnyNeedsCheck(e.X) || AnyNeedsCheck(e.Y)
	}
	return false
}

// ConstBig evaluates a constant integer expression exactly.
func ConstBig(e Expr) (*big.Int, bool) {
	return constValue(e)
}
