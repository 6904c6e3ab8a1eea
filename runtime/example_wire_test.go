package mplrt_test

import (
	"errors"
	"fmt"
	"strconv"

	mplrt "github.com/mplgo/mpl/runtime"
)

// Ref8 is a wire type defined outside mplrt, as a user would in their own
// package: one byte holding the offset, earlier in the message, of a
// string8 it refers to (a small cousin of DNS compression pointers). Its
// value is the offset.
type Ref8 struct{}

var (
	errRef8Short   = mplrt.NewReason(mplrt.KindTruncated, "ref8: byte missing")
	errRef8Forward = mplrt.NewReason(mplrt.KindValue, "ref8: does not point back")
	errRef8Target  = mplrt.NewReason(mplrt.KindValue, "ref8: target is not a string8")
	errRef8Range   = mplrt.NewReason(mplrt.KindMax, "ref8: offset over 255")
)

var _ mplrt.WireType[uint64] = Ref8{}

func (Ref8) ValueKind() mplrt.ValueKind { return mplrt.ValueInt }

func (Ref8) Size(msg []byte, off int) (int, error) {
	if uint(off) >= uint(len(msg)) {
		return 0, errRef8Short
	}
	p := int(msg[off])
	if p >= off {
		return 0, errRef8Forward
	}
	if n, err := (mplrt.String8{}).Size(msg[:off], p); err != nil || n == 0 {
		return 0, errRef8Target.At(p) // points at the bad target
	}
	return 1, nil
}

func (Ref8) Value(msg []byte, off, n int) uint64 { return uint64(msg[off]) }

func (Ref8) Append(dst []byte, v uint64) ([]byte, error) {
	if v > 255 {
		return dst, errRef8Range
	}
	return append(dst, byte(v)), nil
}

func (Ref8) AppendText(dst []byte, msg []byte, off, n int) []byte {
	p := int(msg[off])
	dst = append(dst, '@')
	dst = strconv.AppendInt(dst, int64(p), 10)
	dst = append(dst, '=')
	return (mplrt.String8{}).AppendText(dst, msg, p, 1+int(msg[p]))
}

// What generated code does with a custom field: Size, Wrap on failure,
// Value for the accessor, a FormatCustom Field for Walk, Append to build.
func ExampleWireType() {
	errName := mplrt.NewSite("demo", "name", mplrt.KindValue, "")
	msg := []byte{3, 'a', 'b', 'c', 0}

	off := 4
	n, err := Ref8{}.Size(msg, off)
	if err != nil {
		fmt.Println(errName.Wrap(err, off))
		return
	}
	fmt.Println("value:", Ref8{}.Value(msg, off, n))
	f := mplrt.Field{Name: "name", Format: mplrt.FormatCustom, Type: Ref8{}, Msg: msg, Off: off, Bytes: msg[off : off+n]}
	fmt.Println(string(f.AppendText(nil)))

	// Failures name the packet, the field, the offset and the reason.
	_, err = Ref8{}.Size([]byte{3, 'a', 'b', 'c', 4}, 4)
	fmt.Println(errName.Wrap(err, 4))
	_, err = Ref8{}.Size([]byte{7, 'a', 1}, 2)
	err = errName.Wrap(err, 2)
	fmt.Println(err, errors.Is(err, mplrt.ErrValue))

	b, err := Ref8{}.Append(msg[:4], 0)
	fmt.Println(b, err)
	// Output:
	// value: 0
	// name=@0="abc"
	// demo: name at offset 4: value: ref8: does not point back
	// demo: name at offset 1: value: ref8: target is not a string8 true
	// [3 97 98 99 0] <nil>
}
