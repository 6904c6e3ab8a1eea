package hostile

import (
	"errors"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

func TestCaseParamArg(t *testing.T) {
	o, err := ParseOuter([]byte{3, 4}, 5)
	if err != nil {
		t.Fatal(err)
	}
	c, ok := o.AsPkt()
	if !ok || c.Q().X() != 4 {
		t.Fatalf("%s", o.String())
	}
	// The argument is the outer parameter: x = 6 is above max(w) = 5.
	_, err = ParseOuter([]byte{3, 6}, 5)
	var e mplrt.Error
	if !errors.As(err, &e) || e.Field != "x" || e.Offset != 1 || e.Kind != mplrt.KindMax {
		t.Errorf("x above the outer parameter: err = %v", err)
	}
	if _, err := ParseOuter([]byte{3, 6}, 6); err != nil {
		t.Errorf("w = 6: %v", err)
	}
}
