package dhcpv4

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"

	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/udp"
	mplrt "github.com/mplgo/mpl/runtime"
)

const capturesDir = "../../../../testdata/captures"

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

// dhcpPayloads returns the UDP payloads of the frames from or to port 67
// or 68, as gopacket decodes the frames, with gopacket's DHCPv4 layer of
// each (nil if it decodes none).
func dhcpPayloads(frames [][]byte) (payloads [][]byte, theirs []*layers.DHCPv4, index []int) {
	for i, frame := range frames {
		g := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
		u, _ := g.Layer(layers.LayerTypeUDP).(*layers.UDP)
		if u == nil || !(u.SrcPort == 67 || u.SrcPort == 68 || u.DstPort == 67 || u.DstPort == 68) {
			continue
		}
		d, _ := g.Layer(layers.LayerTypeDHCPv4).(*layers.DHCPv4)
		payloads, theirs, index = append(payloads, u.Payload), append(theirs, d), append(index, i)
	}
	return payloads, theirs, index
}

// checkFrames parses the DHCP message of each frame through gen/ethernet,
// gen/ipv4 and gen/udp, compares it with gopacket's DHCPv4 layer of the
// whole frame and rebuilds it; it returns how many frames held one.
func checkFrames(t *testing.T, name string, frames [][]byte) int {
	t.Helper()
	payloads, theirs, index := dhcpPayloads(frames)
	for k, payload := range payloads {
		where := fmt.Sprintf("%s frame %d", name, index[k]+1)
		eth, err := ethernet.Parse(frames[index[k]])
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		ip, err := ipv4.Parse(eth.Payload())
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		u, err := udp.Parse(ip.Payload())
		if err != nil || !bytes.Equal(u.Payload(), payload) {
			t.Errorf("%s: UDP %v", where, err)
			continue
		}
		p, err := Parse(u.Payload())
		if err != nil {
			t.Errorf("%s: %v", where, err)
			continue
		}
		if theirs[k] == nil {
			t.Errorf("%s: gopacket decodes no DHCPv4 layer; we parse %s", where, p.String())
			continue
		}
		compareGopacket(t, where, &p, theirs[k])
		if out, err := builderOf(&p).AppendTo(nil); err != nil || !bytes.Equal(out, payload) {
			t.Errorf("%s: rebuilt %x, %v", where, out, err)
		}
	}
	return len(payloads)
}

// TestCaptures parses the DHCP messages of the captures. There are none
// (no datagram from or to port 67 or 68): TestFrames compares messages
// in frames built with the gen/ builders instead.
func TestCaptures(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(capturesDir, "*.pcap*"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no captures: %v", err)
	}
	n := 0
	for _, file := range files {
		frames, err := readCapture(file)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		n += checkFrames(t, filepath.Base(file), frames)
	}
	if n == 0 {
		t.Skip("no DHCP message in testdata/captures")
	}
	t.Logf("%d DHCP messages", n)
}

// TestFrames builds the exchange's messages into whole frames, Ethernet
// around IPv4 around UDP around DHCP with nested builders, as a client
// (0.0.0.0:68 to 255.255.255.255:67) and a server send them, and runs
// them through what TestCaptures does: gopacket finds the DHCPv4 layer by
// the ports.
func TestFrames(t *testing.T) {
	var frames [][]byte
	for _, name := range []string{"DISCOVER", "OFFER", "REQUEST", "ACK"} {
		m := exchange()[name]
		src, dst := netip.IPv4Unspecified(), netip.AddrFrom4([4]byte{255, 255, 255, 255})
		sport, dport := uint16(68), uint16(67)
		if m.op == OpBootReply {
			src, dst, sport, dport = server, m.yiaddr, 67, 68
		}
		frame, err := mplrt.Nest(ethernet.Builder{Dst: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, Src: client, Ethertype: ethernet.EthertypeIPv4},
			mplrt.Nest(ipv4.Builder{TTL: 64, Protocol: ipv4.ProtocolUDP, Src: src, Dst: dst},
				mplrt.Nest(udp.Builder{SrcPort: sport, DstPort: dport}, builder(m)))).AppendTo(nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		frames = append(frames, frame)
	}
	if n := checkFrames(t, "built", frames); n != 4 {
		t.Errorf("%d DHCP messages in the 4 frames", n)
	}
}
