package main

import (
	"bytes"
	"encoding/binary"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/gopacket/gopacket/layers"
)

// Hand-built captures with one fault each, in little-endian byte order.

func le32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

// ngBlock returns a pcapng block of type typ around body, padded to 4
// bytes, with its total length before and after.
func ngBlock(typ uint32, body []byte) []byte {
	body = append(body[:len(body):len(body)], make([]byte, (4-len(body)%4)%4)...)
	n := uint32(12 + len(body))
	return cat(le32(typ), le32(n), body, le32(n))
}

// ngSHB is a section header block: byte-order magic, version 1.0, section
// length unknown. 28 bytes.
func ngSHB() []byte {
	return ngBlock(ngSectionHeader, cat(le32(ngByteOrderMagic), []byte{1, 0, 0, 0}, bytes.Repeat([]byte{0xff}, 8)))
}

// ngIDB is an interface description block. 20 bytes.
func ngIDB(link uint16, snaplen uint32) []byte {
	return ngBlock(ngInterfaceDescription, cat([]byte{byte(link), byte(link >> 8), 0, 0}, le32(snaplen)))
}

// ngEPB is an enhanced packet block. 32 bytes and the padded data.
func ngEPB(iface, caplen, origlen uint32, data []byte) []byte {
	return ngBlock(ngEnhancedPacket, cat(le32(iface), le32(0), le32(1), le32(caplen), le32(origlen), data))
}

// pcapFile returns a little-endian pcap file header.
func pcapFile(snaplen, link uint32) []byte {
	return cat([]byte{0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0}, make([]byte, 8), le32(snaplen), le32(link))
}

func pcapRecord(caplen, origlen uint32, data []byte) []byte {
	return cat(le32(1), le32(0), le32(caplen), le32(origlen), data)
}

func TestFraming(t *testing.T) {
	icmp := filepath.Join(testdata, "zeek__icmp_5-pings.pcap")
	pkt := frames(t, icmp)[0] // 98 bytes of Ethernet
	icmpOut := readFile(t, golden(icmp))
	frame1 := icmpOut[:strings.Index(icmpOut, "frame 2 ")]
	// frame is the dump of pkt as frame n.
	frame := func(n int) string {
		return strings.Replace(frame1, "frame 1 ", "frame "+strconv.Itoa(n)+" ", 1)
	}
	epb := ngEPB(0, 98, 98, pkt) // 132 bytes
	head := cat(ngSHB(), ngIDB(1, 65535))
	const (
		at1 = 48       // the first block after head
		at2 = 48 + 132 // the second
	)
	withTrailer := func(b []byte, v uint32) []byte {
		b = bytes.Clone(b)
		binary.LittleEndian.PutUint32(b[len(b)-4:], v)
		return b
	}
	withLength := func(b []byte, v uint32) []byte {
		b = bytes.Clone(b)
		binary.LittleEndian.PutUint32(b[4:], v)
		return b
	}
	big := make([]byte, 300000)
	badMagic := ngSHB()
	copy(badMagic[8:], le32(0x11223344))
	version2 := ngSHB()
	version2[12] = 2
	// An option of 100 bytes in a block that has 4 bytes for options.
	badOption := ngBlock(ngEnhancedPacket, cat(le32(0), le32(0), le32(1), le32(98), le32(98), pkt, []byte{0, 0}, []byte{1, 0, 100, 0}))
	badEnd := ngBlock(ngEnhancedPacket, cat(le32(0), le32(0), le32(1), le32(98), le32(98), pkt, []byte{0, 0}, []byte{0, 0, 4, 0}))
	isb := ngBlock(ngInterfaceStatistics, cat(le32(7), le32(0), le32(0)))
	spb := ngBlock(ngSimplePacket, cat(le32(98), pkt))
	tsresol := ngBlock(ngInterfaceDescription, cat([]byte{1, 0, 0, 0}, le32(65535), []byte{9, 0, 1, 0, 0x7f, 0, 0, 0}))

	// The same in big-endian byte order, with a trailer that disagrees.
	be := func(v ...uint32) []byte {
		var b []byte
		for _, x := range v {
			b = binary.BigEndian.AppendUint32(b, x)
		}
		return b
	}
	beFile := cat(
		be(ngSectionHeader, 28, ngByteOrderMagic, 1<<16, ^uint32(0), ^uint32(0), 28),
		be(ngInterfaceDescription, 20, 1<<16, 65535, 20),
		be(ngEnhancedPacket, 132, 0, 0, 1, 98, 98), pkt, []byte{0, 0}, be(132),
		be(ngEnhancedPacket, 132, 0, 0, 1, 98, 98), pkt, []byte{0, 0}, be(128),
	)

	for _, tc := range []struct {
		name   string
		file   []byte
		ng     bool
		status int
		stdout string
		stderr []string // in order, each after "mpldump: FILE: "
	}{
		{name: "pcapng well formed", ng: true, file: cat(head, epb, epb), stdout: frame(1) + frame(2)},
		{
			name: "trailing length differs", ng: true, file: cat(head, epb, withTrailer(epb, 136), epb), status: 1,
			stdout: frame(1),
			stderr: []string{"frame 2: enhanced packet block at offset 180: trailing total length 136 does not match leading total length 132\n"},
		},
		{
			name: "big endian", ng: true, file: beFile, status: 1,
			stdout: frame(1),
			stderr: []string{"frame 2: enhanced packet block at offset 180: trailing total length 128 does not match leading total length 132\n"},
		},
		{
			name: "length not a multiple of 4", ng: true, file: cat(head, withLength(epb, 130)), status: 1,
			stderr: []string{"frame 1: enhanced packet block at offset 48: total length 130 is not a multiple of 4\n"},
		},
		{
			name: "length below the minimum", ng: true, file: cat(head, withLength(epb, 24)), status: 1,
			stderr: []string{"frame 1: enhanced packet block at offset 48: total length 24 is below the minimum of 32 for this block type\n"},
		},
		{
			name: "idb length below the minimum", ng: true, file: cat(ngSHB(), withLength(ngIDB(1, 0), 16), epb), status: 1,
			stderr: []string{"interface description block at offset 28: total length 16 is below the minimum of 20 for this block type\n"},
		},
		{
			name: "block past the end", ng: true, file: cat(head, epb, epb[:100]), status: 1,
			stdout: frame(1),
			stderr: []string{"frame 2: enhanced packet block at offset 180: runs past the end of the file: total length 132, only 100 bytes left\n"},
		},
		{
			name: "block header cut short", ng: true, file: cat(head, epb, epb[:5]), status: 1,
			stdout: frame(1),
			stderr: []string{"block at offset 180: block header cut short by the end of the file: 5 of 8 bytes\n"},
		},
		{
			name: "bad byte-order magic", ng: true, file: cat(badMagic, ngIDB(1, 0), epb), status: 1,
			stderr: []string{"section header block at offset 0: bad byte-order magic 44332211, want 1a2b3c4d or 4d3c2b1a\n"},
		},
		{
			name: "bad byte-order magic in a later section", ng: true, file: cat(head, epb, badMagic, ngIDB(1, 0), epb), status: 1,
			stdout: frame(1),
			stderr: []string{"section header block at offset 180: bad byte-order magic 44332211, want 1a2b3c4d or 4d3c2b1a\n"},
		},
		{
			name: "section version", ng: true, file: cat(version2, ngIDB(1, 0), epb), status: 1,
			stderr: []string{"section header block at offset 0: version 2.0, want 1.0\n"},
		},
		{
			name: "interface id out of range", ng: true, file: cat(head, epb, ngEPB(3, 98, 98, pkt), epb), status: 1,
			stdout: frame(1) + frame(3),
			stderr: []string{"frame 2: enhanced packet block at offset 180: interface id 3 out of range: the section has 1 interface; skipped\n"},
		},
		{
			name: "captured length beyond the block", ng: true, file: cat(head, ngEPB(0, 200, 200, pkt), epb), status: 1,
			stdout: frame(2),
			stderr: []string{"frame 1: enhanced packet block at offset 48: captured length 200 exceeds the 100 bytes the block has room for; skipped\n"},
		},
		{
			name: "captured length beyond the snap length", ng: true, file: cat(head, ngEPB(0, 300000, 300000, big), epb), status: 1,
			stdout: frame(2),
			stderr: []string{"frame 1: enhanced packet block at offset 48: captured length 300000 exceeds the snap length 65535 of interface 0 and the largest snap length, 262144; skipped\n"},
		},
		{
			// Like libpcap: a snap length too small is taken as wrong.
			name: "captured length a little beyond the snap length", ng: true, file: cat(ngSHB(), ngIDB(1, 64), epb),
			stdout: frame(1),
		},
		{
			name: "simple packet block without an interface", ng: true, file: cat(ngSHB(), spb, ngIDB(1, 0), spb), status: 1,
			stdout: frame(2),
			stderr: []string{"frame 1: simple packet block at offset 28: no interface description block before it in the section; skipped\n"},
		},
		{
			name: "statistics of a missing interface", ng: true, file: cat(head, isb, epb), status: 1,
			stdout: frame(1),
			stderr: []string{"interface statistics block at offset 48: interface id 7 out of range: the section has 1 interface; skipped\n"},
		},
		{
			name: "option past the end of its block", ng: true, file: cat(head, badOption), status: 1,
			stderr: []string{"frame 1: enhanced packet block at offset 48: option 1, 0 bytes into the options, has length 100 and runs past the end of the block\n"},
		},
		{
			name: "end of options with a length", ng: true, file: cat(head, badEnd), status: 1,
			stderr: []string{"frame 1: enhanced packet block at offset 48: end-of-options option has length 4, want 0\n"},
		},
		{
			name: "fault pcapgo finds in a well-framed block", ng: true, file: cat(ngSHB(), tsresol, epb), status: 1,
			stderr: []string{"interface description block at offset 28: Timestamp resolution 10^-127 is too high\n"},
		},
		{
			name: "unknown link type", ng: true, file: cat(ngSHB(), ngIDB(300, 0), epb),
			stdout: "frame 1 len=98\n",
			stderr: []string{"unknown link type 300: frames shown without layers\n"},
		},

		{name: "pcap well formed", file: cat(pcapFile(65535, 1), pcapRecord(98, 98, pkt)), stdout: frame(1)},
		{
			name: "pcap header cut short", file: pcapFile(65535, 1)[:10], status: 1,
			stderr: []string{"bad pcap header: cut short by the end of the file: 10 of 24 bytes\n"},
		},
		{
			name: "pcap captured length beyond the snap length", file: cat(pcapFile(65535, 1), pcapRecord(98, 98, pkt), pcapRecord(300000, 300000, big)), status: 1,
			stdout: frame(1),
			stderr: []string{"frame 2: record at offset 138: captured length 300000 exceeds the snap length 65535 and the largest snap length, 262144\n"},
		},
		{
			name: "pcap captured length beyond a large snap length", file: cat(pcapFile(300000, 1), pcapRecord(300001, 300001, big)), status: 1,
			stderr: []string{"frame 1: record at offset 24: captured length 300001 exceeds the snap length 300000\n"},
		},
		{name: "pcap captured length a little beyond the snap length", file: cat(pcapFile(64, 1), pcapRecord(98, 98, pkt)), stdout: frame(1)},
		{
			name: "pcap captured length beyond the original length", file: cat(pcapFile(65535, 1), pcapRecord(98, 60, pkt)), status: 1,
			stderr: []string{"frame 1: record at offset 24: captured length 98 exceeds the original length 60\n"},
		},
		{
			name: "pcap record header cut short", file: cat(pcapFile(65535, 1), pcapRecord(98, 98, pkt), pcapRecord(98, 98, pkt)[:7]), status: 1,
			stdout: frame(1),
			stderr: []string{"frame 2: record at offset 138: header cut short by the end of the file: 7 of 16 bytes\n"},
		},
		{
			name: "pcap record data cut short", file: cat(pcapFile(65535, 1), pcapRecord(98, 98, pkt), pcapRecord(98, 98, pkt)[:16+40]), status: 1,
			stdout: frame(1),
			stderr: []string{"frame 2: record at offset 138: data cut short by the end of the file: 40 of 98 bytes\n"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ext := ".pcap"
			if tc.ng {
				ext = ".pcapng"
			}
			name := filepath.Join(t.TempDir(), "test"+ext)
			if err := os.WriteFile(name, tc.file, 0o644); err != nil {
				t.Fatal(err)
			}
			// The file, then a good one: the dump goes on.
			status, out, errOut := mpldump(name, icmp)
			if status != tc.status {
				t.Errorf("exit status %d, want %d (stderr %q)", status, tc.status, errOut)
			}
			if want := tc.stdout + icmpOut; out != want {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, want)
			}
			var want string
			for _, s := range tc.stderr {
				want += "mpldump: " + name + ": " + s
			}
			if errOut != want {
				t.Errorf("stderr:\n%s\nwant:\n%s", errOut, want)
			}
		})
	}
}

// TestMutatedCaptures dumps captures with a few bytes changed or cut
// short: errors, never a panic.
func TestMutatedCaptures(t *testing.T) {
	if testing.Short() {
		t.Skip("a few thousand dumps")
	}
	rng := rand.New(rand.NewSource(1))
	for _, name := range []string{"zeek__icmp_5-pings.pcap", "tcpdump__icmp-length-zero.pcapng"} {
		orig, err := os.ReadFile(filepath.Join(testdata, name))
		if err != nil {
			t.Fatal(err)
		}
		for range 1000 {
			b := bytes.Clone(orig)
			for range 1 + rng.Intn(3) {
				b[rng.Intn(len(b))] = byte(rng.Intn(256))
			}
			if rng.Intn(4) == 0 {
				b = b[:rng.Intn(len(b))]
			}
			func() {
				defer func() {
					if e := recover(); e != nil {
						t.Fatalf("%s mutated to %x: panic: %v", name, b, e)
					}
				}()
				d := newDumper(io.Discard, options{})
				d.dump(bytes.NewReader(b), func(layers.LinkType) {}, func(error) {})
			}()
		}
	}
}

// TestSkippedFrameLimit checks that a skipped packet block counts as a
// frame for -n.
func TestSkippedFrameLimit(t *testing.T) {
	icmp := filepath.Join(testdata, "zeek__icmp_5-pings.pcap")
	pkt := frames(t, icmp)[0]
	icmpOut := readFile(t, golden(icmp))
	frame1 := icmpOut[:strings.Index(icmpOut, "frame 2 ")]
	epb := ngEPB(0, 98, 98, pkt)
	name := filepath.Join(t.TempDir(), "skip.pcapng")
	if err := os.WriteFile(name, cat(ngSHB(), ngIDB(1, 0), epb, ngEPB(1, 98, 98, pkt), epb), 0o644); err != nil {
		t.Fatal(err)
	}
	status, out, errOut := mpldump("-n", "2", name)
	want := "mpldump: " + name + ": frame 2: enhanced packet block at offset 180: interface id 1 out of range: the section has 1 interface; skipped\n"
	if status != 1 || out != frame1 || errOut != want {
		t.Errorf("-n 2: status %d, stdout\n%s\nstderr %q\nwant 1, frame 1 alone and %q", status, out, errOut, want)
	}
	status, out, _ = mpldump("-n", "1", name)
	if status != 0 || out != frame1 {
		t.Errorf("-n 1: status %d, stdout\n%s\nwant 0 and frame 1 alone", status, out)
	}
}
