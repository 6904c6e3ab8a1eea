package stack

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gopacket/gopacket/layers"

	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/udp"
	"github.com/mplgo/mpl/internal/capture"
	"github.com/mplgo/mpl/internal/netns"
)

// corpusDir holds the Ethernet captures of the shared corpus (see its
// README.md).
const corpusDir = "../testdata/captures"

// corpusFrames returns the frames of every Ethernet capture of the shared
// corpus, three times: as captured; with our MAC as destination; and
// aimed at us, with our MAC and address as destinations, each checksum
// kept right if it was right and wrong if it was wrong (the setters
// update checksums incrementally, which keeps a wrong one wrong).
func corpusFrames(t testing.TB) [][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(corpusDir, "*.pcap*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures in %s: %v", corpusDir, err)
	}
	var out [][]byte
	for _, f := range files {
		link, frames, err := capture.Read(f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if link != layers.LinkTypeEthernet {
			continue
		}
		for _, fr := range frames {
			out = append(out, fr)
			eth, err := ethernet.Parse(bytes.Clone(fr))
			if err != nil {
				continue
			}
			eth.SetDst(dutMAC)
			out = append(out, eth.Bytes())
			if eth.Ethertype() != ethernet.EthertypeIPv4 {
				continue
			}
			aimed := bytes.Clone(eth.Bytes())
			eth, _ = ethernet.Parse(aimed)
			var ip ipv4.Packet
			if ip.Decode(eth.Payload()) != nil {
				continue
			}
			var u udp.Packet
			udpOK := ip.Protocol() == ipv4.ProtocolUDP && u.Decode(ip.Payload()) == nil && u.Checksum() != 0 && u.VerifyChecksum(ip.Src(), ip.Dst()) == nil
			ip.SetDst(dutIP)
			if udpOK {
				u.SetChecksum(u.ComputeChecksum(ip.Src(), ip.Dst()))
			}
			out = append(out, aimed)
		}
	}
	return out
}

// TestReplayCorpus runs every frame of the corpus through the stack on
// the pipe, with an echo request after every 25: nothing panics, every
// frame the stack sends is from it and parses, and every echo request is
// answered.
func TestReplayCorpus(t *testing.T) {
	frames := corpusFrames(t)
	h := newPipeHarness(t)
	h.s.HandleUDP(7, &echoService{})
	h.learn()
	echo := ipFrame(ipv4.ProtocolICMP, nil, echoRequest([]byte("still there?")), nil)
	answered := 0
	for i, f := range frames {
		for _, out := range h.exchange(f) {
			checkSent(t, out)
		}
		if i%25 == 24 {
			out := h.exchange(echo)
			if len(out) == 1 && decode(t, out[0]).icmp != nil {
				answered++
			}
		}
	}
	if want := len(frames) / 25; answered != want {
		t.Errorf("%d of %d echo requests answered", answered, want)
	}
	c := h.s.Counters()
	if want := uint64(len(frames) + len(frames)/25 + 1); c.Received != want {
		t.Errorf("received %d frames, want %d", c.Received, want)
	}
	var b strings.Builder
	c.WriteTo(&b)
	t.Logf("%d frames:\n%s", len(frames), b.String())
}

// checkSent checks a frame the stack sent: from its MAC, and parseable.
func checkSent(t *testing.T, frame []byte) {
	t.Helper()
	eth, err := ethernet.Parse(frame)
	if err != nil || !bytes.Equal(eth.Src(), dutMAC) {
		t.Fatalf("the stack sent %x (%v)", frame, err)
	}
	if eth.Ethertype() == ethernet.EthertypeIPv4 {
		ip, err := ipv4.Parse(eth.Payload())
		if err != nil || ip.VerifyChecksum() != nil || ip.Src() != dutIP {
			t.Fatalf("the stack sent IPv4 %x (%v)", frame, err)
		}
	}
}

// TestReplayCorpusTAP sends the corpus's frames into a TAP, at the stack
// running its loop, while a real ping runs from the namespace: every
// echo is answered.
func TestReplayCorpusTAP(t *testing.T) {
	netns.Need(t, "ping")
	frames := corpusFrames(t)
	h := newTAPHarness(t)
	h.run()
	n := h.ns
	done := make(chan []byte, 1)
	go func() {
		out, _ := n.Run(60*time.Second, "ping", "-c", "20", "-i", "0.1", "-W", "2", "198.18.1.2")
		done <- out
	}()
	sent := 0
	for _, f := range frames {
		if len(f) < 14 || len(f) > MaxFrame {
			continue // what a packet socket cannot send
		}
		if err := h.wire.Send(f); err != nil {
			t.Fatalf("send: %v", err)
		}
		sent++
		if sent%50 == 0 {
			time.Sleep(time.Millisecond) // leave the TAP's queue room
		}
	}
	out := <-done
	if !bytes.Contains(out, []byte("20 packets transmitted, 20 received")) {
		t.Errorf("ping while %d frames were replayed:\n%s", sent, out)
	}
	if c := h.s.Counters(); c.DroppedTotal() == 0 {
		t.Errorf("nothing dropped of %d frames: %+v", sent, c)
	}
}
