package dhcpv4

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
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

// forEachDHCP calls fn with the UDP payload of every datagram of the
// captures from or to port 67 or 68 (as gopacket decodes the frames), and
// returns how many there were.
func forEachDHCP(t *testing.T, fn func(where string, payload []byte)) int {
	t.Helper()
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
		for i, frame := range frames {
			g := gopacket.NewPacket(frame, layers.LayerTypeEthernet, gopacket.Default)
			u, _ := g.Layer(layers.LayerTypeUDP).(*layers.UDP)
			if u == nil || !(u.SrcPort == 67 || u.SrcPort == 68 || u.DstPort == 67 || u.DstPort == 68) {
				continue
			}
			n++
			fn(fmt.Sprintf("%s frame %d", filepath.Base(file), i+1), u.Payload)
		}
	}
	return n
}
