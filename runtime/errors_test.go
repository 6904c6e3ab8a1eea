package mplrt

import (
	"errors"
	"fmt"
	"sync"
	"testing"
)

var testSite = NewSite("ipv4", "total_length", KindMin, "total_length >= ihl*4")

func TestKindString(t *testing.T) {
	want := map[Kind]string{
		KindTruncated: "truncated",
		KindConst:     "const",
		KindMin:       "min",
		KindMax:       "max",
		KindLength:    "length",
		KindAlign:     "align",
		KindClassify:  "classify",
		KindValue:     "value",
		KindChecksum:  "checksum",
		0:             "kind(0)",
		200:           "kind(200)",
	}
	for k, w := range want {
		if got := k.String(); got != w {
			t.Errorf("Kind(%d).String() = %q, want %q", uint8(k), got, w)
		}
	}
}

func TestErrorText(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{testSite.At(2), "ipv4: total_length at offset 2: min: total_length >= ihl*4"},
		{testSite.At(0), "ipv4: total_length at offset 0: min: total_length >= ihl*4"},
		{testSite.At(65535), "ipv4: total_length at offset 65535: min: total_length >= ihl*4"},
		{testSite.At(65536), "ipv4: total_length at offset 65536: min: total_length >= ihl*4"},
		{testSite.At(-3), "ipv4: total_length at offset -3: min: total_length >= ihl*4"},
		{NewSite("udp", "length", KindTruncated, "").At(4), "udp: length at offset 4: truncated"},
		{NewSite("tcp", "", KindClassify, "no option matched").At(20), "tcp at offset 20: classify: no option matched"},
		{NewSite("", "", KindValue, "").At(7), "at offset 7: value"},
		{Error{Packet: "arp", Field: "hlen", Offset: 4, Kind: KindConst, Constraint: "hlen == 6"}, "arp: hlen at offset 4: const: hlen == 6"},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("Error() = %q, want %q", got, tc.want)
		}
	}
}

func TestErrorOffsets(t *testing.T) {
	sites := []*Site{
		testSite,
		NewSite("eth", "type", KindClassify, "type in {0x0800, 0x86dd}"),
	}
	for _, s := range sites {
		for _, off := range []int{0, 1, 2, 255, 256, 257, 4095, 32768, 65534, 65535, 65536, 65537, 1 << 20, -1, -65536, 1<<62 + 5} {
			err := s.At(off)
			var e Error
			if !errors.As(err, &e) {
				t.Fatalf("errors.As(%v, *Error) = false", err)
			}
			want := Error{Packet: s.packet, Field: s.field, Offset: off, Kind: s.kind, Constraint: s.constraint}
			if e != want {
				t.Errorf("At(%d) as Error = %+v, want %+v", off, e, want)
			}
			if got, w := err.Error(), want.Error(); got != w {
				t.Errorf("At(%d).Error() = %q, want %q", off, got, w)
			}
			// Wrapped errors still unwrap to the position.
			var e2 Error
			if !errors.As(fmt.Errorf("parse: %w", err), &e2) || e2 != want {
				t.Errorf("errors.As through wrapping at %d = %+v", off, e2)
			}
		}
	}
}

func TestErrorIsKind(t *testing.T) {
	sentinels := map[Kind]error{
		KindTruncated: ErrTruncated,
		KindConst:     ErrConst,
		KindMin:       ErrMin,
		KindMax:       ErrMax,
		KindLength:    ErrLength,
		KindAlign:     ErrAlign,
		KindClassify:  ErrClassify,
		KindValue:     ErrValue,
		KindChecksum:  ErrChecksum,
	}
	for k := range sentinels {
		s := NewSite("p", "f", k, "")
		for _, off := range []int{0, 300, 65535, 70000, -1} {
			errs := []error{s.At(off), fmt.Errorf("wrapped: %w", s.At(off)), Error{Kind: k, Offset: off}}
			for _, err := range errs {
				for k2, sentinel := range sentinels {
					if got := errors.Is(err, sentinel); got != (k == k2) {
						t.Errorf("errors.Is(%v, %v) = %v", err, sentinel, got)
					}
				}
				if errors.Is(err, errors.New(k.String())) {
					t.Errorf("errors.Is(%v, unrelated) = true", err)
				}
			}
		}
	}
	if got, want := ErrLength.Error(), "mplrt: length"; got != want {
		t.Errorf("ErrLength.Error() = %q, want %q", got, want)
	}
}

func TestErrorIdentity(t *testing.T) {
	s := NewSite("p", "f", KindMax, "f <= 3")
	if s.At(10) != s.At(10) {
		t.Error("At(10) != At(10)")
	}
	if s.At(10) == s.At(11) {
		t.Error("At(10) == At(11)")
	}
	if s.At(10) == testSite.At(10) {
		t.Error("errors of two sites compare equal")
	}
}

func TestAtAllocs(t *testing.T) {
	s := NewSite("ipv4", "ihl", KindMin, "ihl >= 5")
	for _, off := range []int{0, 1, 2, 255, 256, 1000, 65535} {
		s.At(off) // warm up the chunk
		if n := testing.AllocsPerRun(100, func() { _ = s.At(off) }); n != 0 {
			t.Errorf("At(%d) allocates %v times", off, n)
		}
	}
	// Returning the error from a parser and testing it must not allocate
	// either.
	parse := func(off int) (int, error) { return 0, s.At(off) }
	if n := testing.AllocsPerRun(100, func() {
		if _, err := parse(2); err == nil || !errors.Is(err, ErrMin) {
			panic("unexpected")
		}
	}); n != 0 {
		t.Errorf("parse and errors.Is allocate %v times", n)
	}
}

func TestAtConcurrent(t *testing.T) {
	sites := make([]*Site, 4)
	for i := range sites {
		sites[i] = NewSite("p", fmt.Sprint("f", i), Kind(i+1), "")
	}
	const goroutines, iters = 8, 300
	var wg sync.WaitGroup
	errc := make(chan error, goroutines)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < iters; i++ {
				s := sites[(g+i)%len(sites)]
				off := (i*7919 + g*104729) % 70000
				err := s.At(off)
				var e Error
				if !errors.As(err, &e) || e.Offset != off || e.Field != s.field || !errors.Is(err, kindError(s.kind)) {
					errc <- fmt.Errorf("goroutine %d: At(%d) = %+v", g, off, e)
					return
				}
			}
		}()
	}
	// Errors handed to another goroutine stay intact.
	ch := make(chan error)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for err := range ch {
			var e Error
			if !errors.As(err, &e) || e.Offset != 12345 {
				errc <- fmt.Errorf("received %+v", e)
			}
		}
	}()
	for i := 0; i < 10; i++ {
		ch <- sites[i%len(sites)].At(12345)
	}
	close(ch)
	wg.Wait()
	close(errc)
	for err := range errc {
		t.Error(err)
	}
}

func BenchmarkSiteAt(b *testing.B) {
	s := NewSite("ipv4", "total_length", KindMin, "total_length >= ihl*4")
	b.ReportAllocs()
	var sink error
	for i := 0; b.Loop(); i++ {
		sink = s.At(i & 1023)
	}
	_ = sink
}

func TestShift(t *testing.T) {
	s := NewSite("p", "f", KindLength, "c")
	err := Shift(s.At(3), 10)
	var e Error
	if !errors.As(err, &e) || e.Offset != 13 || e.Field != "f" || e.Kind != KindLength {
		t.Errorf("Shift(At(3), 10) = %v", err)
	}
	if err := Shift(Shift(s.At(70000), 1), -70000); err.Error() != s.At(1).Error() {
		t.Errorf("Shift of a large offset: %v", err)
	}
	plain := errors.New("x")
	if Shift(plain, 5) != plain {
		t.Error("Shift changed an unpositioned error")
	}
	s.At(20)
	if n := testing.AllocsPerRun(100, func() { _ = Shift(s.At(3), 17) }); n != 0 {
		t.Errorf("Shift allocates %v times", n)
	}
}
