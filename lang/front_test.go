package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// checkOne checks src as a single file named t.mpl.
func checkOne(src string) (*Spec, Diagnostics) {
	return Check(Source{Name: "t.mpl", Data: []byte(src)})
}

// wantError checks that src is rejected with exactly one diagnostic, want,
// formatted as file:line:col: message.
func wantError(t *testing.T, src, want string) {
	t.Helper()
	spec, diags := checkOne(src)
	if spec != nil || len(diags) != 1 || diags[0].Error() != want {
		t.Errorf("got %q, want %q", short(diags), want)
	}
}

// TestDeepPrefixOperators: runs of prefix operators nest like brackets and
// are rejected, with a position, before the parser descends into them.
func TestDeepPrefixOperators(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"minus", "packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("-", 500000) + "a];\n}\n",
			"t.mpl:3:109: operators and brackets nested more than 100 deep"},
		{"minus50k", "packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("-", 50000) + "a];\n}\n",
			"t.mpl:3:109: operators and brackets nested more than 100 deep"},
		{"plus", "packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("+", 500000) + "a];\n}\n",
			"t.mpl:3:109: operators and brackets nested more than 100 deep"},
		{"not", "packet p {\n  a: byte;\n  classify (a) {\n  |1: \"A\" when (" + strings.Repeat("not ", 1000000) + "true) -> ();\n  };\n}\n",
			"t.mpl:4:405: operators and brackets nested more than 100 deep"},
		{"mixed", "packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("-(", 50000) + "a" + strings.Repeat(")", 50000) + "];\n}\n",
			"t.mpl:3:109: operators and brackets nested more than 100 deep"},
		{"calls", "packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("-sizeof(", 60) + "a" + strings.Repeat(")", 60) + "];\n}\n",
			"t.mpl:3:403: operators and brackets nested more than 100 deep"},
		{"calls2", "packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("- - - -sizeof(", 40) + "a" + strings.Repeat(")", 40) + "];\n}\n",
			"t.mpl:3:283: operators and brackets nested more than 100 deep"},
		{"mixed2", "packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("(-", 50000) + "a" + strings.Repeat(")", 50000) + "];\n}\n",
			"t.mpl:3:109: brackets nested more than 100 deep"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantError(t, tc.src, tc.want) })
	}
}

// TestPrefixOperatorsWithinLimit: prefix operators that end with their
// operand do not add up, and binary operators do not nest.
func TestPrefixOperatorsWithinLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("packet p {\n  a: byte;\n")
	for i := 0; i < 100; i++ {
		b.WriteString("  b" + strings.Repeat("x", i) + ": byte[" + strings.Repeat("-", 48) + "a" + strings.Repeat(" - -(-a)", 40) + " + 100];\n")
	}
	b.WriteString("}\n")
	if _, diags := checkOne(b.String()); len(diags) > 0 {
		t.Fatal(short(diags))
	}
	nested := "packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("-(", 49) + "a" + strings.Repeat(")", 49) + " + 100];\n}\n"
	if _, diags := checkOne(nested); len(diags) > 0 {
		t.Fatal(short(diags))
	}
}

// TestLongExpression: an expression may hold maxExprOps operators; one
// more is an error at that operator, however long the expression goes on.
func TestLongExpression(t *testing.T) {
	chain := func(n int) string {
		return "packet p {\n  a: byte;\n  b: byte[a" + strings.Repeat("-a", n) + " + 255*256];\n}\n"
	}
	if _, diags := checkOne(chain(maxExprOps - 2)); len(diags) > 0 {
		t.Fatal(short(diags))
	}
	col := len("  b: byte[a") + 2*maxExprOps + 1 // the 5001st "-"
	wantError(t, chain(maxExprOps), "t.mpl:3:"+itoa(col+1)+": expression too long (more than 5000 operators)")
	wantError(t, chain(1000000), "t.mpl:3:"+itoa(col)+": expression too long (more than 5000 operators)")
	// Commas count too: arguments are walked like operands.
	args := "packet p {\n  a: byte;\n  b: packet q(" + strings.Repeat("a, ", 1000000) + "a);\n}\n"
	wantError(t, args, "t.mpl:3:"+itoa(len("  b: packet q(")+3*maxExprOps+2)+": expression too long (more than 5000 operators)")
	// Each expression counts on its own.
	var b strings.Builder
	b.WriteString("packet p {\n  a: byte;\n")
	for i := 0; i < 5; i++ {
		b.WriteString("  b" + strings.Repeat("x", i) + ": byte[a" + strings.Repeat("-a", 3000) + " + 255*256];\n")
		b.WriteString("  c" + strings.Repeat("x", i) + ": uint16 min(0" + strings.Repeat("+0", 3000) + ") max(0" + strings.Repeat("+1", 3000) + ");\n")
	}
	b.WriteString("}\n")
	if _, diags := checkOne(b.String()); len(diags) > 0 {
		t.Fatal(short(diags))
	}
}

func itoa(n int) string {
	var b []byte
	for {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
		if n == 0 {
			return string(b)
		}
	}
}

// short abbreviates diagnostics that may quote long expressions.
func short(d Diagnostics) string {
	s := d.Error()
	if len(s) > 500 {
		s = s[:500] + "..."
	}
	return s
}

// TestBang: "!" is another spelling of "not"; "!=" is still one operator.
func TestBang(t *testing.T) {
	tree := func(src string) string {
		t.Helper()
		pf, diags := parseFile("t.mpl", []byte(src))
		if len(diags) > 0 {
			t.Fatal(diags)
		}
		return printTree(pf.tree)
	}
	spec := func(guard string) string {
		return "packet p {\n  a: byte;\n  classify (a) {\n  |1: \"A\" when (" + guard + ") -> ();\n  |_: \"B\" -> ();\n  };\n}\n"
	}
	for _, tc := range [][2]string{
		{"!(a == 1)", "not (a == 1)"},
		{"!!(a != 1)", "not not (a != 1)"},
		{"a != 1 and !true", "a != 1 and not true"},
		{"!(a!=1)or!false", "not (a != 1) or not false"},
	} {
		if got, want := tree(spec(tc[0])), tree(spec(tc[1])); got != want {
			t.Errorf("%s parses as\n%s\nwant\n%s", tc[0], got, want)
		}
		if _, diags := checkOne(spec(tc[0])); len(diags) > 0 {
			t.Errorf("%s: %v", tc[0], diags)
		}
	}
	wantError(t, "packet p {\n  a: byte;\n  b: byte["+strings.Repeat("!", 200)+"a];\n}\n",
		"t.mpl:3:109: operators and brackets nested more than 100 deep")
	wantError(t, "packet p {\n  a: byte;\n  b: byte[!a];\n}\n",
		"t.mpl:3:11: operator not needs bool, found int")
}

// TestLineEnds: CR, LF and CRLF each end one line, for positions,
// comments and docs alike.
func TestLineEnds(t *testing.T) {
	const lf = "// P is a packet.\n// Second line.\npacket p {\n  a: byte; // trailing\n  b: uint12;\n}\n"
	for name, nl := range map[string]string{"lf": "\n", "cr": "\r", "crlf": "\r\n"} {
		t.Run(name, func(t *testing.T) {
			src := strings.ReplaceAll(lf, "\n", nl)
			wantError(t, src, "t.mpl:5:6: unknown type uint12")
			spec, diags := checkOne(strings.Replace(src, "uint12", "uint16", 1))
			if len(diags) > 0 {
				t.Fatal(diags)
			}
			p := spec.Packets[0]
			if p.Doc != "P is a packet.\nSecond line." {
				t.Errorf("packet doc %q", p.Doc)
			}
			if p.Pos.Line != 3 || p.Pos.Col != 8 {
				t.Errorf("packet at %v, want 3:8", p.Pos)
			}
		})
	}
	// Mixed line ends, and a block comment across them.
	wantError(t, "packet p {\r\n  a: byte;\r  /* one\r\n two\n three\r */ b: byte;\n\r  c: uint12;\n}",
		"t.mpl:8:6: unknown type uint12")
	// A // comment ends at a lone CR.
	wantError(t, "packet p { // comment\r  a: uint12;\r}\r", "t.mpl:2:6: unknown type uint12")
	// A string ends at a lone CR.
	wantError(t, "packet p {\r  a: byte;\r  classify (a) {\r  |1: \"A\r\" -> ();\r  };\r}\r",
		"t.mpl:4:7: string literal not terminated")
}

// TestBOMAndNUL: a byte order mark may start a file (its columns still
// count); anywhere else it is an error, as is a NUL byte anywhere.
func TestBOMAndNUL(t *testing.T) {
	wantError(t, "\uFEFFpacket p {\n  a: uint12;\n}\n", "t.mpl:2:6: unknown type uint12")
	wantError(t, "\uFEFFpacket p { a: uint12; }\n", "t.mpl:1:18: unknown type uint12")
	if _, diags := checkOne("\uFEFF// doc\npacket p {\n  a: byte;\n}\n"); len(diags) > 0 {
		t.Error(diags)
	}
	for _, tc := range [][2]string{
		{"\uFEFF\uFEFFpacket p {\n  a: byte;\n}\n", "t.mpl:1:4: invalid BOM in the middle of the file"},
		{"packet p {\n  a: byte;\uFEFF\n}\n", "t.mpl:2:11: invalid BOM in the middle of the file"},
		{"packet p {\n  a: byte; // \uFEFF\n}\n", "t.mpl:2:15: invalid BOM in the middle of the file"},
		{"packet p {\r\n  a: byte;\r\n  b: byte[\"\uFEFF\"];\r\n}\r\n", "t.mpl:3:12: invalid BOM in the middle of the file"},
		{"packet p {\n  a: byte;\x00\n}\n", "t.mpl:2:11: invalid NUL character"},
		{"\x00", "t.mpl:1:1: invalid NUL character"},
		{"packet p {\r  a: byte; // \x00\r}\r", "t.mpl:2:15: invalid NUL character"},
		{"packet p {\n  a: byte; /* \n\x00 */\n}\n", "t.mpl:3:1: invalid NUL character"},
		{"packet p {\n  a: byte;\n  b: byte[\"\x00\"];\n}\n", "t.mpl:3:12: invalid NUL character"},
		{"packet p {\n  a: byte;\xff\n}\n", "t.mpl:2:11: invalid UTF-8 encoding"},
	} {
		wantError(t, tc[0], tc[1])
	}
}

// TestLoadFilesLimits: LoadFiles reads at most MaxSpecSize bytes of a
// file and says which file is too large or not a file.
func TestLoadFilesLimits(t *testing.T) {
	dir := t.TempDir()
	ok := filepath.Join(dir, "ok.mpl")
	spec := "packet p {\n  a: byte;\n}\n"
	if err := os.WriteFile(ok, []byte(spec+strings.Repeat(" ", MaxSpecSize-len(spec))), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFiles(ok); err != nil {
		t.Errorf("file under the limit: %v", err)
	}
	big := filepath.Join(dir, "big.mpl")
	if err := os.WriteFile(big, []byte(spec+strings.Repeat(" ", MaxSpecSize+1-len(spec))), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadFiles(ok, big); err == nil || err.Error() != big+": spec file larger than 8 MiB" {
		t.Errorf("file over the limit: %v", err)
	}
	if _, err := LoadFiles(dir); err == nil || err.Error() != dir+": is a directory, not a spec file" {
		t.Errorf("directory: %v", err)
	}
	if _, err := LoadFiles(filepath.Join(dir, "missing.mpl")); err == nil || !strings.Contains(err.Error(), "missing.mpl") {
		t.Errorf("missing file: %v", err)
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		done := make(chan error, 1)
		go func() { _, err := LoadFiles("/dev/zero"); done <- err }()
		select {
		case err := <-done:
			if err == nil || err.Error() != "/dev/zero: spec file larger than 8 MiB" {
				t.Errorf("/dev/zero: %v", err)
			}
		case <-time.After(20 * time.Second):
			t.Fatal("LoadFiles(/dev/zero) does not return")
		}
	}
}

// TestSlips: common syntax slips are explained where they are.
func TestSlips(t *testing.T) {
	const variantMsg = "syntax error: variant items are written |value -> Name, or |value => Name for the default"
	for _, tc := range [][2]string{
		{"packet p {\n  t: byte variant { |1 -> A |2 = B };\n}\n", "t.mpl:2:32: " + variantMsg},
		{"packet p {\n  t: byte variant { |1 -> A |2: B };\n}\n", "t.mpl:2:31: " + variantMsg},
		{"packet p {\n  t: byte variant { |1 -> A |2 B |3 -> C };\n}\n", "t.mpl:2:32: " + variantMsg},
		{"packet p {\n  t: byte variant { |1 = A |2 => B };\n  u: byte;\n}\n", "t.mpl:2:24: " + variantMsg},
		{"packet p {\n  t: byte;\n  classify (t) {\n  |1..2: Low -> ();\n  };\n}\n",
			`t.mpl:4:10: syntax error: case label must be a quoted string, e.g. "Low"`},
		{"packet p {\n  t: byte;\n  classify (t) {\n  |_: 7 -> ();\n  };\n}\n",
			`t.mpl:4:7: syntax error: case label must be a quoted string, e.g. "Name"`},
		{"packet p {\n  t: byte;\n  classify (t) {\n  |1: \"A\" -> a: array(2) { x: byte y: byte; };\n  };\n}\n",
			`t.mpl:4:35: syntax error: missing ";" before y`},
		{"packet p {\n  t: byte variant { |1 -> A }\n  u: byte;\n}\n", `t.mpl:2:30: syntax error: missing ";" before u`},
		{"packet p {\n  ()\n  u: byte;\n}\n", `t.mpl:2:5: syntax error: missing ";" before u`},
		{"packet p {\n  t: byte[2] u: byte;\n}\n", `t.mpl:2:13: syntax error: missing ";" before u`},
		{"packet p {\n  t: byte min(1)\n  u: byte;\n}\n", `t.mpl:2:17: syntax error: missing ";" before u`},
	} {
		wantError(t, tc[0], tc[1])
	}
	// Blocks end without ";".
	for _, src := range []string{
		"packet p {\n  t: byte;\n  classify (t) {\n  |1: \"A\" -> ();\n  }\n  u: byte;\n}\n",
		"packet p {\n  t: byte;\n  a: array(t) {\n    x: byte;\n  }\n  u: byte;\n}\n",
		"packet p {\n  t: byte variant { |1 -> A |2 => B };\n  u: byte;\n}\n",
	} {
		if _, diags := checkOne(src); len(diags) > 0 {
			t.Errorf("%s: %v", src, diags)
		}
	}
}
