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

var (
	testReason  = NewReason(KindTruncated, "t8: length runs past the end")
	testReason2 = NewReason(KindValue, "t8: bad byte")
)

func TestWrap(t *testing.T) {
	s := NewSite("dns", "qname", KindValue, "")
	sc := NewSite("ssh", "e", KindValue, "e != 0")
	for _, tc := range []struct {
		err  error
		want Error
		text string
	}{
		{s.Wrap(testReason, 12), Error{Packet: "dns", Field: "qname", Offset: 12, Kind: KindTruncated, Reason: "t8: length runs past the end"},
			"dns: qname at offset 12: truncated: t8: length runs past the end"},
		{s.Wrap(testReason2, 70000), Error{Packet: "dns", Field: "qname", Offset: 70000, Kind: KindValue, Reason: "t8: bad byte"},
			"dns: qname at offset 70000: value: t8: bad byte"},
		{sc.Wrap(testReason2, 5), Error{Packet: "ssh", Field: "e", Offset: 5, Kind: KindValue, Constraint: "e != 0", Reason: "t8: bad byte"},
			"ssh: e at offset 5: value: e != 0: t8: bad byte"},
		// A positioned reason keeps its own offset.
		{s.Wrap(testReason2.At(40), 12), Error{Packet: "dns", Field: "qname", Offset: 40, Kind: KindValue, Reason: "t8: bad byte"},
			"dns: qname at offset 40: value: t8: bad byte"},
		{s.Wrap(testReason2.At(70001), 12), Error{Packet: "dns", Field: "qname", Offset: 70001, Kind: KindValue, Reason: "t8: bad byte"},
			"dns: qname at offset 70001: value: t8: bad byte"},
		// Shift moves wrapped errors like others.
		{Shift(s.Wrap(testReason, 12), 100), Error{Packet: "dns", Field: "qname", Offset: 112, Kind: KindTruncated, Reason: "t8: length runs past the end"},
			"dns: qname at offset 112: truncated: t8: length runs past the end"},
		// Foreign errors.
		{s.Wrap(errors.New("my type: no"), 3), Error{Packet: "dns", Field: "qname", Offset: 3, Kind: KindValue, Reason: "my type: no"},
			"dns: qname at offset 3: value: my type: no"},
		{s.Wrap(fmt.Errorf("my type: %w", ErrLength), 3), Error{Packet: "dns", Field: "qname", Offset: 3, Kind: KindLength, Reason: "my type: mplrt: length"},
			"dns: qname at offset 3: length: my type: mplrt: length"},
		{Shift(s.Wrap(errors.New("x"), 3), 2), Error{Packet: "dns", Field: "qname", Offset: 5, Kind: KindValue, Reason: "x"},
			"dns: qname at offset 5: value: x"},
	} {
		var e Error
		if !errors.As(tc.err, &e) || e != tc.want {
			t.Errorf("%v as Error = %+v, want %+v", tc.err, e, tc.want)
		}
		if got := tc.err.Error(); got != tc.text {
			t.Errorf("Error() = %q, want %q", got, tc.text)
		}
		if !errors.Is(tc.err, kindError(tc.want.Kind)) {
			t.Errorf("errors.Is(%v, kind %v) = false", tc.err, tc.want.Kind)
		}
		for k := KindTruncated; k <= KindChecksum; k++ {
			if k != tc.want.Kind && errors.Is(tc.err, kindError(k)) {
				t.Errorf("errors.Is(%v, kind %v) = true", tc.err, k)
			}
		}
	}
	if !errors.Is(s.Wrap(testReason, 1), testReason) || errors.Is(s.Wrap(testReason, 1), testReason2) {
		t.Error("errors.Is does not tell reasons apart")
	}
	if !errors.Is(s.Wrap(testReason2.At(9), 1), testReason2) {
		t.Error("errors.Is does not find the reason of a positioned reason")
	}
	if s.Wrap(nil, 3) != nil {
		t.Error("Wrap(nil) != nil")
	}
	if s.Wrap(testReason, 7) != s.Wrap(testReason, 7) || s.Wrap(testReason, 7) == s.Wrap(testReason2, 7) {
		t.Error("wrapped errors' identity")
	}
	if got, want := testReason2.At(3).Error(), "at offset 3: value: t8: bad byte"; got != want {
		t.Errorf("Reason.At(3).Error() = %q, want %q", got, want)
	}
	if testReason.Kind() != KindTruncated || testReason.Error() != "t8: length runs past the end" || !errors.Is(testReason, ErrTruncated) {
		t.Error("Reason methods")
	}
	// The site of the check itself is unchanged by Wrap.
	if got, want := s.At(4).Error(), "dns: qname at offset 4: value"; got != want {
		t.Errorf("At after Wrap = %q, want %q", got, want)
	}
}

func TestWrapConcurrent(t *testing.T) {
	s := NewSite("p", "f", KindValue, "")
	reasons := make([]*Reason, 8)
	for i := range reasons {
		reasons[i] = NewReason(Kind(i%9+1), fmt.Sprint("r", i))
	}
	done := make(chan string)
	for g := 0; g < 4; g++ {
		go func() {
			msg := ""
			for i := 0; i < 400 && msg == ""; i++ {
				r := reasons[(i+g)%len(reasons)]
				var e Error
				if !errors.As(s.Wrap(r, i), &e) || e.Reason != r.text || e.Kind != r.Kind() || e.Offset != i {
					msg = fmt.Sprintf("Wrap(%v, %d) = %+v", r, i, e)
				}
			}
			done <- msg
		}()
	}
	for g := 0; g < 4; g++ {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
	n := 0
	for d := s.derived.Load(); d != nil; d = d.next {
		n++
	}
	if n != len(reasons) {
		t.Errorf("%d derived sites for %d reasons", n, len(reasons))
	}
}

func TestTruncated(t *testing.T) {
	a := NewSite("p", "a", KindTruncated, "2 bytes")
	b := NewSite("p", "b", KindTruncated, "1 byte")
	c := NewSite("p", "c", KindTruncated, "4 bytes")
	needs := []Need{{Site: a, Off: 0, End: 2}, {Site: b, Off: 2, End: 3}, {Site: c, Off: 3, End: 7}}
	for n, want := range []string{
		0: "p: a at offset 10: truncated: 2 bytes",
		1: "p: a at offset 10: truncated: 2 bytes",
		2: "p: b at offset 12: truncated: 1 byte",
		3: "p: c at offset 13: truncated: 4 bytes",
		6: "p: c at offset 13: truncated: 4 bytes",
	} {
		if want == "" {
			continue
		}
		err := Truncated(needs, n, 10)
		if err == nil || err.Error() != want || !errors.Is(err, ErrTruncated) {
			t.Errorf("Truncated(needs, %d, 10) = %v, want %q", n, err, want)
		}
	}
	// The last field names the error even when the input reaches its end
	// (the caller calls only for a short run).
	if err := Truncated(needs, 7, 0); err == nil || err.Error() != "p: c at offset 3: truncated: 4 bytes" {
		t.Errorf("Truncated(needs, 7, 0) = %v", err)
	}
}
