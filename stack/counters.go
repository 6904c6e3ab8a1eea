package stack

import (
	"fmt"
	"io"
	"sync/atomic"
)

// Reason is why the stack dropped a frame, or a note on one it handled
// without a reply of its own (an ICMP error sent instead, say).
type Reason uint8

// The reasons the stack counts. Each names the layer and the rule.
const (
	EthTruncated    Reason = iota // frame shorter than an Ethernet header
	EthNotOurs                    // destination MAC neither ours nor broadcast
	EthType                       // EtherType neither ARP nor IPv4
	ARPMalformed                  // ARP body cut short
	ARPHardware                   // hardware type not Ethernet (1) or IEEE 802 (6)
	ARPProtocol                   // protocol type not IPv4
	ARPLengths                    // address lengths not 6 and 4
	ARPOp                         // operation neither request nor reply
	ARPSender                     // sender MAC broadcast or multicast, or sender IP not usable
	ARPNotOurs                    // a request for another host's address
	ARPUnresolved                 // a reply dropped: its next hop never answered ARP
	ARPQueueFull                  // a reply dropped: too many next hops waiting for ARP
	IPMalformed                   // IPv4 header cut short
	IPVersion                     // IPv4 version not 4
	IPHeaderLength                // IPv4 header length under 5 words or past the packet
	IPTotalLength                 // IPv4 total length under the header or past the frame
	IPChecksum                    // IPv4 header checksum wrong
	IPSource                      // source address loopback, multicast, broadcast or reserved
	IPNotOurs                     // destination neither ours nor a broadcast
	IPLinkBroadcast               // a datagram to our address in a link-layer broadcast (RFC 1122 3.3.6)
	IPFragment                    // a fragment that cannot be part of a datagram (past 65535 bytes, to a broadcast, ...)
	IPReassembly                  // a datagram given up: not whole in time, or its slot taken by another
	IPOptions                     // options malformed (answered with Parameter Problem)
	IPSourceRoute                 // a source route option (RFC 7126 4.3, 4.4: dropped)
	IPNoRoute                     // a reply to an address off the subnet, and no gateway
	IPProtocol                    // protocol neither ICMP nor UDP (answered with Protocol Unreachable)
	ICMPMalformed                 // ICMP message cut short
	ICMPChecksum                  // ICMP checksum wrong
	ICMPBroadcast                 // echo request to a broadcast address (RFC 1122 3.2.2.6 may ignore)
	ICMPType                      // a type the stack does not answer
	UDPMalformed                  // UDP length past the IP payload or under 8
	UDPChecksum                   // UDP checksum wrong
	UDPClosed                     // no service on the port (answered with Port Unreachable unless broadcast)
	UDPNoReply                    // the service sent no reply
	TxTooLarge                    // a reply larger than the MTU
	TxError                       // the link refused a frame
	numReasons
)

var reasonNames = [numReasons]string{
	EthTruncated:    "ethernet truncated",
	EthNotOurs:      "ethernet not ours",
	EthType:         "ethernet type",
	ARPMalformed:    "arp malformed",
	ARPHardware:     "arp hardware type",
	ARPProtocol:     "arp protocol type",
	ARPLengths:      "arp address lengths",
	ARPOp:           "arp operation",
	ARPSender:       "arp sender",
	ARPNotOurs:      "arp not ours",
	ARPUnresolved:   "arp unresolved",
	ARPQueueFull:    "arp queue full",
	IPMalformed:     "ipv4 truncated",
	IPVersion:       "ipv4 version",
	IPHeaderLength:  "ipv4 header length",
	IPTotalLength:   "ipv4 total length",
	IPChecksum:      "ipv4 checksum",
	IPSource:        "ipv4 source",
	IPNotOurs:       "ipv4 not ours",
	IPLinkBroadcast: "ipv4 link broadcast",
	IPFragment:      "ipv4 fragment",
	IPReassembly:    "ipv4 reassembly",
	IPOptions:       "ipv4 options",
	IPSourceRoute:   "ipv4 source route",
	IPNoRoute:       "ipv4 no route",
	IPProtocol:      "ipv4 protocol",
	ICMPMalformed:   "icmp malformed",
	ICMPChecksum:    "icmp checksum",
	ICMPBroadcast:   "icmp broadcast echo",
	ICMPType:        "icmp type",
	UDPMalformed:    "udp malformed",
	UDPChecksum:     "udp checksum",
	UDPClosed:       "udp closed port",
	UDPNoReply:      "udp no reply",
	TxTooLarge:      "tx too large",
	TxError:         "tx error",
}

// String returns the reason as the counters print it, as "ipv4 checksum".
func (r Reason) String() string {
	if r < numReasons {
		return reasonNames[r]
	}
	return fmt.Sprintf("reason %d", uint8(r))
}

// counters are updated by the event loop and read by anyone.
type counters struct {
	received, sent atomic.Uint64
	dropped        [numReasons]atomic.Uint64
}

func (c *counters) drop(r Reason) { c.dropped[r].Add(1) }

// Counters is a snapshot of a stack's counters (Stack.Counters).
type Counters struct {
	Received uint64 // frames read from the link
	Sent     uint64 // frames written to the link
	// Dropped counts, by reason, frames dropped or answered with an
	// ICMP error instead of being delivered.
	Dropped [numReasons]uint64
}

// DroppedTotal returns the sum of Dropped.
func (c Counters) DroppedTotal() uint64 {
	var n uint64
	for _, d := range c.Dropped {
		n += d
	}
	return n
}

// WriteTo writes the counters as a table, one line each: received, sent,
// and each reason with a non-zero count.
func (c Counters) WriteTo(w io.Writer) (int64, error) {
	var n int64
	put := func(name string, v uint64) error {
		k, err := fmt.Fprintf(w, "%-22s %d\n", name, v)
		n += int64(k)
		return err
	}
	if err := put("received", c.Received); err != nil {
		return n, err
	}
	if err := put("sent", c.Sent); err != nil {
		return n, err
	}
	for r, d := range c.Dropped {
		if d == 0 {
			continue
		}
		if err := put("dropped "+Reason(r).String(), d); err != nil {
			return n, err
		}
	}
	return n, nil
}
