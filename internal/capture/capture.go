// Package capture reads the frames of packet captures for tests: pcap or
// pcapng files, told apart by their magic numbers, read with gopacket's
// pcapgo.
package capture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Read returns the link type of the capture at path and a copy of each of
// its frames.
func Read(path string) (layers.LinkType, [][]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, err
	}
	if len(data) < 4 {
		return 0, nil, errors.New("too short for a capture")
	}
	type packetReader interface {
		ReadPacketData() ([]byte, gopacket.CaptureInfo, error)
	}
	var (
		r    packetReader
		link layers.LinkType
	)
	switch magic := binary.LittleEndian.Uint32(data); magic {
	case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1: // pcap, micro- or nanosecond, either byte order
		pr, err := pcapgo.NewReader(bytes.NewReader(data))
		if err != nil {
			return 0, nil, err
		}
		r, link = pr, pr.LinkType()
	case 0x0a0d0d0a: // pcapng section header block
		nr, err := pcapgo.NewNgReader(bytes.NewReader(data), pcapgo.DefaultNgReaderOptions)
		if err != nil {
			return 0, nil, err
		}
		r, link = nr, nr.LinkType()
	default:
		return 0, nil, fmt.Errorf("unknown magic number %#08x", magic)
	}
	var frames [][]byte
	for {
		b, _, err := r.ReadPacketData()
		if err == io.EOF {
			return link, frames, nil
		}
		if err != nil {
			return 0, nil, fmt.Errorf("frame %d: %v", len(frames)+1, err)
		}
		frames = append(frames, bytes.Clone(b))
	}
}
