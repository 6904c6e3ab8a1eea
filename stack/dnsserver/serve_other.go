//go:build !linux

package dnsserver

import "net"

func (s *Server) serveUDP(conn *net.UDPConn, workers int) error { return s.serveUDPEach(conn, workers) }
