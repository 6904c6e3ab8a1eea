package gen_test

// Every frame of every capture in testdata/captures goes layer by layer
// through the generated packages (TestCaptures), and is compared field by
// field with gopacket (TestCapturesGopacket). The helpers here (reading
// captures, the layer stack, error checks, field walks) are shared by the
// round-trip, allocation and fuzz tests of this package.

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/tcp"
	"github.com/mplgo/mpl/gen/udp"
	"github.com/mplgo/mpl/gen/vlan"
	pcapfile "github.com/mplgo/mpl/internal/capture"
	mplrt "github.com/mplgo/mpl/runtime"
)

const (
	capturesDir = "../testdata/captures"
	vectorsDir  = "../testdata/vectors"
)

// frameVectors are the benchmark vectors that hold whole Ethernet frames.
var frameVectors = []string{
	"p1_tcp_syn.hex",
	"p2_tcp_ack_1448.hex",
	"p3_icmp_echo.hex",
	"p4_dns_udp.hex",
	"p5_dns_udp.hex",
}

// loadVector reads one hex vector of testdata/vectors.
func loadVector(tb testing.TB, name string) []byte {
	tb.Helper()
	b, err := os.ReadFile(filepath.Join(vectorsDir, name))
	if err != nil {
		tb.Fatal(err)
	}
	v, err := hex.DecodeString(strings.TrimSpace(string(b)))
	if err != nil {
		tb.Fatalf("%s: %v", name, err)
	}
	return v
}

// A capture is one file of testdata/captures, read whole.
type capture struct {
	name   string
	link   layers.LinkType
	frames [][]byte
}

var captureCache struct {
	once sync.Once
	caps []capture
	err  error
}

// loadCaptures reads every capture listed in testdata/captures/MANIFEST.tsv,
// once per test binary.
func loadCaptures(tb testing.TB) []capture {
	tb.Helper()
	captureCache.once.Do(func() {
		captureCache.caps, captureCache.err = readCaptures(capturesDir)
	})
	if captureCache.err != nil {
		tb.Fatal(captureCache.err)
	}
	return captureCache.caps
}

// manifestRow is one row of MANIFEST.tsv: file name, link type, packet count.
type manifestRow struct {
	file    string
	link    string
	packets int
}

func readManifest(dir string) ([]manifestRow, error) {
	f, err := os.Open(filepath.Join(dir, "MANIFEST.tsv"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var rows []manifestRow
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	header := true
	for sc.Scan() {
		if header {
			header = false
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 9 {
			return nil, fmt.Errorf("MANIFEST.tsv: short row %q", sc.Text())
		}
		n, err := strconv.Atoi(cols[8])
		if err != nil {
			return nil, fmt.Errorf("MANIFEST.tsv: %s: packets: %v", cols[0], err)
		}
		rows = append(rows, manifestRow{file: cols[0], link: cols[7], packets: n})
	}
	return rows, sc.Err()
}

func readCaptures(dir string) ([]capture, error) {
	rows, err := readManifest(dir)
	if err != nil {
		return nil, err
	}
	caps := make([]capture, 0, len(rows))
	for _, r := range rows {
		link, frames, err := pcapfile.Read(filepath.Join(dir, r.file))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", r.file, err)
		}
		caps = append(caps, capture{name: r.file, link: link, frames: frames})
	}
	return caps, nil
}

// The layers the generated packages decode. The stack is Ethernet, up to
// two VLAN tags (lVLAN the outer, lVLAN2 the inner of a QinQ frame), ARP
// or IPv4, then ICMP, UDP or TCP; the tags come last here so that the
// other layers keep their numbers.
const (
	lEthernet = iota
	lARP
	lIPv4
	lICMP
	lUDP
	lTCP
	lVLAN
	lVLAN2
	nLayers
)

// layerNames are the names of the packets of the layers, as their errors
// and String give them.
var layerNames = [nLayers]string{"ethernet", "arp", "ipv4", "icmp", "udp", "tcp", "vlan", "vlan"}

// layerLabel names layer l in messages and counts: its packet, and for
// the inner VLAN tag which tag it is.
func layerLabel(l int) string {
	if l == lVLAN2 {
		return "vlan (inner tag)"
	}
	return layerNames[l]
}

// layerResult is what one layer of the stack got and what it made of it.
type layerResult struct {
	tried bool   // the layer below led to this one
	in    []byte // the bytes given to Parse
	err   error  // Parse's error
}

func (r layerResult) ok() bool { return r.tried && r.err == nil }

// stack is a frame decoded layer by layer with the generated packages.
type stack struct {
	res      [nLayers]layerResult
	eth      ethernet.Packet
	arp      arp.Packet
	ip       ipv4.Packet
	fragment bool // the IPv4 packet is a fragment: nothing above it is parsed
	icmp     icmp.Packet
	udp      udp.Packet
	tcp      tcp.Packet
	vlan     [2]vlan.Packet // the outer tag, and the inner one of a QinQ frame
	tags     int            // the VLAN tags parsed, before ARP or IPv4
}

// parseStack decodes frame: ethernet, up to two VLAN tags, then by
// ethertype ARP or IPv4, then for unfragmented IPv4 by protocol ICMP, UDP
// or TCP. A third tag is not decoded.
func parseStack(frame []byte) stack {
	var s stack
	s.res[lEthernet] = layerResult{tried: true, in: frame}
	s.eth, s.res[lEthernet].err = ethernet.Parse(frame)
	if s.res[lEthernet].err != nil {
		return s
	}
	ethertype, payload := s.eth.Ethertype(), s.eth.Payload()
	for ; isVLANTag(ethertype); s.tags++ {
		if s.tags == len(s.vlan) {
			return s
		}
		l := lVLAN + s.tags
		s.res[l] = layerResult{tried: true, in: payload}
		s.vlan[s.tags], s.res[l].err = vlan.Parse(payload)
		if s.res[l].err != nil {
			return s
		}
		ethertype, payload = ethernet.Ethertype(s.vlan[s.tags].Ethertype()), s.vlan[s.tags].Payload()
	}
	switch ethertype {
	case ethernet.EthertypeARP:
		s.res[lARP] = layerResult{tried: true, in: payload}
		s.arp, s.res[lARP].err = arp.Parse(payload)
	case ethernet.EthertypeIPv4:
		s.res[lIPv4] = layerResult{tried: true, in: payload}
		s.ip, s.res[lIPv4].err = ipv4.Parse(payload)
		if s.res[lIPv4].err != nil {
			return s
		}
		if s.ip.FragmentOffset() != 0 || s.ip.MoreFragments() {
			s.fragment = true
			return s
		}
		inner := s.ip.Payload()
		switch s.ip.Protocol() {
		case ipv4.ProtocolICMP:
			s.res[lICMP] = layerResult{tried: true, in: inner}
			s.icmp, s.res[lICMP].err = icmp.Parse(inner)
		case ipv4.ProtocolUDP:
			s.res[lUDP] = layerResult{tried: true, in: inner}
			s.udp, s.res[lUDP].err = udp.Parse(inner)
		case ipv4.ProtocolTCP:
			s.res[lTCP] = layerResult{tried: true, in: inner}
			s.tcp, s.res[lTCP].err = tcp.Parse(inner)
		}
	}
	return s
}

// parseStackSafe is parseStack that turns a panic into a test error.
func parseStackSafe(t *testing.T, where string, frame []byte) (s stack, ok bool) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: panic: %v\n%s\nframe: %x", where, r, debug.Stack(), frame)
			ok = false
		}
	}()
	return parseStack(frame), true
}

var kindSentinels = map[mplrt.Kind]error{
	mplrt.KindTruncated: mplrt.ErrTruncated,
	mplrt.KindConst:     mplrt.ErrConst,
	mplrt.KindMin:       mplrt.ErrMin,
	mplrt.KindMax:       mplrt.ErrMax,
	mplrt.KindLength:    mplrt.ErrLength,
	mplrt.KindAlign:     mplrt.ErrAlign,
	mplrt.KindClassify:  mplrt.ErrClassify,
	mplrt.KindValue:     mplrt.ErrValue,
	mplrt.KindChecksum:  mplrt.ErrChecksum,
}

// parseErrorProblem says what is wrong with err, a Parse error of packet
// pkt on input in, or "" if it is a proper mplrt.Error: the right packet, a
// field, an offset within the input, a valid Kind that errors.Is matches.
func parseErrorProblem(pkt string, in []byte, err error) string {
	var e mplrt.Error
	if !errors.As(err, &e) {
		return fmt.Sprintf("error %q (%T) is not an mplrt.Error", err, err)
	}
	var bad []string
	if e.Packet != pkt {
		bad = append(bad, fmt.Sprintf("packet %q, want %q", e.Packet, pkt))
	}
	if e.Field == "" {
		bad = append(bad, "no field name")
	}
	if e.Offset < 0 || e.Offset > len(in) {
		bad = append(bad, fmt.Sprintf("offset %d outside the %d-byte input", e.Offset, len(in)))
	}
	if s := kindSentinels[e.Kind]; s == nil {
		bad = append(bad, fmt.Sprintf("invalid kind %v", e.Kind))
	} else if !errors.Is(err, s) {
		bad = append(bad, fmt.Sprintf("errors.Is(err, sentinel of %v) is false", e.Kind))
	}
	if err.Error() != e.Error() {
		bad = append(bad, fmt.Sprintf("Error() %q, as mplrt.Error %q", err.Error(), e.Error()))
	}
	if bad == nil {
		return ""
	}
	return fmt.Sprintf("error %q: %s", err, strings.Join(bad, "; "))
}

// errorKey names a Parse error by packet, field and kind, for counting.
func errorKey(err error) string {
	var e mplrt.Error
	if !errors.As(err, &e) {
		return "not-an-mplrt.Error"
	}
	return e.Packet + "." + e.Field + "(" + e.Kind.String() + ")"
}

// walker is what every generated view and case view has.
type walker interface {
	Walk(func(mplrt.Field) bool) bool
}

// walkFields returns the fields Walk hands out, in order.
func walkFields(w walker) []mplrt.Field {
	var fs []mplrt.Field
	if !w.Walk(func(f mplrt.Field) bool { fs = append(fs, f); return true }) {
		fs = append(fs, mplrt.Field{Name: "Walk returned false"})
	}
	return fs
}

// fieldsEqual reports whether two field lists are equal, as a go-cmp diff
// with fieldCmpOpts would find them (byte strings by content), but faster.
func fieldsEqual(a, b []mplrt.Field) bool {
	return slices.EqualFunc(a, b, func(x, y mplrt.Field) bool {
		if !bytes.Equal(x.Bytes, y.Bytes) {
			return false
		}
		x.Bytes, y.Bytes = nil, nil
		return reflect.DeepEqual(x, y)
	})
}

// splitProblem checks that a view's Bytes and Rest split its input.
func splitProblem(in, packet, rest []byte) string {
	if len(packet)+len(rest) != len(in) || !bytes.Equal(packet, in[:len(packet)]) || !bytes.Equal(rest, in[len(packet):]) {
		return fmt.Sprintf("Bytes (%d) and Rest (%d) do not split the %d-byte input", len(packet), len(rest), len(in))
	}
	return ""
}

// layerCounts counts, for one capture, what each layer made of its frames.
type layerCounts struct {
	frames    int
	ok        [nLayers]int
	failed    [nLayers]int
	fragments int
	errs      map[string]int
}

func (c *layerCounts) add(s stack) {
	c.frames++
	for l, r := range s.res {
		switch {
		case !r.tried:
		case r.err == nil:
			c.ok[l]++
		default:
			c.failed[l]++
			if c.errs == nil {
				c.errs = map[string]int{}
			}
			c.errs[errorKey(r.err)]++
		}
	}
	if s.fragment {
		c.fragments++
	}
}

func (c *layerCounts) merge(o *layerCounts) {
	c.frames += o.frames
	for l := range nLayers {
		c.ok[l] += o.ok[l]
		c.failed[l] += o.failed[l]
	}
	c.fragments += o.fragments
	for k, n := range o.errs {
		if c.errs == nil {
			c.errs = map[string]int{}
		}
		c.errs[k] += n
	}
}

func (c *layerCounts) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "frames %d:", c.frames)
	for l := range nLayers {
		fmt.Fprintf(&b, " %s %d ok/%d err", layerLabel(l), c.ok[l], c.failed[l])
		if l < nLayers-1 {
			b.WriteByte(';')
		}
	}
	fmt.Fprintf(&b, "; ipv4 fragments %d", c.fragments)
	if len(c.errs) > 0 {
		keys := make([]string, 0, len(c.errs))
		for k := range c.errs {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("; errors:")
		for _, k := range keys {
			fmt.Fprintf(&b, " %s=%d", k, c.errs[k])
		}
	}
	return b.String()
}

// TestCaptureManifest checks that testdata/captures holds exactly the
// files of its manifest, with Ethernet link types and the packet counts
// the manifest gives.
func TestCaptureManifest(t *testing.T) {
	rows, err := readManifest(capturesDir)
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for _, r := range rows {
		listed[r.file] = true
		if r.link != "ether" {
			t.Errorf("%s: manifest link type %q, want ether", r.file, r.link)
		}
	}
	entries, err := os.ReadDir(capturesDir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if n := e.Name(); (strings.HasSuffix(n, ".pcap") || strings.HasSuffix(n, ".pcapng")) && !listed[n] {
			t.Errorf("%s is not in MANIFEST.tsv", n)
		}
	}
	caps := loadCaptures(t)
	for i, c := range caps {
		if c.link != layers.LinkTypeEthernet {
			t.Errorf("%s: link type %v, want Ethernet", c.name, c.link)
		}
		if len(c.frames) != rows[i].packets {
			t.Errorf("%s: %d frames, manifest says %d", c.name, len(c.frames), rows[i].packets)
		}
	}
}

// TestCaptures sends every frame of every capture through the generated
// packages: each layer parses or fails with a proper mplrt.Error, nothing
// panics, and a parsed view's accessors, Walk and String work.
func TestCaptures(t *testing.T) {
	var total layerCounts
	for _, c := range loadCaptures(t) {
		var counts layerCounts
		t.Run(c.name, func(t *testing.T) {
			for i, frame := range c.frames {
				where := fmt.Sprintf("%s frame %d", c.name, i+1)
				s, ok := parseStackSafe(t, where, frame)
				if !ok {
					continue
				}
				counts.add(s)
				for l, r := range s.res {
					if r.tried && r.err != nil {
						if p := parseErrorProblem(layerNames[l], r.in, r.err); p != "" {
							t.Errorf("%s: %s: %s", where, layerLabel(l), p)
						}
					}
				}
				checkStackViews(t, where, s)
			}
			t.Logf("%s: %s", c.name, counts.String())
		})
		total.merge(&counts)
	}
	t.Log("all captures: " + total.String())
}

// checkStackViews exercises every parsed view of s: Bytes and Rest split
// the input, String and Walk work, the ICMP and ARP cases agree with Kind.
func checkStackViews(t *testing.T, where string, s stack) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("%s: panic in a parsed view: %v\n%s", where, r, debug.Stack())
		}
	}()
	type view interface {
		walker
		Bytes() []byte
		Rest() []byte
		String() string
	}
	views := [nLayers]view{&s.eth, &s.arp, &s.ip, &s.icmp, &s.udp, &s.tcp, &s.vlan[0], &s.vlan[1]}
	for l, r := range s.res {
		if !r.ok() {
			continue
		}
		v := views[l]
		if p := splitProblem(r.in, v.Bytes(), v.Rest()); p != "" {
			t.Errorf("%s: %s: %s", where, layerLabel(l), p)
		}
		if !strings.HasPrefix(v.String(), layerNames[l]) {
			t.Errorf("%s: %s: String() = %q", where, layerLabel(l), v.String())
		}
		if len(walkFields(v)) == 0 {
			t.Errorf("%s: %s: Walk gave no fields", where, layerLabel(l))
		}
	}
	if s.res[lICMP].ok() {
		if p := icmpCaseProblem(s.icmp); p != "" {
			t.Errorf("%s: %s", where, p)
		}
	}
	if s.res[lARP].ok() {
		if p := arpCaseProblem(s.arp); p != "" {
			t.Errorf("%s: %s", where, p)
		}
	}
}

// icmpCaseProblem checks that exactly the AsX of p's Kind succeeds.
func icmpCaseProblem(p icmp.Packet) string {
	var bad []string
	check := func(k icmp.Kind, ok bool) {
		if ok != (p.Kind() == k) {
			bad = append(bad, fmt.Sprintf("As%v reports %v", k, ok))
		}
	}
	_, ok := p.AsEchoReply()
	check(icmp.KindEchoReply, ok)
	_, ok = p.AsDestinationUnreachable()
	check(icmp.KindDestinationUnreachable, ok)
	_, ok = p.AsSourceQuench()
	check(icmp.KindSourceQuench, ok)
	_, ok = p.AsRedirect()
	check(icmp.KindRedirect, ok)
	_, ok = p.AsEchoRequest()
	check(icmp.KindEchoRequest, ok)
	_, ok = p.AsTimeExceeded()
	check(icmp.KindTimeExceeded, ok)
	_, ok = p.AsParameterProblem()
	check(icmp.KindParameterProblem, ok)
	_, ok = p.AsTimestamp()
	check(icmp.KindTimestamp, ok)
	_, ok = p.AsTimestampReply()
	check(icmp.KindTimestampReply, ok)
	_, ok = p.AsAddressMaskRequest()
	check(icmp.KindAddressMaskRequest, ok)
	_, ok = p.AsAddressMaskReply()
	check(icmp.KindAddressMaskReply, ok)
	if bad == nil {
		return ""
	}
	return fmt.Sprintf("icmp kind %v: %s", p.Kind(), strings.Join(bad, ", "))
}

// arpCaseProblem checks that exactly the AsX of p's Kind succeeds, and that
// the kind follows hlen and plen.
func arpCaseProblem(p arp.Packet) string {
	_, e := p.AsEthernetIPv4()
	_, o := p.AsOther()
	want := arp.KindOther
	if p.Hlen() == 6 && p.Plen() == 4 {
		want = arp.KindEthernetIPv4
	}
	if p.Kind() != want || e != (want == arp.KindEthernetIPv4) || o != (want == arp.KindOther) {
		return fmt.Sprintf("arp hlen %d plen %d: kind %v, AsEthernetIPv4 %v, AsOther %v", p.Hlen(), p.Plen(), p.Kind(), e, o)
	}
	return ""
}

// The differential test against gopacket.

// Field sets compared with gopacket. Both sides are reduced to the same
// plain struct, so that a go-cmp diff names the field that differs.
type (
	ethFields struct {
		Dst, Src  []byte
		Ethertype uint16
		Payload   []byte
	}
	arpFields struct {
		Htype, Ptype       uint16
		Hlen, Plen         uint8
		Op                 uint16
		SHA, SPA, THA, TPA []byte
		Trailer            []byte // bytes after the ARP packet (Rest; gopacket's Payload)
	}
	ipv4Fields struct {
		Version, IHL                          uint8
		DSCP, ECN                             uint8
		TotalLength, ID                       uint16
		Reserved, DontFragment, MoreFragments bool
		FragmentOffset                        uint16
		TTL, Protocol                         uint8
		Checksum                              uint16
		Src, Dst                              netip.Addr
		Options, Payload                      []byte
	}
	icmpFields struct {
		Type, Code uint8
		Checksum   uint16
		// Bytes 4 to 8: identifier and sequence for echo, timestamp and
		// address mask messages; the other cases' fields there, packed.
		ID, Seq uint16
		// Bytes 8 on: echo data, the original datagram of error messages,
		// the timestamps or mask (and anything after them).
		Payload []byte
	}
	udpFields struct {
		SrcPort, DstPort, Length, Checksum uint16
		Payload                            []byte
	}
)

// fieldCmpOpts compare byte strings with bytes.Equal (nil equals empty, and
// long payloads compare fast) and addresses with ==.
var fieldCmpOpts = cmp.Options{
	cmp.Comparer(bytes.Equal),
	cmp.Comparer(func(a, b netip.Addr) bool { return a == b }),
}

func mplEthernet(p ethernet.Packet) ethFields {
	return ethFields{Dst: p.Dst(), Src: p.Src(), Ethertype: uint16(p.Ethertype()), Payload: p.Payload()}
}

func gopacketEthernet(g *layers.Ethernet) ethFields {
	f := ethFields{Dst: g.DstMAC, Src: g.SrcMAC, Ethertype: uint16(g.EthernetType), Payload: g.Payload}
	if g.EthernetType == layers.EthernetTypeLLC {
		// An IEEE 802.3 length field: gopacket reports it as Length
		// and the type as LLC.
		f.Ethertype = g.Length
	}
	return f
}

func mplARP(p arp.Packet) arpFields {
	f := arpFields{
		Htype: uint16(p.Htype()), Ptype: uint16(p.Ptype()),
		Hlen: p.Hlen(), Plen: p.Plen(), Op: uint16(p.Op()),
		Trailer: p.Rest(),
	}
	if c, ok := p.AsEthernetIPv4(); ok {
		spa, tpa := c.SPA().As4(), c.TPA().As4()
		f.SHA, f.SPA, f.THA, f.TPA = c.SHA(), spa[:], c.THA(), tpa[:]
	} else if c, ok := p.AsOther(); ok {
		f.SHA, f.SPA, f.THA, f.TPA = c.SHA(), c.SPA(), c.THA(), c.TPA()
	}
	return f
}

func gopacketARP(g *layers.ARP) arpFields {
	return arpFields{
		Htype: uint16(g.AddrType), Ptype: uint16(g.Protocol),
		Hlen: g.HwAddressSize, Plen: g.ProtAddressSize, Op: g.Operation,
		SHA: g.SourceHwAddress, SPA: g.SourceProtAddress,
		THA: g.DstHwAddress, TPA: g.DstProtAddress,
		Trailer: g.Payload,
	}
}

func mplIPv4(p ipv4.Packet) ipv4Fields {
	return ipv4Fields{
		Version: p.Version(), IHL: p.IHL(), DSCP: p.DSCP(), ECN: p.ECN(),
		TotalLength: p.TotalLength(), ID: p.ID(),
		Reserved: p.Reserved(), DontFragment: p.DontFragment(), MoreFragments: p.MoreFragments(),
		FragmentOffset: p.FragmentOffset(), TTL: p.TTL(), Protocol: uint8(p.Protocol()),
		Checksum: p.Checksum(), Src: p.Src(), Dst: p.Dst(),
		Options: p.Options(), Payload: p.Payload(),
	}
}

func gopacketIPv4(g *layers.IPv4) ipv4Fields {
	src, _ := netip.AddrFromSlice(g.SrcIP)
	dst, _ := netip.AddrFromSlice(g.DstIP)
	return ipv4Fields{
		Version: g.Version, IHL: g.IHL, DSCP: g.TOS >> 2, ECN: g.TOS & 3,
		TotalLength: g.Length, ID: g.Id,
		// gopacket keeps the three flag bits as a set: evil (reserved)
		// 4, don't fragment 2, more fragments 1.
		Reserved:       g.Flags&layers.IPv4EvilBit != 0,
		DontFragment:   g.Flags&layers.IPv4DontFragment != 0,
		MoreFragments:  g.Flags&layers.IPv4MoreFragments != 0,
		FragmentOffset: g.FragOffset, TTL: g.TTL, Protocol: uint8(g.Protocol),
		Checksum: g.Checksum, Src: src.Unmap(), Dst: dst.Unmap(),
		// gopacket parses options into a list; the raw bytes are the
		// header after the first 20 bytes.
		Options: g.Contents[20:], Payload: g.Payload,
	}
}

func mplICMP(p icmp.Packet) icmpFields {
	f := icmpFields{Type: p.Type(), Code: p.Code(), Checksum: p.Checksum()}
	word := func(w uint32) { f.ID, f.Seq = uint16(w>>16), uint16(w) }
	u32 := func(vs ...uint32) []byte {
		var b []byte
		for _, v := range vs {
			b = binary.BigEndian.AppendUint32(b, v)
		}
		return b
	}
	addr := func(a netip.Addr) uint32 { x := a.As4(); return binary.BigEndian.Uint32(x[:]) }
	switch p.Kind() {
	case icmp.KindEchoReply:
		c, _ := p.AsEchoReply()
		f.ID, f.Seq, f.Payload = c.Identifier(), c.Sequence(), c.Data()
	case icmp.KindEchoRequest:
		c, _ := p.AsEchoRequest()
		f.ID, f.Seq, f.Payload = c.Identifier(), c.Sequence(), c.Data()
	case icmp.KindDestinationUnreachable:
		c, _ := p.AsDestinationUnreachable()
		f.ID, f.Seq, f.Payload = c.Unused(), c.NextHopMTU(), c.Original()
	case icmp.KindSourceQuench:
		c, _ := p.AsSourceQuench()
		word(c.Unused())
		f.Payload = c.Original()
	case icmp.KindRedirect:
		c, _ := p.AsRedirect()
		word(addr(c.Gateway()))
		f.Payload = c.Original()
	case icmp.KindTimeExceeded:
		c, _ := p.AsTimeExceeded()
		word(c.Unused())
		f.Payload = c.Original()
	case icmp.KindParameterProblem:
		c, _ := p.AsParameterProblem()
		word(uint32(c.Pointer())<<24 | c.Unused())
		f.Payload = c.Original()
	case icmp.KindTimestamp:
		c, _ := p.AsTimestamp()
		f.ID, f.Seq = c.Identifier(), c.Sequence()
		f.Payload = append(u32(c.Originate(), c.Receive(), c.Transmit()), p.Rest()...)
	case icmp.KindTimestampReply:
		c, _ := p.AsTimestampReply()
		f.ID, f.Seq = c.Identifier(), c.Sequence()
		f.Payload = append(u32(c.Originate(), c.Receive(), c.Transmit()), p.Rest()...)
	case icmp.KindAddressMaskRequest:
		c, _ := p.AsAddressMaskRequest()
		f.ID, f.Seq = c.Identifier(), c.Sequence()
		f.Payload = append(u32(addr(c.Mask())), p.Rest()...)
	case icmp.KindAddressMaskReply:
		c, _ := p.AsAddressMaskReply()
		f.ID, f.Seq = c.Identifier(), c.Sequence()
		f.Payload = append(u32(addr(c.Mask())), p.Rest()...)
	default:
		// An unknown type: the body is the view's Rest.
		if r := p.Rest(); len(r) >= 4 {
			word(binary.BigEndian.Uint32(r))
			f.Payload = r[4:]
		}
	}
	return f
}

func gopacketICMP(g *layers.ICMPv4) icmpFields {
	return icmpFields{
		// gopacket packs type and code into TypeCode.
		Type: g.TypeCode.Type(), Code: g.TypeCode.Code(), Checksum: g.Checksum,
		ID: g.Id, Seq: g.Seq, Payload: g.Payload,
	}
}

func mplUDP(p udp.Packet) udpFields {
	return udpFields{SrcPort: p.SrcPort(), DstPort: p.DstPort(), Length: p.Length(), Checksum: p.Checksum(), Payload: p.Payload()}
}

func gopacketUDP(g *layers.UDP) udpFields {
	return udpFields{SrcPort: uint16(g.SrcPort), DstPort: uint16(g.DstPort), Length: g.Length, Checksum: g.Checksum, Payload: g.Payload}
}

// layerDepth is where gopacket puts each layer in a frame it decodes from
// Ethernet: the Ethernet header first, then the VLAN tags, then ARP or
// IPv4, then ICMP, UDP or TCP. For the layers above the tags it is the
// depth in an untagged frame; see stack.depth.
var layerDepth = [nLayers]int{lEthernet: 0, lARP: 1, lIPv4: 1, lICMP: 2, lUDP: 2, lTCP: 2, lVLAN: 1, lVLAN2: 2}

// depth is where gopacket puts layer l of s: layerDepth, and below the
// layers above Ethernet the VLAN tags of the frame.
func (s *stack) depth(l int) int {
	switch l {
	case lEthernet, lVLAN, lVLAN2:
		return layerDepth[l]
	}
	return layerDepth[l] + s.tags
}

// gopacketLayerType is the gopacket layer that each layer is compared with.
var gopacketLayerType = [nLayers]gopacket.LayerType{
	lEthernet: layers.LayerTypeEthernet,
	lARP:      layers.LayerTypeARP,
	lIPv4:     layers.LayerTypeIPv4,
	lICMP:     layers.LayerTypeICMPv4,
	lUDP:      layers.LayerTypeUDP,
	lTCP:      layers.LayerTypeTCP,
	lVLAN:     layers.LayerTypeDot1Q,
	lVLAN2:    layers.LayerTypeDot1Q,
}

// gopacketStack decodes frames with a gopacket DecodingLayerParser for the
// same layers. Its layers alias the frame last decoded.
type gopacketStack struct {
	eth     layers.Ethernet
	dot1q   [2]layers.Dot1Q // the VLAN tags, outer first
	tags    int             // the tags the parser has asked for this frame
	arp     layers.ARP
	ip      layers.IPv4
	icmp    layers.ICMPv4
	udp     layers.UDP
	tcp     layers.TCP
	parser  *gopacket.DecodingLayerParser
	decoded []gopacket.LayerType
	err     error // DecodeLayers' error: the layer after the decoded ones failed
}

func newGopacketStack() *gopacketStack {
	g := &gopacketStack{}
	g.parser = gopacket.NewDecodingLayerParser(layers.LayerTypeEthernet)
	g.parser.SetDecodingLayerContainer(tagContainer{
		DecodingLayerMap: gopacket.DecodingLayerMap{}, g: g,
	}.Put(&g.eth).Put(&g.arp).Put(&g.ip).Put(&g.icmp).Put(&g.udp).Put(&g.tcp))
	// Stop quietly at a layer it has no decoder for (DNS, IPv6, a third
	// VLAN tag...).
	g.parser.IgnoreUnsupported = true
	return g
}

// tagContainer is gopacket's DecodingLayerMap that decodes the first VLAN
// tag of a frame into g.dot1q[0] and the second into g.dot1q[1]: with one
// Dot1Q layer, as a plain DecodingLayerParser has, the inner tag of a QinQ
// frame would overwrite the outer.
type tagContainer struct {
	gopacket.DecodingLayerMap
	g *gopacketStack
}

func (c tagContainer) Put(d gopacket.DecodingLayer) gopacket.DecodingLayerContainer {
	c.DecodingLayerMap = c.DecodingLayerMap.Put(d).(gopacket.DecodingLayerMap)
	return c
}

func (c tagContainer) Decoder(typ gopacket.LayerType) (gopacket.DecodingLayer, bool) {
	if typ != layers.LayerTypeDot1Q {
		return c.DecodingLayerMap.Decoder(typ)
	}
	if c.g.tags == len(c.g.dot1q) {
		return nil, false
	}
	c.g.tags++
	return &c.g.dot1q[c.g.tags-1], true
}

func (c tagContainer) LayersDecoder(first gopacket.LayerType, df gopacket.DecodeFeedback) gopacket.DecodingLayerFunc {
	return gopacket.LayersDecoder(c, first, df)
}

func (g *gopacketStack) decode(frame []byte) {
	g.tags = 0
	g.err = g.parser.DecodeLayers(frame, &g.decoded)
}

// typeAt returns the layer type gopacket decoded, or tried to decode, at
// depth d, or LayerTypeZero if it did not get that far.
func (g *gopacketStack) typeAt(d int) gopacket.LayerType {
	if d < len(g.decoded) {
		return g.decoded[d]
	}
	if d > len(g.decoded) || g.err == nil {
		return gopacket.LayerTypeZero
	}
	if d == 0 {
		return layers.LayerTypeEthernet
	}
	switch g.decoded[d-1] {
	case layers.LayerTypeEthernet:
		return g.eth.NextLayerType()
	case layers.LayerTypeDot1Q:
		// The tags follow the Ethernet header: the one at depth k is
		// dot1q[k-1].
		return g.dot1q[d-2].NextLayerType()
	case layers.LayerTypeIPv4:
		return g.ip.NextLayerType()
	}
	return gopacket.LayerTypeZero
}

// disagreements collects, for one capture, the frames where exactly one of
// the two decoders accepts a layer, by layer and reason.
type disagreements struct {
	byReason map[string][]int
}

func (d *disagreements) add(layer int, reason string, frame int) {
	if d.byReason == nil {
		d.byReason = map[string][]int{}
	}
	k := layerLabel(layer) + ": " + reason
	d.byReason[k] = append(d.byReason[k], frame)
}

func (d *disagreements) log(t *testing.T, capture string) {
	keys := make([]string, 0, len(d.byReason))
	for k := range d.byReason {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		frames := d.byReason[k]
		list := fmt.Sprint(frames)
		if len(frames) > 12 {
			list = fmt.Sprint(frames[:12]) + "..."
		}
		t.Logf("%s: disagreement, %d frames %s: %s", capture, len(frames), list, k)
	}
}

// TestCapturesGopacket compares, layer by layer, the generated packages with
// gopacket on every frame of every capture. Where both accept a layer every
// field must agree; where only one accepts, the disagreement is logged.
func TestCapturesGopacket(t *testing.T) {
	var compared [nLayers]int
	total := 0
	g := newGopacketStack()
	for _, c := range loadCaptures(t) {
		var dis disagreements
		t.Run(c.name, func(t *testing.T) {
			for i, frame := range c.frames {
				where := fmt.Sprintf("%s frame %d", c.name, i+1)
				s, ok := parseStackSafe(t, where, frame)
				if !ok {
					continue
				}
				g.decode(frame)
				for l := range nLayers {
					if compareLayer(t, where, l, s, g, &dis, i+1) {
						compared[l]++
					}
				}
			}
			dis.log(t, c.name)
		})
		for _, frames := range dis.byReason {
			total += len(frames)
		}
	}
	var b strings.Builder
	for l := range nLayers {
		fmt.Fprintf(&b, " %s %d", layerLabel(l), compared[l])
	}
	t.Logf("layers compared field by field:%s; disagreements: %d", b.String(), total)
}

// compareLayer compares layer l of the frame as s and gopacket see it. It
// reports whether both accepted the layer, so that fields were compared.
func compareLayer(t *testing.T, where string, l int, s stack, g *gopacketStack, dis *disagreements, frame int) bool {
	t.Helper()
	r := s.res[l]
	if !r.tried {
		return false
	}
	depth := s.depth(l)
	typ := g.typeAt(depth)
	switch {
	case typ == gopacket.LayerTypeZero:
		// gopacket stopped below; that disagreement is logged there.
		if r.err == nil {
			dis.add(l, "mpl accepts, gopacket did not get this far", frame)
		}
		return false
	case typ != gopacketLayerType[l]:
		dis.add(l, fmt.Sprintf("gopacket takes this layer for %v", typ), frame)
		return false
	case depth == len(g.decoded): // gopacket failed here
		if r.err == nil {
			dis.add(l, "mpl accepts, gopacket rejects: "+g.err.Error(), frame)
		}
		return false
	case r.err != nil:
		reason := "gopacket accepts, mpl rejects: " + errorKey(r.err)
		if g.parser.Truncated {
			reason += " (gopacket marks the packet truncated)"
		}
		dis.add(l, reason, frame)
		return false
	}
	var mine, theirs any
	switch l {
	case lEthernet:
		f := mplEthernet(s.eth)
		if g.eth.EthernetType == layers.EthernetTypeLLC && len(g.eth.Payload) < len(f.Payload) {
			// gopacket cuts an 802.3 payload to the length field;
			// the generated view keeps everything after the header.
			dis.add(l, "802.3 length field: gopacket cuts the payload to it, mpl keeps the rest of the frame", frame)
			f.Payload = f.Payload[:len(g.eth.Payload)]
		}
		mine, theirs = f, gopacketEthernet(&g.eth)
	case lARP:
		mine, theirs = mplARP(s.arp), gopacketARP(&g.arp)
	case lIPv4:
		mine, theirs = mplIPv4(s.ip), gopacketIPv4(&g.ip)
	case lICMP:
		mine, theirs = mplICMP(s.icmp), gopacketICMP(&g.icmp)
	case lUDP:
		mine, theirs = mplUDP(s.udp), gopacketUDP(&g.udp)
	case lTCP:
		mine, theirs = mplTCP(s.tcp), gopacketTCP(&g.tcp)
	case lVLAN, lVLAN2:
		tag := l - lVLAN
		f, gf := mplVLAN(s.vlan[tag]), gopacketVLAN(&g.dot1q[tag])
		if f.Ethertype < 0x0600 && len(gf.Payload) < len(f.Payload) {
			// As for Ethernet: gopacket cuts the payload to an
			// 802.3 length field.
			dis.add(l, "802.3 length field: gopacket cuts the payload to it, mpl keeps the rest of the frame", frame)
			f.Payload = f.Payload[:len(gf.Payload)]
		}
		mine, theirs = f, gf
	}
	if d := cmp.Diff(theirs, mine, fieldCmpOpts); d != "" {
		t.Errorf("%s: %s fields differ (-gopacket +mpl):\n%s", where, layerLabel(l), d)
	}
	return true
}
