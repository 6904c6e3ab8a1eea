package netns

import (
	"errors"
	"fmt"
	"net"
	"time"

	"golang.org/x/sys/unix"
)

// Wire is a packet socket on a device of a namespace, seen from the
// kernel's side: frames sent on it go out of the device (into a TAP's
// reader, the stack), and it receives the frames that come in (what the
// stack writes), whatever their destination MAC. It does not receive the
// frames the kernel itself sends.
type Wire struct {
	fd      int
	ifindex int
	buf     []byte
}

// Wire opens a packet socket on dev, which the test closes at its end.
func (n *NS) Wire(dev string) *Wire {
	n.t.Helper()
	w := &Wire{fd: -1, buf: make([]byte, 65536)}
	err := n.Do(func() error {
		ifi, err := net.InterfaceByName(dev)
		if err != nil {
			return err
		}
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(htons(unix.ETH_P_ALL)))
		if err != nil {
			return fmt.Errorf("packet socket: %w", err)
		}
		if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: htons(unix.ETH_P_ALL), Ifindex: ifi.Index}); err != nil {
			unix.Close(fd)
			return fmt.Errorf("bind packet socket to %s: %w", dev, err)
		}
		w.fd, w.ifindex = fd, ifi.Index
		return nil
	})
	if err != nil {
		n.t.Fatalf("wire on %s in %s: %v", dev, n.Name, err)
	}
	n.t.Cleanup(func() { unix.Close(w.fd) })
	return w
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }

// Send sends one Ethernet frame out of the device.
func (w *Wire) Send(frame []byte) error {
	return unix.Sendto(w.fd, frame, 0, &unix.SockaddrLinklayer{Ifindex: w.ifindex})
}

// Recv returns the frames that come in within d, in order; it returns
// early, after the first, when first is true.
func (w *Wire) Recv(d time.Duration, first bool) ([][]byte, error) {
	var out [][]byte
	end := time.Now().Add(d)
	for {
		left := time.Until(end)
		if left <= 0 {
			return out, nil
		}
		fds := []unix.PollFd{{Fd: int32(w.fd), Events: unix.POLLIN}}
		n, err := unix.Poll(fds, int(left/time.Millisecond)+1)
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return out, err
		}
		if n == 0 {
			continue
		}
		k, from, err := unix.Recvfrom(w.fd, w.buf, unix.MSG_DONTWAIT)
		if errors.Is(err, unix.EAGAIN) || errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return out, err
		}
		if ll, ok := from.(*unix.SockaddrLinklayer); ok && ll.Pkttype == unix.PACKET_OUTGOING {
			continue
		}
		out = append(out, append([]byte(nil), w.buf[:k]...))
		if first {
			return out, nil
		}
	}
}
