package stack

import (
	"testing"

	"github.com/mplgo/mpl/gen/arp"
	"github.com/mplgo/mpl/gen/ipv4"
)

// FuzzStack feeds a stack that knows its tester one frame of any bytes:
// it must not panic, and what it sends must be from it and parse. The
// seeds are every tenth frame of the corpus (as captured, and aimed at
// the stack) and the tests' own frames.
func FuzzStack(f *testing.F) {
	for i, fr := range corpusFrames(f) {
		if i%10 == 0 {
			f.Add(fr)
		}
	}
	f.Add(arpFrame(arp.OpRequest, tMAC, tIP, nil, dutIP))
	f.Add(ipFrame(ipv4.ProtocolICMP, nil, echoRequest([]byte("fuzz")), nil))
	f.Add(ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 7, []byte("fuzz")), nil))
	f.Add(ipFrame(ipv4.ProtocolUDP, nil, udpDatagram(40000, 9, []byte("fuzz")), nil))
	f.Add(ipFrame(ipv4.ProtocolICMP, []byte{7, 11, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0}, echoRequest(nil), nil))
	f.Add(ipFrame(253, nil, []byte("protocol"), nil))
	f.Fuzz(func(t *testing.T, frame []byte) {
		h := newPipeHarness(t)
		h.s.HandleUDP(7, &echoService{})
		h.learn()
		for _, out := range h.exchange(frame) {
			checkSent(t, out)
		}
	})
}
