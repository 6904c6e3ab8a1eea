// Package bench compares the codecs that mplc generates (gen/...) with a
// hand-written zero-copy baseline and with gopacket, on the packets in
// testdata/vectors. It has no API: everything is in its _test.go files.
//
// # What is measured
//
// Every benchmark is named Benchmark<Work>/impl=<impl>/pkt=<packet>, with
// the packets p1_tcp_syn, p2_tcp_ack_1448, p3_icmp_echo, p4_dns_udp and
// p5_dns_udp of testdata/vectors. The implementations:
//
//   - hand: the baseline, hand_test.go: the best plain Go we know for
//     exactly the same work and the same checks, with fixed headers
//     converted to array pointers, encoding/binary and no bounds checks
//     left.
//   - mplc: the generated code used as the README recommends:
//     ethernet.Parse, ipv4.Parse, icmp.Parse, udp.Parse returning views,
//     their accessors and setters; builders nested with mplrt.Nest; the
//     checksum functions of mplrt.
//   - mplc_<variant>: the generated code used another way: mplc_decode
//     decodes into views reused from packet to packet with Decode;
//     mplc_direct calls the builders' AppendHeader, AppendTo and Finish
//     in sequence, without mplrt.Nest.
//   - gopacket_<api>: gopacket, a peer: gopacket_dlp is a reused
//     DecodingLayerParser with preallocated layers; gopacket_packet is
//     gopacket.NewPacket (NoCopy), which allocates its layers;
//     gopacket_serialize is SerializeLayers into a reused SerializeBuffer;
//     gopacket_compute is gopacket.ComputeChecksum and FoldChecksum.
//
// The works:
//
//   - Decode decodes the whole frame as Ethernet, then IPv4 (verifying
//     its header checksum), then ICMP echo, UDP, or TCP with its options,
//     and copies every header field of each layer (for TCP also the
//     number of options and the values of MSS, window scale,
//     SACK-permitted and timestamps), and the length of the innermost
//     payload, into a sink, on all five packets: hand, mplc, mplc_decode,
//     gopacket_dlp and gopacket_packet (which decodes every layer it
//     knows, DNS included). gopacket verifies no checksum: its decoders
//     sum the IPv4 header with the hand-written helpers.
//   - Build builds the frame p3_icmp_echo, or p4_dns_udp with the DNS
//     message of p4_dns_payload.hex as its payload, into a reused buffer
//     from its field values, with lengths and checksums (IPv4 header,
//     ICMP, UDP with its pseudo-header) computed: hand, mplc, mplc_direct
//     and gopacket_serialize (with FixLengths and ComputeChecksums).
//   - Reflect turns the ICMP echo request p3_icmp_echo into its echo
//     reply in place: it checks the frame as Decode does, swaps the IPv4
//     source and destination, sets the ICMP type to echo reply and
//     patches the checksums by RFC 1624 (the generated setters do it for
//     mplc; hand patches the ICMP one, since swapping the addresses
//     leaves the IPv4 sum as it was). Each iteration first copies the
//     request's 42 bytes of headers back, the same for every
//     implementation. hand, mplc, mplc_decode and gopacket_serialize
//     (which has no setters: it decodes with a DecodingLayerParser and
//     serializes the changed layers into its buffer, computing the
//     checksums over the whole message).
//   - Checksum verifies the IPv4 header checksum and the transport
//     checksum (TCP or UDP over the pseudo-header, ICMP over the
//     message) of each packet, whose IPv4 header and payload are sliced
//     once outside the loop: hand (the header summed without a loop as
//     five 32-bit words, the payload 8 bytes a round into a uint64), mplc
//     (mplrt.Sum, Fold and PseudoHeaderIPv4) and gopacket_compute.
//
// Every benchmark reports allocations and bytes per second of frame. The
// tests (TestDecodeAgrees, TestBuildMatchesVectors, TestReflectAgrees,
// TestChecksumAgrees, ...) check that every implementation reads the same
// field values, builds exactly the vector's bytes, makes exactly the echo
// reply and finds the same checksums right or wrong, that the
// hand-written baseline accepts and rejects the same mutated and
// truncated frames as the generated code in Decode and Reflect, so that
// the comparison is fair, and (TestNoAllocs) that hand and every mplc
// implementation allocate nothing.
//
// # Running
//
// make bench runs every benchmark BENCHCOUNT times (6 by default) with
// -benchmem; for each packet the implementations run one after the
// other, so that they are compared close together in time. It writes the
// raw output to bench/out/latest.txt, compares the implementations with
// benchstat (go tool benchstat -col /impl) and prints one Markdown table
// with internal/benchtable: per work, packet and implementation, the
// median ns/op and allocs/op, the time over hand's and, for gopacket,
// over mplc's. That table is bench/RESULTS.md. On a noisy machine
// compare ratios between implementations of the same run rather than
// absolute times across runs. To compare a change to the generator, save
// the raw output before and after it and run
// go tool benchstat old.txt new.txt.
package bench
