package dnsserver

import (
	"errors"
	"net"
)

// ServeUDP answers the queries that arrive on conn, a kernel UDP socket
// (the port is usually 53), one at a time, with buffers allocated once.
// It returns nil once conn is closed, or the first other read error; a
// reply that cannot be sent is dropped.
func (s *Server) ServeUDP(conn *net.UDPConn) error {
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
		reply, ok := s.HandleUDP(out[:0], src, in[:n])
		if !ok {
			continue
		}
		if _, err := conn.WriteToUDPAddrPort(reply, src); errors.Is(err, net.ErrClosed) {
			return nil
		}
	}
}
