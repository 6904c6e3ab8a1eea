package igmpv3

// These tests run the code mplc generates from igmpv3.mpl, IGMPv3 (RFC
// 3376) with the IGMPv1 and v2 messages: nested counted arrays (group
// records holding source lists), queries told apart by the message length,
// round trips through the builders, gopacket's IGMP layers on our packets
// and on the IGMP messages of the captures, no allocations, fuzzing.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/mplgo/mpl/internal/fuzzcheck"
	"io"
	"math/rand/v2"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/ipv4"
	mplrt "github.com/mplgo/mpl/runtime"
)

const capturesDir = "../../../../testdata/captures"

// builderOf returns the builder of p's case holding p's fields (length is
// the parameter p was parsed with), or the generic Builder.
func builderOf(p *Packet, length int) mplrt.Appender {
	switch p.Kind() {
	case KindQuery:
		v, _ := p.AsQuery()
		b := QueryBuilder{Length: length, MaxRespCode: v.MaxRespCode(), Checksum: v.Checksum(), GroupAddress: v.GroupAddress(),
			Resv: v.Resv(), S: v.S(), Qrv: v.Qrv(), Qqic: v.Qqic()}
		for it := v.Sources(); ; {
			s, ok := it.Next()
			if !ok {
				break
			}
			b.Sources = append(b.Sources, SourceBuilder{Address: s.Address()})
		}
		return b
	case KindQueryV2:
		v, _ := p.AsQueryV2()
		return QueryV2Builder{Length: length, MaxRespTime: v.MaxRespTime(), Checksum: v.Checksum(), GroupAddress: v.GroupAddress()}
	case KindReportV1:
		v, _ := p.AsReportV1()
		return ReportV1Builder{Length: length, Unused: v.Unused(), Checksum: v.Checksum(), GroupAddress: v.GroupAddress()}
	case KindReportV2:
		v, _ := p.AsReportV2()
		return ReportV2Builder{Length: length, MaxRespTime: v.MaxRespTime(), Checksum: v.Checksum(), GroupAddress: v.GroupAddress()}
	case KindLeaveV2:
		v, _ := p.AsLeaveV2()
		return LeaveV2Builder{Length: length, MaxRespTime: v.MaxRespTime(), Checksum: v.Checksum(), GroupAddress: v.GroupAddress()}
	case KindReport:
		v, _ := p.AsReport()
		b := ReportBuilder{Length: length, Reserved1: v.Reserved1(), Checksum: v.Checksum(), Reserved2: v.Reserved2()}
		for it := v.GroupRecords(); ; {
			g, ok := it.Next()
			if !ok {
				break
			}
			gb := GroupRecordBuilder{RecordType: g.RecordType(), MulticastAddress: g.MulticastAddress(), AuxData: g.AuxData()}
			for it := g.Sources(); ; {
				s, ok := it.Next()
				if !ok {
					break
				}
				gb.Sources = append(gb.Sources, Source_Builder{Address: s.Address()})
			}
			b.GroupRecords = append(b.GroupRecords, gb)
		}
		return b
	}
	return Builder{Length: length, Type: p.Type()}
}

func randAddr(r *rand.Rand) netip.Addr {
	return netip.AddrFrom4([4]byte{224 + byte(r.IntN(16)), byte(r.Uint32()), byte(r.Uint32()), byte(r.Uint32())})
}

func a4(a netip.Addr) []byte { s := a.As4(); return s[:] }

func u16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

func randSources(r *rand.Rand) []netip.Addr {
	n := r.IntN(5)
	if r.IntN(30) == 0 {
		n = 300
	}
	out := make([]netip.Addr, n)
	for i := range out {
		out[i] = netip.AddrFrom4([4]byte{10, byte(r.Uint32()), byte(r.Uint32()), byte(i)})
	}
	return out
}

// randCase returns a random builder of one of the cases, its kind, its
// reference encoding (RFC 3376 4, RFC 2236 2, RFC 1112 appendix I) and
// the length parameter to parse it with.
func randCase(r *rand.Rand) (mplrt.Appender, Kind, []byte, int) {
	sum := uint16(r.Uint32())
	group := randAddr(r)
	switch k := Kind(1 + r.IntN(6)); k {
	case KindQuery:
		b := QueryBuilder{MaxRespCode: uint8(r.Uint32()), Checksum: sum, GroupAddress: group, Resv: uint8(r.IntN(16)),
			S: r.IntN(2) == 0, Qrv: uint8(r.IntN(8)), Qqic: uint8(r.Uint32())}
		want := append([]byte{0x11, b.MaxRespCode}, u16(sum)...)
		want = append(want, a4(group)...)
		s := b.Resv<<4 | b.Qrv
		if b.S {
			s |= 8
		}
		srcs := randSources(r)
		want = append(append(want, s, b.Qqic), u16(uint16(len(srcs)))...)
		for _, a := range srcs {
			b.Sources = append(b.Sources, SourceBuilder{Address: a})
			want = append(want, a4(a)...)
		}
		b.Length = len(want)
		return b, k, want, len(want)
	case KindReport:
		b := ReportBuilder{Reserved1: uint8(r.IntN(2)), Checksum: sum, Reserved2: uint16(r.IntN(2))}
		n := r.IntN(5)
		want := append([]byte{0x22, b.Reserved1}, u16(sum)...)
		want = append(append(want, u16(b.Reserved2)...), u16(uint16(n))...)
		for i := 0; i < n; i++ {
			g := GroupRecordBuilder{RecordType: GroupRecordRecordType(1 + r.IntN(6)), MulticastAddress: randAddr(r)}
			if r.IntN(10) == 0 {
				g.RecordType = GroupRecordRecordType(r.Uint32())
			}
			if r.IntN(4) == 0 {
				g.AuxData = bytes.Repeat([]byte{byte(i)}, 4*r.IntN(4))
			}
			srcs := randSources(r)
			want = append(append(want, byte(g.RecordType), byte(len(g.AuxData)/4)), u16(uint16(len(srcs)))...)
			want = append(want, a4(g.MulticastAddress)...)
			for _, a := range srcs {
				g.Sources = append(g.Sources, Source_Builder{Address: a})
				want = append(want, a4(a)...)
			}
			want = append(want, g.AuxData...)
			b.GroupRecords = append(b.GroupRecords, g)
		}
		b.Length = len(want)
		return b, k, want, len(want)
	}
	t, code := byte(0), uint8(r.Uint32())
	var b mplrt.Appender
	switch k := Kind(2 + r.IntN(4)); k {
	case KindQueryV2:
		t, b = 0x11, QueryV2Builder{Length: 8, MaxRespTime: code, Checksum: sum, GroupAddress: group}
	case KindReportV1:
		t, b = 0x12, ReportV1Builder{Length: 8, Unused: code, Checksum: sum, GroupAddress: group}
	case KindReportV2:
		t, b = 0x16, ReportV2Builder{Length: 8, MaxRespTime: code, Checksum: sum, GroupAddress: group}
	default:
		t, b = 0x17, LeaveV2Builder{Length: 8, MaxRespTime: code, Checksum: sum, GroupAddress: group}
	}
	want := append(append([]byte{t, code}, u16(sum)...), a4(group)...)
	kinds := map[byte]Kind{0x11: KindQueryV2, 0x12: KindReportV1, 0x16: KindReportV2, 0x17: KindLeaveV2}
	return b, kinds[t], want, 8
}

// TestRoundTrip: build every case -> reference bytes -> parse -> the
// builder of the parsed fields is the one built -> same bytes; and
// gopacket decodes the same fields.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(6, 1))
	seen := map[Kind]int{}
	for i := 0; i < 3000; i++ {
		b, kind, want, length := randCase(r)
		out, err := b.AppendTo([]byte{0xee})
		if err != nil {
			t.Fatalf("%+v: %v", b, err)
		}
		if out[0] != 0xee || !bytes.Equal(out[1:], want) {
			t.Fatalf("%T built\n %x\nwant\n %x", b, out[1:], want)
		}
		p, err := Parse(out[1:], length)
		if err != nil {
			t.Fatalf("Parse(%x): %v", out[1:], err)
		}
		if p.Kind() != kind || !bytes.Equal(p.Bytes(), want) || len(p.Rest()) != 0 {
			t.Fatalf("parsed %s as %v, want %v", p.String(), p.Kind(), kind)
		}
		seen[kind]++
		back := builderOf(&p, length)
		if fmt.Sprintf("%T %+v", back, back) != fmt.Sprintf("%T %+v", b, b) {
			t.Fatalf("parsed fields\n %+v\nwant\n %+v", back, b)
		}
		again, err := back.AppendTo(nil)
		if err != nil || !bytes.Equal(again, want) {
			t.Fatalf("rebuilt %x, %v; want %x", again, err, want)
		}
		checkGopacket(t, &p)
	}
	if len(seen) != 6 {
		t.Errorf("built only %v", seen)
	}
}

// igmpTime is the RFC 3376 4.1.1 decoding of a max resp code or QQIC.
func igmpTime(c uint8) time.Duration {
	if c < 128 {
		return time.Duration(c) * 100 * time.Millisecond
	}
	return time.Duration((int(c&0x0f)|0x10)<<((c>>4&7)+3)) * 100 * time.Millisecond
}

// sameTime compares gopacket's decoding of a time code with ours. It
// leaves out codes from 128 on: gopacket v1.7.7 computes their mantissa
// shift in uint8 arithmetic (igmpTimeDecode), which overflows (code 187,
// 19<<14 deciseconds, comes out as 0s).
func sameTime(theirs time.Duration, code uint8) bool {
	return code >= 128 || theirs == igmpTime(code)
}

func ipEq(a netip.Addr, b net.IP) bool {
	g, ok := netip.AddrFromSlice(b)
	return ok && g.Unmap() == a
}

// checkGopacket compares p with what gopacket decodes from its bytes.
func checkGopacket(t *testing.T, p *Packet) {
	t.Helper()
	g := gopacket.NewPacket(p.Bytes(), layers.LayerTypeIGMP, gopacket.Default)
	bad := func(what string, theirs any) {
		t.Helper()
		t.Fatalf("%s: %s differs from gopacket's %+v", p.String(), what, theirs)
	}
	switch p.Kind() {
	case KindQuery, KindReport:
		gl, _ := g.Layer(layers.LayerTypeIGMP).(*layers.IGMP)
		// gopacket v1.7.7's IGMP.DecodeFromBytes clears the layer, and
		// with it the Version 3 its decoder set: Version is 0.
		if gl == nil || (gl.Version != 3 && gl.Version != 0) || uint8(gl.Type) != p.Type() {
			bad("the IGMPv3 layer", g.Layers())
		}
		if v, ok := p.AsQuery(); ok {
			if gl.Checksum != v.Checksum() || !ipEq(v.GroupAddress(), gl.GroupAddress) || !sameTime(gl.MaxResponseTime, v.MaxRespCode()) ||
				gl.SupressRouterProcessing != v.S() || gl.RobustnessValue != v.Qrv() || !sameTime(gl.IntervalTime, v.Qqic()) ||
				gl.NumberOfSources != v.NumberOfSources() || len(gl.SourceAddresses) != int(v.NumberOfSources()) {
				bad("query", gl)
			}
			it := v.Sources()
			for _, a := range gl.SourceAddresses {
				if s, _ := it.Next(); !ipEq(s.Address(), a) {
					bad("source", a)
				}
			}
			return
		}
		v, _ := p.AsReport()
		if gl.Checksum != v.Checksum() || gl.NumberOfGroupRecords != v.NumberOfGroupRecords() || len(gl.GroupRecords) != int(v.NumberOfGroupRecords()) {
			bad("report", gl)
		}
		it := v.GroupRecords()
		for _, gr := range gl.GroupRecords {
			rec, _ := it.Next()
			if uint8(gr.Type) != uint8(rec.RecordType()) || gr.AuxDataLen != rec.AuxDataLen() || gr.NumberOfSources != rec.NumberOfSources() ||
				!ipEq(rec.MulticastAddress(), gr.MulticastAddress) || len(gr.SourceAddresses) != int(rec.NumberOfSources()) {
				bad("group record "+rec.String(), gr)
			}
			sit := rec.Sources()
			for _, a := range gr.SourceAddresses {
				if s, _ := sit.Next(); !ipEq(s.Address(), a) {
					bad("record source", a)
				}
			}
		}
	case KindQueryV2, KindReportV1, KindReportV2, KindLeaveV2:
		gl, _ := g.Layer(layers.LayerTypeIGMP).(*layers.IGMPv1or2)
		if gl == nil || uint8(gl.Type) != p.Type() {
			bad("the IGMPv1or2 layer", g.Layers())
		}
		var code uint8
		var sum uint16
		var group netip.Addr
		version := uint8(2)
		switch p.Kind() {
		case KindQueryV2:
			v, _ := p.AsQueryV2()
			code, sum, group = v.MaxRespTime(), v.Checksum(), v.GroupAddress()
			if code == 0 {
				version = 1
			}
		case KindReportV1:
			v, _ := p.AsReportV1()
			code, sum, group, version = v.Unused(), v.Checksum(), v.GroupAddress(), 1
		case KindReportV2:
			v, _ := p.AsReportV2()
			code, sum, group = v.MaxRespTime(), v.Checksum(), v.GroupAddress()
		case KindLeaveV2:
			v, _ := p.AsLeaveV2()
			code, sum, group = v.MaxRespTime(), v.Checksum(), v.GroupAddress()
		}
		if gl.Checksum != sum || !ipEq(group, gl.GroupAddress) || !sameTime(gl.MaxResponseTime, code) || gl.Version != version {
			bad("fields", gl)
		}
	default:
		if g.ErrorLayer() == nil {
			bad("an unknown message", g.Layers())
		}
	}
}

// TestQueryLength: RFC 3376 7.1 tells queries apart by their length: 8
// bytes is IGMPv1 or v2, 12 or more IGMPv3, and others are ignored.
func TestQueryLength(t *testing.T) {
	v3 := []byte{0x11, 100, 0, 0, 224, 0, 0, 1, 0x0a, 125, 0, 1, 10, 0, 0, 1}
	for _, tc := range []struct {
		in     []byte
		length int
		kind   Kind
	}{
		{v3[:8], 8, KindQueryV2},
		{v3[:12], 12, KindUnknown}, // the count says one source: Parse fails, below
		{v3, 16, KindQuery},
		{v3, 8, KindQueryV2}, // an 8-byte message followed by other bytes
		{v3[:10], 10, KindUnknown},
		{v3[:9], 9, KindUnknown},
	} {
		p, err := Parse(tc.in, tc.length)
		if tc.length == 12 {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Kind != mplrt.KindLength || e.Field != "sources" {
				t.Errorf("a 12-byte query counting one source: %v", err)
			}
			continue
		}
		if err != nil || p.Kind() != tc.kind {
			t.Errorf("Parse(%x, %d): %v, %v; want %v", tc.in, tc.length, p.Kind(), err, tc.kind)
			continue
		}
		if tc.kind == KindUnknown && (len(p.Bytes()) != 1 || !bytes.Equal(p.Rest(), tc.in[1:])) {
			t.Errorf("an unknown query keeps %x, rest %x", p.Bytes(), p.Rest())
		}
	}
	// The case builders check the length parameter too.
	if _, err := (QueryBuilder{Length: 8}).AppendTo(nil); err == nil {
		t.Error("QueryBuilder with length 8 built")
	}
	if _, err := (QueryV2Builder{Length: 12}).AppendTo(nil); err == nil {
		t.Error("QueryV2Builder with length 12 built")
	}
	out, err := QueryBuilder{Length: 12, Qrv: 2, Qqic: 125}.AppendTo(nil)
	if err != nil || !bytes.Equal(out, []byte{0x11, 0, 0, 0, 0, 0, 0, 0, 2, 125, 0, 0}) {
		t.Errorf("QueryBuilder = %x, %v", out, err)
	}
}

// TestNestedErrors: counts that do not fit the input fail where they
// stand, inside the nested arrays too.
func TestNestedErrors(t *testing.T) {
	b := ReportBuilder{Length: 40, GroupRecords: []GroupRecordBuilder{
		{RecordType: GroupRecordRecordTypeModeIsInclude, MulticastAddress: netip.MustParseAddr("239.1.1.1"),
			Sources: []Source_Builder{{Address: netip.MustParseAddr("10.0.0.1")}, {Address: netip.MustParseAddr("10.0.0.2")}}},
		{RecordType: GroupRecordRecordTypeBlockOldSources, MulticastAddress: netip.MustParseAddr("239.1.1.2"), AuxData: []byte{1, 2, 3, 4}},
	}}
	good, err := b.AppendTo(nil)
	if err != nil || len(good) != 8+16+12 {
		t.Fatalf("built %x, %v", good, err)
	}
	set := func(i int, v byte) []byte { c := bytes.Clone(good); c[i] = v; return c }
	for _, tc := range []struct {
		in    []byte
		field string
		kind  mplrt.Kind
		off   int
	}{
		{good[:7], "number_of_group_records", mplrt.KindTruncated, 6},
		{set(7, 3), "record_type", mplrt.KindTruncated, 36}, // a third record is missing
		{set(11, 200), "sources", mplrt.KindLength, 16},     // 200 sources in 20 bytes
		// A third source takes the second record's first word: what is
		// left reads as a record of 258 sources.
		{set(11, 3), "sources", mplrt.KindLength, 36},
		{set(25, 9), "aux_data", mplrt.KindLength, 32}, // 36 bytes of aux data in 4
		{good[:len(good)-1], "aux_data", mplrt.KindLength, 32},
	} {
		_, err := Parse(tc.in, len(tc.in))
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != tc.field || e.Kind != tc.kind || e.Offset != tc.off {
			t.Errorf("Parse(%x): %v; want %s %v at %d", tc.in, err, tc.field, tc.kind, tc.off)
		}
	}
	// Aux data that is not whole 32-bit words cannot be built.
	b.GroupRecords[1].AuxData = []byte{1, 2, 3}
	if out, err := b.AppendTo([]byte{9}); err == nil || len(out) != 1 {
		t.Errorf("3 bytes of aux data built: %x, %v", out, err)
	}
}

func TestText(t *testing.T) {
	out, err := ReportBuilder{Length: 16, Checksum: 0xfa, GroupRecords: []GroupRecordBuilder{{RecordType: GroupRecordRecordTypeChangeToExclude,
		MulticastAddress: netip.MustParseAddr("239.255.255.250")}}}.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(out, len(out))
	if err != nil {
		t.Fatal(err)
	}
	want := "igmpv3 type=34 case=Report reserved1=0 checksum=0x00fa reserved2=0 number_of_group_records=1 " +
		"group_records[0].record_type=ChangeToExclude group_records[0].aux_data_len=0 group_records[0].number_of_sources=0 " +
		`group_records[0].multicast_address=239.255.255.250 group_records[0].aux_data=""`
	if s := p.String(); s != want {
		t.Errorf("String() =\n %s\nwant\n %s", s, want)
	}
}

func TestAllocs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	buf := make([]byte, 0, 1<<14)
	for i := 0; i < 40; i++ {
		_, kind, in, length := randCase(r)
		var p Packet
		var sink int
		p, _ = Parse(in, length)
		b := builderOf(&p, length) // made before: building a builder from a view allocates its slices
		for name, fn := range map[string]func(){
			"Parse": func() { p, _ = Parse(in, length) },
			"Decode": func() {
				if p.Decode(in, length) != nil {
					t.Fatal("Decode failed")
				}
			},
			"accessors and iteration": func() {
				sink += int(p.Type()) + int(p.Kind()) + len(p.Bytes()) + len(p.Rest())
				if v, ok := p.AsReport(); ok {
					for it := v.GroupRecords(); ; {
						g, ok := it.Next()
						if !ok {
							break
						}
						sink += int(g.RecordType()) + int(g.AuxDataLen()) + len(g.AuxData())
						if g.MulticastAddress().IsValid() {
							sink++
						}
						for it := g.Sources(); ; {
							s, ok := it.Next()
							if !ok {
								break
							}
							if s.Address().IsValid() {
								sink++
							}
						}
					}
				}
				if v, ok := p.AsQuery(); ok {
					sink += int(v.Qqic()) + int(v.Qrv())
					for it := v.Sources(); ; {
						s, ok := it.Next()
						if !ok {
							break
						}
						if s.Address().IsValid() {
							sink++
						}
					}
				}
			},
			"Walk":       func() { p.Walk(func(mplrt.Field) bool { sink++; return true }) },
			"AppendText": func() { buf = p.AppendText(buf[:0]) },
			"AppendTo": func() {
				var err error
				if buf, err = b.AppendTo(buf[:0]); err != nil {
					t.Fatal(err)
				}
			},
		} {
			if n := testing.AllocsPerRun(20, fn); n != 0 {
				t.Errorf("%v: %s allocates %v times", kind, name, n)
			}
		}
	}
}

// FuzzParse: Parse never panics; what parses walks, prints and rebuilds
// with the builder of its case to the same bytes.
func FuzzParse(f *testing.F) {
	r := rand.New(rand.NewPCG(5, 5))
	for added := 0; added < 16; {
		_, _, b, n := randCase(r)
		if len(b) > 256 {
			continue // the fuzzer spends seconds minimizing each new input grown from a large seed
		}
		f.Add(b, int16(n))
		added++
	}
	f.Add([]byte{0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0}, int16(10))
	f.Fuzz(func(t *testing.T, data []byte, length int16) {
		p, err := Parse(data, int(length))
		if err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "igmpv3" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		p.Walk(func(mplrt.Field) bool { return true })
		_ = p.String()
		if p.Kind() == KindUnknown {
			return // the generic builder takes the body whole: nothing to compare
		}
		out, err := builderOf(&p, int(length)).AppendTo(nil)
		if err != nil || !bytes.Equal(out, p.Bytes()) || !bytes.Equal(append(out, p.Rest()...), data) {
			t.Fatalf("rebuilt %x, %v; want %x", out, err, p.Bytes())
		}
		q, err := Parse(out, int(length))
		if err != nil || q.Kind() != p.Kind() {
			t.Fatalf("rebuilt packet parses as %v, %v", q.Kind(), err)
		}
	})
}

// readCapture reads the frames of a pcap or pcapng file.
func readCapture(path string) ([][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	if bytes.HasPrefix(data, []byte{0x0a, 0x0d, 0x0d, 0x0a}) {
		r, err = pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.DefaultNgReaderOptions)
	} else {
		r, err = pcapgo.NewReader(bytes.NewReader(data))
	}
	if err != nil {
		return nil, err
	}
	var frames [][]byte
	for {
		b, _, err := r.ReadPacketData()
		if err == io.EOF {
			return frames, nil
		}
		if err != nil {
			return nil, err
		}
		frames = append(frames, bytes.Clone(b))
	}
}

// checksumOK reports whether the RFC 1071 checksum of b is right.
func checksumOK(b []byte) bool {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s > 0xffff {
		s = s>>16 + s&0xffff
	}
	return s == 0xffff
}

// TestCapturesGopacket parses every IGMP message of the captures (IPv4
// protocol 2 in unfragmented packets, through gen/ethernet and gen/ipv4,
// the IPv4 payload length as the length parameter), compares each with
// gopacket and rebuilds it.
func TestCapturesGopacket(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(capturesDir, "*.pcap*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	perCapture := map[string]int{}
	kinds := map[Kind]int{}
	total := 0
	for _, file := range files {
		frames, err := readCapture(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i, frame := range frames {
			eth, err := ethernet.Parse(frame)
			if err != nil || eth.Ethertype() != ethernet.EthertypeIPv4 {
				continue
			}
			ip, err := ipv4.Parse(eth.Payload())
			if err != nil || ip.Protocol() != ipv4.ProtocolIGMP || ip.MoreFragments() || ip.FragmentOffset() != 0 {
				continue
			}
			where := fmt.Sprintf("%s frame %d", filepath.Base(file), i+1)
			in := ip.Payload()
			p, err := Parse(in, len(in))
			if err != nil {
				t.Errorf("%s: %v", where, err)
				continue
			}
			total++
			perCapture[filepath.Base(file)]++
			kinds[p.Kind()]++
			if !checksumOK(p.Bytes()) {
				t.Errorf("%s: bad checksum in %s", where, p.String())
			}
			if len(p.Rest()) != 0 {
				t.Errorf("%s: %d bytes after the message", where, len(p.Rest()))
			}
			checkGopacket(t, &p)
			out, err := builderOf(&p, len(in)).AppendTo(nil)
			if err != nil || !bytes.Equal(out, in) {
				t.Errorf("%s: rebuilt %x, %v; want %x", where, out, err, in)
			}
			// The whole frame: Ethernet around IPv4 (with its router
			// alert option) around the message, and the link padding.
			eb := ethernet.Builder{Dst: eth.Dst(), Src: eth.Src(), Ethertype: eth.Ethertype()}
			ib := ipv4.Builder{DSCP: ip.DSCP(), ECN: ip.ECN(), ID: ip.ID(), Reserved: ip.Reserved(), DontFragment: ip.DontFragment(),
				TTL: ip.TTL(), Protocol: ip.Protocol(), Src: ip.Src(), Dst: ip.Dst(), Options: ip.Options()}
			out, err = mplrt.Nest(eb, mplrt.Nest(ib, builderOf(&p, len(in)))).AppendTo(nil)
			if out = append(out, ip.Rest()...); err != nil || !bytes.Equal(out, frame) {
				t.Errorf("%s: nested builders made\n %x, %v; want\n %x", where, out, err, frame)
			}
		}
	}
	t.Logf("%d IGMP messages parsed: %v; %v", total, perCapture, kinds)
	if total == 0 {
		t.Error("no IGMP message in the captures")
	}
}

// bug skips a test that fails because of a generator bug, unless
// MPL_E2E_BUGS is set.
func bug(t *testing.T, what string) {
	t.Helper()
	if os.Getenv("MPL_E2E_BUGS") == "" {
		t.Skip("generator bug: " + what)
	}
}

// TestNestedWalkNames: Walk and String name a field of a nested array
// element by the path to it, so that the sources of two group records can
// be told apart.
func TestNestedWalkNames(t *testing.T) {
	src := func(s string) Source_Builder { return Source_Builder{Address: netip.MustParseAddr(s)} }
	out, err := ReportBuilder{GroupRecords: []GroupRecordBuilder{
		{RecordType: 1, MulticastAddress: netip.MustParseAddr("239.0.0.1"), Sources: []Source_Builder{src("10.0.0.1")}},
		{RecordType: 1, MulticastAddress: netip.MustParseAddr("239.0.0.2"), Sources: []Source_Builder{src("10.0.0.2")}},
	}}.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(out, len(out))
	if err != nil {
		t.Fatal(err)
	}
	s := p.String()
	for _, want := range []string{"group_records[0].sources[0].address=10.0.0.1", "group_records[1].sources[0].address=10.0.0.2"} {
		if !bytes.Contains([]byte(s), []byte(want)) {
			t.Errorf("String() lacks %s:\n%s", want, s)
		}
	}
}

// TestBuildErrors: errors inside nested elements name the field and its
// offset from the start of the message, and leave dst unchanged.
func TestBuildErrors(t *testing.T) {
	v6, v4 := netip.MustParseAddr("::1"), netip.MustParseAddr("10.0.0.1")
	for _, tc := range []struct {
		b     ReportBuilder
		field string
		off   int
	}{
		{ReportBuilder{GroupRecords: []GroupRecordBuilder{{Sources: []Source_Builder{{Address: v6}}}}}, "address", 16},
		{ReportBuilder{GroupRecords: []GroupRecordBuilder{{Sources: []Source_Builder{{Address: v4}}},
			{Sources: []Source_Builder{{Address: v4}, {Address: v6}}}}}, "address", 32},
		{ReportBuilder{GroupRecords: []GroupRecordBuilder{{MulticastAddress: v6}}}, "multicast_address", 12},
		{ReportBuilder{GroupRecords: []GroupRecordBuilder{{AuxData: make([]byte, 1024)}}}, "aux_data_len", 9},
		{ReportBuilder{GroupRecords: make([]GroupRecordBuilder, 1<<16)}, "number_of_group_records", 6},
	} {
		out, err := tc.b.AppendTo([]byte{1, 2})
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != tc.field || e.Offset != tc.off || e.Kind != mplrt.KindValue || len(out) != 2 {
			t.Errorf("%d bytes, %v; want a value error at %s, offset %d", len(out), err, tc.field, tc.off)
		}
	}
	if _, err := (QueryBuilder{Length: 12, Sources: make([]SourceBuilder, 1<<16)}).AppendTo(nil); err == nil {
		t.Error("a query of 65536 sources built")
	}
}

// TestElementBuilderParams: the elements of the arrays do not read the
// length parameter, so their builders should not ask for it.
func TestElementBuilderParams(t *testing.T) {
	for _, v := range []any{GroupRecordBuilder{}, SourceBuilder{}, Source_Builder{}} {
		if _, ok := reflect.TypeOf(v).FieldByName("Length"); ok {
			t.Errorf("%T has a Length field", v)
		}
	}
}

// TestDecodeReuse: one view decodes messages of every kind in turn, and
// after a failed Decode, as Parse does each afresh.
func TestDecodeReuse(t *testing.T) {
	r := rand.New(rand.NewPCG(8, 1))
	var v Packet
	for i := 0; i < 500; i++ {
		_, _, in, length := randCase(r)
		if i%7 == 0 {
			in = in[:len(in)/2]
		}
		p, perr := Parse(in, length)
		err := v.Decode(in, length)
		if (err == nil) != (perr == nil) {
			t.Fatalf("Decode: %v, Parse: %v", err, perr)
		}
		if err != nil {
			continue
		}
		if v.Kind() != p.Kind() || v.String() != p.String() || !bytes.Equal(v.Rest(), p.Rest()) {
			t.Fatalf("Decode gave %s, Parse %s", v.String(), p.String())
		}
		if _, ok := v.AsReport(); ok != (p.Kind() == KindReport) {
			t.Fatalf("AsReport after Decode of a %v: %v", p.Kind(), ok)
		}
	}
}

// diffPackets are the packets of the package for internal/fuzzcheck.
var diffPackets = []fuzzcheck.Packet{
	{Spec: "igmpv3.mpl", Name: "igmpv3", Parse: Parse, Params: [][]any{{8}, {12}, {16}, {24}, {40}}, Builders: []any{Builder{}, QueryBuilder{}, QueryV2Builder{}, ReportV1Builder{}, ReportV2Builder{}, LeaveV2Builder{}, ReportBuilder{}, SourceBuilder{}, GroupRecordBuilder{}, Source_Builder{}}},
}

// FuzzDifferentialIGMPv3 parses the input as each packet, works the view
// through every accessor, iterator, Walk and String, rebuilds it with the
// builders and compares (see internal/fuzzcheck).
func FuzzDifferentialIGMPv3(f *testing.F) {
	for _, p := range diffPackets {
		for _, s := range fuzzcheck.Seeds(p) {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range diffPackets {
			fuzzcheck.Check(t, p, b)
		}
	})
}
