package main

import (
	"strings"
	"testing"
)

// testInput is go test -bench output in the shape of bench/'s: six runs
// of Decode (whose medians are the mean of the third and fourth values),
// three of Build (not in the same order as Decode), a line that is not a
// benchmark's, a benchmark of another name, and header lines.
const testInput = `go: go1.26.8
date: 2026-12-02
goos: linux
goarch: amd64
pkg: github.com/mplgo/mpl/bench
cpu: Some CPU @ 2.0GHz   
BenchmarkDecode/impl=hand/pkt=p1_tcp_syn-2         	100	 10.0 ns/op	 7400 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=hand/pkt=p1_tcp_syn-2         	100	 11.0 ns/op	 7400 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=hand/pkt=p1_tcp_syn-2         	100	 9.0 ns/op	 7400 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=hand/pkt=p1_tcp_syn-2         	100	 10.0 ns/op	 7400 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=hand/pkt=p1_tcp_syn-2         	100	 12.0 ns/op	 7400 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=hand/pkt=p1_tcp_syn-2         	100	 10.0 ns/op	 7400 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=mplc/pkt=p1_tcp_syn-2         	100	 20.0 ns/op	 3700 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=mplc/pkt=p1_tcp_syn-2         	100	 20.0 ns/op	 3700 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=mplc/pkt=p1_tcp_syn-2         	100	 22.0 ns/op	 3700 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=mplc/pkt=p1_tcp_syn-2         	100	 25.0 ns/op	 3700 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=mplc/pkt=p1_tcp_syn-2         	100	 19.0 ns/op	 3700 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=mplc/pkt=p1_tcp_syn-2         	100	 18.0 ns/op	 3700 MB/s	 0 B/op	 0 allocs/op
BenchmarkDecode/impl=gopacket_packet/pkt=p1_tcp_syn-2	100	 1500 ns/op	 49 MB/s	 2368 B/op	 6 allocs/op
BenchmarkDecode/impl=gopacket_packet/pkt=p1_tcp_syn-2	100	 1450 ns/op	 49 MB/s	 2368 B/op	 6 allocs/op
BenchmarkDecode/impl=gopacket_packet/pkt=p1_tcp_syn-2	100	 1400 ns/op	 49 MB/s	 2368 B/op	 6 allocs/op
BenchmarkDecode/impl=gopacket_packet/pkt=p1_tcp_syn-2	100	 1600 ns/op	 49 MB/s	 2368 B/op	 6 allocs/op
BenchmarkDecode/impl=gopacket_packet/pkt=p1_tcp_syn-2	100	 1500 ns/op	 49 MB/s	 2368 B/op	 7 allocs/op
BenchmarkDecode/impl=gopacket_packet/pkt=p1_tcp_syn-2	100	 1500 ns/op	 49 MB/s	 2368 B/op	 6 allocs/op
BenchmarkOther-2	100	 5 ns/op
BenchmarkBuild/impl=mplc/pkt=p3_icmp_echo-2	100	 80.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkBuild/impl=hand/pkt=p3_icmp_echo-2	100	 15.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkBuild/impl=gopacket_serialize/pkt=p3_icmp_echo-2	100	 64.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkBuild/impl=mplc/pkt=p3_icmp_echo-2	100	 84.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkBuild/impl=hand/pkt=p3_icmp_echo-2	100	 14.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkBuild/impl=gopacket_serialize/pkt=p3_icmp_echo-2	100	 66.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkBuild/impl=mplc/pkt=p3_icmp_echo-2	100	 82.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkBuild/impl=hand/pkt=p3_icmp_echo-2	100	 16.0 ns/op	 0 B/op	 0 allocs/op
BenchmarkBuild/impl=gopacket_serialize/pkt=p3_icmp_echo-2	100	 65.0 ns/op	 0 B/op	 0 allocs/op
PASS
ok  	github.com/mplgo/mpl/bench	1.0s
`

// wantTable is the table of testInput. Medians: hand 10, mplc 20 (so
// mplc is 2x hand) and gopacket 1500 (150x hand, 75x mplc) with 6 allocs;
// Build: hand 15, mplc 82, gopacket 65. With six runs the 95% interval of
// the median runs from the least to the greatest value.
const wantTable = `go: go1.26.8, goos: linux, goarch: amd64, cpu: Some CPU @ 2.0GHz, date: 2026-12-02, runs: 6

| work | packet | impl | ns/op | allocs/op | × hand | × mplc |
|---|---|---|--:|--:|--:|--:|
| Decode | p1_tcp_syn | hand | 10.0 ±20% | 0 |  |  |
|  |  | mplc | 20.0 ±25% | 0 | 2.00× |  |
|  |  | gopacket_packet | 1500 ±7% | 6 | 150× | 75.0× |
| Build | p3_icmp_echo | mplc | 82.0 ±∞ | 0 | 5.47× |  |
|  |  | hand | 15.0 ±∞ | 0 |  |  |
|  |  | gopacket_serialize | 65.0 ±∞ | 0 | 4.33× | 0.79× |
`

func TestTable(t *testing.T) {
	var out strings.Builder
	if err := run(&out, input{"test.txt", strings.NewReader(testInput)}); err != nil {
		t.Fatal(err)
	}
	if out.String() != wantTable {
		t.Errorf("got\n%s\nwant\n%s", out.String(), wantTable)
	}
}

func TestNoResults(t *testing.T) {
	var out strings.Builder
	if err := run(&out, input{"empty.txt", strings.NewReader("goos: linux\nBenchmarkX-2 1 1 ns/op\n")}); err == nil {
		t.Errorf("no error, wrote %q", out.String())
	}
}

func TestFormat(t *testing.T) {
	for _, c := range []struct {
		v    float64
		want string
	}{
		{6, "6.00"}, {6.634, "6.63"}, {12.94, "12.9"}, {74, "74.0"}, {99.64, "99.6"}, {123.6, "124"}, {1461.2, "1461"},
	} {
		if got := number(c.v); got != c.want {
			t.Errorf("number(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	for _, c := range []struct {
		v    float64
		want string
	}{
		{0, "0"}, {6, "6"}, {14, "14"}, {6.5, "6.50"},
	} {
		if got := count(c.v); got != c.want {
			t.Errorf("count(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	for _, c := range []struct {
		r    float64
		want string
	}{
		{0.791, "0.79×"}, {1.956, "1.96×"}, {15.04, "15.0×"}, {221.7, "222×"},
	} {
		if got := ratio(c.r); got != c.want {
			t.Errorf("ratio(%v) = %q, want %q", c.r, got, c.want)
		}
	}
}
