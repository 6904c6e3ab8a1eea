package dnsserver

import (
	"bytes"
	"net"
	"testing"
	"time"

	miekg "github.com/miekg/dns"

	"github.com/mplgo/mpl/internal/netns"
)

// ServeUDP answers on a kernel socket, in a namespace of the test's own,
// and returns nil once the socket is closed.
func TestServeUDP(t *testing.T) {
	netns.Need(t)
	n := netns.New(t)
	n.MustRun("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	n.MustRun("ip", "addr", "add", "198.18.0.1/24", "dev", "v0")
	n.MustRun("ip", "addr", "add", "198.18.0.2/24", "dev", "v1")
	n.MustRun("ip", "link", "set", "v0", "up")
	n.MustRun("ip", "link", "set", "v1", "up")
	var conn, client *net.UDPConn
	if err := n.Do(func() (err error) {
		if conn, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(198, 18, 0, 1), Port: 53}); err != nil {
			return err
		}
		client, err = net.DialUDP("udp4", &net.UDPAddr{IP: net.IPv4(198, 18, 0, 2)}, &net.UDPAddr{IP: net.IPv4(198, 18, 0, 1), Port: 53})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	s := testServer(t)
	served := make(chan error, 1)
	go func() { served <- s.ServeUDP(conn) }()

	buf := make([]byte, 2048)
	for i, q := range []*miekg.Msg{
		newQuery("www.test.example.", miekg.TypeA),
		newQuery("www.test.example.", miekg.TypeA, withEDNS(1232)),
		newQuery("nope.edge.example.", miekg.TypeA),
	} {
		q.Id = uint16(i + 1)
		b, _ := q.Pack()
		client.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := client.Write(b); err != nil {
			t.Fatal(err)
		}
		k, err := client.Read(buf)
		if err != nil {
			t.Fatal(err)
		}
		var r miekg.Msg
		if err := r.Unpack(buf[:k]); err != nil || r.Id != q.Id || !r.Response {
			t.Errorf("reply %v, %v", &r, err)
		}
	}
	// A burst, which the server reads in batches: every reply is the one
	// HandleUDP gives.
	names := []string{"www.test.example.", "nope.test.example.", "example.com.", "mx.edge.example.", "big.test.example."}
	want := map[uint16][]byte{}
	ref := testServer(t)
	const burst, chunk = 300, 50 // a chunk's queries and replies fit in the sockets' buffers
	for c := 0; c < burst; c += chunk {
		for i := c; i < c+chunk; i++ {
			q := newQuery(names[i%len(names)], miekg.TypeA, withEDNS(uint16(512+i)))
			q.Id = uint16(100 + i)
			b, _ := q.Pack()
			want[q.Id], _ = ref.HandleUDP(nil, testSrc, b)
			if _, err := client.Write(b); err != nil {
				t.Fatal(err)
			}
			if i%3 == 0 {
				client.Write([]byte{1, 2, 3}) // too short: no reply
			}
		}
		client.SetDeadline(time.Now().Add(5 * time.Second))
		for range chunk {
			k, err := client.Read(buf)
			if err != nil {
				t.Fatalf("%d replies missing: %v; %+v", len(want), err, s.Stats())
			}
			id := uint16(buf[0])<<8 | uint16(buf[1])
			if w, ok := want[id]; !ok || !bytes.Equal(w, buf[:k]) {
				t.Fatalf("reply %x, want %x", buf[:k], w)
			}
			delete(want, id)
		}
	}
	// A datagram too short gets nothing, and the server goes on.
	client.Write([]byte{1, 2, 3})
	conn.Close()
	select {
	case err := <-served:
		if err != nil {
			t.Errorf("ServeUDP returned %v after Close", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("ServeUDP did not return after Close")
	}
	if st := s.Stats(); st.Answered[0]+st.Answered[3]+st.Answered[5] != 3+burst || st.Dropped[DropShort] < burst/3 {
		t.Errorf("stats %+v", st)
	}
}
