// Command mpldump prints packet captures as the generated codecs see them:
// every frame, layer by layer, every field by the name it has in its spec.
// Reach for it first when a spec and the wire disagree.
//
// Usage:
//
//	mpldump [-n N] [-q] FILE...
//
// Each FILE is a pcap or pcapng capture (told apart by its magic number;
// "-" reads standard input). For every frame mpldump prints a frame line,
// then one line per layer. An ICMP echo request (the ipv4 line is folded
// here; mpldump prints it on one line):
//
//	frame 1 len=98
//	ethernet.dst=00:1a:2b:3c:4d:5e ethernet.src=52:54:00:12:34:56 ethernet.ethertype=IPv4 ethernet.payload=[84]45000054a1b240004001a223c0a80164...
//	ipv4.version=4 ipv4.ihl=5 ipv4.dscp=0 ipv4.ecn=0 ipv4.total_length=84 ipv4.id=41394 ipv4.reserved=false
//	  ipv4.dont_fragment=true ipv4.more_fragments=false ipv4.fragment_offset=0 ipv4.ttl=64 ipv4.protocol=ICMP
//	  ipv4.checksum=0xa223 ipv4.src=192.168.1.100 ipv4.dst=93.184.215.14 ipv4.options="" ipv4.payload=[64]080073790b3d00015e2c1a6700000000...
//	icmp.type=8 icmp.code=0 icmp.checksum=0x7379 icmp.case=EchoRequest icmp.identifier=2877 icmp.sequence=1 icmp.data=[56]5e2c1a670000000040e2010000000000...
//
// The frame line gives the frame's 1-based number in its file and its
// captured length, and orig_len, the length on the wire, when the capture
// cut the frame short. A layer line holds a layer.field=value token for
// each field the generated package's Walk yields, in order: the case a
// classify chose as layer.case, and the fields of array elements as
// layer.array[i].field. Values are written as mplrt.Field.AppendValue
// writes them: addresses in their usual notation, named values by name,
// checksums in hex, and byte strings in hex, longer ones as
// [length]first-16-bytes... . Bytes after a packet that no layer covers,
// such as Ethernet padding after an IPv4 packet, end its line as
// layer.rest=... .
//
// Layers are decoded with the packages in gen/: Ethernet frames, then
// VLAN tags (ethertype 0x8100 or 0x88a8) as vlan, one line per tag, the
// outer first; then ethertype IPv4 as ipv4 and ARP as arp; then IPv4
// protocol ICMP as icmp, UDP as udp and TCP as tcp (its options as
// tcp.options[i].field, a SACK block as tcp.options[i].blocks[j].field),
// unless the IPv4 packet is a fragment (fragment offset or more-fragments
// set); then a UDP datagram to or from port 53 (DNS) or 5353 (multicast
// DNS) as dns, its questions as dns.questions[i].field and its records
// as dns.answers[i].rr.field (dns.authorities, dns.additionals alike; an
// EDNS0 option as dns.additionals[i].rr.options[j].field), names in
// presentation form:
//
//	dns.questions[0].qname=www.example.com. dns.questions[0].qtype=1 dns.questions[0].qclass=1
//
// with the root as ".", and . space ' @ ; ( ) " \ in a label after a
// backslash ("my\ printer.local."), other bytes outside printable ASCII
// as \DDD; TXT strings are double-quoted, Go-escaped. Anything else ends
// the frame after the last layer decoded. Captures of link type Ethernet, raw IP (IPv4 packets only,
// from LINKTYPE_RAW and LINKTYPE_IPV4) and Linux cooked capture (a line of
// sll.* fields from its 16-byte header, then its protocol as an
// EtherType) are decoded; for other link types mpldump says once per file
// that it cannot decode them, on standard error, and prints their frame
// lines alone (that is not an error: the exit status stays 0), or, for a
// link type number not in the registry, that it is unknown.
//
// mpldump shows what the specs check and nothing more: a field the spec
// does not constrain is printed, not judged. The checksums the specs
// declare (IPv4 header, ICMP, UDP, TCP) are verified: one that is wrong is
// followed by the value it should hold, as in
// udp.checksum=0x0001 (bad, want 0xa92a); a UDP checksum of 0, none
// computed, is not flagged.
//
// A layer that fails to parse prints
//
//	error: ipv4: total_length at offset 2: min: total_length >= (ihl * 4)
//
// that is, the parse error: the packet (the layer), the field, its
// byte offset from the start of the layer, the failure class and the
// constraint from the spec. A fault in a DNS record names the record's
// packet after the layer, with its offset from the start of the message:
//
//	error: dns: rr: code at offset 40: truncated: 2 bytes
//
// The frame ends there, and the dump goes on with the next one.
//
// The flags are:
//
//	-n N   stop after N frames of each file (0, the default: all)
//	-q     print only the frames in which a layer failed to parse
//
// Faults in the file itself go to standard error as "mpldump: FILE: ...",
// naming the record or block and its file offset, and what is wrong with
// it:
//
//	mpldump: x.pcapng: frame 2: enhanced packet block at offset 180: trailing total length 136 does not match leading total length 132
//	mpldump: x.pcap: frame 10: record at offset 1050: data cut short by the end of the file: 88 of 98 bytes
//
// mpldump checks the framing of every pcapng block (total length a multiple
// of 4, at least the minimum for its type, within the file, and the same
// at both ends; byte-order magic and version of section headers; options
// within their block) and of every pcap record (header and data within the
// file, captured length at most the original length and the snap length).
// As libpcap does, it takes a packet longer than the snap length if it is
// at most 262144 bytes, libpcap's largest snap length. A fault that leaves
// the framing in doubt ends the file there. A packet block that is framed
// correctly but cannot be decoded (interface id out of range, captured
// length beyond its block or the snap length) is reported, counted as a
// frame and skipped ("...; skipped"), and the dump goes on. (A gzipped
// pcap file is read by pcapgo alone, which only says where a record is cut
// short.)
//
// The exit status is 0 when every file could be read, even if some frames
// were malformed; 1 when a file could not be opened, is not a pcap or
// pcapng file, or has a fault of its own as above (the frames before it are
// printed, and the next file is dumped); and 2 for a usage error.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/gopacket/gopacket/layers"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is mpldump with arguments args; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("mpldump", flag.ContinueOnError)
	flags.SetOutput(stderr)
	var opts options
	flags.IntVar(&opts.limit, "n", 0, "stop after `N` frames of each file (0: all)")
	flags.BoolVar(&opts.errorsOnly, "q", false, "print only the frames in which a layer failed to parse")
	flags.Usage = func() {
		fmt.Fprintln(stderr, "usage: mpldump [-n N] [-q] FILE...")
		flags.PrintDefaults()
	}
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if opts.limit < 0 {
		fmt.Fprintln(stderr, "mpldump: -n must not be negative")
		flags.Usage()
		return 2
	}
	if flags.NArg() == 0 {
		fmt.Fprintln(stderr, "mpldump: no capture files")
		flags.Usage()
		return 2
	}

	out := bufio.NewWriterSize(stdout, 64<<10)
	d := newDumper(out, opts)
	status := 0
	for _, name := range flags.Args() {
		// Messages go to stderr after the frames before them.
		complain := func(err error) {
			if ferr := out.Flush(); ferr != nil && d.werr == nil {
				d.werr = ferr
			}
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err // the name is already there
			}
			fmt.Fprintf(stderr, "mpldump: %s: %v\n", name, err)
		}
		unsupported := func(t layers.LinkType) {
			if t.String() == "UnknownLinkType" {
				complain(fmt.Errorf("unknown link type %d: frames shown without layers", int(t)))
				return
			}
			complain(fmt.Errorf("link type %v (%d) not supported: frames shown without layers", t, int(t)))
		}
		skipped := func(err error) {
			complain(err)
			status = 1
		}
		if err := dumpFile(d, name, unsupported, skipped); err != nil {
			if d.werr != nil {
				break
			}
			complain(err)
			status = 1
		}
	}
	if err := out.Flush(); err != nil && d.werr == nil {
		d.werr = err
	}
	if d.werr != nil {
		fmt.Fprintf(stderr, "mpldump: writing output: %v\n", d.werr)
		return 1
	}
	return status
}

// dumpFile dumps the capture in the file name, or standard input for "-".
func dumpFile(d *dumper, name string, unsupported func(layers.LinkType), skipped func(error)) error {
	if name == "-" {
		return d.dump(os.Stdin, unsupported, skipped)
	}
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	return d.dump(f, unsupported, skipped)
}
