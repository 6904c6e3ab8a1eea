// Package stack is a userspace IPv4 host built only on the codecs that
// mplc generates (gen/ethernet, gen/arp, gen/ipv4, gen/icmp, gen/udp): it
// parses every frame with their views and builds every reply with their
// builders and setters, so that it writes no offset, length or checksum
// of its own.
//
// A Stack runs on a Link: a TAP device (OpenTAP) or an in-memory pipe
// (NewPipe) for tests and benchmarks. One goroutine reads a frame, walks
// it through Ethernet, ARP or IPv4, then ICMP or UDP, and writes the
// reply from buffers allocated once; a frame in steady state allocates
// nothing.
//
// What it answers:
//
//   - ARP (RFC 826, RFC 1122 2.3.2): requests for its address, after
//     checking hardware type (Ethernet, or IEEE 802 as Linux accepts),
//     protocol type and address lengths; senders are learnt as RFC 826
//     merges them. Replies to hosts it does not know wait for ARP: one
//     frame queued per next hop, a request a second, three at most.
//   - IPv4 (RFC 791, RFC 1122 3.2.1): version, header length, total
//     length and header checksum are checked; packets from loopback,
//     multicast, broadcast, class E or our own address, unicast packets
//     in a link-layer broadcast, and source-routed packets (RFC 7126) are
//     dropped. Fragments are reassembled (four datagrams at once, 30 s),
//     replies larger than the MTU fragmented. Malformed options get a
//     Parameter Problem; an unknown protocol a Protocol Unreachable; no
//     ICMP error answers a broadcast or an ICMP error.
//   - ICMP: echo requests are turned into replies in place, with
//     incremental checksums (RFC 1624) and Record Route filled in as
//     Linux does; echo requests to a broadcast address and other types
//     are ignored.
//   - UDP: datagrams go to the service registered for their port
//     (HandleUDP), whose reply goes back; a closed port gets a Port
//     Unreachable (not for broadcasts).
//
// Everything else is dropped and counted by reason (Counters, Reason).
//
// Where it differs from Linux, by choice: an ARP request whose sender
// MAC is broadcast or multicast is ignored (Linux answers it by
// broadcast); an echo request from the subnet's broadcast address is
// ignored (Linux answers it); timestamp requests are ignored (Linux
// answers them; RFC 1122 3.2.2.8 makes them optional); a Parameter
// Problem's pointer names the octet where the options parser found the
// fault, as RFC 792 has it (Linux names the first octet of the option).
package stack
