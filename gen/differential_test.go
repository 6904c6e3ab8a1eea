package gen_test

// Differential fuzz targets, one per generated package: internal/fuzzcheck
// parses the input, works the view through every accessor, iterator, case,
// Walk and String by reflection, rebuilds it with the generated builders
// and compares. Each package needs only its table below.
//
//	go test ./gen -run '^$' -fuzz '^FuzzDifferentialIPv4$' -fuzztime 10s

import (
	"path/filepath"
	"testing"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ethernet"
	"github.com/mplgo/mpl/gen/icmp"
	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/gen/tcp"
	"github.com/mplgo/mpl/gen/udp"
	"github.com/mplgo/mpl/gen/vlan"
	"github.com/mplgo/mpl/internal/fuzzcheck"
)

var diffPackets = [nLayers]fuzzcheck.Packet{
	lEthernet: {Spec: "../specs/ethernet.mpl", Name: "ethernet", Parse: ethernet.Parse,
		Builders: []any{ethernet.Builder{}}},
	lARP: {Spec: "../specs/arp.mpl", Name: "arp", Parse: arp.Parse,
		Builders: []any{arp.Builder{}, arp.EthernetIPv4Builder{}, arp.OtherBuilder{}}},
	lIPv4: {Spec: "../specs/ipv4.mpl", Name: "ipv4", Parse: ipv4.Parse,
		Builders: []any{ipv4.Builder{}}},
	lICMP: {Spec: "../specs/icmp.mpl", Name: "icmp", Parse: icmp.Parse,
		Builders: []any{icmp.Builder{}, icmp.EchoReplyBuilder{}, icmp.DestinationUnreachableBuilder{},
			icmp.SourceQuenchBuilder{}, icmp.RedirectBuilder{}, icmp.EchoRequestBuilder{},
			icmp.TimeExceededBuilder{}, icmp.ParameterProblemBuilder{}, icmp.TimestampBuilder{},
			icmp.TimestampReplyBuilder{}, icmp.AddressMaskRequestBuilder{}, icmp.AddressMaskReplyBuilder{}}},
	lUDP: {Spec: "../specs/udp.mpl", Name: "udp", Parse: udp.Parse,
		Builders: []any{udp.Builder{}}},
	lTCP: {Spec: "../specs/tcp.mpl", Name: "tcp", Parse: tcp.Parse,
		Builders: []any{tcp.Builder{}, tcp.OptionBuilder{}, tcp.EndBuilder{}, tcp.NOPBuilder{}, tcp.MSSBuilder{},
			tcp.WindowScaleBuilder{}, tcp.SACKPermittedBuilder{}, tcp.SACKBuilder{}, tcp.BlockBuilder{},
			tcp.TimestampsBuilder{}, tcp.OtherBuilder{}}},
	lVLAN: {Spec: "../specs/vlan.mpl", Name: "vlan", Parse: vlan.Parse,
		Builders: []any{vlan.Builder{}}},
}

// diffFuzz seeds a differential target of layer l with the inputs of the
// layer in the captures and vectors, the corpus of the layer's FuzzX
// target and what the builders make, and runs it.
// Of the captures it takes at most 256 inputs, spread over them, so that
// gathering the baseline coverage leaves time for fuzzing.
func diffFuzz(f *testing.F, l int, corpus string) {
	seeds := fuzzSeeds(f, l)
	for i := range min(len(seeds), 256) {
		f.Add(seeds[i*len(seeds)/min(len(seeds), 256)])
	}
	for _, s := range fuzzcheck.CorpusSeeds(f, filepath.Join("testdata", "fuzz", corpus)) {
		f.Add(s)
	}
	for _, s := range fuzzcheck.Seeds(diffPackets[l]) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzcheck.Check(t, diffPackets[l], b) })
}

func FuzzDifferentialEthernet(f *testing.F) { diffFuzz(f, lEthernet, "FuzzEthernet") }
func FuzzDifferentialARP(f *testing.F)      { diffFuzz(f, lARP, "FuzzARP") }
func FuzzDifferentialIPv4(f *testing.F)     { diffFuzz(f, lIPv4, "FuzzIPv4") }
func FuzzDifferentialICMP(f *testing.F)     { diffFuzz(f, lICMP, "FuzzICMP") }
func FuzzDifferentialUDP(f *testing.F)      { diffFuzz(f, lUDP, "FuzzUDP") }
func FuzzDifferentialTCP(f *testing.F)      { diffFuzz(f, lTCP, "FuzzTCP") }

// FuzzDifferentialVLAN takes the inner tags of the captures and the tags of
// unusualBuilds too; both tag layers are the one packet vlan.
func FuzzDifferentialVLAN(f *testing.F) {
	for _, s := range vlanSeeds(f) {
		f.Add(s)
	}
	diffFuzz(f, lVLAN, "FuzzVLAN")
}
