package bench

import (
	"bytes"
	"testing"
)

// Sinks: the benchmarks store what they read or built here, so that the
// compiler cannot drop the work.
var (
	sinkFields fields
	sinkLen    int
	sinkResult csumResult
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
			b.Run("impl="+im.name+"/pkt="+c.name, func(b *testing.B) { benchBuild(b, c.make(im)) })
		}
	}
}

// benchBuild runs build into a reused buffer of 2 KiB, reporting the
// bytes it builds and its allocations.
func benchBuild(b *testing.B, build func(dst []byte) ([]byte, error)) {
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
}

// BenchmarkReflect turns the p3 ICMP echo request into its echo reply
// with each implementation. Each iteration first puts back the request's
// headers (a copy of 42 bytes, the same for every implementation), so
// that every iteration does the same work.
func BenchmarkReflect(b *testing.B) {
	const name = "p3_icmp_echo"
	orig := vector(b, name)
	for _, im := range reflectImpls {
		b.Run("impl="+im.name+"/pkt="+name, func(b *testing.B) {
			reflect := im.new()
			frame := bytes.Clone(orig)
			b.ReportAllocs()
			b.SetBytes(int64(len(frame)))
			for b.Loop() {
				copy(frame[:reflectHeaderLen], orig)
				out, err := reflect(frame)
				if err != nil {
					b.Fatal(err)
				}
				sinkLen += len(out)
			}
		})
	}
}

// BenchmarkChecksum verifies the IPv4 header checksum and the transport
// checksum of each frame vector with each implementation.
func BenchmarkChecksum(b *testing.B) {
	for _, name := range frameNames {
		in := newCsumInput(b, vector(b, name))
		for _, im := range csumImpls {
			b.Run("impl="+im.name+"/pkt="+name, func(b *testing.B) {
				b.ReportAllocs()
				b.SetBytes(int64(len(in.Header) + len(in.Payload)))
				for b.Loop() {
					r := im.fn(in)
					if !r.IPv4 || !r.Transport {
						b.Fatalf("%+v", r)
					}
					sinkResult = r
				}
			})
		}
	}
}
