// Package netns gives tests network namespaces of their own, in which real
// peers (ping, arping, dig, BIND) run against the stack.
//
// Every namespace a test makes with New is removed when the test ends,
// after the processes started in it with Start are ended by their PIDs.
// Tests use only addresses in 198.18.0.0/15 inside their namespaces, which
// have no route to anywhere else.
package netns

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// Need skips the test unless it runs as root and each tool is on PATH;
// when CI=true it fails instead, since CI installs everything.
func Need(t testing.TB, tools ...string) {
	t.Helper()
	var missing []string
	if os.Geteuid() != 0 {
		missing = append(missing, "root")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		missing = append(missing, "ip (iproute2)")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			missing = append(missing, tool)
		}
	}
	if len(missing) == 0 {
		return
	}
	msg := "needs " + strings.Join(missing, ", ")
	if os.Getenv("CI") == "true" {
		t.Fatal(msg + " (CI installs them: see .ci/run)")
	}
	t.Skip(msg)
}

// NS is a network namespace that a test made.
type NS struct {
	Name string
	t    testing.TB

	mu    sync.Mutex
	procs map[*exec.Cmd]*proc // started by Start
}

var seq atomic.Int64

// New makes a namespace with its loopback up and IPv6 off (so that the
// kernel sends no router solicitations or MLD reports into test links).
// It is removed when the test ends.
func New(t testing.TB) *NS {
	t.Helper()
	name := fmt.Sprintf("mplc-%d-%d", os.Getpid(), seq.Add(1))
	n := &NS{Name: name, t: t}
	if out, err := command(10*time.Second, "ip", "netns", "add", name); err != nil {
		t.Fatalf("ip netns add %s: %v\n%s", name, err, out)
	}
	t.Cleanup(func() {
		if out, err := command(10*time.Second, "ip", "netns", "delete", name); err != nil {
			t.Errorf("ip netns delete %s: %v\n%s", name, err, out)
		}
	})
	n.MustRun("ip", "link", "set", "lo", "up")
	n.MustRun("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")
	return n
}

// AddTAP makes a TAP device in the namespace, with addr (a prefix such as
// 198.18.1.1/24) on the kernel's side, and sets it up. Until a process
// attaches to the device it has no carrier and the kernel sends nothing
// into it.
func (n *NS) AddTAP(dev, addr string) {
	n.t.Helper()
	n.MustRun("ip", "tuntap", "add", "dev", dev, "mode", "tap")
	n.MustRun("ip", "addr", "add", addr, "dev", dev)
	n.MustRun("ip", "link", "set", dev, "up")
}

// Run runs a command inside the namespace, ended after timeout, and
// returns what it printed (stdout and stderr).
func (n *NS) Run(timeout time.Duration, name string, args ...string) ([]byte, error) {
	return command(timeout, "ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
}

// MustRun is Run with a 10-second bound that fails the test on error.
func (n *NS) MustRun(name string, args ...string) []byte {
	n.t.Helper()
	out, err := n.Run(10*time.Second, name, args...)
	if err != nil {
		n.t.Fatalf("%s %s in %s: %v\n%s", name, strings.Join(args, " "), n.Name, err, out)
	}
	return out
}

// Start starts a long-running command in the namespace. When the test
// ends it is sent SIGTERM (SIGKILL after 5 s) by its PID and waited for,
// unless Wait or Stop saw it end. Its output goes to out when out is not
// nil; out may be read once Wait or Stop has returned.
func (n *NS) Start(out *bytes.Buffer, name string, args ...string) *exec.Cmd {
	n.t.Helper()
	cmd := exec.Command("ip", append([]string{"netns", "exec", n.Name, name}, args...)...)
	if out != nil {
		cmd.Stdout, cmd.Stderr = out, out
	}
	if err := cmd.Start(); err != nil {
		n.t.Fatalf("start %s: %v", name, err)
	}
	p := &proc{done: make(chan struct{})}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	n.mu.Lock()
	if n.procs == nil {
		n.procs = make(map[*exec.Cmd]*proc)
	}
	n.procs[cmd] = p
	n.mu.Unlock()
	n.t.Cleanup(func() { p.stop(cmd) })
	return cmd
}

// proc is a command that Start started; err is what its Wait returned,
// once done is closed.
type proc struct {
	done chan struct{}
	err  error
}

func (p *proc) stop(cmd *exec.Cmd) error {
	select {
	case <-p.done:
		return p.err
	default:
	}
	cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(5 * time.Second):
		cmd.Process.Kill()
		<-p.done
	}
	return p.err
}

func (n *NS) proc(cmd *exec.Cmd) *proc {
	n.t.Helper()
	n.mu.Lock()
	p := n.procs[cmd]
	n.mu.Unlock()
	if p == nil {
		n.t.Fatalf("%v was not started by Start in %s", cmd.Args, n.Name)
	}
	return p
}

// Wait waits up to timeout for cmd, which Start started, to end by itself,
// and returns what exec.Cmd.Wait returned: nil when it exited with status
// 0. If cmd has not ended by then, Wait returns an error and leaves cmd to
// the end of the test (or to Stop).
func (n *NS) Wait(cmd *exec.Cmd, timeout time.Duration) error {
	n.t.Helper()
	p := n.proc(cmd)
	select {
	case <-p.done:
		return p.err
	case <-time.After(timeout):
		return fmt.Errorf("%s did not end within %v", strings.Join(cmd.Args[4:], " "), timeout)
	}
}

// Stop ends cmd, which Start started, as the end of the test would: SIGTERM
// (SIGKILL after 5 s). It returns what exec.Cmd.Wait returned: nil when
// cmd exited with status 0, for instance on SIGTERM. ("ip netns exec"
// execs the command in its own place, so the signal reaches the command.)
func (n *NS) Stop(cmd *exec.Cmd) error {
	n.t.Helper()
	return n.proc(cmd).stop(cmd)
}

// Do runs fn on an OS thread that has entered the namespace: a TAP device
// or a socket opened in fn belongs to the namespace and stays usable from
// any goroutine afterwards. The thread is discarded after fn.
func (n *NS) Do(fn func() error) error {
	errc := make(chan error, 1)
	go func() {
		// The thread stays locked: the goroutine's exit ends it, so it
		// never runs other goroutines inside the namespace.
		runtime.LockOSThread()
		f, err := os.Open("/var/run/netns/" + n.Name)
		if err != nil {
			errc <- err
			return
		}
		defer f.Close()
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			errc <- fmt.Errorf("setns %s: %w", n.Name, err)
			return
		}
		errc <- fn()
	}()
	return <-errc
}

func command(timeout time.Duration, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = time.Second
	return cmd.CombinedOutput()
}
