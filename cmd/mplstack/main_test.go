package main

import (
	"bytes"
	"net"
	"net/netip"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/internal/netns"
)

// The namespace's kernel has 198.18.1.1 on tap0; mplstack is 198.18.1.2.
const (
	kernelAddr = "198.18.1.1"
	stackAddr  = "198.18.1.2"
)

var stackMAC = net.HardwareAddr{0x02, 0x00, 198, 18, 1, 2} // mplstack's default for 198.18.1.2

// buildMplstack builds the command into a temporary folder.
func buildMplstack(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "mplstack")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startStack makes a namespace with tap0 and runs mplstack on it; it
// returns once a ping is answered.
func startStack(t *testing.T, args ...string) (*netns.NS, *exec.Cmd, *bytes.Buffer) {
	t.Helper()
	bin := buildMplstack(t)
	n := netns.New(t)
	n.AddTAP("tap0", kernelAddr+"/24")
	var out bytes.Buffer
	cmd := n.Start(&out, bin, append([]string{"-tap", "tap0", "-addr", stackAddr + "/24"}, args...)...)
	for i := 0; ; i++ {
		if _, err := n.Run(5*time.Second, "ping", "-c", "1", "-W", "1", stackAddr); err == nil {
			break
		}
		if i == 5 {
			n.Stop(cmd)
			t.Fatalf("mplstack does not answer ping:\n%s", out.String())
		}
	}
	return n, cmd, &out
}

var received = regexp.MustCompile(`(\d+) packets transmitted, (\d+) received`)

// ping runs ping with args and checks that every request was answered.
func ping(t *testing.T, n *netns.NS, count int, args ...string) string {
	t.Helper()
	args = append([]string{"-c", strconv.Itoa(count), "-i", "0.2", "-W", "2"}, append(args, stackAddr)...)
	out, err := n.Run(time.Duration(count)*time.Second+10*time.Second, "ping", args...)
	m := received.FindStringSubmatch(string(out))
	if err != nil || m == nil || m[1] != strconv.Itoa(count) || m[2] != strconv.Itoa(count) {
		t.Errorf("ping %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	if strings.Contains(string(out), "wrong data") || strings.Contains(string(out), "DUP") {
		t.Errorf("ping %s: bad replies\n%s", strings.Join(args, " "), out)
	}
	return string(out)
}

// TestPeers runs mplstack on a TAP and checks it against real ping and
// arping, and a hand-built ARP request it must ignore; then SIGTERM
// stops it and it prints its counters.
func TestPeers(t *testing.T) {
	netns.Need(t, "ping", "arping")
	n, cmd, out := startStack(t)

	t.Run("ping", func(t *testing.T) { ping(t, n, 5) })
	t.Run("ping -s 0", func(t *testing.T) { ping(t, n, 3, "-s", "0") })
	t.Run("ping -s 1400", func(t *testing.T) { ping(t, n, 3, "-s", "1400") })
	t.Run("ping -s 1472", func(t *testing.T) { ping(t, n, 3, "-s", "1472") })
	t.Run("ping -s 3000 (fragments)", func(t *testing.T) { ping(t, n, 3, "-s", "3000") })
	t.Run("ping -p deadbeef", func(t *testing.T) {
		if o := ping(t, n, 3, "-p", "deadbeef"); !strings.Contains(o, "PATTERN: 0xdeadbeef") {
			t.Errorf("no pattern:\n%s", o)
		}
	})
	t.Run("ping -R", func(t *testing.T) {
		o := ping(t, n, 2, "-R")
		// The route of the first reply: the kernel going out, the
		// stack as the request arrives and as the reply leaves, the
		// kernel coming back.
		i := strings.Index(o, "RR:")
		if i < 0 {
			t.Fatalf("no route recorded:\n%s", o)
		}
		route := strings.Fields(o[i+3:])[:4]
		if want := []string{kernelAddr, stackAddr, stackAddr, kernelAddr}; strings.Join(route, " ") != strings.Join(want, " ") {
			t.Errorf("route %v, want %v\n%s", route, want, o)
		}
	})
	t.Run("arping", func(t *testing.T) {
		o, err := n.Run(15*time.Second, "arping", "-c", "3", "-w", "5", "-i", "tap0", stackAddr)
		if err != nil || !strings.Contains(string(o), "3 packets received") || !strings.Contains(strings.ToLower(string(o)), stackMAC.String()) {
			t.Errorf("arping: %v\n%s", err, o)
		}
	})
	t.Run("ARP with an unknown hardware type", func(t *testing.T) {
		w := n.Wire("tap0")
		tester := net.HardwareAddr{0x02, 0x00, 0x5e, 0x12, 0x01, 0x09}
		request := func(htype arp.Htype) []byte {
			b := arp.NewEthernetIPv4Builder()
			b.Htype, b.Op = htype, arp.OpRequest
			b.SHA, b.SPA = tester, netip.MustParseAddr("198.18.1.9")
			b.THA, b.TPA = make(net.HardwareAddr, 6), netip.MustParseAddr(stackAddr)
			body, err := b.AppendTo(nil)
			if err != nil {
				t.Fatal(err)
			}
			f, err := ethernet.Builder{Dst: net.HardwareAddr{0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, Src: tester, Ethertype: ethernet.EthertypeARP, Payload: body}.AppendTo(nil)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
		answered := func(htype arp.Htype) bool {
			if err := w.Send(request(htype)); err != nil {
				t.Fatal(err)
			}
			frames, err := w.Recv(time.Second, false)
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range frames {
				if eth, err := ethernet.Parse(f); err == nil && bytes.Equal(eth.Dst(), tester) && eth.Ethertype() == ethernet.EthertypeARP {
					return true
				}
			}
			return false
		}
		if answered(0x1234) {
			t.Error("a request with hardware type 0x1234 was answered")
		}
		if !answered(arp.HtypeEthernet) {
			t.Error("the same request with hardware type 1 was not answered")
		}
	})

	t.Run("hping3", func(t *testing.T) {
		if _, err := exec.LookPath("hping3"); err != nil {
			netns.Need(t, "hping3")
		}
		for _, c := range []struct {
			name string
			args []string
			want string
		}{
			{"echo", []string{"-1"}, "3 packets transmitted, 3 packets received"},
			{"echo, bad checksum", []string{"-1", "--badcksum"}, "3 packets transmitted, 0 packets received"},
			{"echo in 16-byte fragments", []string{"-1", "-f", "-d", "1000"}, "3 packets transmitted, 3 packets received"},
			{"echo with record route", []string{"-1", "--rroute"}, "RR:"},
			{"UDP to a closed port", []string{"-2", "-p", "9"}, "ICMP Port Unreachable"},
			{"UDP, bad checksum", []string{"-2", "-p", "9", "--badcksum"}, "3 packets transmitted, 0 packets received"},
			{"TCP SYN", []string{"-S", "-p", "80"}, "ICMP Protocol Unreachable"},
			{"TCP, every flag", []string{"-F", "-S", "-R", "-P", "-A", "-U", "-X", "-Y", "-p", "80"}, "ICMP Protocol Unreachable"},
		} {
			args := append(append([]string{"-n", "-c", "3", "-i", "u200000"}, c.args...), stackAddr)
			o, _ := n.Run(20*time.Second, "hping3", args...)
			if !strings.Contains(string(o), c.want) {
				t.Errorf("%s: hping3 %s: want %q\n%s", c.name, strings.Join(args, " "), c.want, o)
			}
		}
		ping(t, n, 2)
	})

	if err := n.Stop(cmd); err != nil {
		t.Errorf("mplstack on SIGTERM: %v\n%s", err, out)
	}
	o := out.String()
	for _, want := range []string{"received", "sent", "dropped arp hardware type", "dropped icmp checksum", "dropped udp checksum", "dropped ipv4 protocol"} {
		if !strings.Contains(o, want) {
			t.Errorf("counters lack %q:\n%s", want, o)
		}
	}
}

// TestFlags checks the command line: what is refused, and -h.
func TestFlags(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
	}{
		{[]string{"-h"}, 0},
		{nil, 2},
		{[]string{"-tap", "tap0"}, 2},
		{[]string{"-tap", "tap0", "-listen", "198.18.0.1:53", "-zone", "z"}, 2},
		{[]string{"-listen", "198.18.0.1:53"}, 2},
		{[]string{"-listen", "198.18.0.1:53", "-zone", "../../stack/dnsserver/testdata/test.example.zone", "-addr", "198.18.1.2/24"}, 2},
		{[]string{"-tap", "tap0", "-addr", "not an address"}, 2},
		{[]string{"-tap", "tap0", "-addr", "198.18.1.2/24", "-mac", "xx"}, 2},
		{[]string{"-listen", "198.18.0.1:53", "-zone", "no such file"}, 1},
		{[]string{"extra"}, 2},
	} {
		var out, errb bytes.Buffer
		if code := run(c.args, &out, &errb); code != c.code {
			t.Errorf("mplstack %s: exit %d, want %d\n%s", strings.Join(c.args, " "), code, c.code, errb.String())
		}
	}
}
