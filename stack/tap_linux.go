package stack

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// TAP is a Link on a Linux TAP device: the frames the kernel sends out of
// the device are read with ReadFrame, and the frames written with
// WriteFrame arrive at the kernel as if received by the device.
//
// The descriptor is non-blocking and owned by an os.File, so that Go's
// poller waits for frames: a blocked ReadFrame costs no thread, Close
// wakes it, and SetReadDeadline works.
//
// The kernel keeps the frames it sends out of the device in a queue of
// txqueuelen frames (1000 by default) until ReadFrame takes them; when the
// queue is full it drops them (the device's TX drops: 1500 frames sent at
// once, 1000 read, 500 dropped). While no TAP is attached the device has
// no carrier and the kernel sends nothing into it.
type TAP struct {
	f    *os.File
	name string
	// one receives the frame that a ReadFrame with an empty buffer
	// discards: the kernel drops the frame on any read, while os.File
	// would return at once without reading for an empty buffer.
	one [1]byte
}

// OpenTAP attaches to the existing TAP device name (made beforehand, for
// instance with "ip tuntap add dev NAME mode tap", which makes it
// persistent) as IFF_TAP|IFF_NO_PI: frames carry no packet-information
// prefix and no virtio-net header. The device belongs to the network
// namespace of the calling thread (see internal/netns's Do); the TAP is
// usable from any goroutine afterwards.
//
// Attaching gives the device its carrier: until then the kernel sends
// nothing into it. The kernel takes the carrier into account
// asynchronously (linkwatch activates the device's queue and sets its
// operstate to UP, which makes it RUNNING), and drops what it sends in the
// meantime (counted in the device's TX drops): so OpenTAP waits, up to a
// second, until the device is RUNNING, if it is up. (Without that wait,
// the reply to an ARP request written at once was lost in 2 to 7 tries of
// 100.) A device set up after OpenTAP has the same short window.
//
// Only one TAP may be attached to a device at a time (OpenTAP fails with
// EBUSY otherwise). Attaching needs CAP_NET_ADMIN unless the device was
// made for the caller's user ("ip tuntap add ... user U").
func OpenTAP(name string) (*TAP, error) {
	// The device, and the socket waitRunning asks, are found in the
	// namespace of the thread.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	fd, err := unix.Open("/dev/net/tun", unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("stack: open TAP %s: %w", name, err)
	}
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("stack: open TAP %q: %w", name, err)
	}
	ifr.SetUint16(unix.IFF_TAP | unix.IFF_NO_PI)
	if err := unix.IoctlIfreq(fd, unix.TUNSETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("stack: open TAP %s: TUNSETIFF: %w", name, err)
	}
	// TUNSETIFF makes a new, non-persistent device when none has the name
	// (and it goes away when its descriptor is closed): a persistent
	// device is the one that was asked for, an unpersistent one is one
	// TUNSETIFF just made (a second descriptor cannot attach to another
	// process's: EBUSY).
	if err := unix.IoctlIfreq(fd, unix.TUNGETIFF, ifr); err != nil {
		unix.Close(fd)
		return nil, fmt.Errorf("stack: open TAP %s: TUNGETIFF: %w", name, err)
	}
	if ifr.Uint16()&unix.IFF_PERSIST == 0 {
		unix.Close(fd)
		return nil, fmt.Errorf("stack: open TAP %s: no such TAP device (make it first: ip tuntap add dev %s mode tap)", name, name)
	}
	waitRunning(name, time.Second)
	// os.NewFile sees that fd is non-blocking and puts it in the poller.
	// Nothing may call t.f.Fd(), which would make it blocking again.
	f := os.NewFile(uintptr(fd), "/dev/net/tun:"+name)
	return &TAP{f: f, name: name}, nil
}

// waitRunning waits, up to timeout, until the device name is RUNNING
// (operstate UP) or is not up. It gives up quietly, as on any error: the
// wait only spares the first frames the kernel sends.
func waitRunning(name string, timeout time.Duration) {
	sock, err := unix.Socket(unix.AF_INET, unix.SOCK_DGRAM|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return
	}
	defer unix.Close(sock)
	ifr, err := unix.NewIfreq(name)
	if err != nil {
		return
	}
	for deadline := time.Now().Add(timeout); time.Now().Before(deadline); time.Sleep(100 * time.Microsecond) {
		if err := unix.IoctlIfreq(sock, unix.SIOCGIFFLAGS, ifr); err != nil {
			return
		}
		if f := ifr.Uint16(); f&unix.IFF_UP == 0 || f&unix.IFF_RUNNING != 0 {
			return
		}
	}
}

// Name returns the name of the device.
func (t *TAP) Name() string { return t.name }

// ReadFrame reads the next frame the kernel sends out of the device: one
// read(2) is one whole frame, without frame check sequence. A frame longer
// than buf is cut to len(buf) and the rest of it is lost (the kernel drops
// it: the next read is the next frame); an empty buf drops a whole frame
// and returns 0. It blocks until a
// frame arrives, the read deadline passes (an error that matches
// os.ErrDeadlineExceeded) or the TAP is closed (ErrClosed). It allocates
// nothing unless it fails.
func (t *TAP) ReadFrame(buf []byte) (int, error) {
	b := buf
	if len(b) == 0 {
		b = t.one[:]
	}
	n, err := t.f.Read(b)
	if err != nil {
		return 0, t.mapErr(err)
	}
	// The kernel cuts a frame to the buffer and read(2) returns what it
	// copied; min is for the empty buffer, read as one byte.
	return min(n, len(buf)), nil
}

// WriteFrame hands frame to the kernel as received by the device, with
// one write(2). The kernel rejects frames shorter than an Ethernet header
// (EINVAL) and, while the device is down, every frame (EIO). It
// allocates nothing unless it fails.
func (t *TAP) WriteFrame(frame []byte) error {
	// os.File.Write calls write(2) again for the rest of a short write,
	// but a TAP takes a frame whole or not at all.
	if _, err := t.f.Write(frame); err != nil {
		return t.mapErr(err)
	}
	return nil
}

// SetReadDeadline sets the time after which a waiting or later ReadFrame
// fails with an error that matches os.ErrDeadlineExceeded; the zero time
// means no deadline.
func (t *TAP) SetReadDeadline(d time.Time) error {
	return t.mapErr(t.f.SetReadDeadline(d))
}

// Close detaches from the device, which loses its carrier but stays (it is
// persistent). A ReadFrame blocked in another goroutine returns ErrClosed
// at once; so do later calls, Close included.
func (t *TAP) Close() error {
	return t.mapErr(t.f.Close())
}

func (t *TAP) mapErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, os.ErrClosed) {
		return ErrClosed
	}
	return err // an *os.PathError that names the device
}
