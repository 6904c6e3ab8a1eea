// Command mplstack runs the userspace stack of package stack, built only on
// mplc's generated codecs, on a TAP device, with an authoritative DNS
// server (package stack/dnsserver) for the zones given:
//
//	mplstack -tap tap0 -addr 198.18.1.2/24 [-mac MAC] [-gateway ADDR] [-zone FILE]...
//
// It attaches to the TAP device (made beforehand with "ip tuntap add dev
// tap0 mode tap", in the network namespace mplstack runs in) and answers
// ARP, ping and, with zones, DNS on UDP port 53, until SIGINT or SIGTERM;
// then it prints its counters (frames received and sent, and dropped by
// reason; DNS queries by rcode) and exits 0.
//
// The same DNS server can run on a kernel UDP socket instead, to compare
// it with other servers on equal terms:
//
//	mplstack -listen 198.18.0.1:53 -zone FILE...
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/mplgo/mpl/stack"
	"github.com/mplgo/mpl/stack/dnsserver"
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
	listen := fs.String("listen", "", "serve DNS on this kernel UDP `address` (as 198.18.0.1:53) instead of a TAP")
	var zoneFiles []string
	fs.Func("zone", "a BIND-style zone `file` to serve over DNS (repeatable)", func(s string) error {
		zoneFiles = append(zoneFiles, s)
		return nil
	})
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: mplstack -tap NAME -addr 198.18.1.2/24 [-mac MAC] [-gateway ADDR] [-zone FILE]...")
		fmt.Fprintln(stderr, "       mplstack -listen 198.18.0.1:53 -zone FILE...")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	linkFlags := *addrFlag != "" || *macFlag != "" || *gwFlag != ""
	if fs.NArg() != 0 || (*listen == "") == (*tapName == "") || *tapName != "" && *addrFlag == "" ||
		*listen != "" && (len(zoneFiles) == 0 || linkFlags) {
		fs.Usage()
		return 2
	}
	var srv *dnsserver.Server
	if len(zoneFiles) > 0 {
		var zones []*dnsserver.Zone
		for _, f := range zoneFiles {
			z, err := dnsserver.LoadZoneFile(f)
			if err != nil {
				fmt.Fprintf(stderr, "mplstack: %v\n", err)
				return 1
			}
			zones = append(zones, z)
		}
		srv = dnsserver.New(zones...)
	}
	if *listen != "" {
		return serveKernel(*listen, srv, stdout, stderr)
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
	// A signal from here on stops the stack, even one that comes while
	// the TAP is being opened.
	var (
		mu      sync.Mutex
		tap     *stack.TAP
		stopped bool
	)
	stop := onSignal(func() {
		mu.Lock()
		defer mu.Unlock()
		stopped = true
		if tap != nil {
			tap.Close() // Run returns once its read sees the link closed
		}
	})
	defer stop()
	t, err := stack.OpenTAP(*tapName)
	if err != nil {
		fmt.Fprintf(stderr, "mplstack: %v\n", err)
		return 1
	}
	mu.Lock()
	tap = t
	if stopped {
		tap.Close()
	}
	mu.Unlock()
	s, err := stack.New(tap, cfg)
	if err != nil {
		tap.Close()
		fmt.Fprintf(stderr, "mplstack: %v\n", err)
		return 2
	}
	if srv != nil {
		s.HandleUDP(53, srv)
	}
	fmt.Fprintf(stderr, "mplstack: %v at %v on %s\n", cfg.Addr, cfg.MAC, tap.Name())
	err = s.Run()
	tap.Close()
	s.Counters().WriteTo(stdout)
	if srv != nil {
		srv.Stats().WriteTo(stdout)
	}
	if err != nil {
		fmt.Fprintf(stderr, "mplstack: %v\n", err)
		return 1
	}
	return 0
}

// serveKernel serves DNS on a kernel UDP socket until SIGINT or SIGTERM.
func serveKernel(addr string, srv *dnsserver.Server, stdout, stderr io.Writer) int {
	ap, err := netip.ParseAddrPort(addr)
	if err != nil {
		fmt.Fprintf(stderr, "mplstack: -listen: %v\n", err)
		return 2
	}
	conn, err := net.ListenUDP("udp", net.UDPAddrFromAddrPort(ap))
	if err != nil {
		fmt.Fprintf(stderr, "mplstack: %v\n", err)
		return 1
	}
	stop := onSignal(func() { conn.Close() }) // ServeUDP returns once conn is closed
	defer stop()
	fmt.Fprintf(stderr, "mplstack: DNS on %v\n", conn.LocalAddr())
	err = srv.ServeUDP(conn)
	conn.Close()
	srv.Stats().WriteTo(stdout)
	if err != nil {
		fmt.Fprintf(stderr, "mplstack: %v\n", err)
		return 1
	}
	return 0
}

// onSignal calls stop on the first SIGINT or SIGTERM; the function it
// returns stops listening for them.
func onSignal(stop func()) func() {
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case <-sigc:
			stop()
		case <-done:
		}
	}()
	return func() {
		signal.Stop(sigc)
		close(done)
	}
}
