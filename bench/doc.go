// Package bench compares the codecs that mplc generates (gen/...) with a
// hand-written zero-copy baseline and with gopacket, on the packets in
// testdata/vectors. It has no API: everything is in its _test.go files.
//
// # What is measured
//
// BenchmarkDecode/impl=I/pkt=P decodes the whole Ethernet frame P
// (p1_tcp_syn, p2_tcp_ack_1448, p3_icmp_echo, p4_dns_udp, p5_dns_udp)
// as Ethernet, then IPv4, then ICMP echo or UDP (it stops at TCP, for
// which there is no generated codec yet), and copies every header field
// of each layer, and the length of the innermost payload, into a sink
// (so that nothing is eliminated as dead code). The implementations I:
//
//   - generated: ethernet.Parse, ipv4.Parse, icmp.Parse and AsEchoRequest,
//     udp.Parse, and their accessors.
//   - hand: the baseline, hand_test.go: the same work and the same checks
//     written directly, with fixed headers converted to array pointers,
//     encoding/binary and no bounds checks left.
//   - gopacket_dlp: a reused gopacket.DecodingLayerParser with
//     preallocated layers.Ethernet, IPv4, ICMPv4, UDP and TCP (so it also
//     decodes the TCP header of p1 and p2, which the others skip).
//   - gopacket_packet: gopacket.NewPacket with gopacket.NoCopy, which
//     allocates its layers and decodes every layer it knows, including
//     TCP and, for the UDP port 53 packets p4 and p5, DNS.
//
// BenchmarkBuild/impl=I/pkt=P builds the frame P (p3_icmp_echo, or
// p4_dns_udp with the DNS message of p4_dns_payload.hex as its payload)
// into a reused buffer from its field values, with lengths computed by
// the builder: generated (the generated builders nested with mplrt.Nest),
// hand, and gopacket (SerializeLayers with FixLengths into a reused
// SerializeBuffer). Checksums are not computed (the generated builders do
// not compute them yet): every implementation copies the vector's values.
//
// Every benchmark reports allocations and bytes per second of frame. The
// tests (TestDecodeAgrees, TestBuildMatchesVectors, ...) check that every
// implementation reads the same field values and builds exactly the
// vector's bytes, and that the hand-written baseline accepts and rejects
// the same mutated and truncated frames as the generated code, so that
// the comparison is fair.
//
// # Running
//
// Run each benchmark several times and compare the implementations with
// benchstat (which is not a dependency of this module):
//
//	go test ./bench -run '^$' -bench . -benchmem -count 10 > new.txt
//	go run golang.org/x/perf/cmd/benchstat@latest -col /impl new.txt
//
// -col /impl puts the implementations side by side, one row per packet;
// on a noisy machine compare ratios between columns of the same run
// rather than absolute times across runs. To compare a change to the
// generator, save the output before and after it and run
// benchstat old.txt new.txt.
package bench
