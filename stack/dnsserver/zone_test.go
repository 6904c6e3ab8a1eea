package dnsserver

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	miekg "github.com/miekg/dns"
)

func TestLoadZoneFile(t *testing.T) {
	z, err := LoadZoneFile("testdata/test.example.zone")
	if err != nil {
		t.Fatal(err)
	}
	if z.Origin() != "test.example." || z.Len() != 30 {
		t.Errorf("origin %s, %d records", z.Origin(), z.Len())
	}
	// The apex is the SOA's owner, whatever the file's name says.
	dir := t.TempDir()
	path := filepath.Join(dir, "db.whatever")
	if err := os.WriteFile(path, []byte("$ORIGIN other.example.\n$TTL 60\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 198.18.0.1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if z, err := LoadZoneFile(path); err != nil || z.Origin() != "other.example." {
		t.Errorf("%v, %v", z, err)
	}
}

// Identical records are kept once; a set takes the TTL of its first
// record, as BIND does.
func TestLoadZoneSets(t *testing.T) {
	z, err := LoadZone(strings.NewReader(`$TTL 300
@ SOA ns hm 1 2 3 4 5
@ NS ns
ns A 198.18.0.1
x 100 A 198.18.0.2
x 50 A 198.18.0.3
x 200 A 198.18.0.3
X 200 A 198.18.0.2
`), "z.example", "z.zone")
	if err != nil {
		t.Fatal(err)
	}
	if z.Len() != 5 {
		t.Errorf("%d records, want 5", z.Len())
	}
	s := New(z)
	r := exchange(t, s, newQuery("x.z.example.", miekg.TypeA))
	if len(r.Answer) != 2 || r.Answer[0].Header().Ttl != 100 || r.Answer[1].Header().Ttl != 100 {
		t.Errorf("%v", r)
	}
}

// Errors name the file and the line.
func TestLoadZoneErrors(t *testing.T) {
	const head = "$TTL 300\n@ SOA ns hm 1 2 3 4 5\n@ NS ns\nns A 198.18.0.1\n"
	for _, c := range []struct {
		zone, want string
	}{
		{"$TTL 300\n@ NS ns\n", "z.zone: no SOA record"},
		{head + "@ SOA ns hm 2 2 3 4 5\n", "z.zone:5: z.example: a second SOA record"},
		{"$TTL 300\nx SOA ns hm 1 2 3 4 5\n@ NS ns\n", "z.zone:2: x.z.example: SOA record not at the top"},
		{head + "www.other.example. A 198.18.0.2\n", "z.zone:5: www.other.example: outside the zone z.example."},
		{head + "x CH TXT \"a\"\n", "z.zone:5: x.z.example: class CH, not IN"},
		{head + "x CNAME ns\nx A 198.18.0.2\n", "z.zone:6: x.z.example: CNAME and other data"},
		{head + "x A 198.18.0.2\nx CNAME ns\n", "z.zone:6: x.z.example: CNAME and other data"},
		{head + "x CNAME ns\nx CNAME ns2\n", "z.zone:6: x.z.example: multiple RRs of singleton type"},
		{"$TTL 300\n@ SOA ns hm 1 2 3 4 5\nns A 198.18.0.1\n", "z.zone: zone z.example. has no NS records"},
		{head + "x DNAME y\n", "z.zone:5: x.z.example: DNAME records are not supported"},
		{head + "\n\nx A 198.18.0.256\n", "z.zone: dns: bad A A: \"198.18.0.256\" at line: 7:"},
		{head + "$INCLUDE /etc/hostname\n", "z.zone: dns: $INCLUDE directive not allowed"},
		{head + "x ( 300\n A\n 198.18.0.2 ) \nwww.other.example. A 198.18.0.2\n", "z.zone:8: www.other.example"},
	} {
		_, err := LoadZone(strings.NewReader(c.zone), "z.example.", "z.zone")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: error %v, want %q", c.zone, err, c.want)
		}
	}
}
