package codegen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/mplgo/mpl/lang"
)

// TestDiagramGolden draws every spec in specs/ and testdata/paper/ and
// compares the drawings with testdata/golden/diagrams; -update rewrites
// them. It also checks the layout of every block it draws.
func TestDiagramGolden(t *testing.T) {
	var specs []string
	for _, dir := range []string{"specs", "testdata/paper"} {
		m, _ := filepath.Glob(filepath.Join("..", dir, "*.mpl"))
		specs = append(specs, m...)
	}
	if len(specs) == 0 {
		t.Fatal("no specs")
	}
	for _, spec := range specs {
		dir := filepath.Base(filepath.Dir(spec))
		name := dir + "_" + strings.TrimSuffix(filepath.Base(spec), ".mpl")
		t.Run(name, func(t *testing.T) {
			s, err := lang.LoadFiles(spec)
			if err != nil {
				t.Fatal(err)
			}
			var got strings.Builder
			for i, p := range s.Packets {
				if i > 0 {
					got.WriteString("\n")
				}
				got.WriteString(Diagram(p))
				checkLayout(t, p)
			}
			path := filepath.Join("..", "testdata", "golden", "diagrams", name+".txt")
			if *update {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got.String()), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (go test ./codegen -update creates it)", err)
			}
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("%s differs (-want +got):\n%s", path, diff)
			}
		})
	}
}

// blocks returns b and every case body and array element nested in it.
func blocks(b *lang.Block) []*lang.Block {
	out := []*lang.Block{b}
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *lang.Classify:
			for _, k := range s.Cases {
				out = append(out, blocks(k.Body)...)
			}
		case *lang.Array:
			out = append(out, blocks(s.Body)...)
		}
	}
	return out
}

// checkLayout checks the drawings of every block of p against the static
// offsets the checker computed: every grid line is DiagramWidth wide, and
// each row has edges ('|' or '~') exactly at the bit boundaries of the
// items it holds, as far as their offsets are static.
func checkLayout(t *testing.T, p *lang.Packet) {
	t.Helper()
	for _, b := range blocks(p.Body) {
		grid, _ := blockGrid(b)
		for i, l := range grid {
			if len(l) != DiagramWidth {
				t.Errorf("%s: line %d is %d wide, want %d: %q", p.Name, i, len(l), DiagramWidth, l)
			}
		}
		if err := checkEdges(b, grid); err != nil {
			t.Errorf("packet %s, block at %d:\n%s\n%v", p.Name, b.Offset, strings.Join(grid, "\n"), err)
		}
	}
}

// checkEdges compares the edges in the rows of grid with those the static
// offsets of b's statements give.
func checkEdges(b *lang.Block, grid []string) error {
	base := 0 // bit position, in the packet or element, of column 0 of row 0
	if b.Parent != nil {
		if _, ok := b.Owner.(*lang.Array); !ok {
			if b.Offset < 0 {
				return nil
			}
			base = b.Offset * 8 / 32 * 32
		}
	}
	want := map[int]map[int]bool{} // row -> columns of edges
	mark := func(start, bits int) {
		rel := start - base
		for bits > 0 {
			row, col := rel/32, rel%32
			n := min(bits, 32-col)
			if want[row] == nil {
				want[row] = map[int]bool{}
			}
			want[row][col] = true
			want[row][col+n] = true
			rel += n
			bits -= n
		}
	}
	next := 0
	if b.Offset >= 0 {
		next = b.Offset * 8
	}
	if _, ok := b.Owner.(*lang.Array); ok {
		next = 0
	}
	lastRow := -1
	for _, s := range b.Stmts {
		start, bits := -1, staticBits(s)
		switch s := s.(type) {
		case *lang.Field:
			if s.Offset >= 0 {
				start = s.Offset * 8
				if bt, ok := s.Type.(lang.BitsType); ok {
					start += s.Run.Bits - s.Shift - bt.N
				}
			}
		case *lang.Classify:
			if len(s.Cases) > 0 && s.Cases[0].Body.Offset >= 0 {
				start = s.Cases[0].Body.Offset * 8
			}
		case *lang.Array:
			start = next
		}
		if bits == 0 {
			continue
		}
		if start < 0 || next < 0 {
			break
		}
		if bits < 0 {
			// A variable item fills the rest of its row; nothing after it
			// has a static offset in the drawing.
			mark(start, 32-(start-base)%32)
			lastRow = (start - base) / 32
			break
		}
		mark(start, bits)
		next = start + bits
		lastRow = (next - 1 - base) / 32
	}
	for row := 0; row <= lastRow; row++ {
		line := 2 + 2*row + 1
		if line >= len(grid) {
			return fmt.Errorf("row %d missing", row)
		}
		for k := 0; k <= 32; k++ {
			c := grid[line][2*k]
			got := c == '|' || c == '~'
			if got != want[row][k] {
				return fmt.Errorf("row %d, bit boundary %d: edge %v, want %v", row, k, got, want[row][k])
			}
		}
	}
	return nil
}

// checkSpec checks src and returns its last packet.
func checkSpec(t *testing.T, src string) *lang.Packet {
	t.Helper()
	spec, diags := lang.Check(lang.Source{Name: "t.mpl", Data: []byte(src)})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	return spec.Packets[len(spec.Packets)-1]
}

// TestDiagramLayouts draws layouts that are easy to get wrong and checks
// them exactly.
func TestDiagramLayouts(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "bit runs across bytes and rows, 1-bit fields",
			src: `packet p {
  pad: uint16;
  a: bit[1]; b: bit[1]; long_flag_name: bit[1]; c: bit[9]; d: bit[20];
  e: bit[4]; f: bit[4];
}`,
			want: `packet p:
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|              pad              |a|b|L|        c        |       |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|               d               |   e   |   f   |                
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                
  L = long_flag_name
`,
		},
		{
			name: "64-bit field at an odd offset, 6-byte field",
			src: `packet p {
  x: byte;
  big: uint64;
  mac: byte[6];
  y: byte;
}`,
			want: `packet p:
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|       x       |                                               |
+-+-+-+-+-+-+-+-+                                               +
|                              big                              |
+               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|               |                      mac                      |
+-+-+-+-+-+-+-+-+                               +-+-+-+-+-+-+-+-+
|                                               |       y       |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
`,
		},
		{
			name: "128-bit field, name in the middle line",
			src: `packet p {
  addr: byte[16];
}`,
			want: `packet p:
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|                                                               |
+                                                               +
|                                                               |
+                              addr                             +
|                                                               |
+                                                               +
|                                                               |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
`,
		},
		{
			name: "variable fields in the middle, case body mid-row",
			src: `packet p {
  kind: byte;
  len: byte;
  name: byte[len];
  tail: uint16;
  classify (kind) {
    |1:"One" -> v: uint16; w: byte[2];
    |_:"Rest" -> ();
  };
}`,
			want: `packet p:
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|      kind     |      len      |              name             ~
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|              tail             |        classify (kind)        ~
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  name: len bytes
  tail and what follows it start where name ends; columns count from there
  classify (kind): one of the cases below

case "One" (kind = 1):
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
                                +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
                                |               v               |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|               w               |                                
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                                
  the start of this block is not at a fixed position; columns count from it

case "Rest" (kind = any other value):
  no fields
  the start of this block is not at a fixed position; columns count from it
`,
		},
		{
			name: "custom, packet and array fields, a classify of static size",
			src: `packet inner(int n) {
  a: uint16;
  b: byte[n];
}
packet outer {
  kind: byte;
  name: string8;
  flags: bit[3]; rest_of_flags_here: bit[5];
  sub: string32;
  tag: byte;
  classify (tag) {
    |1:"A" -> x: uint32;
    |_:"B" -> y: uint16; z: uint16;
  };
  n: byte;
  items: array(n) {
    t: byte;
    classify (t) { |1:"One" -> v: byte[3]; |2:"Two" -> w: uint64; };
  };
  after: uint16;
}`,
			want: `packet outer:
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|      kind     |                      name                     ~
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|flags|   ROFH  |                      sub                      ~
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|      tag      |                 classify (tag)                |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|               |       n       |             items             ~
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|             after             |                                
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                                
  ROFH = rest_of_flags_here
  name: string8, a string preceded by its length in one byte
  flags and what follows it start where name ends; columns count from there
  sub: string32, a string preceded by its length in four bytes, as SSH writes it (RFC 4251 section 5)
  tag and what follows it start where sub ends; columns count from there
  classify (tag): one of the cases below, 4 bytes
  items: n elements, each drawn below
  after and what follows it start where items ends; columns count from there

case "A" (tag = 1):
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
                +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
                |                       x                       |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|               |                                                
+-+-+-+-+-+-+-+-+                                                
  the start of this block is not at a fixed position; columns count from it

case "B" (tag = any other value):
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
                +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
                |               y               |       z       |
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|               |                                                
+-+-+-+-+-+-+-+-+                                                
  the start of this block is not at a fixed position; columns count from it

element of items:
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|       t       |                  classify (t)                 ~
+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  classify (t): one of the cases below

element of items / case "One" (t = 1):
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
                +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
                |                       v                       |
                +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
  starts at byte 1 of the element

element of items / case "Two" (t = 2):
 0                   1                   2                   3   
 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 
                +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
                |                                               |
+-+-+-+-+-+-+-+-+                                               +
|                               w                               |
+               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
|               |                                                
+-+-+-+-+-+-+-+-+                                                
  starts at byte 1 of the element
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := checkSpec(t, tt.src)
			got := Diagram(p)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("diagram differs (-want +got):\n%s\ngot:\n%s", diff, got)
			}
			checkLayout(t, p)
		})
	}
}

// TestCheckEdgesFails makes sure the layout check catches a misplaced edge.
func TestCheckEdgesFails(t *testing.T) {
	p := checkSpec(t, "packet p { a: byte; b: uint16; c: byte; }")
	grid, _ := blockGrid(p.Body)
	if err := checkEdges(p.Body, grid); err != nil {
		t.Fatalf("correct grid rejected: %v", err)
	}
	row := []byte(grid[3])
	row[16], row[18] = ' ', '|'
	grid[3] = string(row)
	if err := checkEdges(p.Body, grid); err == nil {
		t.Errorf("misplaced edge not detected:\n%s", strings.Join(grid, "\n"))
	}
}

// TestDiagramBlock draws a case body alone.
func TestDiagramBlock(t *testing.T) {
	s, err := lang.LoadFiles("../specs/icmp.mpl")
	if err != nil {
		t.Fatal(err)
	}
	cl := s.Packets[0].Body.Stmts[3].(*lang.Classify)
	got := DiagramBlock(cl.Cases[0].Body)
	if !strings.Contains(got, "|           identifier          |            sequence           |\n") ||
		strings.Contains(got, "checksum") || !strings.Contains(got, "starts at byte 4") {
		t.Errorf("DiagramBlock(EchoReply):\n%s", got)
	}
}
