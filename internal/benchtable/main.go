// Benchtable prints the results of the benchmarks in bench/ as one
// Markdown table: for each work (the benchmark, such as Decode) and
// packet, one row per implementation with the median time and
// allocations per operation, the time over the hand-written baseline's
// and, for a peer library, over the generated code's.
//
// Usage:
//
//	go run ./internal/benchtable FILE...
//
// It reads the output of go test -bench (with -benchmem and -count,
// benchstat's input format) whose benchmark names are
// Benchmark<Work>/impl=<impl>/pkt=<packet>. Works, packets and
// implementations are listed in the order they first appear. The
// implementation named hand is the baseline; mplc, and mplc_<variant>,
// are the generated code; every other one (gopacket_dlp, ...) is a peer,
// compared also with mplc. File configuration lines (goos, goarch, cpu,
// and go or date when the input has them) make up the line above the
// table.
package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"os"
	"strings"

	"golang.org/x/perf/benchfmt"
	"golang.org/x/perf/benchmath"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: benchtable FILE...")
		os.Exit(2)
	}
	var files []input
	for _, name := range os.Args[1:] {
		f, err := os.Open(name)
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
		defer f.Close()
		files = append(files, input{name, f})
	}
	w := bufio.NewWriter(os.Stdout)
	if err := run(w, files...); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	if err := w.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
}

// input is a named benchmark output.
type input struct {
	name string
	r    io.Reader
}

// key names one cell of measurements: a work, a packet and an
// implementation.
type key struct{ work, pkt, impl string }

// sample holds the measurements of one key, one value per run.
type sample struct {
	ns, allocs []float64
}

// results is everything read, with the orders of first appearance.
type results struct {
	samples map[key]*sample
	works   []string
	pkts    map[string][]string // by work
	impls   map[[2]string][]string
	config  map[string]string
	keys    []string // of config, in order
}

// read reads the benchmark results of the inputs.
func read(files ...input) (*results, error) {
	rs := &results{
		samples: map[key]*sample{},
		pkts:    map[string][]string{},
		impls:   map[[2]string][]string{},
		config:  map[string]string{},
	}
	for _, in := range files {
		r := benchfmt.NewReader(in.r, in.name)
		for r.Scan() {
			switch rec := r.Result().(type) {
			case *benchfmt.SyntaxError:
				return nil, rec
			case *benchfmt.Result:
				rs.add(rec)
			}
		}
		if err := r.Err(); err != nil {
			return nil, err
		}
	}
	if len(rs.samples) == 0 {
		return nil, fmt.Errorf("no results named <Work>/impl=<impl>/pkt=<packet>")
	}
	return rs, nil
}

func (rs *results) add(res *benchfmt.Result) {
	for _, c := range res.Config {
		if !c.File {
			continue
		}
		if _, ok := rs.config[c.Key]; !ok {
			rs.keys = append(rs.keys, c.Key)
		}
		rs.config[c.Key] = strings.TrimSpace(string(c.Value))
	}
	base, parts := res.Name.Parts()
	k := key{work: string(base)}
	for _, p := range parts {
		kv, ok := strings.CutPrefix(string(p), "/")
		if !ok {
			continue // -GOMAXPROCS
		}
		switch name, value, _ := strings.Cut(kv, "="); name {
		case "impl":
			k.impl = value
		case "pkt":
			k.pkt = value
		}
	}
	if k.impl == "" || k.pkt == "" {
		return
	}
	ns, ok := nsPerOp(res)
	if !ok {
		return
	}
	s := rs.samples[k]
	if s == nil {
		s = &sample{}
		rs.samples[k] = s
		if _, ok := rs.pkts[k.work]; !ok {
			rs.works = append(rs.works, k.work)
		}
		wp := [2]string{k.work, k.pkt}
		if _, ok := rs.impls[wp]; !ok {
			rs.pkts[k.work] = append(rs.pkts[k.work], k.pkt)
		}
		rs.impls[wp] = append(rs.impls[wp], k.impl)
	}
	s.ns = append(s.ns, ns)
	if a, ok := res.Value("allocs/op"); ok {
		s.allocs = append(s.allocs, a)
	}
}

// nsPerOp returns the time per operation of res in nanoseconds: as it
// was written, rather than converted to seconds and back, so that 15 stays
// a whole number.
func nsPerOp(res *benchfmt.Result) (float64, bool) {
	for _, v := range res.Values {
		if v.OrigUnit == "ns/op" {
			return v.OrigValue, true
		}
	}
	sec, ok := res.Value("sec/op")
	return sec * 1e9, ok
}

// confidence is the confidence level of the interval printed after each
// median, benchstat's default.
const confidence = 0.95

func summary(values []float64) benchmath.Summary {
	return benchmath.AssumeNothing.Summary(benchmath.NewSample(values, &benchmath.DefaultThresholds), confidence)
}

// isPeer reports whether impl is another library's code: neither the
// baseline nor the generated code.
func isPeer(impl string) bool {
	return impl != "hand" && impl != "mplc" && !strings.HasPrefix(impl, "mplc_")
}

// run writes the table of the inputs' results to w.
func run(w io.Writer, files ...input) error {
	rs, err := read(files...)
	if err != nil {
		return err
	}
	var runs int
	for _, s := range rs.samples {
		runs = max(runs, len(s.ns))
	}
	var about []string
	for _, k := range []string{"go", "goos", "goarch", "cpu", "date"} {
		if v, ok := rs.config[k]; ok {
			about = append(about, k+": "+v)
		}
	}
	about = append(about, fmt.Sprintf("runs: %d", runs))
	fmt.Fprintf(w, "%s\n\n", strings.Join(about, ", "))
	fmt.Fprintln(w, "| work | packet | impl | ns/op | allocs/op | × hand | × mplc |")
	fmt.Fprintln(w, "|---|---|---|--:|--:|--:|--:|")
	for _, work := range rs.works {
		for i, pkt := range rs.pkts[work] {
			impls := rs.impls[[2]string{work, pkt}]
			center := map[string]float64{}
			for _, impl := range impls {
				center[impl] = summary(rs.samples[key{work, pkt, impl}].ns).Center
			}
			for j, impl := range impls {
				s := rs.samples[key{work, pkt, impl}]
				ns := summary(s.ns)
				w1, p1 := "", ""
				if i == 0 && j == 0 {
					w1 = work
				}
				if j == 0 {
					p1 = pkt
				}
				allocs := ""
				if len(s.allocs) > 0 {
					allocs = count(summary(s.allocs).Center)
				}
				vsHand, vsMplc := "", ""
				if h, ok := center["hand"]; ok && impl != "hand" {
					vsHand = ratio(ns.Center / h)
				}
				if m, ok := center["mplc"]; ok && isPeer(impl) {
					vsMplc = ratio(ns.Center / m)
				}
				cell := number(ns.Center)
				if len(s.ns) > 1 {
					cell += " ±" + ns.PctRangeString()
				}
				fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s | %s |\n", w1, p1, impl, cell, allocs, vsHand, vsMplc)
			}
		}
	}
	return nil
}

// number formats a time with three significant digits, and no fraction
// from 100 on.
func number(v float64) string {
	switch a := math.Abs(v); {
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// count formats a count, such as allocations per operation: a whole
// number as it is, another as a time is.
func count(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return number(v)
}

// ratio formats a ratio of times.
func ratio(r float64) string {
	switch {
	case math.IsNaN(r) || math.IsInf(r, 0):
		return "?"
	case r >= 100:
		return fmt.Sprintf("%.0f×", r)
	case r >= 10:
		return fmt.Sprintf("%.1f×", r)
	default:
		return fmt.Sprintf("%.2f×", r)
	}
}
