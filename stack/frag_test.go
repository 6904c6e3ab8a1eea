package stack

import (
	"bytes"
	"testing"
	"time"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/ip4defrag"
	"github.com/gopacket/gopacket/layers"

	"github.com/mplgo/mpl/gen/ipv4"
)

// fragments splits an IPv4 packet from T to D holding payload into
// fragments of at most size data bytes each (a multiple of 8), built
// with the generated builder, in order.
func fragments(t *testing.T, proto ipv4.Protocol, payload []byte, size int, id uint16) [][]byte {
	t.Helper()
	var out [][]byte
	for off := 0; off < len(payload); off += size {
		end := min(off+size, len(payload))
		f := ipFrame(proto, nil, payload[off:end], func(b *ipv4.Builder) {
			b.ID = id
			b.FragmentOffset = uint16(off / 8)
			b.MoreFragments = end < len(payload)
		})
		out = append(out, f)
	}
	return out
}

// defragReply reassembles the frames the stack sent with gopacket's
// reassembler and returns the ICMP layer of the datagram.
func defragReply(t *testing.T, frames [][]byte) *layers.ICMPv4 {
	t.Helper()
	d := ip4defrag.NewIPv4Defragmenter()
	for i, f := range frames {
		p := gopacket.NewPacket(f, layers.LayerTypeEthernet, gopacket.Default)
		ip, _ := p.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
		if ip == nil {
			t.Fatalf("frame %d is not IPv4:\n%s", i, p)
		}
		if s := sum16(f[14 : 14+int(ip.IHL)*4]); s != 0 {
			t.Errorf("fragment %d: header checksum wrong", i)
		}
		if len(f)-14 > mtu {
			t.Errorf("fragment %d: %d bytes, over the MTU", i, len(f)-14)
		}
		whole, err := d.DefragIPv4(ip)
		if err != nil {
			t.Fatalf("fragment %d: %v", i, err)
		}
		if whole == nil {
			continue
		}
		if i != len(frames)-1 {
			t.Fatalf("datagram whole after %d of %d frames", i+1, len(frames))
		}
		p = gopacket.NewPacket(whole.Payload, layers.LayerTypeICMPv4, gopacket.Default)
		m, _ := p.Layer(layers.LayerTypeICMPv4).(*layers.ICMPv4)
		if m == nil {
			t.Fatalf("reassembled reply is not ICMP:\n%s", p)
		}
		if s := sum16(whole.Payload); s != 0 {
			t.Errorf("reassembled reply: ICMP checksum wrong")
		}
		return m
	}
	t.Fatalf("the %d frames sent do not make a datagram", len(frames))
	return nil
}

// IP-14, ICMP-02: a 3000-byte echo in three fragments, in order,
// reversed, with a duplicate and with a fragment inside another, gets one
// reply with the same data, itself fragmented to fit the MTU.
func TestReassembly(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		data := make([]byte, 3000)
		for i := range data {
			data[i] = byte(i * 7)
		}
		msg := echoRequest(data)
		h := newHarness(t)
		h.learn()
		for _, c := range []struct {
			name  string
			order func(f [][]byte) [][]byte
		}{
			{"in order", func(f [][]byte) [][]byte { return f }},
			{"reversed", func(f [][]byte) [][]byte { return [][]byte{f[2], f[1], f[0]} }},
			{"with a duplicate", func(f [][]byte) [][]byte { return [][]byte{f[0], f[1], f[1], f[2]} }},
			{"with a fragment inside another", func(f [][]byte) [][]byte {
				// The middle fragment's first 512 bytes, sent first.
				sub := fragments(t, ipv4.ProtocolICMP, msg[:1480+512], 1480, 77)[1]
				var ip ipv4.Packet
				if err := ip.Decode(sub[14:]); err != nil {
					t.Fatal(err)
				}
				ip.SetMoreFragments(true)
				return [][]byte{sub, f[0], f[1], f[2]}
			}},
		} {
			frags := fragments(t, ipv4.ProtocolICMP, msg, 1480, 77)
			var out [][]byte
			for _, f := range c.order(frags) {
				out = append(out, h.exchange(f)...)
			}
			if len(out) < 3 {
				t.Errorf("%s: %d frames back, want a reply in 3 fragments", c.name, len(out))
				continue
			}
			m := defragReply(t, out)
			if m.TypeCode.Type() != layers.ICMPv4TypeEchoReply || !bytes.Equal(m.Payload, data) {
				t.Errorf("%s: reply type %v, %d bytes of data, equal %v", c.name, m.TypeCode, len(m.Payload), bytes.Equal(m.Payload, data))
			}
		}
		if n := h.s.reasmWaiting; h.pipe != nil && n != 0 {
			t.Errorf("%d reassemblies left open", n)
		}
	})
}

// IP-16: a datagram not whole in time is given up; with its first
// fragment in, Time Exceeded (code 1) quotes it; with only its last,
// silence. IP-17: a fragment past 65535 bytes is dropped.
func TestReassemblyTimeout(t *testing.T) {
	onLinks(t, func(t *testing.T, newHarness mkHarness) {
		h := newHarness(t)
		h.s.reasmTimeout = 3 * tapWindow
		h.learn()
		frags := fragments(t, ipv4.ProtocolICMP, echoRequest(make([]byte, 3000)), 1480, 99)
		if out := h.exchange(frags[0]); len(out) != 0 {
			t.Fatalf("first fragment answered: %d frames", len(out))
		}
		checkError(t, "first fragment only", h.wait(time.Second), frags[0], 11, 1)

		frags = fragments(t, ipv4.ProtocolICMP, echoRequest(make([]byte, 3000)), 1480, 100)
		if out := h.exchange(frags[2]); len(out) != 0 {
			t.Fatalf("last fragment answered: %d frames", len(out))
		}
		if out := h.wait(time.Second); len(out) != 0 {
			t.Errorf("last fragment only: %d frames, want silence", len(out))
		}
		if got := h.s.Counters().Dropped[IPReassembly]; got != 2 {
			t.Errorf("ipv4 reassembly = %d, want 2", got)
		}

		pod := ipFrame(ipv4.ProtocolICMP, nil, make([]byte, 1480), func(b *ipv4.Builder) { b.FragmentOffset = 8189 })
		h.silent("ping of death", pod, IPFragment)
		if n := h.s.reasmWaiting; h.pipe != nil && n != 0 {
			t.Errorf("%d reassemblies left open", n)
		}
	})
}
