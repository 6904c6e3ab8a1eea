package dnsserver

import (
	"errors"
	"net"
	"runtime"
)

// ServeUDP answers the queries that arrive on conn, a kernel UDP socket
// (the port is usually 53), with GOMAXPROCS goroutines, each with
// buffers allocated once; on Linux each reads a batch of queries with
// one system call (recvmmsg) and sends their replies with one
// (sendmmsg). It returns nil once conn is closed, or the first other read
// error; a reply that cannot be sent is dropped.
func (s *Server) ServeUDP(conn *net.UDPConn) error {
	return s.ServeUDPWorkers(conn, runtime.GOMAXPROCS(0))
}

// ServeUDPWorkers is ServeUDP with n goroutines (at least 1).
func (s *Server) ServeUDPWorkers(conn *net.UDPConn, n int) error {
	return s.serveUDP(conn, max(n, 1))
}

// serveUDPEach is ServeUDP a datagram at a time, with each system call
// of package net, for systems without recvmmsg.
func (s *Server) serveUDPEach(conn *net.UDPConn, workers int) error {
	errs := make(chan error, workers)
	for range workers {
		c := new(counters)
		s.mu.Lock()
		s.shards = append(s.shards, c)
		s.mu.Unlock()
		go func() { errs <- s.serveEach(conn, c) }()
	}
	var err error
	for range workers {
		if e := <-errs; e != nil && err == nil {
			err = e
			conn.Close() // the others stop too
		}
	}
	return err
}

func (s *Server) serveEach(conn *net.UDPConn, c *counters) error {
	in := make([]byte, 65535)
	out := make([]byte, 0, 65535)
	for {
		n, src, err := conn.ReadFromUDPAddrPort(in)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return nil
			}
			return err
		}
		reply, ok := s.handle(out[:0], in[:n], c)
		if !ok {
			continue
		}
		if _, err := conn.WriteToUDPAddrPort(reply, src); errors.Is(err, net.ErrClosed) {
			return nil
		}
	}
}
