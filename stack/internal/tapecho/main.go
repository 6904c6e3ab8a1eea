// Command tapecho answers ARP requests for one IPv4 address and ICMP echo
// requests to it on a TAP device, with a loop written by hand (encoding/
// binary, nothing generated, no stack): it is the TAP's own ceiling that
// "ping -f" against the stack is measured against.
//
//	ip netns exec NS tapecho -tap tap0 -addr 198.18.1.2 -mac 02:00:5e:12:01:02
//
// It attaches to the TAP device in its own network namespace (made with
// "ip tuntap add dev NAME mode tap"), turns each request into its reply in
// place, in the buffer it was read into, and writes it back. It stops on
// SIGINT or SIGTERM and prints what it did.
package main

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"syscall"

	"github.com/mplgo/mpl/stack"
)

func main() {
	tapName := flag.String("tap", "", "the TAP `device` to attach to, in this network namespace")
	addrFlag := flag.String("addr", "198.18.1.2", "the IPv4 `address` to answer for")
	macFlag := flag.String("mac", "02:00:5e:12:01:02", "the MAC `address` to answer from")
	flag.Parse()
	if *tapName == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	addr, err := netip.ParseAddr(*addrFlag)
	if err != nil || !addr.Is4() {
		fatalf("-addr %q: not an IPv4 address", *addrFlag)
	}
	hw, err := net.ParseMAC(*macFlag)
	if err != nil || len(hw) != 6 {
		fatalf("-mac %q: not a 6-byte MAC address", *macFlag)
	}
	tap, err := stack.OpenTAP(*tapName)
	if err != nil {
		fatalf("%v", err)
	}
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sigc
		tap.Close() // the loop's ReadFrame returns stack.ErrClosed
	}()

	fmt.Fprintf(os.Stderr, "tapecho: answering for %v at %v on %s\n", addr, hw, *tapName)
	var e echoer
	copy(e.mac[:], hw)
	e.addr = addr.As4()
	err = e.run(tap)
	fmt.Fprintf(os.Stderr, "tapecho: %d frames read, %d ARP replies, %d echo replies\n", e.frames, e.arps, e.echoes)
	if err != stack.ErrClosed {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "tapecho: "+format+"\n", args...)
	os.Exit(1)
}

// echoer answers for addr at mac, and counts.
type echoer struct {
	mac  [6]byte
	addr [4]byte

	frames, arps, echoes uint64
}

// run reads frames from link and writes the replies to it until an error
// (stack.ErrClosed once the link is closed).
func (e *echoer) run(link stack.Link) error {
	buf := make([]byte, stack.MaxFrame)
	for {
		n, err := link.ReadFrame(buf)
		if err != nil {
			return err
		}
		e.frames++
		if reply := e.answer(buf[:n]); reply != nil {
			if err := link.WriteFrame(reply); err != nil {
				return err
			}
		}
	}
}

const (
	ethLen   = 14
	arpLen   = 28
	typeIPv4 = 0x0800
	typeARP  = 0x0806
)

// answer turns frame into its reply in place and returns the reply (a
// prefix of frame: padding goes), or returns nil if frame is not an ARP
// request for e.addr or an ICMP echo request to it.
func (e *echoer) answer(f []byte) []byte {
	if len(f) < ethLen {
		return nil
	}
	switch binary.BigEndian.Uint16(f[12:14]) {
	case typeARP:
		return e.answerARP(f)
	case typeIPv4:
		return e.answerEcho(f)
	}
	return nil
}

// answerARP answers an Ethernet/IPv4 ARP request for e.addr, whatever its
// destination MAC (the kernel's reachability probes are unicast).
func (e *echoer) answerARP(f []byte) []byte {
	if len(f) < ethLen+arpLen {
		return nil
	}
	a := f[ethLen : ethLen+arpLen]
	// htype 1 (Ethernet), ptype IPv4, hlen 6, plen 4, op 1 (request).
	if !bytes.Equal(a[:8], []byte{0, 1, 0x08, 0, 6, 4, 0, 1}) || !bytes.Equal(a[24:28], e.addr[:]) {
		return nil
	}
	copy(f[0:6], f[6:12])
	copy(f[6:12], e.mac[:])
	a[7] = 2                // op: reply
	copy(a[18:24], a[8:14]) // tha = the asker's sha
	copy(a[24:28], a[14:18])
	copy(a[8:14], e.mac[:])
	copy(a[14:18], e.addr[:])
	e.arps++
	return f[:ethLen+arpLen]
}

// answerEcho turns an unfragmented ICMP echo request to e.mac and e.addr
// into an echo reply: MACs and IPs swapped, type 0, the ICMP checksum
// updated for the type (RFC 1624, eqn. 3). The IPv4 header checksum stays
// as it is (the same words, other order); so does the TTL. Checksums are
// not verified: it answers what it is sent.
func (e *echoer) answerEcho(f []byte) []byte {
	if !bytes.Equal(f[0:6], e.mac[:]) {
		return nil
	}
	ip := f[ethLen:]
	if len(ip) < 20 || ip[0]>>4 != 4 {
		return nil
	}
	ihl := int(ip[0]&0x0f) * 4
	total := int(binary.BigEndian.Uint16(ip[2:4]))
	if ihl < 20 || total < ihl+8 || total > len(ip) ||
		binary.BigEndian.Uint16(ip[6:8])&0x3fff != 0 || // MF or an offset: a fragment
		ip[9] != 1 || !bytes.Equal(ip[16:20], e.addr[:]) {
		return nil
	}
	icmp := ip[ihl:total]
	if icmp[0] != 8 { // echo request
		return nil
	}
	copy(f[0:6], f[6:12])
	copy(f[6:12], e.mac[:])
	src := [4]byte(ip[12:16])
	copy(ip[12:16], ip[16:20])
	copy(ip[16:20], src[:])
	icmp[0] = 0 // echo reply
	code := uint16(icmp[1])
	sum := binary.BigEndian.Uint16(icmp[2:4])
	binary.BigEndian.PutUint16(icmp[2:4], updateChecksum(sum, 8<<8|code, 0<<8|code))
	e.echoes++
	return f[:ethLen+total]
}

// updateChecksum returns the Internet checksum hc updated for a 16-bit
// word that changed from m to m2: HC' = ~(~HC + ~m + m') (RFC 1624).
func updateChecksum(hc, m, m2 uint16) uint16 {
	s := uint32(^hc) + uint32(^m) + uint32(m2)
	s = s&0xffff + s>>16
	s = s&0xffff + s>>16
	return ^uint16(s)
}
