package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/dns"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/tcp"
	"github.com/mplgo/mpl/gen/udp"
	"github.com/mplgo/mpl/gen/vlan"
	mplrt "github.com/mplgo/mpl/runtime"
)

// options are the settings of a dump, from the command line.
type options struct {
	limit      int  // frames per capture; 0 means all
	errorsOnly bool // print only frames in which a layer failed to parse
}

// errNotCapture is returned for input that starts with neither a pcap nor a
// pcapng magic number.
var errNotCapture = errors.New("not a pcap or pcapng file")

// A dumper writes frames as text, one line per layer. It keeps one buffer
// for all its output: a frame's lines are appended to it and written
// together (or dropped, with -q), so that dumping a well-formed frame
// allocates nothing.
type dumper struct {
	w    io.Writer
	opts options
	werr error // the first write error; once set, nothing more is written

	buf    []byte
	layer  string                 // the layer whose line is being appended
	start  int                    // where that line starts in buf
	failed bool                   // a layer of the current frame failed to parse
	walkFn func(mplrt.Field) bool // d.field, bound once
	// badSum names the checksum field of the current layer that does not
	// verify ("" if none), and want is the value it should hold.
	badSum string
	want   uint16
}

func newDumper(w io.Writer, opts options) *dumper {
	d := &dumper{w: w, opts: opts, buf: make([]byte, 0, 4096)}
	d.walkFn = d.field
	return d
}

// packetSource is what pcapgo's pcap and pcapng readers have in common.
type packetSource interface {
	ZeroCopyReadPacketData() ([]byte, gopacket.CaptureInfo, error)
}

// dump writes the frames of the pcap or pcapng capture read from r. It
// reports each link type it cannot decode by calling unsupported once, and
// shows the frames of such a link type as their frame line alone. A record
// or block that is framed correctly but cannot be decoded (say, an
// enhanced packet block whose interface id is out of range) it reports by
// calling skipped, and goes on with the next; a packet record counts as a
// frame then. It returns an error if r is not a capture or if reading it
// fails, in particular if its framing goes wrong (a pcap record cut short,
// a pcapng block whose trailing length disagrees with its leading one),
// saying what is wrong at which file offset; the frames read before have
// been written then.
func (d *dumper) dump(r io.Reader, unsupported func(layers.LinkType), skipped func(error)) error {
	br := bufio.NewReaderSize(r, 64<<10)
	magic, err := br.Peek(4)
	switch {
	case err == io.EOF && len(magic) == 0:
		return fmt.Errorf("%w: empty", errNotCapture)
	case err == io.EOF:
		return fmt.Errorf("%w: %d bytes", errNotCapture, len(magic))
	case err != nil:
		return err
	}
	var (
		src   packetSource
		fr    *framer // nil for a compressed pcap file
		link  layers.LinkType
		mixed bool // pcapng: the link type comes with each packet
	)
	switch {
	case bytes.Equal(magic, []byte{0x0a, 0x0d, 0x0d, 0x0a}):
		fr = newFramer(br, true)
		// Mixed link types, or the reader would drop the packets of
		// every interface whose link type differs from the first's.
		ng, err := pcapgo.NewNgReader(fr, pcapgo.NgReaderOptions{WantMixedLinkType: true})
		if err != nil {
			if fr.err != nil && fr.err != io.EOF {
				return fr.err
			}
			return fmt.Errorf("bad pcapng header: %v: %w", fr.cur, err)
		}
		src, mixed = ng, true
	case isPcapMagic(magic):
		var pr *pcapgo.Reader
		if magic[0] == 0x1f {
			pr, err = pcapgo.NewReader(br) // gzip: pcapgo decompresses it
		} else {
			fr = newFramer(br, false)
			pr, err = pcapgo.NewReader(fr)
			if err != nil && fr.err != nil {
				err = fr.err
			}
		}
		if err != nil {
			return fmt.Errorf("bad pcap header: %w", err)
		}
		src, link = pr, pr.LinkType()
	default:
		return fmt.Errorf("%w (starts with %x)", errNotCapture, magic)
	}

	var reported []layers.LinkType
	n := 1
	more := func() bool { return d.opts.limit <= 0 || n <= d.opts.limit }
	for more() {
		data, ci, err := src.ZeroCopyReadPacketData()
		if fr != nil && len(fr.faults) > 0 {
			// Records skipped before this one.
			for _, f := range fr.faults {
				if !f.frame {
					skipped(f)
					continue
				}
				if !more() {
					break
				}
				skipped(fmt.Errorf("frame %d: %w", n, f))
				n++
			}
			clear(fr.faults)
			fr.faults = fr.faults[:0]
			if !more() {
				return nil
			}
		}
		if err != nil {
			return d.readErr(fr, n, err, ci)
		}
		if mixed && len(ci.AncillaryData) > 0 {
			link, _ = ci.AncillaryData[0].(layers.LinkType)
		}
		if !d.frame(n, data, ci.Length, link) && !contains(reported, link) {
			reported = append(reported, link)
			unsupported(link)
		}
		if d.werr != nil {
			return d.werr
		}
		n++
	}
	return nil
}

// readErr is the error dump returns for err, the error pcapgo returned for
// frame n, or nil at the end of the file.
func (d *dumper) readErr(fr *framer, n int, err error, ci gopacket.CaptureInfo) error {
	if fr == nil {
		// A compressed pcap file, read by pcapgo alone.
		if err == io.EOF && ci.CaptureLength == 0 {
			return nil
		}
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			// io.EOF with a capture length: the file ends right
			// after a record header.
			return fmt.Errorf("frame %d: file truncated: record cut short", n)
		}
		return fmt.Errorf("frame %d: %w", n, err)
	}
	switch ce, _ := fr.err.(*captureError); {
	case fr.err == io.EOF && err == io.EOF:
		return nil
	case ce != nil && ce.frame:
		return fmt.Errorf("frame %d: %w", n, ce)
	case fr.err != nil && fr.err != io.EOF:
		return fr.err
	}
	// pcapgo found fault with a unit the framer passed.
	if fr.cur.packet() {
		return fmt.Errorf("frame %d: %v: %w", n, fr.cur, err)
	}
	return fmt.Errorf("%v: %w", fr.cur, err)
}

// isPcapMagic reports whether b starts like a pcap file, in either byte
// order and either timestamp resolution, or like a gzip stream (which
// pcapgo.NewReader decompresses).
func isPcapMagic(b []byte) bool {
	switch string(b[:4]) {
	case "\xa1\xb2\xc3\xd4", "\xd4\xc3\xb2\xa1", // microseconds
		"\xa1\xb2\x3c\x4d", "\x4d\x3c\xb2\xa1": // nanoseconds
		return true
	}
	return b[0] == 0x1f && b[1] == 0x8b
}

func contains(s []layers.LinkType, t layers.LinkType) bool {
	for _, x := range s {
		if x == t {
			return true
		}
	}
	return false
}

// frame writes frame n, captured as data from a packet of wireLen bytes on
// a link of type link. It reports false if it cannot decode that link type.
func (d *dumper) frame(n int, data []byte, wireLen int, link layers.LinkType) bool {
	d.buf = d.buf[:0]
	d.failed = false
	d.buf = append(d.buf, "frame "...)
	d.buf = strconv.AppendInt(d.buf, int64(n), 10)
	d.buf = append(d.buf, " len="...)
	d.buf = strconv.AppendInt(d.buf, int64(len(data)), 10)
	if wireLen != len(data) {
		// Cut short by the snapshot length: the layers see less than
		// was sent.
		d.buf = append(d.buf, " orig_len="...)
		d.buf = strconv.AppendInt(d.buf, int64(wireLen), 10)
	}
	d.buf = append(d.buf, '\n')
	ok := true
	switch link {
	case layers.LinkTypeEthernet:
		d.ethernet(data)
	case layers.LinkTypeRaw:
		// IPv4 or IPv6, by the version in the first nibble; only
		// IPv4 is decoded.
		if len(data) > 0 && data[0]>>4 == 4 {
			d.ipv4(data)
		}
	case layers.LinkTypeIPv4:
		d.ipv4(data)
	case layers.LinkTypeLinuxSLL:
		d.sll(data)
	default:
		ok = false
	}
	if d.opts.errorsOnly && !d.failed {
		return ok
	}
	d.write()
	return ok
}

func (d *dumper) write() {
	if d.werr != nil {
		return
	}
	if _, err := d.w.Write(d.buf); err != nil {
		d.werr = err
	}
}

// view is what every generated packet view has.
// begin starts the line of a layer; the caller walks the layer's view
// with d.walkFn, then calls end with the view's Rest.
func (d *dumper) begin(layer string) {
	d.layer = layer
	d.start = len(d.buf)
	d.badSum = ""
}

// checksum marks the layer's checksum field name as bad, wanting want, if
// verr (what the view's Verify method said) is not nil.
func (d *dumper) checksum(name string, verr error, want uint16) {
	if verr != nil {
		d.badSum, d.want = name, want
	}
}

// end finishes a layer's line with rest, the bytes after the packet that
// no other layer covers, if any.
func (d *dumper) end(rest []byte) {
	if len(rest) > 0 {
		d.field(mplrt.Field{Name: "rest", Format: mplrt.FormatBytes, Bytes: rest})
	}
	d.buf = append(d.buf, '\n')
}

// field appends one layer.name=value token to the current line.
func (d *dumper) field(f mplrt.Field) bool {
	if len(d.buf) > d.start {
		d.buf = append(d.buf, ' ')
	}
	d.buf = append(d.buf, d.layer...)
	d.buf = append(d.buf, '.')
	d.buf = f.Outer.AppendText(d.buf)
	if f.Array != "" {
		d.buf = append(d.buf, f.Array...)
		d.buf = append(d.buf, '[')
		d.buf = strconv.AppendInt(d.buf, int64(f.Index), 10)
		d.buf = append(d.buf, "]."...)
	}
	d.buf = append(d.buf, f.Name...)
	d.buf = append(d.buf, '=')
	d.buf = f.AppendValue(d.buf)
	if f.Name == d.badSum && f.Array == "" {
		d.buf = append(d.buf, " (bad, want 0x"...)
		d.buf = appendHex16(d.buf, d.want)
		d.buf = append(d.buf, ')')
	}
	return true
}

// appendHex16 appends v as four lowercase hex digits.
func appendHex16(b []byte, v uint16) []byte {
	const digits = "0123456789abcdef"
	return append(b, digits[v>>12], digits[v>>8&15], digits[v>>4&15], digits[v&15])
}

// fail appends the line "error: text" for a layer that failed to parse.
// Generated parsers return mplrt.Error values, whose text names the packet
// (the layer), the field, its byte offset in the layer and the constraint:
// "error: ipv4: payload at offset 20: length: ...".
func (d *dumper) fail(err error) {
	d.failed = true
	d.buf = append(d.buf, "error: "...)
	d.buf = append(d.buf, err.Error()...)
	d.buf = append(d.buf, '\n')
}

func (d *dumper) ethernet(b []byte) {
	p, err := ethernet.Parse(b)
	if err != nil {
		d.fail(err)
		return
	}
	d.begin("ethernet")
	p.Walk(d.walkFn)
	d.end(p.Rest())
	d.ethertype(p.Ethertype(), p.Payload())
}

// ethertype decodes b, the payload of a link layer, by its EtherType. VLAN
// tags (802.1Q, and 802.1ad S-tags) come first, each on its line, the
// outer first; then what the last one carries.
func (d *dumper) ethertype(t ethernet.Ethertype, b []byte) {
	for t == ethernet.EthertypeVLAN || t == ethernet.EthertypeQinQ {
		p, err := vlan.Parse(b)
		if err != nil {
			d.fail(err)
			return
		}
		d.begin("vlan")
		p.Walk(d.walkFn)
		d.end(p.Rest())
		t, b = ethernet.Ethertype(p.Ethertype()), p.Payload()
	}
	switch t {
	case ethernet.EthertypeIPv4:
		d.ipv4(b)
	case ethernet.EthertypeARP:
		d.arp(b)
	}
}

// sllHeaderLen is the length of a Linux cooked capture (v1) header.
const sllHeaderLen = 16

// sll decodes a Linux cooked capture frame (LINKTYPE_LINUX_SLL): a 16-byte
// header of packet type, ARPHRD type, address length, 8 address bytes and
// the EtherType of the payload. No spec describes it, so its line is made
// here, in the same notation.
func (d *dumper) sll(b []byte) {
	if len(b) < sllHeaderLen {
		d.failed = true
		d.buf = append(d.buf, "error: sll: header truncated: "...)
		d.buf = strconv.AppendInt(d.buf, int64(len(b)), 10)
		d.buf = append(d.buf, " of 16 bytes\n"...)
		return
	}
	u16 := func(i int) uint64 { return uint64(b[i])<<8 | uint64(b[i+1]) }
	d.layer, d.start = "sll", len(d.buf)
	d.field(mplrt.Field{Name: "packet_type", Format: mplrt.FormatUint, Uint: u16(0)})
	d.field(mplrt.Field{Name: "arphrd_type", Format: mplrt.FormatUint, Uint: u16(2)})
	addr := b[6:14]
	if n := u16(4); n < uint64(len(addr)) {
		addr = addr[:n]
	}
	format := mplrt.FormatBytes
	if len(addr) == 6 {
		format = mplrt.FormatMAC
	}
	d.field(mplrt.Field{Name: "addr", Format: format, Bytes: addr})
	t := ethernet.Ethertype(u16(14))
	name := t.String()
	if strings.HasPrefix(name, "Ethertype(") {
		name = "" // unnamed: shown as a number, like ethernet.ethertype
	}
	d.field(mplrt.Field{Name: "protocol", Format: mplrt.FormatEnum, Uint: uint64(t), Enum: name})
	d.buf = append(d.buf, '\n')
	d.ethertype(t, b[sllHeaderLen:])
}

func (d *dumper) arp(b []byte) {
	p, err := arp.Parse(b)
	if err != nil {
		d.fail(err)
		return
	}
	d.begin("arp")
	p.Walk(d.walkFn)
	d.end(p.Rest())
}

func (d *dumper) ipv4(b []byte) {
	p, err := ipv4.Parse(b)
	if err != nil {
		d.fail(err)
		return
	}
	d.begin("ipv4")
	d.checksum("checksum", p.VerifyChecksum(), p.ComputeChecksum())
	p.Walk(d.walkFn)
	d.end(p.Rest())
	if p.FragmentOffset() != 0 || p.MoreFragments() {
		return // a fragment: the payload is not a whole packet
	}
	switch p.Protocol() {
	case ipv4.ProtocolICMP:
		d.icmp(p.Payload())
	case ipv4.ProtocolUDP:
		d.udp(p.Payload(), p.Src(), p.Dst())
	case ipv4.ProtocolTCP:
		d.tcp(p.Payload(), p.Src(), p.Dst())
	}
}

func (d *dumper) icmp(b []byte) {
	p, err := icmp.Parse(b)
	if err != nil {
		d.fail(err)
		return
	}
	d.begin("icmp")
	d.checksum("checksum", p.VerifyChecksum(), p.ComputeChecksum())
	p.Walk(d.walkFn)
	d.end(p.Rest())
}

// udp decodes a datagram that an IPv4 packet from src to dst carries (its
// checksum's pseudo-header).
func (d *dumper) udp(b []byte, src, dst netip.Addr) {
	p, err := udp.Parse(b)
	if err != nil {
		d.fail(err)
		return
	}
	d.begin("udp")
	d.checksum("checksum", p.VerifyChecksum(src, dst), p.ComputeChecksum(src, dst))
	p.Walk(d.walkFn)
	d.end(p.Rest())
	if isDNSPort(p.SrcPort()) || isDNSPort(p.DstPort()) {
		d.dns(p.Payload())
	}
}

// isDNSPort reports whether a UDP datagram to or from port carries DNS:
// port 53 (DNS) or 5353 (multicast DNS, which has the same message
// format).
func isDNSPort(port uint16) bool {
	return port == 53 || port == 5353
}

// dns decodes a DNS message, the payload of a UDP datagram. Its line holds
// the header fields, then each question as dns.questions[i].field and each
// record as dns.answers[i].rr.field (authorities, additionals alike), names
// in their presentation form ("www.example.com.").
func (d *dumper) dns(b []byte) {
	p, err := dns.Parse(b)
	if err != nil {
		// A record's fault names its packet, rr, at an offset in the
		// message: say which layer it is in.
		if e := (mplrt.Error{}); errors.As(err, &e) && e.Packet != "dns" {
			err = fmt.Errorf("dns: %w", err)
		}
		d.fail(err)
		return
	}
	d.begin("dns")
	p.Walk(d.walkFn)
	d.end(p.Rest())
}

// tcp decodes a segment that an IPv4 packet from src to dst carries; its
// options come out as tcp.options[i].field tokens.
func (d *dumper) tcp(b []byte, src, dst netip.Addr) {
	p, err := tcp.Parse(b)
	if err != nil {
		d.fail(err)
		return
	}
	d.begin("tcp")
	d.checksum("checksum", p.VerifyChecksum(src, dst), p.ComputeChecksum(src, dst))
	p.Walk(d.walkFn)
	d.end(p.Rest())
}
