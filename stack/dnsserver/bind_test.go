package dnsserver

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	miekg "github.com/miekg/dns"

	"github.com/mplgo/mpl/internal/netns"
	"github.com/mplgo/mpl/stack"
)

// TestBIND is the oracle: BIND 9.18's named, configured as the project's
// peers/named/named.conf.in has it (recursion no, minimal-responses no)
// with the zones of testdata, and this package's server, on a kernel
// socket through ServeUDP, get the same queries in a network namespace
// of the test's own: from dig (bindDigCases), and as raw bytes that dig
// cannot send (bindRawCases, and the queries of the captures). Their
// replies are compared as parsed messages: RCODE, flags, question, EDNS,
// and each section as a set of records. Where the server differs from
// BIND on purpose, the case says so and how it compares. The userspace
// stack (package stack) on a TAP in the same namespace, serving the same
// zones, gets every query too, and must answer exactly as the server on
// the kernel socket.
func TestBIND(t *testing.T) {
	netns.Need(t, "named", "named-checkconf", "dig")
	n := netns.New(t)
	// One link with both addresses: BIND on .1, the server on .2.
	n.MustRun("ip", "link", "add", "v0", "type", "veth", "peer", "name", "v1")
	n.MustRun("ip", "addr", "add", "198.18.0.1/24", "dev", "v0")
	n.MustRun("ip", "addr", "add", "198.18.0.2/24", "dev", "v1")
	n.MustRun("ip", "link", "set", "v0", "up")
	n.MustRun("ip", "link", "set", "v1", "up")

	dir := t.TempDir()
	conf := writeNamedConf(t, dir)
	if out, err := exec.Command("named-checkconf", "-z", conf).CombinedOutput(); err != nil {
		t.Fatalf("named-checkconf: %v\n%s", err, out)
	}
	n.Start(nil, "named", "-c", conf, "-u", "root", "-n", "1", "-f")
	waitNamed(t, n, dir)

	s := New(testZones(t)...)
	var conn *net.UDPConn
	if err := n.Do(func() (err error) {
		conn, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(198, 18, 0, 2), Port: 53})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.ServeUDP(conn) }()
	startStack(t, n)
	t.Cleanup(func() {
		conn.Close()
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("ServeUDP: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("ServeUDP did not return after Close")
		}
	})

	t.Run("dig", func(t *testing.T) {
		for _, c := range bindDigCases {
			t.Run(strings.Join(c.args, " "), func(t *testing.T) {
				if slices.Contains(c.args, "CH") {
					chaosPause()
				}
				want := runDig(t, n, "198.18.0.1", c.args)
				got := runDig(t, n, "198.18.0.2", c.args)
				// The stack on its TAP answers as the server on a
				// kernel socket does, whatever BIND does.
				if d := cmp.Diff(got, runDig(t, n, "198.18.1.2", c.args)); d != "" {
					t.Errorf("dig %s: the server on a kernel socket (-) and the stack on a TAP (+) differ:\n%s", strings.Join(c.args, " "), d)
				}
				if c.differs != "" {
					t.Logf("differs from BIND on purpose: %s", c.differs)
				}
				if c.adjust != nil {
					c.adjust(&want, &got)
				}
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("dig %s: BIND (-) and the server (+) differ:\n%s", strings.Join(c.args, " "), d)
				}
			})
		}
	})

	var client *net.UDPConn
	if err := n.Do(func() (err error) {
		client, err = net.ListenUDP("udp4", &net.UDPAddr{IP: net.IPv4(198, 18, 0, 2)})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	var id uint16
	raw := func(t *testing.T, name string, msg []byte, differs string) {
		id++
		msg = slices.Clone(msg)
		if len(msg) >= 2 {
			msg[0], msg[1] = byte(id>>8), byte(id)
		}
		want, got, tap := exchangeAll(t, client, msg)
		if (got == nil) != (tap == nil) || got != nil && cmp.Diff(readRaw(got), readRaw(tap)) != "" {
			t.Errorf("%s (%x): the server on a kernel socket replied %x, the stack on a TAP %x", name, msg, got, tap)
		}
		if differs != "" {
			t.Logf("differs from BIND on purpose: %s", differs)
		}
		if (want == nil) != (got == nil) {
			t.Fatalf("%s (%x): BIND replied %x, the server %x", name, msg, want, got)
		}
		if want == nil {
			return
		}
		if d := cmp.Diff(readRaw(want), readRaw(got)); d != "" {
			t.Errorf("%s (%x): BIND (-) and the server (+) differ:\n%s", name, msg, d)
		}
	}
	t.Run("raw", func(t *testing.T) {
		for _, c := range bindRawCases {
			t.Run(c.name, func(t *testing.T) {
				if c.chaos {
					chaosPause()
				}
				raw(t, c.name, c.msg(), c.differs)
			})
		}
	})
	// The queries of the captures; their responses get no reply from
	// either, as the raw cases check.
	t.Run("captures", func(t *testing.T) {
		for _, q := range captureQueries(t) {
			if len(q.payload) > 2 && q.payload[2]&0x80 != 0 {
				continue
			}
			t.Run(q.name, func(t *testing.T) { raw(t, q.name, q.payload, "") })
		}
	})
}

// chaosPause waits out BIND's rate limit on its built-in view of class
// CH (three identical responses a second, the excess dropped), so that
// queries in class CH get their replies.
func chaosPause() { time.Sleep(1100 * time.Millisecond) }

// writeNamedConf writes testdata/named.conf.in to dir with NAMED_DIR
// replaced, the zones of testdata beside it, and edge.example added.
func writeNamedConf(t *testing.T, dir string) string {
	t.Helper()
	in, err := os.ReadFile("testdata/named.conf.in")
	if err != nil {
		t.Fatal(err)
	}
	conf := strings.ReplaceAll(string(in), "NAMED_DIR", dir) +
		fmt.Sprintf("zone \"edge.example\" {\n    type primary;\n    file \"%s/edge.example.zone\";\n    notify no;\n};\n", dir)
	for _, f := range []string{"test.example.zone", "edge.example.zone"} {
		b, err := os.ReadFile(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "named.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// waitNamed waits, 10 seconds at most, until named answers for both
// zones.
func waitNamed(t *testing.T, n *netns.NS, dir string) {
	t.Helper()
	for range 50 {
		a, err1 := n.Run(3*time.Second, "dig", "@198.18.0.1", "+short", "+tries=1", "+time=1", "test.example", "SOA")
		b, err2 := n.Run(3*time.Second, "dig", "@198.18.0.1", "+short", "+tries=1", "+time=1", "edge.example", "SOA")
		if err1 == nil && err2 == nil && strings.Contains(string(a), "2024010101") && strings.Contains(string(b), "hostmaster") {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	log, _ := os.ReadFile(filepath.Join(dir, "named.log"))
	t.Fatalf("named did not answer within 10 s; named.log:\n%s", log)
}

// A digReply is what the comparison reads of dig's output.
type digReply struct {
	Status     string
	Flags      []string // sorted
	Question   string
	EDNS       string   // the OPT pseudo-section's line, "" without EDNS
	EDE        []string // Extended DNS Error lines
	Answer     []string // records as miekg/dns writes them, sorted
	Authority  []string
	Additional []string
}

// runDig runs dig against server with the arguments every case shares
// and args, and reads its output.
func runDig(t *testing.T, n *netns.NS, server string, args []string) digReply {
	t.Helper()
	all := append([]string{"@" + server, "+norec", "+tries=1", "+time=2", "+nocookie", "+ignore", "+notcp"}, args...)
	out, err := n.Run(10*time.Second, "dig", all...)
	if err != nil {
		t.Fatalf("dig %s: %v\n%s", strings.Join(all, " "), err, out)
	}
	r, err := parseDig(string(out))
	if err != nil {
		t.Fatalf("dig %s: %v\n%s", strings.Join(all, " "), err, out)
	}
	return r
}

// parseDig reads dig's default output: the header's status and flags,
// the OPT pseudo-section, the question, and the records of each section
// (with miekg/dns's NewRR).
func parseDig(out string) (digReply, error) {
	var r digReply
	var sec *[]string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, ";; ->>HEADER<<-"):
			_, st, ok := strings.Cut(line, "status: ")
			if !ok {
				return r, fmt.Errorf("no status in %q", line)
			}
			r.Status, _, _ = strings.Cut(st, ",")
		case strings.HasPrefix(line, ";; flags:"):
			fl, _, _ := strings.Cut(strings.TrimPrefix(line, ";; flags:"), ";")
			r.Flags = strings.Fields(fl)
			slices.Sort(r.Flags)
		case strings.HasPrefix(line, "; EDNS:"):
			r.EDNS = line
		case strings.HasPrefix(line, "; EDE:"):
			r.EDE = append(r.EDE, line)
		case line == ";; QUESTION SECTION:":
			sec = nil
			if sc.Scan() {
				r.Question = strings.Join(strings.Fields(sc.Text()), " ")
			}
		case line == ";; ANSWER SECTION:":
			sec = &r.Answer
		case line == ";; AUTHORITY SECTION:":
			sec = &r.Authority
		case line == ";; ADDITIONAL SECTION:":
			sec = &r.Additional
		case line == "" || strings.HasPrefix(line, ";"):
			sec = nil
		case sec != nil:
			rr, err := miekg.NewRR(line)
			if err != nil {
				return r, fmt.Errorf("record %q: %v", line, err)
			}
			*sec = append(*sec, rr.String())
		}
	}
	if r.Status == "" {
		return r, errors.New("no header")
	}
	for _, s := range []*[]string{&r.Answer, &r.Authority, &r.Additional} {
		slices.Sort(*s)
	}
	return r, nil
}

// A bindDigCase is a dig command line (after the shared arguments) and,
// where the server differs from BIND on purpose, why, and what adjust
// does to the two replies before they are compared.
type bindDigCase struct {
	args    []string
	differs string
	adjust  func(bind, server *digReply)
}

// lowerRecords compares records without regard to letter case: with a
// question in mixed case, BIND writes names in the zone's case (it
// compresses only names of the same case) and the server in the
// question's (its cached answer points to the question; RFC 4343 says
// either is right).
func lowerRecords(bind, server *digReply) {
	for _, r := range []*digReply{bind, server} {
		for _, s := range []*[]string{&r.Answer, &r.Authority, &r.Additional} {
			for i := range *s {
				(*s)[i] = strings.ToLower((*s)[i])
			}
			slices.Sort(*s)
		}
	}
}

// truncatedOnly keeps what both say about a truncated reply: its status
// and flags.
func truncatedOnly(bind, server *digReply) {
	for _, r := range []*digReply{bind, server} {
		r.Answer, r.Authority, r.Additional = nil, nil, nil
	}
}

// partialRRset is the difference of truncated replies to clients
// without EDNS.
const partialRRset = "without EDNS, BIND fills a truncated reply with what fits of the answer (29 of 30 records), and sets AD; " +
	"the server sends the question alone with TC, as BIND does for EDNS clients (RFC 2181 section 9: no partial RRsets), and never sets AD"

// partialAdjust compares what partialRRset leaves in common.
func partialAdjust(b, s *digReply) {
	truncatedOnly(b, s)
	b.Flags = slices.DeleteFunc(b.Flags, func(f string) bool { return f == "ad" })
}

var bindDigCases = []bindDigCase{
	// DNS-01 and the flags that are copied.
	{args: []string{"www.test.example", "A"}},
	{args: []string{"www.test.example", "A", "+rec"}},
	{args: []string{"www.test.example", "A", "+cdflag"}},
	{args: []string{"www.test.example", "A", "+dnssec"}},
	{args: []string{"www.test.example", "A", "+noedns"}},
	{args: []string{"www.test.example", "AAAA"}},
	{args: []string{"ns1.test.example", "A"}},
	{args: []string{"mail.test.example", "A"}},
	{args: []string{"test.example", "SOA"}},
	{args: []string{"test.example", "NS"}},
	{args: []string{"test.example", "MX"}},
	{args: []string{"test.example", "TXT"}},
	{args: []string{"test.example", "ANY"}},
	{args: []string{"www.test.example", "ANY"}},
	{args: []string{"test.example", "DS"}},
	// DNS-10: NODATA and NXDOMAIN.
	{args: []string{"mail.test.example", "AAAA"}},
	{args: []string{"www.test.example", "TYPE65534"}},
	{args: []string{"www.test.example", "TYPE0"}},
	{args: []string{"nope.test.example", "A"}},
	{args: []string{"a.b.nope.test.example", "A", "+noedns"}},
	// CNAME.
	{args: []string{"alias.test.example", "A"}},
	{args: []string{"alias.test.example", "AAAA"}},
	{args: []string{"alias.test.example", "MX"}},
	{args: []string{"alias.test.example", "CNAME"}},
	{args: []string{"alias.test.example", "ANY"}},
	// DNS-11: REFUSED.
	{args: []string{"example.com", "A"}},
	{args: []string{"example", "A"}},
	{args: []string{".", "NS"}},
	{args: []string{"www.test.example", "A", "-c", "CH"}},
	{args: []string{"www.test.example", "A", "-c", "HS"}},
	{args: []string{"www.test.example", "A", "-c", "CLASS2"}},
	{args: []string{"www.test.example", "A", "-c", "ANY"}},
	{args: []string{"www.test.example", "A", "-c", "NONE"}},
	{args: []string{"version.bind", "TXT", "-c", "CH"},
		differs: "BIND answers its version in class CH; the server serves no CH data and refuses",
		adjust: func(b, s *digReply) {
			if b.Status == "NOERROR" && s.Status == "REFUSED" {
				*b = *s
			}
		}},
	// DNS-19: letter case.
	{args: []string{"WwW.tEsT.eXaMpLe", "A"}, differs: "names in the query's case", adjust: lowerRecords},
	{args: []string{"MIXED.EDGE.EXAMPLE", "A"}, differs: "names in the query's case", adjust: lowerRecords},
	{args: []string{"mixed.edge.example", "A"}, differs: "names in the query's case", adjust: lowerRecords},
	{args: []string{"NOPE.Test.Example", "A"}, differs: "names in the query's case", adjust: lowerRecords},
	// EDNS0 (RFC 6891) and sizes.
	{args: []string{"big.test.example", "TXT"}},
	{args: []string{"big.test.example", "TXT", "+bufsize=512"}},
	{args: []string{"big.test.example", "TXT", "+bufsize=600"}},
	{args: []string{"big.test.example", "TXT", "+noedns", "+noadflag"}},
	{args: []string{"big.test.example", "TXT", "+noedns"},
		differs: "BIND copies AD from the query into a truncated reply without EDNS; the server never sets AD (RFC 4035 section 3.2.3: no data here is authenticated)",
		adjust: func(b, s *digReply) {
			b.Flags = slices.DeleteFunc(b.Flags, func(f string) bool { return f == "ad" })
		}},
	{args: []string{"multi.test.example", "A", "+noedns"}},
	{args: []string{"multi.test.example", "A", "+bufsize=512"}},
	{args: []string{"www.test.example", "A", "+bufsize=100"}},
	{args: []string{"www.test.example", "A", "+bufsize=512"}},
	{args: []string{"www.test.example", "A", "+bufsize=513"}},
	{args: []string{"test.example", "MX", "+bufsize=512"}},
	{args: []string{"nope.test.example", "A", "+bufsize=512"}},
	{args: []string{"www.test.example", "ANY", "+bufsize=512"}},
	{args: []string{"www.test.example", "A", "+bufsize=65535"}},
	// DNS-14: BADVERS.
	{args: []string{"www.test.example", "A", "+edns=1", "+noednsneg"}},
	{args: []string{"nope.example.com", "A", "+edns=255", "+noednsneg"}},
	// DNS-07: opcodes.
	{args: []string{"www.test.example", "A", "+opcode=iquery"}},
	{args: []string{"www.test.example", "A", "+opcode=status"}},
	{args: []string{"www.test.example", "A", "+opcode=3"}},
	{args: []string{"www.test.example", "A", "+opcode=15"}},
	{args: []string{"www.test.example", "A", "+opcode=15", "+noedns"}},
	{args: []string{"test.example", "SOA", "+opcode=notify"}},
	{args: []string{"www.test.example", "A", "+opcode=notify"}},
	{args: []string{"www.test.example", "SOA", "+opcode=notify"}},
	{args: []string{"test.example", "SOA", "+opcode=update"}},
	{args: []string{"test.example", "MAILB"}},
	// edge.example: several name servers, negative TTL 60.
	{args: []string{"edge.example", "NS"}},
	{args: []string{"edge.example", "ANY"}},
	{args: []string{"edge.example", "SOA"}},
	{args: []string{"ns1.edge.example", "A"}},
	{args: []string{"www.edge.example", "A"}},
	{args: []string{"www.edge.example", "MX"}},
	{args: []string{"nope.edge.example", "A"}},
	// CNAME chains.
	{args: []string{"chain1.edge.example", "A"}},
	{args: []string{"chain1.edge.example", "ANY"}},
	{args: []string{"chain2.edge.example", "CNAME"}},
	{args: []string{"loop1.edge.example", "A"}},
	{args: []string{"self.edge.example", "A"}},
	{args: []string{"d1.edge.example", "A"}},
	{args: []string{"e1.edge.example", "A"}},
	{args: []string{"e1.edge.example", "A", "+noedns"}},
	{args: []string{"other.edge.example", "A"}},
	{args: []string{"ext.edge.example", "A"}},
	{args: []string{"tonx.edge.example", "A"}},
	{args: []string{"tosub.edge.example", "A"}},
	{args: []string{"toent.edge.example", "A"}},
	{args: []string{"tocname.edge.example", "A"}},
	// Wildcards (RFC 4592) and empty non-terminals.
	{args: []string{"foo.wild.edge.example", "A"}},
	{args: []string{"foo.wild.edge.example", "TXT"}},
	{args: []string{"foo.wild.edge.example", "AAAA"}},
	{args: []string{"foo.wild.edge.example", "ANY"}},
	{args: []string{"a.b.wild.edge.example", "A"}},
	{args: []string{"exact.wild.edge.example", "A"}},
	{args: []string{"exact.wild.edge.example", "TXT"}},
	{args: []string{"wild.edge.example", "A"}},
	{args: []string{"*.wild.edge.example", "A"}},
	{args: []string{"x.star.edge.example", "A"}},
	{args: []string{"x.star.edge.example", "CNAME"}},
	{args: []string{"b.c.ent.edge.example", "A"}},
	{args: []string{"c.ent.edge.example", "ANY"}},
	{args: []string{"x.c.ent.edge.example", "A"}},
	// Delegations.
	{args: []string{"www.sub.edge.example", "A"}},
	{args: []string{"sub.edge.example", "NS"}},
	{args: []string{"sub.edge.example", "DS"}},
	{args: []string{"sub.edge.example", "A"}},
	{args: []string{"ns.sub.edge.example", "A"}},
	{args: []string{"deep.sub.edge.example", "A"}},
	{args: []string{"x.sub2.edge.example", "A"}},
	{args: []string{"www.sub.edge.example", "A", "+bufsize=512"}},
	// Additional-section processing.
	{args: []string{"mx.edge.example", "MX"}},
	{args: []string{"mx.edge.example", "MX", "+bufsize=512"}},
	{args: []string{"mx2.edge.example", "MX"}},
	{args: []string{"mx3.edge.example", "MX"}},
	{args: []string{"mx4.edge.example", "MX"}},
	{args: []string{"_http._tcp.edge.example", "SRV"}},
	{args: []string{"ptr.edge.example", "PTR"}},
	{args: []string{"afsdb.edge.example", "AFSDB"}},
	{args: []string{"bigmx.edge.example", "MX"}},
	{args: []string{"bigmx.edge.example", "MX", "+noedns"}},
	{args: []string{"bigmx.edge.example", "MX", "+bufsize=600"}},
	// Record types.
	{args: []string{"txt.edge.example", "TXT"}},
	{args: []string{"hinfo.edge.example", "HINFO"}},
	{args: []string{"rp.edge.example", "RP"}},
	{args: []string{"unk.edge.example", "TYPE65280"}},
	{args: []string{"caa.edge.example", "CAA"}},
	// Large RRsets.
	{args: []string{"many.edge.example", "A"}},
	{args: []string{"many.edge.example", "A", "+bufsize=512"}},
	{args: []string{"many.edge.example", "A", "+noedns"}, differs: partialRRset, adjust: partialAdjust},
	{args: []string{"many.edge.example", "ANY", "+noedns"}, differs: partialRRset, adjust: partialAdjust},
	{args: []string{"many.edge.example", "ANY", "+bufsize=512"}},
	{args: []string{"many.edge.example", "ANY"}},
}

// exchangeAll sends msg from conn to BIND (198.18.0.1), the server on a
// kernel socket (198.18.0.2) and the stack on its TAP (198.18.1.2), port
// 53, and returns their replies (those with msg's ID), nil for none
// within a second.
func exchangeAll(t *testing.T, conn *net.UDPConn, msg []byte) (bind, server, tap []byte) {
	t.Helper()
	addrs := []*net.UDPAddr{
		{IP: net.IPv4(198, 18, 0, 1), Port: 53},
		{IP: net.IPv4(198, 18, 0, 2), Port: 53},
		{IP: net.IPv4(198, 18, 1, 2), Port: 53},
	}
	for _, to := range addrs {
		if _, err := conn.WriteToUDP(msg, to); err != nil {
			t.Fatal(err)
		}
	}
	got := make([][]byte, len(addrs))
	buf := make([]byte, 65536)
	deadline := time.Now().Add(time.Second)
	for (got[0] == nil || got[1] == nil || got[2] == nil) && time.Now().Before(deadline) {
		conn.SetReadDeadline(deadline)
		n, from, err := conn.ReadFromUDP(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				break
			}
			t.Fatal(err)
		}
		if n < 2 || len(msg) < 2 || buf[0] != msg[0] || buf[1] != msg[1] {
			continue // a late reply to an earlier message
		}
		for i, a := range addrs {
			if from.IP.Equal(a.IP) {
				got[i] = slices.Clone(buf[:n])
			}
		}
	}
	return got[0], got[1], got[2]
}

// A rawReply is a reply as miekg/dns reads it, for comparison: the
// header without the ID, the question, and each section as sorted
// records (the OPT record as text, without a COOKIE option, which BIND
// sends and the server does not implement).
type rawReply struct {
	Header                             miekg.MsgHdr
	Question                           []miekg.Question
	Answer, Authority, Additional      []string
	OPT                                string
	UnpackError                        string
	Bytes                              string // when miekg/dns cannot read the reply
	Qdcount, Ancount, Nscount, Arcount uint16
}

func readRaw(b []byte) rawReply {
	var r rawReply
	if len(b) >= 12 {
		r.Qdcount, r.Ancount = uint16(b[4])<<8|uint16(b[5]), uint16(b[6])<<8|uint16(b[7])
		r.Nscount, r.Arcount = uint16(b[8])<<8|uint16(b[9]), uint16(b[10])<<8|uint16(b[11])
	}
	var m miekg.Msg
	if err := m.Unpack(b); err != nil {
		r.UnpackError = err.Error()
		r.Bytes = fmt.Sprintf("%x", b[min(len(b), 2):])
		return r
	}
	r.Header, r.Question = m.MsgHdr, m.Question
	r.Header.Id = 0
	str := func(rrs []miekg.RR) []string {
		var out []string
		for _, rr := range rrs {
			if x, ok := rr.(*miekg.TSIG); ok {
				x.TimeSigned = 0 // now, to either server
			}
			if o, ok := rr.(*miekg.OPT); ok {
				o.Option = slices.DeleteFunc(o.Option, func(e miekg.EDNS0) bool { return e.Option() == miekg.EDNS0COOKIE })
				r.OPT = o.String()
				continue
			}
			out = append(out, rr.String())
		}
		slices.Sort(out)
		return out
	}
	r.Answer, r.Authority, r.Additional = str(m.Answer), str(m.Ns), str(m.Extra)
	return r
}

// startStack runs the userspace stack on a TAP device of n, at 198.18.1.2
// with the kernel's side at 198.18.1.1 (its gateway to 198.18.0.0/24),
// serving the test zones on port 53 with a server of its own.
func startStack(t *testing.T, n *netns.NS) {
	t.Helper()
	n.AddTAP("tap0", "198.18.1.1/24")
	var tap *stack.TAP
	if err := n.Do(func() (err error) { tap, err = stack.OpenTAP("tap0"); return err }); err != nil {
		t.Fatal(err)
	}
	st, err := stack.New(tap, stack.Config{
		MAC:     net.HardwareAddr{0x02, 0x00, 0x5e, 0x12, 0x01, 0x02},
		Addr:    netip.MustParsePrefix("198.18.1.2/24"),
		Gateway: netip.MustParseAddr("198.18.1.1"),
	})
	if err != nil {
		t.Fatal(err)
	}
	st.HandleUDP(53, New(testZones(t)...))
	done := make(chan error, 1)
	go func() { done <- st.Run() }()
	t.Cleanup(func() {
		tap.Close()
		if err := <-done; err != nil {
			t.Errorf("stack: %v", err)
		}
	})
}
