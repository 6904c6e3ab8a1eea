package main

import (
	"bytes"
	"encoding/binary"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/mplgo/mpl/internal/netns"
)

var (
	testMAC  = [6]byte{0x02, 0x00, 0x5e, 0x12, 0x01, 0x02}
	testAddr = [4]byte{198, 18, 1, 2}
	peerMAC  = [6]byte{0x02, 0x00, 0x5e, 0x12, 0x01, 0x01}
	peerAddr = [4]byte{198, 18, 1, 1}
)

// checksum is the Internet checksum of b, computed whole.
func checksum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(binary.BigEndian.Uint16(b[i:]))
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// echoRequest is an Ethernet frame holding an ICMP echo request from the
// peer to testAddr, with payload and two bytes of link padding.
func echoRequest(id, seq uint16, payload []byte) []byte {
	f := make([]byte, 0, 64)
	f = append(f, testMAC[:]...)
	f = append(f, peerMAC[:]...)
	f = binary.BigEndian.AppendUint16(f, typeIPv4)
	ip := len(f)
	f = append(f, 0x45, 0)
	f = binary.BigEndian.AppendUint16(f, uint16(20+8+len(payload)))
	f = append(f, 0x12, 0x34, 0x40, 0, 64, 1, 0, 0) // id, DF, TTL 64, ICMP
	f = append(f, peerAddr[:]...)
	f = append(f, testAddr[:]...)
	binary.BigEndian.PutUint16(f[ip+10:], checksum(f[ip:]))
	icmp := len(f)
	f = append(f, 8, 0, 0, 0)
	f = binary.BigEndian.AppendUint16(f, id)
	f = binary.BigEndian.AppendUint16(f, seq)
	f = append(f, payload...)
	binary.BigEndian.PutUint16(f[icmp+2:], checksum(f[icmp:]))
	return append(f, 0, 0)
}

// TestAnswerEcho checks the reply to echo requests whose checksums take
// every value (every sequence number), with odd and even payloads.
func TestAnswerEcho(t *testing.T) {
	e := echoer{mac: testMAC, addr: testAddr}
	for _, payload := range [][]byte{nil, []byte("odd"), []byte("even")} {
		for seq := 0; seq < 1<<16; seq++ {
			req := echoRequest(0xbeef, uint16(seq), payload)
			want := bytes.Clone(req)
			r := e.answer(req)
			if len(r) != len(req)-2 {
				t.Fatalf("seq %d: reply of %d bytes, want %d", seq, len(r), len(req)-2)
			}
			ip, icmp := r[ethLen:ethLen+20], r[ethLen+20:]
			if !bytes.Equal(r[0:6], peerMAC[:]) || !bytes.Equal(r[6:12], testMAC[:]) ||
				!bytes.Equal(ip[12:16], testAddr[:]) || !bytes.Equal(ip[16:20], peerAddr[:]) ||
				icmp[0] != 0 || icmp[1] != 0 || !bytes.Equal(icmp[4:], want[ethLen+20+4:len(want)-2]) {
				t.Fatalf("seq %d: reply % x to % x", seq, r, want)
			}
			if c := checksum(ip); c != 0 {
				t.Fatalf("seq %d: IPv4 header checksum off by %#04x: % x", seq, c, r)
			}
			if c := checksum(icmp); c != 0 {
				t.Fatalf("seq %d: ICMP checksum off by %#04x: % x", seq, c, r)
			}
		}
	}
	if e.echoes != 3<<16 {
		t.Errorf("%d echoes counted, want %d", e.echoes, 3<<16)
	}
}

func TestAnswerIgnores(t *testing.T) {
	e := echoer{mac: testMAC, addr: testAddr}
	for name, change := range map[string]func(f []byte) []byte{
		"short":          func(f []byte) []byte { return f[:ethLen+27] },
		"other MAC":      func(f []byte) []byte { f[5] = 9; return f },
		"other address":  func(f []byte) []byte { f[ethLen+19] = 9; return f },
		"echo reply":     func(f []byte) []byte { f[ethLen+20] = 0; return f },
		"UDP":            func(f []byte) []byte { f[ethLen+9] = 17; return f },
		"fragment":       func(f []byte) []byte { f[ethLen+6] |= 0x20; return f },
		"later fragment": func(f []byte) []byte { f[ethLen+7] = 1; return f },
		"IPv6":           func(f []byte) []byte { f[ethLen] = 0x65; return f },
		"total too long": func(f []byte) []byte { f[ethLen+3] = 200; return f },
		"IHL 4":          func(f []byte) []byte { f[ethLen] = 0x44; return f },
	} {
		f := change(echoRequest(1, 1, []byte("x")))
		if r := e.answer(f); r != nil {
			t.Errorf("%s: answered % x", name, r)
		}
	}
}

func TestAnswerARP(t *testing.T) {
	e := echoer{mac: testMAC, addr: testAddr}
	req := []byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 2, 0, 0x5e, 0x12, 1, 1, 0x08, 0x06,
		0, 1, 0x08, 0, 6, 4, 0, 1,
		2, 0, 0x5e, 0x12, 1, 1, 198, 18, 1, 1,
		0, 0, 0, 0, 0, 0, 198, 18, 1, 2,
		0, 0, 0, 0, // padding
	}
	want := []byte{
		2, 0, 0x5e, 0x12, 1, 1, 2, 0, 0x5e, 0x12, 1, 2, 0x08, 0x06,
		0, 1, 0x08, 0, 6, 4, 0, 2,
		2, 0, 0x5e, 0x12, 1, 2, 198, 18, 1, 2,
		2, 0, 0x5e, 0x12, 1, 1, 198, 18, 1, 1,
	}
	other := bytes.Clone(req)
	other[41] = 3
	if r := e.answer(other); r != nil {
		t.Errorf("answered an ARP request for 198.18.1.3: % x", r)
	}
	if r := e.answer(req); !bytes.Equal(r, want) {
		t.Errorf("ARP reply\n% x, want\n% x", r, want)
	}
	if r := e.answer(want); r != nil {
		t.Errorf("answered an ARP reply: % x", r)
	}
}

// TestTapechoPing builds tapecho, runs it on a TAP in a namespace and
// pings it from the kernel there.
func TestTapechoPing(t *testing.T) {
	netns.Need(t, "ping")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "tapecho")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	n := netns.New(t)
	n.AddTAP("tap0", "198.18.1.1/24")
	var out bytes.Buffer
	cmd := n.Start(&out, bin, "-tap", "tap0", "-addr", "198.18.1.2", "-mac", "02:00:5e:12:01:02")
	// The device has a carrier once tapecho has attached to it, and is
	// "state UP" once the kernel has taken the carrier into account (and
	// sends into the device).
	attached := false
	for i := 0; i < 100 && !attached; i++ {
		attached = strings.Contains(string(n.MustRun("ip", "link", "show", "tap0")), " state UP ")
		if !attached {
			if err := n.Wait(cmd, 50*time.Millisecond); err == nil || !strings.Contains(err.Error(), "did not end") {
				t.Fatalf("tapecho ended: %v\n%s", err, out.String())
			}
		}
	}
	if !attached {
		n.Stop(cmd)
		t.Fatalf("tapecho did not attach to tap0 in 5 s\n%s", out.String())
	}

	ping, err := n.Run(15*time.Second, "ping", "-c", "3", "-i", "0.2", "-W", "1", "198.18.1.2")
	t.Logf("ping:\n%s", ping)
	if err != nil {
		n.Stop(cmd)
		t.Fatalf("ping: %v\ntapecho:\n%s", err, out.String())
	}
	if !strings.Contains(string(ping), " 3 received") {
		t.Errorf("ping lost echoes")
	}
	err = n.Stop(cmd)
	t.Logf("tapecho:\n%s", out.String())
	if err != nil {
		t.Fatalf("tapecho on SIGTERM: %v", err)
	}
	if !strings.Contains(out.String(), " 3 echo replies") {
		t.Errorf("tapecho did not count 3 echo replies")
	}
}
