package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// proofs checks a spec whose value() fields the pass may accept or not,
// and returns what it concluded for each size expression, as
// "field -> decl: result".
func proofs(t *testing.T, src string) []string {
	t.Helper()
	spec, diags := check(false, Source{Name: "t.mpl", Data: []byte(src)})
	if spec == nil {
		t.Fatalf("does not check: %v", diags)
	}
	// The pass is the only thing that may reject these specs, and it
	// does when it finds a value that fails.
	_, diags = Check(Source{Name: "t.mpl", Data: []byte(src)})
	var out []string
	fails := 0
	for _, p := range spec.Packets {
		for _, pr := range proveValueSizes(p) {
			out = append(out, fmt.Sprintf("%s -> %s: %s", pr.use.field.Name, pr.use.decl.DeclName(), pr.result))
			if pr.result == proofFails {
				fails++
			}
		}
	}
	if len(diags) != fails {
		t.Errorf("%d failures, but Check reports %v", fails, diags)
	}
	return out
}

func TestValueProofs(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{"ipv4 ihl with align", `packet ip {
  version: bit[4] const(4);
  ihl: bit[4] min(5) value(offset(options) / 4);
  tos: byte;
  total: uint16 value(offset(payload));
  rest: byte[12];
  options: byte[ihl * 4 - offset(rest)] align(32);
  payload: byte[total - offset(options)];
}`, []string{"ihl -> options: holds", "total -> payload: holds"}},
		{"ipv4 ihl without align", `packet ip {
  version: bit[4] const(4);
  ihl: bit[4] min(5) value(offset(options) / 4);
  rest: byte[19];
  options: byte[ihl * 4 - offset(rest)];
}`, []string{"ihl -> options: holds where exact"}},
		{"length to the end", `packet udp {
  src: uint16; dst: uint16;
  length: uint16 min(8) value(offset(payload));
  checksum: uint16;
  payload: byte[length - offset(checksum)];
}`, []string{"length -> payload: holds"}},
		{"sizeof", `packet p { len: byte value(sizeof(data)); data: byte[len]; }`,
			[]string{"len -> data: holds"}},
		{"sizeof plus a constant", `packet p { len: byte value(sizeof(data) + 2); data: byte[len - 2]; }`,
			[]string{"len -> data: holds"}},
		{"parameter", `packet p(int k) { n: uint16 value(sizeof(d) + k); d: byte[n - k]; }`,
			[]string{"n -> d: holds"}},
		{"count", `packet p { count: uint16 value(array_length(items)); items: array(count) { a: byte; b: byte[a]; }; }`,
			[]string{"count -> items: holds"}},
		{"count from the size of fixed elements", `packet p { n: byte value(sizeof(items) / 4); items: array(n) { x: uint32; }; }`,
			[]string{"n -> items: holds"}},
		{"byte-bounded array of fixed elements", `packet p { len: byte min(4) value(sizeof(servers)); servers: array[len] { a: uint32; }; }`,
			[]string{"len -> servers: holds"}},
		{"byte-bounded array of options", `packet p {
  hlen: byte value(offset(options));
  options: array[hlen - offset(hlen)] {
    kind: byte;
    classify (kind) {
      |0:"End" -> ();
      |_:"Other" -> len: byte min(2) value(offset(data)); data: byte[len - offset(len)];
    };
  };
  payload: byte[remaining()];
}`, []string{"hlen -> options: holds", "len -> data: holds"}},
		{"byte-bounded array counted", `packet p { n: byte value(array_length(items)); items: array[n * 4] { x: uint32; }; }`,
			[]string{"n -> items: holds"}},
		{"in a case, to a label after the classify", `packet eth {
  dst: byte[6]; src: byte[6];
  length: uint16 value(offset(end) - offset(length));
  classify (length) {
    |0..1500:"Raw" -> data: byte[length];
    |0x800:"IPv4" -> data: byte[remaining()];
  };
  end: label;
}`, []string{"length -> data: holds"}},
		{"in a case, past a classify of variable size", `packet p {
  t: byte;
  total: uint16 value(offset(end));
  classify (t) { |1:"A" -> a: byte[t]; |2:"B" -> b: uint32; };
  mark: label;
  classify (t) {
    |1:"X" -> body: byte[total - offset(mark)];
    |_:"Y" -> ();
  };
  end: label;
}`, []string{"total -> body: holds"}},
		{"in an array element", `packet p {
  n: byte value(array_length(rows));
  rows: array(n) { id: uint32; size: byte value(sizeof(data)); data: byte[size]; pad: byte[offset(data) % 2]; };
}`, []string{"n -> rows: holds", "size -> data: holds"}},
		{"lengths the builder checks", `packet p {
  total: uint16 value(offset(body));
  a: byte;
  x: byte[a];
  y: byte[sizeof(x)];
  body: byte[total - offset(a) - 2 * a];
}`, []string{"total -> body: holds"}},
		{"8-byte units less one", `packet opts {
  next: byte;
  hdr_ext_len: byte value(offset(options) / 8 - 1);
  options: byte[hdr_ext_len * 8 + 6];
  payload: byte[remaining()];
}`, []string{"hdr_ext_len -> options: holds where exact"}},
		{"rounded up", `packet p { n: byte value((sizeof(d) + 3) / 4); d: byte[n * 4]; }`,
			[]string{"n -> d: holds where exact"}},
		{"two fields of one length", `packet arp {
  hlen: byte value(sizeof(sha));
  sha: byte[hlen];
  spa: uint32;
  tha: byte[hlen];
}`, []string{"hlen -> sha: holds", "hlen -> tha: tied"}},
		{"two value fields", `packet p {
  ihl: byte value(offset(opts) / 4);
  tos: byte;
  total: uint16 value(offset(payload));
  opts: byte[ihl * 4 - offset(total)] align(32);
  payload: byte[total - ihl * 4];
}`, []string{"ihl -> opts: holds", "total -> payload: holds", "ihl -> payload: holds"}},
		{"a value set from another", `packet p {
  a: byte value(b + 1);
  b: byte value(sizeof(d));
  d: byte[a - 1];
}`, []string{"a -> d: holds"}},
		{"not linear", `packet p { n: byte value(sizeof(d)); d: byte[n * n]; }`,
			[]string{"n -> d: unknown"}},
		{"a cycle of values", `packet p { a: byte value(b); b: byte value(a); d: byte[a]; }`,
			[]string{"a -> d: unknown"}},
		{"a divisor that is not constant", `packet p { k: byte; n: byte value(sizeof(d) / k); d: byte[n * k]; }`,
			[]string{"n -> d: unknown"}},

		{"tcp data offset from a label before the options", `packet tcp {
  src_port: uint16; dst_port: uint16; seq: uint32; ack: uint32;
  data_offset: bit[4] min(5) value(offset(hdr_end) / 4);
  flags: bit[12];
  window: uint16; checksum: uint16; urgent: uint16;
  hdr_end: label;
  options: byte[data_offset * 4 - offset(urgent)];
  data: byte[remaining()];
}`, []string{"data_offset -> options: fails"}},
		{"total length up to the options", `packet ip {
  ihl: byte value(offset(options) / 4);
  tos: byte;
  total: uint16 value(offset(options));
  options: byte[ihl * 4 - offset(total)] align(32);
  payload: byte[total - offset(options)];
}`, []string{"ihl -> options: holds", "total -> payload: fails"}},
		{"total length from a fixed offset", `packet ip {
  total: uint16 value(offset(options));
  n: byte;
  options: byte[n];
  payload: byte[total - 3];
}`, []string{"total -> payload: fails"}},
		{"units not inverted", `packet p { n: byte value(sizeof(d) / 4); d: byte[n]; }`,
			[]string{"n -> d: fails"}},
		{"a count read as bytes", `packet p { n: byte value(array_length(items)); items: array[n] { x: uint32; }; }`,
			[]string{"n -> items: fails"}},
		{"a value that counts more", `packet p { n: byte value(sizeof(d) + sizeof(x)); x: byte[2]; d: byte[n]; y: byte; z: byte[y]; }`,
			[]string{"n -> d: fails"}},
		{"a value from a parameter only", `packet p(int w) { n: byte value(w); d: byte[n]; }`,
			[]string{"n -> d: fails"}},
		{"a header that is not a multiple of the unit", `packet p {
  ihl: byte value(offset(opts) / 4);
  total: uint16;
  opts: byte[ihl * 4 - offset(total)] align(32);
}`, []string{"ihl -> opts: fails"}},
		{"alignment against the rounding", `packet p { n: byte value((sizeof(d) + 2) / 4); d: byte[n * 4 - 2] align(32); }`,
			[]string{"n -> d: fails"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := proofs(t, tt.src)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

// TestValueProofErrors checks the diagnostics of values that do not give
// back their sizes.
func TestValueProofErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{`packet p {
  n: byte value(sizeof(d) / 4);
  d: byte[n];
}`, "t.mpl:2:17: value(sizeof(d) / 4) of n does not give back the length of d (n): the builder writes n = sizeof(d) / 4, and a parser then reads d as sizeof(d) / 4 bytes, not sizeof(d)"},
		{`packet p {
  n: byte value(array_length(items));
  items: array[n] { x: uint32; };
}`, "t.mpl:2:17: value(array_length(items)) of n does not give back the length of items (n): the builder writes n = array_length(items), and a parser then reads items as array_length(items) bytes, not 4 * array_length(items)"},
		{`packet p(int w) {
  n: byte value(w);
  items: array(n + 1) { x: uint32; };
}`, "t.mpl:2:17: value(w) of n does not give back the count of items (n + 1): the builder writes n = w whatever the count of items, and a parser then reads items as w + 1 elements, not array_length(items)"},
		{`packet p {
  total: uint16 value(offset(options));
  n: byte;
  options: byte[n];
  payload: byte[(total - 3)];
}`, "t.mpl:2:23: value(offset(options)) of total does not give back the length of payload (total - 3): the builder writes total = n + 3 whatever the length of payload, and a parser then reads payload as n bytes, not sizeof(payload)"},
		{`packet p {
  n: byte value((sizeof(d) + 2) / 4);
  d: byte[n * 4 - 2] align(32);
}`, "t.mpl:2:17: value((sizeof(d) + 2) / 4) of n does not give back the length of d (n * 4 - 2): the builder writes n = sizeof(d) / 4, and a parser then reads d as sizeof(d) - 2 bytes, not sizeof(d)"},
		{`packet p {
  ihl: byte value(offset(opts) / 4);
  total: uint16;
  opts: byte[ihl * 4 - offset(total)] align(32);
}`, "t.mpl:2:19: value(offset(opts) / 4) of ihl does not give back the length of opts (ihl * 4 - offset(total)): the builder writes ihl = sizeof(opts) / 4, and a parser then reads opts as sizeof(opts) - 3 bytes, not sizeof(opts)"},
	}
	for _, tt := range tests {
		_, diags := Check(Source{Name: "t.mpl", Data: []byte(tt.src)})
		if got := diags.Error(); got != tt.want {
			t.Errorf("%s\ngot  %s\nwant %s", tt.src, got, tt.want)
		}
	}
}

// TestValueProofSkipsBrokenPackets: a packet with errors gets no proof,
// whose messages would only add noise.
func TestValueProofSkipsBrokenPackets(t *testing.T) {
	_, diags := Check(Source{Name: "t.mpl", Data: []byte(`packet p {
  n: byte value(sizeof(d) / 4);
  d: byte[n];
  x: uint12;
}`)})
	if len(diags) != 1 || !strings.Contains(diags[0].Msg, "unknown type uint12") {
		t.Errorf("got %v", diags)
	}
}

func TestExprText(t *testing.T) {
	for _, src := range []string{
		"a * 4 - offset(b)",
		"(a + 1) * 4",
		"a - (b - 1)",
		"a / 4 / 2",
		"a / (4 / 2)",
		"-a + 1",
		"-(a + 1)",
		"a % 4",
	} {
		spec, diags := Check(Source{Name: "t.mpl", Data: []byte("packet p { a: byte; b: byte; c: byte[" + src + "]; }")})
		if spec == nil {
			t.Fatalf("%s: %v", src, diags)
		}
		f := spec.Packets[0].Body.Stmts[2].(*Field)
		if got := exprText(f.Type.(BytesType).Len); got != src {
			t.Errorf("exprText(%s) = %s", src, got)
		}
	}
}

// TestValueProofsOfSpecs: every size a value() sets in the specs of the
// repository is proved, not merely left undecided.
func TestValueProofsOfSpecs(t *testing.T) {
	var files []string
	for _, g := range []string{"../specs/*.mpl", "../testdata/paper/*.mpl", "../testdata/parse/*.mpl", "../codegen/testdata/e2e/*/*.mpl", "../testdata/hostile/*.mpl"} {
		m, _ := filepath.Glob(g)
		files = append(files, m...)
	}
	n := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		spec, _ := Check(Source{Name: f, Data: data})
		if spec == nil {
			continue // the hostile specs that do not check
		}
		for _, p := range spec.Packets {
			for _, pr := range proveValueSizes(p) {
				n++
				switch pr.result {
				case proofHolds, proofHoldsExact, proofTied:
				default:
					t.Errorf("%s: packet %s: %s -> %s: %v %s", f, p.Name, pr.use.field.Name, pr.use.decl.DeclName(), pr.result, pr.why)
				}
			}
		}
	}
	if n < 30 {
		t.Errorf("only %d sizes set by values", n)
	}
}
