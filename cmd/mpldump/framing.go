package main

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
)

// A framer checks the framing of a capture before pcapgo decodes it: the
// file header and records of a pcap file, the blocks of a pcapng file. It
// is the io.Reader pcapgo reads from, and hands it one whole unit (header,
// record or block) at a time, only once the unit has been read to its end
// and found consistent. pcapgo only says that a file ends early, and takes
// a pcapng block whose trailing length disagrees with its leading one as
// it comes; the framer says what is wrong and where.
//
// A packet block that is framed correctly but cannot be decoded (an
// interface id out of range, a captured length beyond the snap length) is
// not handed on: it is recorded in faults, and the next unit follows. Any
// other fault ends the file: Read returns it, as err, once the units before
// it have been read.
type framer struct {
	r       *bufio.Reader
	ng      bool
	off     int64  // the file offset of the next unit
	buf     []byte // the unit being handed out
	pending []byte // what pcapgo has not read of it
	err     error  // a *captureError, a read error, or io.EOF at the end
	cur     unit   // the unit handed out last

	// faults are the units skipped since the caller last looked, in file
	// order.
	faults []*captureError

	order binary.ByteOrder // of the pcap file, or of the pcapng section
	// pcap
	snaplen   uint32
	gotHeader bool
	// pcapng: the snap lengths of the interfaces of the current section
	ifaces []uint32
}

// A unit is a record or block of a capture file.
type unit struct {
	typ    uint32 // pcapng block type
	off    int64
	record bool // a pcap record rather than a pcapng block
}

// packet reports whether u holds a packet.
func (u unit) packet() bool {
	return u.record || u.typ == ngEnhancedPacket || u.typ == ngSimplePacket || u.typ == ngPacket
}

func (u unit) String() string {
	if u.record {
		return fmt.Sprintf("record at offset %d", u.off)
	}
	return fmt.Sprintf("%s at offset %d", ngBlockName(u.typ), u.off)
}

// A captureError is a fault in the framing of a capture file.
type captureError struct {
	unit  unit
	frame bool // the unit holds a packet: it counts as a frame
	msg   string
}

func (e *captureError) Error() string { return e.unit.String() + ": " + e.msg }

func newFramer(r *bufio.Reader, ng bool) *framer {
	return &framer{r: r, ng: ng}
}

func (f *framer) Read(p []byte) (int, error) {
	for len(f.pending) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		if f.ng {
			f.nextBlock()
		} else {
			f.nextRecord()
		}
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

// fill reads into f.buf until it holds n bytes or the input ends, and
// returns the error that stopped it, if any. It grows f.buf as the bytes
// arrive, so that a length field gone wrong does not allocate what the
// file does not hold.
func (f *framer) fill(n int) error {
	for len(f.buf) < n {
		chunk := min(n-len(f.buf), 64<<10)
		l := len(f.buf)
		if cap(f.buf)-l < chunk {
			f.buf = append(f.buf[:cap(f.buf)], make([]byte, chunk)...)[:l]
		}
		m, err := io.ReadFull(f.r, f.buf[l:l+chunk])
		f.buf = f.buf[:l+m]
		if err != nil {
			return err
		}
	}
	return nil
}

// readErr ends the file with err, the error of fill reading want bytes of
// what (part of unit u): a captureError saying that the file ends there, or
// the read error.
func (f *framer) readErr(err error, u unit, packet bool, what string, want int) {
	switch {
	case err == io.EOF || err == io.ErrUnexpectedEOF:
		f.err = &captureError{u, packet, fmt.Sprintf("%s cut short by the end of the file: %d of %d bytes", what, len(f.buf), want)}
	default:
		f.err = fmt.Errorf("reading %v: %w", u, err)
	}
}

// hand makes f.buf the next unit to hand out.
func (f *framer) hand(u unit) {
	f.cur = u
	f.pending = f.buf
	f.off += int64(len(f.buf))
}

// fail ends the file with a fault in unit u.
func (f *framer) fail(u unit, packet bool, format string, args ...any) {
	f.err = &captureError{u, packet, fmt.Sprintf(format, args...)}
}

// skip records a fault in unit u, which is not handed on.
func (f *framer) skip(u unit, packet bool, format string, args ...any) {
	f.faults = append(f.faults, &captureError{u, packet, fmt.Sprintf(format, args...) + "; skipped"})
	f.off += int64(len(f.buf))
}

const (
	pcapHeaderLen       = 24
	pcapRecordHeaderLen = 16

	// maxSnaplen is libpcap's largest snap length. A record may be
	// longer than the snap length of its file or interface, but not
	// longer than this too.
	maxSnaplen = 262144
)

// beyondMax is what a message about a captured length beyond snaplen adds
// when snaplen is below maxSnaplen.
func beyondMax(snaplen uint32) string {
	if snaplen < maxSnaplen {
		return fmt.Sprintf(" and the largest snap length, %d", maxSnaplen)
	}
	return ""
}

// nextRecord reads the file header or the next record of a pcap file.
func (f *framer) nextRecord() {
	f.buf = f.buf[:0]
	if !f.gotHeader {
		if err := f.fill(pcapHeaderLen); err != nil {
			if err == io.EOF || err == io.ErrUnexpectedEOF {
				f.err = fmt.Errorf("cut short by the end of the file: %d of %d bytes", len(f.buf), pcapHeaderLen)
			} else {
				f.err = err
			}
			return
		}
		// The magic number was checked by the caller.
		f.order = binary.LittleEndian
		if f.buf[0] == 0xa1 {
			f.order = binary.BigEndian
		}
		major, minor := f.order.Uint16(f.buf[4:]), f.order.Uint16(f.buf[6:])
		if major != 2 || minor != 4 {
			f.err = fmt.Errorf("version %d.%d, want 2.4", major, minor)
			return
		}
		f.snaplen = f.order.Uint32(f.buf[16:])
		f.gotHeader = true
		f.hand(unit{off: f.off, record: true})
		return
	}
	u := unit{off: f.off, record: true}
	if err := f.fill(pcapRecordHeaderLen); err != nil {
		if err == io.EOF && len(f.buf) == 0 {
			f.err = io.EOF
			return
		}
		f.readErr(err, u, true, "header", pcapRecordHeaderLen)
		return
	}
	caplen, origlen := f.order.Uint32(f.buf[8:]), f.order.Uint32(f.buf[12:])
	// Past these, the captured length cannot be trusted to find the next
	// record. Like libpcap, take a record longer than the snap length
	// up to maxSnaplen: some writers get the snap length wrong.
	if caplen > max(f.snaplen, maxSnaplen) {
		f.fail(u, true, "captured length %d exceeds the snap length %d%s", caplen, f.snaplen, beyondMax(f.snaplen))
		return
	}
	if caplen > origlen {
		f.fail(u, true, "captured length %d exceeds the original length %d", caplen, origlen)
		return
	}
	if err := f.fill(pcapRecordHeaderLen + int(caplen)); err != nil {
		f.buf = f.buf[pcapRecordHeaderLen:] // count the data alone
		f.readErr(err, u, true, "data", int(caplen))
		return
	}
	f.hand(u)
}

// pcapng block types.
const (
	ngSectionHeader        = 0x0a0d0d0a
	ngInterfaceDescription = 1
	ngPacket               = 2 // obsolete
	ngSimplePacket         = 3
	ngNameResolution       = 4
	ngInterfaceStatistics  = 5
	ngEnhancedPacket       = 6
	ngDecryptionSecrets    = 10
	ngByteOrderMagic       = 0x1a2b3c4d
)

func ngBlockName(t uint32) string {
	switch t {
	case ngSectionHeader:
		return "section header block"
	case ngInterfaceDescription:
		return "interface description block"
	case ngPacket:
		return "packet block"
	case ngSimplePacket:
		return "simple packet block"
	case ngNameResolution:
		return "name resolution block"
	case ngInterfaceStatistics:
		return "interface statistics block"
	case ngEnhancedPacket:
		return "enhanced packet block"
	case ngDecryptionSecrets:
		return "decryption secrets block"
	}
	return fmt.Sprintf("block of type 0x%08x", t)
}

// ngMinLength is the least total length of a block of type t: its header,
// fixed fields and trailer.
func ngMinLength(t uint32) uint32 {
	switch t {
	case ngSectionHeader:
		return 28
	case ngInterfaceDescription:
		return 20
	case ngPacket, ngEnhancedPacket:
		return 32
	case ngSimplePacket:
		return 16
	case ngInterfaceStatistics:
		return 24
	case ngDecryptionSecrets:
		return 20
	}
	return 12
}

// nextBlock reads the next block of a pcapng file.
func (f *framer) nextBlock() {
	f.buf = f.buf[:0]
	u := unit{off: f.off}
	if err := f.fill(8); err != nil {
		if err == io.EOF && len(f.buf) == 0 {
			f.err = io.EOF
			return
		}
		if err == io.ErrUnexpectedEOF {
			f.err = fmt.Errorf("block at offset %d: block header cut short by the end of the file: %d of 8 bytes", u.off, len(f.buf))
		} else {
			f.err = fmt.Errorf("reading the block at offset %d: %w", u.off, err)
		}
		return
	}
	if binary.BigEndian.Uint32(f.buf) == ngSectionHeader {
		// A new section, in the byte order its header gives.
		u.typ = ngSectionHeader
		if err := f.fill(12); err != nil {
			f.readErr(err, u, false, "block header", 12)
			return
		}
		switch uint32(ngByteOrderMagic) {
		case binary.BigEndian.Uint32(f.buf[8:]):
			f.order = binary.BigEndian
		case binary.LittleEndian.Uint32(f.buf[8:]):
			f.order = binary.LittleEndian
		default:
			f.fail(u, false, "bad byte-order magic %x, want 1a2b3c4d or 4d3c2b1a", f.buf[8:12])
			return
		}
		f.ifaces = f.ifaces[:0]
	} else if f.order == nil {
		f.fail(unit{off: u.off, typ: binary.BigEndian.Uint32(f.buf)}, false, "the file does not start with a section header block")
		return
	}
	u.typ = f.order.Uint32(f.buf)
	length := f.order.Uint32(f.buf[4:])
	packet := u.packet()
	if minLen := ngMinLength(u.typ); length < minLen {
		f.fail(u, packet, "total length %d is below the minimum of %d for this block type", length, minLen)
		return
	}
	if length%4 != 0 {
		f.fail(u, packet, "total length %d is not a multiple of 4", length)
		return
	}
	if err := f.fill(int(length)); err != nil {
		if err == io.EOF || err == io.ErrUnexpectedEOF {
			f.fail(u, packet, "runs past the end of the file: total length %d, only %d bytes left", length, len(f.buf))
		} else {
			f.err = fmt.Errorf("reading %v: %w", u, err)
		}
		return
	}
	if trailer := f.order.Uint32(f.buf[length-4:]); trailer != length {
		f.fail(u, packet, "trailing total length %d does not match leading total length %d", trailer, length)
		return
	}
	body := f.buf[8 : length-4]
	var options []byte // where the block's options start
	u32 := func(i int) uint32 { return f.order.Uint32(body[i:]) }
	switch u.typ {
	case ngSectionHeader:
		major, minor := f.order.Uint16(body[4:]), f.order.Uint16(body[6:])
		if major != 1 || minor != 0 {
			f.fail(u, false, "version %d.%d, want 1.0", major, minor)
			return
		}
		options = body[16:]
	case ngInterfaceDescription:
		f.ifaces = append(f.ifaces, u32(4))
		options = body[8:]
	case ngEnhancedPacket, ngPacket:
		iface := u32(0)
		if u.typ == ngPacket {
			iface = uint32(f.order.Uint16(body))
		}
		caplen, room := u32(12), uint32(len(body)-20)
		switch {
		case iface >= uint32(len(f.ifaces)):
			f.skip(u, true, "interface id %d out of range: the section has %s", iface, interfaces(len(f.ifaces)))
			return
		case caplen > room:
			f.skip(u, true, "captured length %d exceeds the %d bytes the block has room for", caplen, room)
			return
		case f.ifaces[iface] != 0 && caplen > max(f.ifaces[iface], maxSnaplen):
			f.skip(u, true, "captured length %d exceeds the snap length %d of interface %d%s", caplen, f.ifaces[iface], iface, beyondMax(f.ifaces[iface]))
			return
		}
		options = body[20+(caplen+3)&^3:]
	case ngSimplePacket:
		if len(f.ifaces) == 0 {
			f.skip(u, true, "no interface description block before it in the section")
			return
		}
		caplen, room := u32(0), uint32(len(body)-4)
		if f.ifaces[0] != 0 {
			caplen = min(caplen, f.ifaces[0])
		}
		if caplen > room {
			f.skip(u, true, "captured length %d exceeds the %d bytes the block has room for", caplen, room)
			return
		}
	case ngInterfaceStatistics:
		if iface := u32(0); iface >= uint32(len(f.ifaces)) {
			f.skip(u, false, "interface id %d out of range: the section has %s", iface, interfaces(len(f.ifaces)))
			return
		}
		options = body[12:]
	}
	if msg := checkOptions(options, f.order); msg != "" {
		f.fail(u, packet, "%s", msg)
		return
	}
	f.hand(u)
}

func interfaces(n int) string {
	if n == 1 {
		return "1 interface"
	}
	return fmt.Sprintf("%d interfaces", n)
}

// checkOptions says what is wrong with the options of a block, if
// anything: an option must fit in the block, and the end-of-options option
// must be empty.
func checkOptions(b []byte, order binary.ByteOrder) string {
	for off := 0; len(b) >= 4; {
		code, n := order.Uint16(b), int(order.Uint16(b[2:]))
		if code == 0 {
			if n != 0 {
				return fmt.Sprintf("end-of-options option has length %d, want 0", n)
			}
			return ""
		}
		need := 4 + (n+3)&^3
		if need > len(b) {
			return fmt.Sprintf("option %d, %d bytes into the options, has length %d and runs past the end of the block", code, off, n)
		}
		b = b[need:]
		off += need
	}
	return ""
}
