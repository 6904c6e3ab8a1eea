package bench

import "testing"

// Sinks: the benchmarks store what they read or built here, so that the
// compiler cannot drop the work.
var (
	sinkFields fields
	sinkLen    int
)

// BenchmarkDecode decodes each frame vector with each implementation and
// copies every header field into sinkFields. For each packet the
// implementations run one after the other, so that benchstat -col /impl
// compares runs made close together in time.
func BenchmarkDecode(b *testing.B) {
	for _, name := range frameNames {
		frame := vector(b, name)
		for _, im := range decodeImpls {
			b.Run("impl="+im.name+"/pkt="+name, func(b *testing.B) {
				decode := im.new()
				b.ReportAllocs()
				b.SetBytes(int64(len(frame)))
				for b.Loop() {
					if err := decode(frame, &sinkFields); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkBuild builds the p3 and p4 frames with each implementation
// into a reused buffer.
func BenchmarkBuild(b *testing.B) {
	for _, c := range buildCases(b) {
		for _, im := range buildImpls {
			b.Run("impl="+im.name+"/pkt="+c.name, func(b *testing.B) {
				build := c.make(im)
				buf := make([]byte, 0, 2048)
				out, err := build(buf[:0])
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.SetBytes(int64(len(out)))
				for b.Loop() {
					out, err := build(buf[:0])
					if err != nil {
						b.Fatal(err)
					}
					sinkLen += len(out)
				}
			})
		}
	}
}
