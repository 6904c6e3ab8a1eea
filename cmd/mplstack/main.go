// Command mplstack runs the userspace stack of package stack, built only on
// mplc's generated codecs, on a TAP device:
//
//	mplstack -tap tap0 -addr 198.18.1.2/24 [-mac 02:00:5e:12:01:02] [-gateway 198.18.1.1]
//
// It attaches to the TAP device (made beforehand with "ip tuntap add dev
// tap0 mode tap", in the network namespace mplstack runs in) and answers
// ARP, ping and the UDP services it runs, until SIGINT or SIGTERM; then it
// prints its counters (frames received and sent, and dropped by reason)
// and exits 0.
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"syscall"

	"github.com/mplgo/mpl/stack"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run is mplstack with its arguments and output, for tests: it returns the
// exit code.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("mplstack", flag.ContinueOnError)
	fs.SetOutput(stderr)
	tapName := fs.String("tap", "", "the TAP `device` to attach to, in this network namespace")
	addrFlag := fs.String("addr", "", "the stack's IPv4 address and subnet, as `198.18.1.2/24`")
	macFlag := fs.String("mac", "", "the stack's MAC `address` (default 02:00 followed by the IPv4 address)")
	gwFlag := fs.String("gateway", "", "the next hop for addresses outside the subnet (default: none)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: mplstack -tap NAME -addr 198.18.1.2/24 [-mac MAC] [-gateway ADDR]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() != 0 || *tapName == "" || *addrFlag == "" {
		fs.Usage()
		return 2
	}
	var cfg stack.Config
	var err error
	if cfg.Addr, err = netip.ParsePrefix(*addrFlag); err != nil {
		fmt.Fprintf(stderr, "mplstack: -addr: %v\n", err)
		return 2
	}
	if *macFlag == "" {
		a := cfg.Addr.Addr().As4()
		cfg.MAC = net.HardwareAddr{0x02, 0x00, a[0], a[1], a[2], a[3]}
	} else if cfg.MAC, err = net.ParseMAC(*macFlag); err != nil {
		fmt.Fprintf(stderr, "mplstack: -mac: %v\n", err)
		return 2
	}
	if *gwFlag != "" {
		if cfg.Gateway, err = netip.ParseAddr(*gwFlag); err != nil {
			fmt.Fprintf(stderr, "mplstack: -gateway: %v\n", err)
			return 2
		}
	}
	tap, err := stack.OpenTAP(*tapName)
	if err != nil {
		fmt.Fprintf(stderr, "mplstack: %v\n", err)
		return 1
	}
	s, err := stack.New(tap, cfg)
	if err != nil {
		tap.Close()
		fmt.Fprintf(stderr, "mplstack: %v\n", err)
		return 2
	}
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigc)
	go func() {
		<-sigc
		tap.Close() // Run returns once its read sees the link closed
	}()
	fmt.Fprintf(stderr, "mplstack: %v at %v on %s\n", cfg.Addr, cfg.MAC, tap.Name())
	err = s.Run()
	tap.Close()
	s.Counters().WriteTo(stdout)
	if err != nil {
		fmt.Fprintf(stderr, "mplstack: %v\n", err)
		return 1
	}
	return 0
}
