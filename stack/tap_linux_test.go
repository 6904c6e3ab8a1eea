package stack

import (
	"bytes"
	"errors"
	"net"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/internal/netns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// The kernel's side of the test TAP has tapKernelAddr; the frames the
// tests write come from tapPeerAddr at tapPeerMAC (locally administered),
// and waitKernel's from tapProbeAddr at tapProbeMAC.
var (
	tapKernelAddr = netip.MustParseAddr("198.18.1.1")
	tapPeerAddr   = netip.MustParseAddr("198.18.1.2")
	tapPeerMAC    = net.HardwareAddr{0x02, 0x00, 0x5e, 0x12, 0x01, 0x02}
	tapProbeAddr  = netip.MustParseAddr("198.18.1.254")
	tapProbeMAC   = net.HardwareAddr{0x02, 0x00, 0x5e, 0x12, 0x01, 0xfe}
	zeroMAC       = net.HardwareAddr{0, 0, 0, 0, 0, 0}
)

// openTestTAP makes a namespace with the TAP device tap0 (198.18.1.1/24
// on the kernel's side), attaches to it, and waits until the kernel sends
// into it. Both go when the test ends.
func openTestTAP(t *testing.T) (*netns.NS, *TAP) {
	t.Helper()
	netns.Need(t, "ping")
	n := netns.New(t)
	n.AddTAP("tap0", tapKernelAddr.String()+"/24")
	var tap *TAP
	if err := n.Do(func() (err error) { tap, err = OpenTAP("tap0"); return err }); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tap.Close() })
	if tap.Name() != "tap0" {
		t.Errorf("Name() = %q, want tap0", tap.Name())
	}
	waitKernel(t, tap)
	return n, tap
}

// waitKernel asks the kernel for its MAC until it answers, then drops
// whatever else it sent. The kernel takes the carrier that attaching gave
// the device into account asynchronously, and drops what it sends until
// then; OpenTAP waits for that, so the first request should be answered.
// The ARP requests come from tapProbeAddr, so that the kernel learns
// nothing about tapPeerAddr.
func waitKernel(t *testing.T, tap *TAP) {
	t.Helper()
	defer tap.SetReadDeadline(time.Time{})
	req := appendARP(t, nil, arp.OpRequest, bcast, tapProbeMAC, tapProbeAddr, zeroMAC, tapKernelAddr)
	buf := make([]byte, MaxFrame)
	for try := 1; try <= 50; try++ {
		if err := tap.WriteFrame(req); err != nil {
			t.Fatal(err)
		}
		if err := tap.SetReadDeadline(time.Now().Add(100 * time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 10; i++ {
			n, err := tap.ReadFrame(buf)
			if err != nil {
				break // the deadline: ask again
			}
			if _, a, e, ok := parseARP(buf[:n]); ok && a.Op() == arp.OpReply && e.TPA() == tapProbeAddr {
				if try > 1 {
					t.Errorf("the kernel answered the ARP request number %d, not the first: OpenTAP returned before it sent into the device", try)
				}
				drain(tap, buf)
				return
			}
		}
	}
	t.Fatalf("the kernel answered none of 50 ARP requests in 5 s")
}

// drain reads and drops frames until none comes for 20 ms (100 at most).
func drain(tap *TAP, buf []byte) {
	for i := 0; i < 100; i++ {
		tap.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		if _, err := tap.ReadFrame(buf); err != nil {
			return
		}
	}
}

// readFrameUntil reads at most max frames, for at most d, until match
// reports true for one, and returns a copy of it (or fails the test).
func readFrameUntil(t *testing.T, tap *TAP, max int, d time.Duration, what string, match func([]byte) bool) []byte {
	t.Helper()
	if err := tap.SetReadDeadline(time.Now().Add(d)); err != nil {
		t.Fatal(err)
	}
	defer tap.SetReadDeadline(time.Time{})
	buf := make([]byte, MaxFrame)
	for i := 0; i < max; i++ {
		n, err := tap.ReadFrame(buf)
		if err != nil {
			t.Fatalf("waiting for %s (after %d other frames): %v", what, i, err)
		}
		if match(buf[:n]) {
			return bytes.Clone(buf[:n])
		}
		t.Logf("frame %d is not %s: % x", i, what, buf[:n])
	}
	t.Fatalf("no %s in %d frames", what, max)
	return nil
}

// parseARP returns the Ethernet/IPv4 ARP packet in frame, if it holds one.
func parseARP(frame []byte) (ethernet.Packet, arp.Packet, arp.EthernetIPv4, bool) {
	eth, err := ethernet.Parse(frame)
	if err != nil || eth.Ethertype() != ethernet.EthertypeARP {
		return eth, arp.Packet{}, arp.EthernetIPv4{}, false
	}
	a, err := arp.Parse(eth.Payload())
	if err != nil {
		return eth, a, arp.EthernetIPv4{}, false
	}
	e, ok := a.AsEthernetIPv4()
	return eth, a, e, ok
}

// appendARP appends an Ethernet frame holding an Ethernet/IPv4 ARP packet
// from sha (at the Ethernet level too) to dst.
func appendARP(t testing.TB, dst []byte, op arp.Op, ethDst, sha net.HardwareAddr, spa netip.Addr, tha net.HardwareAddr, tpa netip.Addr) []byte {
	eth := ethernet.Builder{Dst: ethDst, Src: sha, Ethertype: ethernet.EthertypeARP}
	a := arp.NewEthernetIPv4Builder()
	a.Op, a.SHA, a.SPA, a.THA, a.TPA = op, sha, spa, tha, tpa
	frame, err := mplrt.Nest(eth, a).AppendTo(dst)
	if err != nil {
		t.Fatal(err)
	}
	return frame
}

// TestTAPARP reads the kernel's ARP request for the peer, answers it, and
// checks that the kernel learned the peer's MAC and sends to it.
func TestTAPARP(t *testing.T) {
	n, tap := openTestTAP(t)
	n.Start(nil, "ping", "-c", "3", "-i", "0.2", "-W", "1", tapPeerAddr.String())

	req := readFrameUntil(t, tap, 20, 5*time.Second, "an ARP request for "+tapPeerAddr.String(), func(f []byte) bool {
		_, a, e, ok := parseARP(f)
		return ok && a.Op() == arp.OpRequest && e.TPA() == tapPeerAddr
	})
	eth, _, e, _ := parseARP(req)
	if !bytes.Equal(eth.Dst(), bcast) || !bytes.Equal(eth.Src(), e.SHA()) || e.SPA() != tapKernelAddr {
		t.Fatalf("ARP request: %v / %v", eth, e)
	}
	kernelMAC := bytes.Clone(e.SHA())
	t.Logf("kernel: %v", e)

	reply := appendARP(t, make([]byte, 0, MaxFrame), arp.OpReply, kernelMAC, tapPeerMAC, tapPeerAddr, kernelMAC, tapKernelAddr)
	if err := tap.WriteFrame(reply); err != nil {
		t.Fatal(err)
	}
	var neigh string
	for i := 0; i < 50; i++ {
		neigh = string(n.MustRun("ip", "neigh", "show", tapPeerAddr.String()))
		if strings.Contains(neigh, tapPeerMAC.String()) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !strings.Contains(neigh, tapPeerMAC.String()) {
		t.Fatalf("ip neigh show %s: %q, want %s", tapPeerAddr, neigh, tapPeerMAC)
	}
	t.Logf("ip neigh: %s", strings.TrimSpace(neigh))

	// The echo request that waited for the address comes next.
	readFrameUntil(t, tap, 20, 5*time.Second, "an IPv4 frame to "+tapPeerMAC.String(), func(f []byte) bool {
		eth, err := ethernet.Parse(f)
		return err == nil && eth.Ethertype() == ethernet.EthertypeIPv4 && bytes.Equal(eth.Dst(), tapPeerMAC)
	})
}

// TestTAPReadShortBuffer checks that a frame longer than the buffer is cut
// and its rest dropped, and that an empty buffer drops a whole frame.
func TestTAPReadShortBuffer(t *testing.T) {
	_, tap := openTestTAP(t)
	req := appendARP(t, nil, arp.OpRequest, bcast, tapPeerMAC, tapPeerAddr, zeroMAC, tapKernelAddr)
	if err := tap.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
		t.Fatal(err)
	}

	// Each request brings one reply (42 bytes: a TAP pads nothing).
	if err := tap.WriteFrame(req); err != nil {
		t.Fatal(err)
	}
	short := make([]byte, 22)
	n, err := tap.ReadFrame(short)
	if err != nil || n != len(short) {
		t.Fatalf("ReadFrame(22 bytes) = %d, %v; want 22", n, err)
	}
	if !bytes.Equal(short[:6], tapPeerMAC) || short[12] != 0x08 || short[13] != 0x06 || short[20] != 0 || short[21] != byte(arp.OpReply) {
		t.Fatalf("cut frame is not the start of an ARP reply: % x", short)
	}

	if err := tap.WriteFrame(req); err != nil {
		t.Fatal(err)
	}
	if n, err := tap.ReadFrame(nil); n != 0 || err != nil {
		t.Fatalf("ReadFrame(nil) = %d, %v; want 0, nil", n, err)
	}

	if err := tap.WriteFrame(req); err != nil {
		t.Fatal(err)
	}
	buf := make([]byte, MaxFrame)
	n, err = tap.ReadFrame(buf)
	if err != nil {
		t.Fatal(err)
	}
	_, a, e, ok := parseARP(buf[:n])
	if !ok || a.Op() != arp.OpReply || e.TPA() != tapPeerAddr || e.SPA() != tapKernelAddr {
		t.Fatalf("after a cut frame and a dropped one, got % x; want the third ARP reply whole", buf[:n])
	}
}

// TestTAPCloseUnblocksRead closes the TAP while a ReadFrame waits.
func TestTAPCloseUnblocksRead(t *testing.T) {
	_, tap := openTestTAP(t)
	errc := make(chan error, 1)
	go func() {
		buf := make([]byte, MaxFrame)
		// Nothing should arrive (no traffic, IPv6 off), but a stray
		// frame must not end the wait: bounded by count.
		for i := 0; i < 100; i++ {
			if _, err := tap.ReadFrame(buf); err != nil {
				errc <- err
				return
			}
		}
		errc <- errors.New("100 frames and no error")
	}()
	time.Sleep(100 * time.Millisecond)
	start := time.Now()
	if err := tap.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-errc:
		if err != ErrClosed {
			t.Fatalf("blocked ReadFrame returned %v, want ErrClosed", err)
		}
		t.Logf("blocked ReadFrame returned %v after Close in %v", err, time.Since(start))
	case <-time.After(time.Second):
		t.Fatal("a ReadFrame blocked during Close did not return within a second")
	}
	if _, err := tap.ReadFrame(make([]byte, 10)); err != ErrClosed {
		t.Errorf("ReadFrame after Close: %v, want ErrClosed", err)
	}
	if err := tap.WriteFrame(make([]byte, 60)); err != ErrClosed {
		t.Errorf("WriteFrame after Close: %v, want ErrClosed", err)
	}
	if err := tap.Close(); err != ErrClosed {
		t.Errorf("second Close: %v, want ErrClosed", err)
	}
}

// TestTAPReadDeadline checks that a past deadline ends a ReadFrame.
func TestTAPReadDeadline(t *testing.T) {
	_, tap := openTestTAP(t)
	if err := tap.SetReadDeadline(time.Now().Add(50 * time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	_, err := tap.ReadFrame(make([]byte, MaxFrame))
	if !errors.Is(err, os.ErrDeadlineExceeded) {
		t.Fatalf("ReadFrame past its deadline: %v, want os.ErrDeadlineExceeded", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Fatalf("ReadFrame with a 50 ms deadline took %v", d)
	}
}

// TestTAPOpenErrors: OpenTAP neither makes a device that is not there nor
// attaches twice.
func TestTAPOpenErrors(t *testing.T) {
	n, _ := openTestTAP(t)
	err := n.Do(func() error { _, err := OpenTAP("tap9"); return err })
	if err == nil || !strings.Contains(err.Error(), "no such TAP device") {
		t.Errorf("OpenTAP of a missing device: %v", err)
	}
	if out, err := n.Run(10*time.Second, "ip", "link", "show", "tap9"); err == nil {
		t.Errorf("OpenTAP left a device tap9 behind:\n%s", out)
	}
	err = n.Do(func() error { _, err := OpenTAP("tap0"); return err })
	if err == nil {
		t.Errorf("a second OpenTAP(tap0) succeeded")
	}
	t.Logf("second OpenTAP: %v", err)
	err = n.Do(func() error { _, err := OpenTAP(strings.Repeat("x", 16)); return err })
	if err == nil {
		t.Errorf("OpenTAP of a 16-byte name succeeded")
	}
}

// TestTAPAllocs checks that WriteFrame and ReadFrame allocate nothing. Each
// ARP request written brings one reply from the kernel to read.
func TestTAPAllocs(t *testing.T) {
	_, tap := openTestTAP(t)
	req := appendARP(t, nil, arp.OpRequest, bcast, tapPeerMAC, tapPeerAddr, zeroMAC, tapKernelAddr)
	buf := make([]byte, MaxFrame)
	if err := tap.SetReadDeadline(time.Now().Add(10 * time.Second)); err != nil {
		t.Fatal(err)
	}
	var firstErr error
	var frames int
	allocs := testing.AllocsPerRun(100, func() {
		if err := tap.WriteFrame(req); err != nil {
			firstErr = cmpErr(firstErr, err)
			return
		}
		n, err := tap.ReadFrame(buf)
		if err != nil {
			firstErr = cmpErr(firstErr, err)
			return
		}
		if n > 0 {
			frames++
		}
	})
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	if allocs != 0 {
		t.Errorf("WriteFrame and ReadFrame: %v allocations, want 0", allocs)
	}
	t.Logf("%d frames written and read", frames)

	reply := appendARP(t, nil, arp.OpReply, bcast, tapPeerMAC, tapPeerAddr, bcast, tapKernelAddr)
	allocs = testing.AllocsPerRun(100, func() {
		if err := tap.WriteFrame(reply); err != nil {
			firstErr = cmpErr(firstErr, err)
		}
	})
	if firstErr != nil {
		t.Fatal(firstErr)
	}
	if allocs != 0 {
		t.Errorf("WriteFrame: %v allocations, want 0", allocs)
	}
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}
