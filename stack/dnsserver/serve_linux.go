//go:build linux

package dnsserver

import (
	"errors"
	"net"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// batch is how many datagrams a worker reads (recvmmsg) and sends
// (sendmmsg) with one system call at most.
const batch = 32

// slot is the room for one datagram, read or sent: the largest there is.
const slot = 65536

// serveUDP is ServeUDP on Linux: workers, each reading up to batch queries
// with one recvmmsg and sending their replies with one sendmmsg, on
// buffers allocated once (slots of 64 KiB, whose pages stay untouched,
// and so out of memory, but for what datagrams fill). One worker at a
// time reads (the socket's read lock); the others answer and send.
func (s *Server) serveUDP(conn *net.UDPConn, workers int) error {
	rc, err := conn.SyscallConn()
	if err != nil {
		return s.serveUDPEach(conn, workers)
	}
	errs := make(chan error, workers)
	for range workers {
		w := s.newWorker(rc)
		go func() { errs <- w.serve() }()
	}
	for range workers {
		if e := <-errs; e != nil && err == nil {
			err = e
			conn.Close() // the others stop too
		}
	}
	return err
}

// mmsghdr is struct mmsghdr of recvmmsg(2): a message and its length.
type mmsghdr struct {
	hdr unix.Msghdr
	n   uint32
}

// A worker serves one socket with its own buffers and counters.
type worker struct {
	s       *Server
	rc      syscall.RawConn
	stats   *counters
	in, out []byte // batch slots each
	names   [batch]unix.RawSockaddrAny
	iovs    [batch]unix.Iovec
	oiovs   [batch]unix.Iovec
	recv    [batch]mmsghdr
	send    [batch]mmsghdr
	replies [batch][]byte // what send points to, kept for the collector

	// The calls of rc.Read and rc.Write, made once.
	readFn, writeFn   func(fd uintptr) bool
	got, sent, toSend int
	errno             syscall.Errno
}

func (s *Server) newWorker(rc syscall.RawConn) *worker {
	w := &worker{s: s, rc: rc, stats: new(counters),
		in: make([]byte, batch*slot), out: make([]byte, batch*slot)}
	s.mu.Lock()
	s.shards = append(s.shards, w.stats)
	s.mu.Unlock()
	for i := range batch {
		w.iovs[i].Base = &w.in[i*slot]
		w.iovs[i].SetLen(slot)
	}
	w.readFn = func(fd uintptr) bool {
		for i := range batch {
			h := &w.recv[i].hdr
			h.Name = (*byte)(unsafe.Pointer(&w.names[i]))
			h.Namelen = uint32(unsafe.Sizeof(w.names[i]))
			h.Iov = &w.iovs[i]
			h.SetIovlen(1)
			h.Control, h.Flags = nil, 0
			h.SetControllen(0)
		}
		n, _, e := unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&w.recv[0])), batch, 0, 0, 0)
		for e == unix.EAGAIN {
			// Nothing to read: wait in poll(2), which the reply comes
			// through straight, rather than in the runtime's poller, whose
			// wake-ups (futexes, idle threads spinning) cost more than the
			// queries on a busy server. Every 100 ms the runtime's poller
			// takes over, which notices a closed socket.
			pfd := [1]unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
			if k, err := unix.Poll(pfd[:], 100); err != nil && err != unix.EINTR || k == 0 {
				return false // wait until the socket is readable
			}
			n, _, e = unix.Syscall6(unix.SYS_RECVMMSG, fd, uintptr(unsafe.Pointer(&w.recv[0])), batch, 0, 0, 0)
		}
		w.got, w.errno = int(n), e
		if e != 0 {
			w.got = 0
		}
		return true
	}
	w.writeFn = func(fd uintptr) bool {
		for w.sent < w.toSend {
			n, _, e := unix.Syscall6(unix.SYS_SENDMMSG, fd, uintptr(unsafe.Pointer(&w.send[w.sent])), uintptr(w.toSend-w.sent), 0, 0, 0)
			switch e {
			case 0:
				w.sent += int(n)
			case unix.EAGAIN:
				return false // wait until the socket is writable
			case unix.EINTR:
			default:
				// A reply that cannot be sent is dropped (as ServeUDP's
				// WriteTo errors are): the next one may go.
				w.sent++
			}
		}
		return true
	}
	return w
}

// serve reads, answers and sends until the socket is closed (nil) or
// reading fails.
func (w *worker) serve() error {
	for {
		w.got, w.errno = 0, 0
		if err := w.rc.Read(w.readFn); err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		switch w.errno {
		case 0:
		case unix.EINTR, unix.ECONNREFUSED, unix.ENOMEM, unix.ENOBUFS:
			continue
		default:
			return w.errno
		}
		w.toSend, w.sent = 0, 0
		for i := range w.got {
			m := &w.recv[i]
			n := min(int(m.n), slot)
			reply, ok := w.s.handle(w.out[i*slot:i*slot:(i+1)*slot], w.in[i*slot:i*slot+n], w.stats)
			if !ok || len(reply) == 0 {
				continue
			}
			j := w.toSend
			w.toSend++
			w.replies[j] = reply
			w.oiovs[j].Base = &reply[0]
			w.oiovs[j].SetLen(len(reply))
			h := &w.send[j].hdr
			h.Name, h.Namelen = m.hdr.Name, m.hdr.Namelen
			h.Iov = &w.oiovs[j]
			h.SetIovlen(1)
			h.Control, h.Flags = nil, 0
			h.SetControllen(0)
		}
		if w.toSend > 0 {
			if err := w.rc.Write(w.writeFn); err != nil && errors.Is(err, net.ErrClosed) {
				return nil
			}
		}
		for i := range w.toSend {
			w.replies[i] = nil
		}
	}
}
