package main

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
	miekgdns "github.com/miekg/dns"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/mpldump")

const (
	testdata = "../../testdata/mpldump"
	// corpus is ../shared/corpus from the repository's root.
	corpus = "../../../shared/corpus"
)

// captures lists the pcap and pcapng files in dir.
func captures(t *testing.T, dir string) []string {
	t.Helper()
	var names []string
	for _, pattern := range []string{"*.pcap", "*.pcapng"} {
		m, err := filepath.Glob(filepath.Join(dir, pattern))
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, m...)
	}
	slices.Sort(names)
	return names
}

// mpldump runs the command with args and returns its exit status and
// output.
func mpldump(args ...string) (status int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	status = run(args, &out, &errOut)
	return status, out.String(), errOut.String()
}

// golden returns the golden file of a capture: its name with .txt for its
// extension.
func golden(capture string) string {
	return strings.TrimSuffix(capture, filepath.Ext(capture)) + ".txt"
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// manifest reads a MANIFEST.tsv: its rows by file name, as maps from column
// name to value.
func manifest(t *testing.T, name string) map[string]map[string]string {
	t.Helper()
	lines := strings.Split(strings.TrimRight(readFile(t, name), "\n"), "\n")
	header := strings.Split(lines[0], "\t")
	rows := make(map[string]map[string]string)
	for _, l := range lines[1:] {
		row := make(map[string]string)
		for i, v := range strings.Split(l, "\t") {
			if i < len(header) {
				row[header[i]] = v
			}
		}
		rows[row["filename"]] = row
	}
	return rows
}

// The captures this package is tested on; see testdata/mpldump/README.md.
var wantCaptures = []string{
	"suricata__defrag_bug-6887-defrag-ipv4-tcp-syn_frag-ip-tcp-syn.pcap",
	"suricata__dns_dns-udp-eve-log-answer-only_dns-udp-google.com-a-aaaa-mx.pcap",
	"tcpdump__arp-too-long-tha.pcap",
	"tcpdump__dns_udp.pcap",
	"tcpdump__icmp-length-zero.pcapng",
	"tcpdump__ipv4_invalid_total_length.pcap",
	"tcpdump__tcp-handshake-nano.pcap",
	"zeek__arp-leak.pcap",
	"zeek__arp-who-has.pcap",
	"zeek__chksums_ip4-bad-chksum.pcap",
	"zeek__dns_dns-edns-bad-length.pcap",
	"zeek__dns_dns-invalid-names.pcap",
	"zeek__dns_loc-29-trunc.pcap",
	"zeek__icmp_5-pings.pcap",
	"zeek__trunc_ip4-trunc.pcap",
	"zeek__udp-packet.pcap",
}

func TestTestdata(t *testing.T) {
	var have []string
	for _, c := range captures(t, testdata) {
		have = append(have, filepath.Base(c))
	}
	if !slices.Equal(have, wantCaptures) {
		t.Errorf("captures in %s:\n%q\nwant\n%q", testdata, have, wantCaptures)
	}
	rows := manifest(t, filepath.Join(testdata, "MANIFEST.tsv"))
	if len(rows) != len(wantCaptures) {
		t.Errorf("MANIFEST.tsv has %d rows, want %d", len(rows), len(wantCaptures))
	}
	for _, c := range wantCaptures {
		if rows[c] == nil {
			t.Errorf("MANIFEST.tsv has no row for %s", c)
		} else if rows[c]["licence"] == "" {
			t.Errorf("MANIFEST.tsv gives no licence for %s", c)
		}
	}
}

func TestGolden(t *testing.T) {
	for _, c := range captures(t, testdata) {
		t.Run(filepath.Base(c), func(t *testing.T) {
			status, out, errOut := mpldump(c)
			if status != 0 || errOut != "" {
				t.Errorf("exit status %d, stderr %q; want 0 and nothing", status, errOut)
			}
			g := golden(c)
			if *update {
				if err := os.WriteFile(g, []byte(out), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := readFile(t, g); out != want {
				t.Errorf("output differs from %s (go test -update rewrites it):\n%s", g, diff(want, out))
			}
		})
	}
}

// diff shows the first line where got and want differ.
func diff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return "(no difference by lines)"
}

func TestSampleLines(t *testing.T) {
	// A few values checked against the capture's bytes by hand (and the
	// DNS ones against tshark), so that the golden files are not the only
	// thing that says what is right: each dump contains its lines.
	for _, tc := range []struct {
		file  string
		lines []string
	}{
		{"zeek__icmp_5-pings.txt", []string{
			"frame 1 len=98\n",
			"ethernet.dst=a6:83:e7:0c:90:64 ethernet.src=00:0c:29:cf:30:15 ethernet.ethertype=IPv4 ethernet.payload=[84]45000054946a40004001bd04ac108502...\n",
			" ipv4.ttl=64 ipv4.protocol=ICMP ipv4.checksum=0xbd04 ipv4.src=172.16.133.2 ipv4.dst=172.217.11.78 ",
			"icmp.type=8 icmp.code=0 icmp.checksum=0xef24 icmp.case=EchoRequest icmp.identifier=1226 icmp.sequence=1 icmp.data=[56]",
			"icmp.type=0 icmp.code=0 icmp.checksum=0x8414 icmp.case=EchoReply icmp.identifier=1226 icmp.sequence=5 ",
		}},
		{"zeek__arp-who-has.txt", []string{
			"arp.op=Request arp.case=EthernetIPv4 arp.sha=78:31:c1:c6:3f:c2 arp.spa=10.0.0.2 arp.tha=00:00:00:00:00:00 arp.tpa=10.0.0.1\n",
			// The 60-byte reply: 18 bytes of trailer after the ARP packet.
			"arp.tpa=10.0.0.2 arp.rest=[18]00000000000000000000000000001f0b...\n",
		}},
		{"tcpdump__ipv4_invalid_total_length.txt", []string{"error: ipv4: payload at offset 20: length: "}},
		// DNS: names with the root's dot, records of each section by
		// index, an error inside a record.
		{"tcpdump__dns_udp.txt", []string{
			"\ndns.id=22836 dns.qr=false dns.opcode=Query dns.aa=false dns.tc=false dns.rd=true dns.ra=false dns.z=false dns.ad=true dns.cd=false dns.rcode=NoError dns.qdcount=1 dns.ancount=0 dns.nscount=0 dns.arcount=1 dns.questions[0].qname=www.tcpdump.org. dns.questions[0].qtype=1 dns.questions[0].qclass=1 dns.additionals[0].rr.name=. dns.additionals[0].rr.type=41 dns.additionals[0].rr.case=OPT dns.additionals[0].rr.udp_size=4096 ",
			" dns.answers[1].rr.name=www.tcpdump.org. dns.answers[1].rr.type=1 dns.answers[1].rr.case=Record dns.answers[1].rr.class=1 dns.answers[1].rr.ttl=60 dns.answers[1].rr.rdlength=4 dns.answers[1].rr.case=A dns.answers[1].rr.a=198.199.88.104 ",
			" dns.authorities[1].rr.ns=nic.sandelman.ca. ",
			" dns.additionals[3].rr.name=sns.cooperix.net. dns.additionals[3].rr.type=28 ",
			" dns.additionals[3].rr.aaaa=2600:3c03::f03c:91ff:fe96:e8ef ",
		}},
		{"suricata__dns_dns-udp-eve-log-answer-only_dns-udp-google.com-a-aaaa-mx.txt", []string{
			" dns.answers[1].rr.rdlength=9 dns.answers[1].rr.case=MX dns.answers[1].rr.preference=20 dns.answers[1].rr.exchange=alt1.aspmx.l.google.com. ",
		}},
	} {
		out := readFile(t, filepath.Join(testdata, tc.file))
		for _, want := range tc.lines {
			if !strings.Contains(out, want) {
				t.Errorf("%s lacks %q", tc.file, want)
			}
		}
	}
	out := readFile(t, filepath.Join(testdata, "zeek__dns_dns-edns-bad-length.txt"))
	if want := "\nerror: dns: rr: code at offset 40: truncated: 2 bytes\n"; !strings.HasSuffix(out, want) {
		t.Errorf("DNS dump does not end with %q:\n%s", want, out)
	}
	out = readFile(t, filepath.Join(testdata, "zeek__trunc_ip4-trunc.txt"))
	if want := "frame 1 len=20 orig_len=46\n"; !strings.HasPrefix(out, want) {
		t.Errorf("truncated frame dump does not start with %q:\n%s", want, out)
	}
}

func TestFlags(t *testing.T) {
	icmp := filepath.Join(testdata, "zeek__icmp_5-pings.pcap")
	icmpOut := readFile(t, golden(icmp))
	bad := filepath.Join(testdata, "tcpdump__ipv4_invalid_total_length.pcap")
	badOut := readFile(t, golden(bad))

	status, out, _ := mpldump("-n", "2", icmp, bad)
	frame3 := strings.Index(icmpOut, "frame 3 ")
	if want := icmpOut[:frame3] + badOut; status != 0 || out != want {
		t.Errorf("-n 2: status %d, output\n%s\nwant\n%s", status, out, want)
	}
	status, out, _ = mpldump("-n", "0", icmp)
	if status != 0 || out != icmpOut {
		t.Errorf("-n 0: status %d, output differs from all frames", status)
	}
	// -q: the ICMP frames are all well formed, the other frame is not.
	status, out, _ = mpldump("-q", icmp, bad)
	if status != 0 || out != badOut {
		t.Errorf("-q: status %d, output\n%s\nwant\n%s", status, out, badOut)
	}
	status, out, _ = mpldump("-q", "-n", "1", bad, bad)
	if status != 0 || out != badOut+badOut {
		t.Errorf("-q -n 1: status %d, output\n%s\nwant it twice:\n%s", status, out, badOut)
	}
}

func TestExitStatus(t *testing.T) {
	dir := t.TempDir()
	icmp := filepath.Join(testdata, "zeek__icmp_5-pings.pcap")
	icmpOut := readFile(t, golden(icmp))
	icmpBytes, err := os.ReadFile(icmp)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		name = filepath.Join(dir, name)
		if err := os.WriteFile(name, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return name
	}
	missing := filepath.Join(dir, "missing.pcap")
	text := write("notes.txt", []byte("this is not a capture\n"))
	empty := write("empty.pcap", nil)
	short := write("short.pcap", icmpBytes[:3])
	// A pcap header with an unknown major version.
	badVersion := write("version.pcap", append(append([]byte(nil), icmpBytes[:4]...), append([]byte{9, 0}, icmpBytes[6:24]...)...))
	headerOnly := write("header.pcap", icmpBytes[:24])
	// Cut inside the data of the last record, and inside the record
	// header of the first.
	cutData := write("cut-data.pcap", icmpBytes[:len(icmpBytes)-10])
	cutHeader := write("cut-header.pcap", icmpBytes[:24+10])
	cutAfterHeader := write("cut-after-header.pcap", icmpBytes[:24+16])
	frame10 := strings.Index(icmpOut, "frame 10 ")
	ngBytes, err := os.ReadFile(filepath.Join(testdata, "tcpdump__icmp-length-zero.pcapng"))
	if err != nil {
		t.Fatal(err)
	}
	cutNg := write("cut.pcapng", ngBytes[:300])

	for _, tc := range []struct {
		name       string
		args       []string
		status     int
		stdout     string
		stderr     []string // substrings, in order
		wantStderr bool
	}{
		{name: "no arguments", args: nil, status: 2, stderr: []string{"mpldump: no capture files\n", "usage: mpldump [-n N] [-q] FILE...\n"}},
		{name: "only flags", args: []string{"-q"}, status: 2, stderr: []string{"no capture files", "usage:"}},
		{name: "unknown flag", args: []string{"-x", icmp}, status: 2, stderr: []string{"flag provided but not defined: -x", "usage:"}},
		{name: "bad -n", args: []string{"-n", "many", icmp}, status: 2, stderr: []string{"invalid value \"many\" for flag -n", "usage:"}},
		{name: "negative -n", args: []string{"-n", "-1", icmp}, status: 2, stderr: []string{"mpldump: -n must not be negative\n"}},
		{name: "help", args: []string{"-h"}, status: 0, stderr: []string{"usage:", "-n N", "-q"}},
		{name: "missing file", args: []string{missing}, status: 1, stderr: []string{"mpldump: " + missing + ": no such file or directory\n"}},
		{name: "not a capture", args: []string{text}, status: 1, stderr: []string{"mpldump: " + text + ": not a pcap or pcapng file (starts with 74686973)\n"}},
		{name: "empty file", args: []string{empty}, status: 1, stderr: []string{"mpldump: " + empty + ": not a pcap or pcapng file: empty\n"}},
		{name: "short file", args: []string{short}, status: 1, stderr: []string{"mpldump: " + short + ": not a pcap or pcapng file: 3 bytes\n"}},
		{name: "bad version", args: []string{badVersion}, status: 1, stderr: []string{"mpldump: " + badVersion + ": bad pcap header: version 9.4, want 2.4\n"}},
		{name: "directory", args: []string{dir}, status: 1, stderr: []string{"mpldump: " + dir + ": "}},
		{name: "no frames", args: []string{headerOnly}, status: 0},
		{name: "missing, then good", args: []string{missing, icmp}, status: 1, stdout: icmpOut, stderr: []string{"mpldump: " + missing + ": "}},
		{name: "good, not a capture, good", args: []string{icmp, text, icmp}, status: 1, stdout: icmpOut + icmpOut, stderr: []string{"mpldump: " + text + ": not a pcap"}},
		{
			name: "record data cut short", args: []string{cutData, icmp}, status: 1,
			stdout: icmpOut[:frame10] + icmpOut,
			stderr: []string{"mpldump: " + cutData + ": frame 10: record at offset 1050: data cut short by the end of the file: 88 of 98 bytes\n"},
		},
		{
			name: "record header cut short", args: []string{cutHeader}, status: 1,
			stderr: []string{"mpldump: " + cutHeader + ": frame 1: record at offset 24: header cut short by the end of the file: 10 of 16 bytes\n"},
		},
		{
			name: "record header, then nothing", args: []string{cutAfterHeader}, status: 1,
			stderr: []string{"mpldump: " + cutAfterHeader + ": frame 1: record at offset 24: data cut short by the end of the file: 0 of 98 bytes\n"},
		},
		{
			name: "pcapng cut short", args: []string{cutNg}, status: 1,
			stderr: []string{"mpldump: " + cutNg + ": frame 1: enhanced packet block at offset 248: runs past the end of the file: total length 132, only 52 bytes left\n"},
		},
		// -n stops before the cut: the file reads fine.
		{name: "-n before the cut", args: []string{"-n", "9", cutData}, status: 0, stdout: icmpOut[:frame10]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out, errOut := mpldump(tc.args...)
			if status != tc.status {
				t.Errorf("exit status %d, want %d (stderr %q)", status, tc.status, errOut)
			}
			if out != tc.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", out, tc.stdout)
			}
			rest := errOut
			for _, s := range tc.stderr {
				i := strings.Index(rest, s)
				if i < 0 {
					t.Errorf("stderr %q lacks %q (in order)", errOut, s)
					break
				}
				rest = rest[i+len(s):]
			}
			if len(tc.stderr) == 0 && errOut != "" {
				t.Errorf("stderr %q, want nothing", errOut)
			}
		})
	}
}

// frames returns the frames of a capture, for building others.
func frames(t *testing.T, name string) [][]byte {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := pcapgo.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for {
		data, _, err := r.ReadPacketData()
		if err == io.EOF {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, data)
	}
}

func ci(n int) gopacket.CaptureInfo {
	return gopacket.CaptureInfo{Timestamp: time.Unix(1, 0), CaptureLength: n, Length: n}
}

// writePcap writes a pcap file of link type link holding pkts.
func writePcap(t *testing.T, link layers.LinkType, pkts ...[]byte) string {
	t.Helper()
	var b bytes.Buffer
	w := pcapgo.NewWriter(&b)
	if err := w.WriteFileHeader(65535, link); err != nil {
		t.Fatal(err)
	}
	for _, p := range pkts {
		if err := w.WritePacket(ci(len(p)), p); err != nil {
			t.Fatal(err)
		}
	}
	name := filepath.Join(t.TempDir(), "test.pcap")
	if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return name
}

// linesOf returns the lines of out that start with prefix.
func linesOf(out, prefix string) []string {
	var l []string
	for _, s := range strings.Split(out, "\n") {
		if strings.HasPrefix(s, prefix) {
			l = append(l, s)
		}
	}
	return l
}

func TestLinkTypes(t *testing.T) {
	icmp := filepath.Join(testdata, "zeek__icmp_5-pings.pcap")
	eth := frames(t, icmp)
	ip := eth[0][14:] // the first IPv4 packet
	icmpOut := readFile(t, golden(icmp))
	ipLine := linesOf(icmpOut, "ipv4.")[0]
	icmpLine := linesOf(icmpOut, "icmp.")[0]
	ipv6 := append([]byte{0x60}, make([]byte, 39)...)

	t.Run("raw", func(t *testing.T) {
		status, out, errOut := mpldump(writePcap(t, layers.LinkTypeRaw, ip, ipv6))
		want := "frame 1 len=84\n" + ipLine + "\n" + icmpLine + "\n" + "frame 2 len=40\n"
		if status != 0 || out != want || errOut != "" {
			t.Errorf("status %d, stderr %q, output\n%s\nwant\n%s", status, errOut, out, want)
		}
	})
	t.Run("ipv4", func(t *testing.T) {
		status, out, _ := mpldump(writePcap(t, layers.LinkTypeIPv4, ip, ipv6))
		want := "frame 1 len=84\n" + ipLine + "\n" + icmpLine + "\n" +
			"frame 2 len=40\nerror: ipv4: version at offset 0: const: version == 4\n"
		if status != 0 || out != want {
			t.Errorf("status %d, output\n%s\nwant\n%s", status, out, want)
		}
	})
	t.Run("sll", func(t *testing.T) {
		hdr, _ := hex.DecodeString("0000000100060a0b0c0d0e0f00000800")
		short := hdr[:10]
		status, out, _ := mpldump(writePcap(t, layers.LinkTypeLinuxSLL, append(hdr, ip...), short))
		want := "frame 1 len=100\n" +
			"sll.packet_type=0 sll.arphrd_type=1 sll.addr=0a:0b:0c:0d:0e:0f sll.protocol=IPv4\n" +
			ipLine + "\n" + icmpLine + "\n" +
			"frame 2 len=10\nerror: sll: header truncated: 10 of 16 bytes\n"
		if status != 0 || out != want {
			t.Errorf("status %d, output\n%s\nwant\n%s", status, out, want)
		}
		status, out, _ = mpldump("-q", writePcap(t, layers.LinkTypeLinuxSLL, append(hdr, ip...), short))
		if want := "frame 2 len=10\nerror: sll: header truncated: 10 of 16 bytes\n"; status != 0 || out != want {
			t.Errorf("-q: status %d, output\n%s\nwant\n%s", status, out, want)
		}
	})
	t.Run("unsupported", func(t *testing.T) {
		name := writePcap(t, layers.LinkTypeNull, []byte{2, 0, 0, 0}, []byte{2, 0, 0, 0})
		status, out, errOut := mpldump(name, name)
		if want := "frame 1 len=4\nframe 2 len=4\n"; status != 0 || out != want+want {
			t.Errorf("status %d, output\n%s\nwant it twice:\n%s", status, out, want)
		}
		msg := "mpldump: " + name + ": link type Null (0) not supported: frames shown without layers\n"
		if errOut != msg+msg {
			t.Errorf("stderr %q, want once per file: %q", errOut, msg)
		}
	})
	t.Run("pcapng mixed", func(t *testing.T) {
		// Two interfaces of different link types in one pcapng file:
		// the frames of both are decoded, each by its own link type.
		var b bytes.Buffer
		w, err := pcapgo.NewNgWriterInterface(&b, pcapgo.NgInterface{Name: "eth0", LinkType: layers.LinkTypeEthernet, SnapLength: 65535}, pcapgo.DefaultNgWriterOptions)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := w.AddInterface(pcapgo.NgInterface{Name: "ip0", LinkType: layers.LinkTypeIPv4, SnapLength: 65535})
		if err != nil {
			t.Fatal(err)
		}
		c := ci(len(eth[0]))
		if err := w.WritePacket(c, eth[0]); err != nil {
			t.Fatal(err)
		}
		c = ci(len(ip))
		c.InterfaceIndex = raw
		if err := w.WritePacket(c, ip); err != nil {
			t.Fatal(err)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(t.TempDir(), "mixed.pcapng")
		if err := os.WriteFile(name, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		status, out, errOut := mpldump(name)
		frame2 := strings.Index(icmpOut, "frame 2 ")
		want := icmpOut[:frame2] + "frame 2 len=84\n" + ipLine + "\n" + icmpLine + "\n"
		if status != 0 || out != want || errOut != "" {
			t.Errorf("status %d, stderr %q, output\n%s\nwant\n%s", status, errOut, out, want)
		}
	})
}

// TestVLANTags: each VLAN tag prints its line, the outer tag first, and
// what the last tag carries follows. zeek's QinQ capture has two 802.1Q
// tags (VIDs 1042 or 1041 outside, 120 inside) around IPv4; the frames
// made here have an 802.1ad S-tag outside a C-tag around ARP, and a tag
// cut short.
func TestVLANTags(t *testing.T) {
	// layers returns, for each frame of out, the layer of each line.
	layersOf := func(out string) [][]string {
		var frames [][]string
		for _, l := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
			if strings.HasPrefix(l, "frame ") {
				frames = append(frames, nil)
				continue
			}
			layer, _, _ := strings.Cut(l, ".")
			if strings.HasPrefix(l, "error: ") {
				layer = "error"
			}
			frames[len(frames)-1] = append(frames[len(frames)-1], layer)
		}
		return frames
	}
	want := []string{"ethernet", "vlan", "vlan", "ipv4", "udp", "dns"}
	status, out, errOut := mpldump(filepath.Join(testdata, "zeek__dns_loc-29-trunc.pcap"))
	if status != 0 || errOut != "" {
		t.Fatalf("exit status %d, stderr %q", status, errOut)
	}
	perFrame := layersOf(out)
	if len(perFrame) != 2 {
		t.Fatalf("%d frames:\n%s", len(perFrame), out)
	}
	for i, f := range perFrame {
		if !slices.Equal(f, want) {
			t.Errorf("frame %d: lines of %q, want %q", i+1, f, want)
		}
	}
	tags := linesOf(out, "vlan.")
	for i, prefix := range []string{
		"vlan.pcp=0 vlan.dei=false vlan.vid=1042 vlan.ethertype=VLAN vlan.payload=[104]0078080045",
		"vlan.pcp=0 vlan.dei=false vlan.vid=120 vlan.ethertype=IPv4 vlan.payload=[100]4500",
		"vlan.pcp=0 vlan.dei=false vlan.vid=1041 vlan.ethertype=VLAN ",
		"vlan.pcp=0 vlan.dei=false vlan.vid=120 vlan.ethertype=IPv4 ",
	} {
		if i >= len(tags) || !strings.HasPrefix(tags[i], prefix) {
			t.Errorf("vlan line %d of %q, want it to start with %q", i+1, tags, prefix)
		}
	}

	// An ARP request from zeek's capture, with an S-tag (pcp 5, dei,
	// vid 4095) and a C-tag (vid 0, priority tagged) put in after the
	// addresses; then the same frame cut inside the C-tag.
	arp := frames(t, filepath.Join(testdata, "zeek__arp-who-has.pcap"))[0]
	arpOut := readFile(t, golden(filepath.Join(testdata, "zeek__arp-who-has.pcap")))
	qinq := slices.Concat(arp[:12], []byte{0x88, 0xa8, 0xbf, 0xff, 0x81, 0x00, 0x00, 0x00}, arp[12:])
	cut := qinq[:20]
	status, out, _ = mpldump(writePcap(t, layers.LinkTypeEthernet, qinq, cut))
	if status != 0 {
		t.Errorf("exit status %d", status)
	}
	got := layersOf(out)
	if len(got) != 2 || !slices.Equal(got[0], []string{"ethernet", "vlan", "vlan", "arp"}) || !slices.Equal(got[1], []string{"ethernet", "vlan", "error"}) {
		t.Errorf("lines of %q, want ethernet, vlan, vlan, arp; then ethernet, vlan, error:\n%s", got, out)
	}
	for _, want := range []string{
		"ethernet.ethertype=QinQ ",
		"\nvlan.pcp=5 vlan.dei=true vlan.vid=4095 vlan.ethertype=VLAN vlan.payload=[32]0000080600010800",
		"\nvlan.pcp=0 vlan.dei=false vlan.vid=0 vlan.ethertype=ARP vlan.payload=[28]0001080006040001",
		"\n" + linesOf(arpOut, "arp.")[0] + "\n",
		"\nerror: vlan: ethertype at offset 2: truncated: 2 bytes\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	var pkts [][]byte
	for _, c := range []string{"zeek__icmp_5-pings.pcap", "zeek__arp-who-has.pcap", "zeek__udp-packet.pcap", "zeek__dns_loc-29-trunc.pcap",
		"tcpdump__dns_udp.pcap", "suricata__dns_dns-udp-eve-log-answer-only_dns-udp-google.com-a-aaaa-mx.pcap"} {
		pkts = append(pkts, frames(t, filepath.Join(testdata, c))...)
	}
	// DNS messages with names escaped in their text, TXT and HINFO
	// strings quoted, EDNS0 options and a record of each case.
	mdnsMsg, _ := mdnsResponse(t)
	uniMsg, _ := unicastResponse(t)
	mailMsg, _ := mailResponse(t)
	pkts = append(pkts, udpFrame(t, 5353, 5353, mdnsMsg), udpFrame(t, 53, 49152, uniMsg), udpFrame(t, 53, 49152, mailMsg))
	d := newDumper(io.Discard, options{})
	allocs := testing.AllocsPerRun(100, func() {
		for i, p := range pkts {
			d.frame(i+1, p, len(p), layers.LinkTypeEthernet)
		}
	})
	if allocs != 0 {
		t.Errorf("dumping %d well-formed frames allocates %v times, want 0", len(pkts), allocs)
	}
}

var (
	frameLine = regexp.MustCompile(`^frame ([0-9]+) len=([0-9]+)( orig_len=[0-9]+)?$`)
	errorLine = regexp.MustCompile(`^error: (ethernet|sll|vlan|arp|ipv4|icmp|udp|tcp|dns): .`)
	// A token's name is the layer, then the field's path: fields of
	// array elements (tcp.options[0].kind), of packets nested in them
	// (dns.answers[0].rr.name) and of arrays in those
	// (dns.additionals[0].rr.options[0].code). Its value has no space
	// but an escaped one (a DNS name's "\ ") or one inside a
	// double-quoted string (a TXT string's "a b").
	token = regexp.MustCompile(`^(ethernet|sll|vlan|arp|ipv4|icmp|udp|tcp|dns)\.[a-z_0-9]+(\.[a-z_0-9]+|\[[0-9]+\]\.[a-z_0-9]+)*=(\\.|"(\\.|[^"\\])*"|[^ "\\])+$`)
)

// tokens splits a layer line into its tokens at the spaces that are
// neither escaped by a backslash nor inside double quotes.
func tokens(l string) []string {
	var toks []string
	start, quoted := 0, false
	for i := 0; i < len(l); i++ {
		switch c := l[i]; {
		case c == '\\':
			i++ // the escaped byte
		case c == '"':
			quoted = !quoted
		case c == ' ' && !quoted:
			toks = append(toks, l[start:i])
			start = i + 1
		}
	}
	return append(toks, l[start:])
}

// isLayerLine reports whether l is a layer's line: layer.field=value
// tokens of one layer, or a layer's error.
func isLayerLine(l string) bool {
	if errorLine.MatchString(l) {
		return true
	}
	l = badChecksum.ReplaceAllString(l, "$1")
	var layer string
	for i, tok := range tokens(l) {
		m := token.FindStringSubmatch(tok)
		if m == nil || i > 0 && m[1] != layer {
			return false
		}
		layer = m[1]
	}
	return true
}

// badChecksum is the note after a checksum that does not verify.
var badChecksum = regexp.MustCompile(`(\.checksum=0x[0-9a-f]{4}) \(bad, want 0x[0-9a-f]{4}\)`)

// TestBadChecksums dumps zeek's captures whose IPv4, ICMP or UDP checksum
// is wrong on purpose: the layer's line says so, with the right value,
// and the other layers' lines do not.
func TestBadChecksums(t *testing.T) {
	for _, tc := range []struct{ file, want string }{
		{"zeek__chksums_ip4-bad-chksum.pcap", "ipv4.checksum=0x0001 (bad, want 0x7cca)"},
		{"zeek__chksums_ip4-icmp-bad-chksum.pcap", "icmp.checksum=0x000d (bad, want 0xf7ff)"},
		{"zeek__chksums_ip4-udp-bad-chksum.pcap", "udp.checksum=0x0001 (bad, want 0xa92a)"},
	} {
		status, out, errOut := mpldump(filepath.Join("..", "..", "testdata", "captures", tc.file))
		if status != 0 || errOut != "" {
			t.Errorf("%s: exit status %d, stderr %q", tc.file, status, errOut)
		}
		if !strings.Contains(out, tc.want) {
			t.Errorf("%s: output lacks %q:\n%s", tc.file, tc.want, out)
		}
		if n := strings.Count(out, "(bad, want"); n != 1 {
			t.Errorf("%s: %d bad checksums, want 1:\n%s", tc.file, n, out)
		}
	}
}

// TestCorpus dumps every capture of the shared corpus, if it is there: no
// panic, every frame line printed in order, and only lines of the known
// forms.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("no corpus: %v", err)
	}
	rows := manifest(t, filepath.Join(corpus, "MANIFEST.tsv"))
	names := captures(t, corpus)
	if len(names) == 0 {
		t.Fatalf("no captures in %s", corpus)
	}
	for _, c := range names {
		base := filepath.Base(c)
		var (
			status      int
			out, errOut string
		)
		func() {
			defer func() {
				if e := recover(); e != nil {
					t.Fatalf("%s: panic: %v\n%s", base, e, debug.Stack())
				}
			}()
			status, out, errOut = mpldump(c)
		}()
		if status != 0 || errOut != "" {
			t.Errorf("%s: exit status %d, stderr %q", base, status, errOut)
		}
		n := 0
		sc := bufio.NewScanner(strings.NewReader(out))
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			l := sc.Text()
			if m := frameLine.FindStringSubmatch(l); m != nil {
				n++
				if m[1] != strconv.Itoa(n) {
					t.Errorf("%s: frame line %q, want frame %d", base, l, n)
				}
				continue
			}
			if !isLayerLine(l) {
				t.Errorf("%s: after frame %d, unexpected line %q", base, n, l)
			}
		}
		if row := rows[base]; row != nil {
			if want, err := strconv.Atoi(row["packets"]); err == nil && n != want {
				t.Errorf("%s: %d frame lines, want %d (MANIFEST.tsv)", base, n, want)
			}
		}
		if n == 0 {
			t.Errorf("%s: no frames", base)
		}
	}
}

func BenchmarkDump(b *testing.B) {
	name := filepath.Join(testdata, "zeek__icmp_5-pings.pcap")
	data, err := os.ReadFile(name)
	if err != nil {
		b.Fatal(err)
	}
	d := newDumper(io.Discard, options{})
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if err := d.dump(bytes.NewReader(data), func(layers.LinkType) {}, func(error) {}); err != nil {
			b.Fatal(err)
		}
	}
}

// udpFrame returns an Ethernet frame of an IPv4 datagram from port sport
// to port dport carrying payload, lengths and checksums right.
func udpFrame(t *testing.T, sport, dport uint16, payload []byte) []byte {
	t.Helper()
	eth := &layers.Ethernet{
		SrcMAC:       net.HardwareAddr{0x02, 0, 0, 0, 0, 0x01},
		DstMAC:       net.HardwareAddr{0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb},
		EthernetType: layers.EthernetTypeIPv4,
	}
	ip := &layers.IPv4{
		Version: 4, IHL: 5, TTL: 255, Protocol: layers.IPProtocolUDP,
		SrcIP: net.IP{192, 0, 2, 7}, DstIP: net.IP{224, 0, 0, 251},
	}
	udp := &layers.UDP{SrcPort: layers.UDPPort(sport), DstPort: layers.UDPPort(dport)}
	if err := udp.SetNetworkLayerForChecksum(ip); err != nil {
		t.Fatal(err)
	}
	buf := gopacket.NewSerializeBuffer()
	opts := gopacket.SerializeOptions{FixLengths: true, ComputeChecksums: true}
	if err := gopacket.SerializeLayers(buf, opts, eth, ip, udp, gopacket.Payload(payload)); err != nil {
		t.Fatal(err)
	}
	return slices.Clone(buf.Bytes())
}

// packDNS packs m with miekg/dns, which compresses names where RFC 1035
// allows (compress), and reads it back: the message as miekg/dns sees
// the wire, names in its presentation form.
func packDNS(t *testing.T, m *miekgdns.Msg, compress bool) ([]byte, *miekgdns.Msg) {
	t.Helper()
	m.Compress = compress
	b, err := m.Pack()
	if err != nil {
		t.Fatal(err)
	}
	back := new(miekgdns.Msg)
	if err := back.Unpack(b); err != nil {
		t.Fatal(err)
	}
	return b, back
}

func mustRR(t *testing.T, s string) miekgdns.RR {
	t.Helper()
	rr, err := miekgdns.NewRR(s)
	if err != nil {
		t.Fatal(err)
	}
	return rr
}

// dnsTokens returns the tokens of the dns line of a frame's output, by
// name, with the line itself; it fails the test unless there is exactly
// one such line and every token is well formed.
func dnsTokens(t *testing.T, out string) (map[string]string, string) {
	t.Helper()
	lines := linesOf(out, "dns.")
	if len(lines) != 1 {
		t.Fatalf("%d dns lines, want 1:\n%s", len(lines), out)
	}
	if !isLayerLine(lines[0]) {
		t.Errorf("dns line not of layer.field=value tokens: %q", lines[0])
	}
	toks := make(map[string]string)
	for _, tok := range tokens(lines[0]) {
		name, value, _ := strings.Cut(tok, "=")
		// A record has two: rr.case=Record (or OPT), then the
		// case of its type, rr.case=A.
		if _, dup := toks[name]; dup && !strings.HasSuffix(name, ".case") {
			t.Errorf("token %s twice in %q", name, lines[0])
		}
		toks[name] = value
	}
	return toks, lines[0]
}

// mdnsResponse is a multicast DNS response (RFC 6762, 6763), packed by
// miekg/dns, and the message miekg/dns reads back from it: a service
// instance whose name has a space, its SRV, TXT (a string with a space,
// one with quotes), A and AAAA records, the cache-flush bit in the class
// of the last two.
func mdnsResponse(t *testing.T) ([]byte, *miekgdns.Msg) {
	t.Helper()
	m := new(miekgdns.Msg)
	m.Response, m.Authoritative = true, true
	m.Answer = []miekgdns.RR{
		mustRR(t, `_ipp._tcp.local. 4500 IN PTR my\ printer._ipp._tcp.local.`),
		mustRR(t, `my\ printer._ipp._tcp.local. 120 IN SRV 0 0 631 printer.local.`),
		mustRR(t, `my\ printer._ipp._tcp.local. 4500 IN TXT "txtvers=1" "note=2nd floor" "q=\"x\""`),
	}
	m.Extra = []miekgdns.RR{
		mustRR(t, `printer.local. 120 CLASS32769 A 192.0.2.7`),
		mustRR(t, `printer.local. 120 CLASS32769 AAAA 2001:db8::7`),
	}
	return packDNS(t, m, false)
}

// unicastResponse is a DNS response with compressed names, one with a
// dot, an @ and a byte outside printable ASCII in its labels; CNAME, MX,
// NS and SOA records; EDNS0 with a client subnet option.
func unicastResponse(t *testing.T) ([]byte, *miekgdns.Msg) {
	t.Helper()
	m := new(miekgdns.Msg)
	m.Id = 0xbeef
	m.Response, m.RecursionDesired, m.RecursionAvailable = true, true, true
	m.Rcode = miekgdns.RcodeNameError
	m.Question = []miekgdns.Question{{Name: `a\.b\@c\255.example.`, Qtype: miekgdns.TypeMX, Qclass: miekgdns.ClassINET}}
	m.Answer = []miekgdns.RR{
		mustRR(t, `a\.b\@c\255.example. 300 IN CNAME mail.example.`),
		mustRR(t, `mail.example. 300 IN MX 10 mx1.mail.example.`),
	}
	m.Ns = []miekgdns.RR{
		mustRR(t, `example. 3600 IN NS ns1.example.`),
		mustRR(t, `example. 900 IN SOA ns1.example. host\.master.example. 2024010101 7200 3600 1209600 900`),
	}
	opt := &miekgdns.OPT{Hdr: miekgdns.RR_Header{Name: ".", Rrtype: miekgdns.TypeOPT}}
	opt.SetUDPSize(1232)
	opt.SetDo()
	opt.Option = append(opt.Option, &miekgdns.EDNS0_SUBNET{Code: miekgdns.EDNS0SUBNET, Family: 1, SourceNetmask: 24, Address: net.IP{192, 0, 2, 0}.To4()})
	m.Extra = []miekgdns.RR{opt}
	plain, _ := packDNS(t, m.Copy(), false)
	b, back := packDNS(t, m, true)
	if len(b) >= len(plain) {
		t.Fatalf("miekg/dns did not compress the unicast response")
	}
	return b, back
}

// mailResponse is a DNS response with a record of each type of RFC 1035
// and RFC 1183 that has a case of its own beyond those of the other
// responses: MD, MF, MB, MG, MR and MINFO, whose names miekg/dns
// compresses; HINFO, with a quote and a space in its strings; RP, AFSDB
// and RT, whose names it writes whole (RFC 3597 section 4).
func mailResponse(t *testing.T) ([]byte, *miekgdns.Msg) {
	t.Helper()
	m := new(miekgdns.Msg)
	m.Id = 0x1035
	m.Response, m.Authoritative = true, true
	m.Question = []miekgdns.Question{{Name: "example.org.", Qtype: miekgdns.TypeANY, Qclass: miekgdns.ClassINET}}
	m.Answer = []miekgdns.RR{
		mustRR(t, `example.org. 300 IN MD mail.example.org.`),
		mustRR(t, `example.org. 300 IN MF relay.example.org.`),
		mustRR(t, `alice.example.org. 300 IN MB mail.example.org.`),
		mustRR(t, `staff.example.org. 300 IN MG alice.example.org.`),
		mustRR(t, `bob.example.org. 300 IN MR alice.example.org.`),
		mustRR(t, `example.org. 300 IN HINFO "AMD64" "Linux \"6.1\""`),
		mustRR(t, `staff.example.org. 300 IN MINFO alice.example.org. errors.staff.example.org.`),
		mustRR(t, `example.org. 300 IN RP hostmaster.example.org. info.example.org.`),
		mustRR(t, `example.org. 300 IN AFSDB 1 afs.example.org.`),
		mustRR(t, `example.org. 300 IN RT 10 relay.example.org.`),
	}
	plain, _ := packDNS(t, m.Copy(), false)
	b, back := packDNS(t, m, true)
	if len(b) >= len(plain) {
		t.Fatalf("miekg/dns did not compress the mail response")
	}
	return b, back
}

// TestDNS: a UDP datagram to or from port 53 or 5353 goes on to a dns
// line, whose header fields, questions and records, names in presentation
// form, agree with what miekg/dns reads from the same bytes.
func TestDNS(t *testing.T) {
	mdnsMsg, mdnsBack := mdnsResponse(t)
	uniMsg, uniBack := unicastResponse(t)
	mailMsg, mailBack := mailResponse(t)

	// what the dns line must hold for a record of miekg/dns at path.
	recordTokens := func(path string, rr miekgdns.RR) map[string]string {
		h := rr.Header()
		w := map[string]string{
			path + ".name": h.Name,
			path + ".type": strconv.Itoa(int(h.Rrtype)),
		}
		if h.Rrtype != miekgdns.TypeOPT {
			w[path+".class"] = strconv.Itoa(int(h.Class))
			w[path+".ttl"] = strconv.Itoa(int(h.Ttl))
			w[path+".rdlength"] = strconv.Itoa(int(h.Rdlength))
		}
		switch r := rr.(type) {
		case *miekgdns.A:
			w[path+".a"] = r.A.String()
		case *miekgdns.AAAA:
			w[path+".aaaa"] = r.AAAA.String()
		case *miekgdns.PTR:
			w[path+".ptr"] = r.Ptr
		case *miekgdns.CNAME:
			w[path+".cname"] = r.Target
		case *miekgdns.NS:
			w[path+".ns"] = r.Ns
		case *miekgdns.MX:
			w[path+".preference"] = strconv.Itoa(int(r.Preference))
			w[path+".exchange"] = r.Mx
		case *miekgdns.SRV:
			w[path+".priority"] = strconv.Itoa(int(r.Priority))
			w[path+".weight"] = strconv.Itoa(int(r.Weight))
			w[path+".port"] = strconv.Itoa(int(r.Port))
			w[path+".target"] = r.Target
		case *miekgdns.SOA:
			w[path+".mname"], w[path+".rname"] = r.Ns, r.Mbox
			w[path+".serial"] = strconv.FormatUint(uint64(r.Serial), 10)
			w[path+".refresh"] = strconv.FormatUint(uint64(r.Refresh), 10)
			w[path+".retry"] = strconv.FormatUint(uint64(r.Retry), 10)
			w[path+".expire"] = strconv.FormatUint(uint64(r.Expire), 10)
			w[path+".minimum"] = strconv.FormatUint(uint64(r.Minttl), 10)
		case *miekgdns.TXT:
			for i, s := range r.Txt {
				// miekg/dns escapes a TXT string its way; the line
				// has the bytes Go-quoted.
				raw, err := strconv.Unquote(`"` + s + `"`)
				if err != nil {
					raw = s
				}
				w[fmt.Sprintf("%s.texts[%d].text", path, i)] = strconv.Quote(raw)
			}
		case *miekgdns.MD:
			w[path+".madname"] = r.Md
		case *miekgdns.MF:
			w[path+".madname"] = r.Mf
		case *miekgdns.MB:
			w[path+".madname"] = r.Mb
		case *miekgdns.MG:
			w[path+".mgmname"] = r.Mg
		case *miekgdns.MR:
			w[path+".newname"] = r.Mr
		case *miekgdns.HINFO:
			for _, f := range []struct{ name, s string }{{"cpu", r.Cpu}, {"os", r.Os}} {
				// Escaped by miekg/dns as a TXT string is.
				raw, err := strconv.Unquote(`"` + f.s + `"`)
				if err != nil {
					raw = f.s
				}
				w[path+"."+f.name] = strconv.Quote(raw)
			}
		case *miekgdns.MINFO:
			w[path+".rmailbx"], w[path+".emailbx"] = r.Rmail, r.Email
		case *miekgdns.RP:
			w[path+".mbox"], w[path+".txt"] = r.Mbox, r.Txt
		case *miekgdns.AFSDB:
			w[path+".subtype"] = strconv.Itoa(int(r.Subtype))
			w[path+".hostname"] = r.Hostname
		case *miekgdns.RT:
			w[path+".preference"] = strconv.Itoa(int(r.Preference))
			w[path+".intermediate_host"] = r.Host
		case *miekgdns.OPT:
			w[path+".udp_size"] = strconv.Itoa(int(r.UDPSize()))
			w[path+".do"] = strconv.FormatBool(r.Do())
			w[path+".version"] = strconv.Itoa(int(r.Version()))
		}
		return w
	}
	messageTokens := func(m *miekgdns.Msg) map[string]string {
		w := map[string]string{
			"dns.id":      strconv.Itoa(int(m.Id)),
			"dns.qr":      strconv.FormatBool(m.Response),
			"dns.aa":      strconv.FormatBool(m.Authoritative),
			"dns.rd":      strconv.FormatBool(m.RecursionDesired),
			"dns.ra":      strconv.FormatBool(m.RecursionAvailable),
			"dns.qdcount": strconv.Itoa(len(m.Question)),
			"dns.ancount": strconv.Itoa(len(m.Answer)),
			"dns.nscount": strconv.Itoa(len(m.Ns)),
			"dns.arcount": strconv.Itoa(len(m.Extra)),
		}
		for i, q := range m.Question {
			p := fmt.Sprintf("dns.questions[%d]", i)
			w[p+".qname"] = q.Name
			w[p+".qtype"] = strconv.Itoa(int(q.Qtype))
			w[p+".qclass"] = strconv.Itoa(int(q.Qclass))
		}
		for _, sec := range []struct {
			name string
			rrs  []miekgdns.RR
		}{{"answers", m.Answer}, {"authorities", m.Ns}, {"additionals", m.Extra}} {
			for i, rr := range sec.rrs {
				maps.Copy(w, recordTokens(fmt.Sprintf("dns.%s[%d].rr", sec.name, i), rr))
			}
		}
		return w
	}

	for _, tc := range []struct {
		name         string
		sport, dport uint16
		msg          []byte
		back         *miekgdns.Msg
		want         []string // more tokens the line must hold
	}{
		{"mdns", 5353, 5353, mdnsMsg, mdnsBack, []string{
			`dns.answers[0].rr.ptr=my\ printer._ipp._tcp.local.`,
			`dns.answers[1].rr.name=my\ printer._ipp._tcp.local.`,
			`dns.answers[2].rr.texts[1].text="note=2nd floor"`,
			`dns.answers[2].rr.texts[2].text="q=\"x\""`,
			"dns.additionals[0].rr.class=32769",
			"dns.additionals[1].rr.aaaa=2001:db8::7",
		}},
		{"mdns to a client port", 5353, 49152, mdnsMsg, mdnsBack, nil},
		{"unicast from 53", 53, 49152, uniMsg, uniBack, []string{
			"dns.rcode=NXDomain",
			`dns.questions[0].qname=a\.b\@c\255.example.`,
			`dns.authorities[1].rr.rname=host\.master.example.`,
			"dns.additionals[0].rr.name=.",
			"dns.additionals[0].rr.options[0].case=ClientSubnet",
			"dns.additionals[0].rr.options[0].address=c00002",
		}},
		{"unicast to 53", 49152, 53, uniMsg, uniBack, nil},
		{"mail", 53, 49152, mailMsg, mailBack, []string{
			"dns.answers[0].rr.case=MD",
			"dns.answers[5].rr.case=HINFO",
			`dns.answers[5].rr.os="Linux \"6.1\""`,
			"dns.answers[9].rr.case=RT",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, out, errOut := mpldump(writePcap(t, layers.LinkTypeEthernet, udpFrame(t, tc.sport, tc.dport, tc.msg)))
			if status != 0 || errOut != "" {
				t.Fatalf("exit status %d, stderr %q", status, errOut)
			}
			toks, line := dnsTokens(t, out)
			want := messageTokens(tc.back)
			for _, tok := range tc.want {
				name, value, _ := strings.Cut(tok, "=")
				want[name] = value
			}
			for _, name := range slices.Sorted(maps.Keys(want)) {
				if toks[name] != want[name] {
					t.Errorf("%s=%s, want %s", name, toks[name], want[name])
				}
			}
			if t.Failed() {
				t.Logf("dns line: %s", line)
			}
		})
	}

	// Other ports: no dns line, whatever the payload.
	for _, ports := range [][2]uint16{{5354, 49152}, {49152, 1053}, {54, 52}} {
		out := readFrames(t, udpFrame(t, ports[0], ports[1], uniMsg))
		if l := linesOf(out, "dns."); len(l) != 0 || !strings.Contains(out, "\nudp.") {
			t.Errorf("ports %d -> %d: dns lines %q, want none after the udp line:\n%s", ports[0], ports[1], l, out)
		}
	}
}

// readFrames dumps frames, Ethernet, as mpldump shows them.
func readFrames(t *testing.T, frames ...[]byte) string {
	t.Helper()
	status, out, errOut := mpldump(writePcap(t, layers.LinkTypeEthernet, frames...))
	if status != 0 || errOut != "" {
		t.Fatalf("exit status %d, stderr %q", status, errOut)
	}
	return out
}

// TestDNSErrors: a DNS message that does not parse prints the error line
// of the dns layer, naming the field and its offset in the message, and
// the frame ends there; no cut or change of a message makes mpldump
// panic or print anything else.
func TestDNSErrors(t *testing.T) {
	hdr := func(qd, an uint16) []byte {
		return []byte{0xab, 0xcd, 0x84, 0x00, byte(qd >> 8), byte(qd), byte(an >> 8), byte(an), 0, 0, 0, 0}
	}
	// A message of one mDNS record of type SRV, class IN with cache
	// flush, ttl 120, and rdata, whose target starts at offset 37.
	srv := func(rdata ...byte) []byte {
		b := append(hdr(0, 1), 1, 'a', 5, 'l', 'o', 'c', 'a', 'l', 0, 0, 33, 0x80, 1, 0, 0, 0, 120, 0, byte(len(rdata)))
		return append(b, rdata...)
	}
	long := hdr(1, 0)
	for range 5 {
		long = append(long, 63)
		long = append(long, bytes.Repeat([]byte{'x'}, 63)...)
	}
	long = append(long, 0, 0, 1, 0, 1)
	for _, tc := range []struct {
		name string
		msg  []byte
		want string
	}{
		// A datagram with no payload, as in tcpdump's zlip captures,
		// whose message lies after the UDP length.
		{"empty", nil, "error: dns: id at offset 0: truncated: 2 bytes"},
		{"header cut", hdr(0, 0)[:7], "error: dns: ancount at offset 6: truncated: 2 bytes"},
		{"more questions than bytes", hdr(2, 0), "error: dns: questions at offset 12: length: 0 <= qdcount <= remaining bytes"},
		{"pointer to itself", append(hdr(1, 0), 0xc0, 12, 0, 1, 0, 1), "error: dns: qname at offset 12: value: a valid dns_label_comp: dns name: pointer points into the labels that hold it"},
		// The offset is that of the byte at fault: the pointer, the
		// label that makes the name too long.
		{"pointer forward", append(hdr(1, 0), 3, 'a', 'b', 'c', 0xc0, 20, 0, 1, 0, 1, 0), "error: dns: qname at offset 16: value: a valid dns_label_comp: dns name: pointer does not point back"},
		{"name over 255 bytes", long, "error: dns: qname at offset 204: max: a valid dns_label_comp: dns name: longer than 255 bytes"},
		{"label cut", append(hdr(1, 0), 5, 'a', 'b'), "error: dns: qname at offset 12: truncated: a valid dns_label_comp: dns name: label runs past the end"},
		// Faults inside a record name its packet, rr, after the layer.
		{"rdata cut", slices.Clip(srv(0, 0, 0, 0, 2, 0x77, 1, 'b', 0))[:38], "error: dns: rr: target at offset 37: truncated: a valid dns_label: dns name: label runs past the end"},
		{"SRV target pointer past the end", srv(0, 0, 0, 0, 2, 0x77, 1, 'b', 0xc0, 0x3f), "error: dns: rr: target at offset 39: value: a valid dns_label: dns name: pointer points past the end"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := readFrames(t, udpFrame(t, 5353, 53, tc.msg))
			if !strings.Contains(out, "\nudp.") {
				t.Errorf("no udp line:\n%s", out)
			}
			if !strings.HasSuffix(out, "\n"+tc.want+"\n") || len(linesOf(out, "dns.")) != 0 {
				t.Errorf("output\n%s\nwant it to end with\n%s", out, tc.want)
			}
			if !isLayerLine(tc.want) {
				t.Errorf("%q is not an error line", tc.want)
			}
		})
	}

	// Bytes after the message end the dns line as dns.rest.
	uniMsg, _ := unicastResponse(t)
	out := readFrames(t, udpFrame(t, 53, 53, append(slices.Clip(uniMsg), 0xde, 0xad)))
	if l := linesOf(out, "dns."); len(l) != 1 || !strings.HasSuffix(l[0], " dns.rest=dead") {
		t.Errorf("dns lines %q, want one ending with dns.rest=dead", l)
	}

	// Every cut of three messages and every change of one byte of them
	// (to 0x00, 0xc0 and 0xff): a dns line or a dns error, nothing else.
	mdnsMsg, _ := mdnsResponse(t)
	mailMsg, _ := mailResponse(t)
	var pkts [][]byte
	for _, m := range [][]byte{uniMsg, mdnsMsg, mailMsg} {
		for n := range len(m) {
			pkts = append(pkts, udpFrame(t, 53, 5353, m[:n]))
		}
		for i := range m {
			for _, c := range []byte{0x00, 0xc0, 0xff} {
				x := slices.Clone(m)
				x[i] = c
				pkts = append(pkts, udpFrame(t, 53, 5353, x))
			}
		}
	}
	name := writePcap(t, layers.LinkTypeEthernet, pkts...)
	var status int
	var errOut string
	func() {
		defer func() {
			if e := recover(); e != nil {
				t.Fatalf("panic: %v\n%s", e, debug.Stack())
			}
		}()
		status, out, errOut = mpldump(name)
	}()
	if status != 0 || errOut != "" {
		t.Fatalf("exit status %d, stderr %q", status, errOut)
	}
	frames := strings.Split(out, "frame ")[1:]
	if len(frames) != len(pkts) {
		t.Fatalf("%d frames dumped, want %d", len(frames), len(pkts))
	}
	var parsed, failed int
	for i, f := range frames {
		lines := strings.Split(strings.TrimSuffix(f, "\n"), "\n")
		last := lines[len(lines)-1]
		switch {
		case strings.HasPrefix(last, "dns.") && isLayerLine(last):
			parsed++
		case strings.HasPrefix(last, "error: dns: "):
			failed++
		default:
			t.Errorf("frame %d ends with %q, want a dns line or a dns error", i+1, last)
			continue
		}
		if !strings.HasPrefix(lines[len(lines)-2], "udp.") {
			t.Errorf("frame %d: line before the dns one is %q, want the udp line", i+1, lines[len(lines)-2])
		}
	}
	if parsed == 0 || failed == 0 {
		t.Errorf("%d frames parsed, %d failed: want some of each", parsed, failed)
	}
}
