package gen

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// outOfLine are the generated functions and methods that are meant not to
// inline: validation (a case's check inlines where it is small, but need
// not; scan, a check that steps over DNS names in place, neither), text,
// builders, setters that validate again, enum names. Everything else (every getter, Kind, the methods that derive
// segments, and AsX where the case is made without parsing) must inline,
// so that reading a view costs what the loads cost. An iterator's Next
// inlines too (stepping costs the element's check), unless its elements
// keep the input from the packet's start and parse with errors (see
// stepsWithParse).
var outOfLine = regexp.MustCompile(`(^|\.)(parse|parseIn|parseAt|appendCtx|check|scan|scanIn|Parse[A-Za-z0-9_]*|Decode|Walk|walk|String|AppendText|AppendTo|AppendHeader|Finish|name|Set[A-Za-z0-9_]*|Verify[A-Za-z0-9_]*|Compute[A-Za-z0-9_]*)$`)

// TestGettersInline builds the generated packages with the compiler's
// inlining report and fails if a getter does not inline.
func TestGettersInline(t *testing.T) {
	out := compilerReport(t, "-gcflags=-m=2")
	// "ipv4/ipv4.go:368:6: cannot inline Packet.Options: function too complex: ..."
	re := regexp.MustCompile(`^(\S+\.go):(\d+):\d+: (can|cannot) inline (\S+?):?( |$)`)
	can, cannot := 0, 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		m := re.FindStringSubmatch(sc.Text())
		if m == nil || strings.HasSuffix(m[1], "_test.go") || strings.Contains(m[4], "func") {
			continue
		}
		if m[3] == "can" {
			can++
			continue
		}
		name := strings.TrimPrefix(m[4], "(*")
		name = strings.Replace(name, ")", "", 1)
		if outOfLine.MatchString(name) || (strings.Contains(name, ".As") && reparses(t, m[1], name)) ||
			(strings.HasSuffix(name, ".Next") && stepsWithParse(t, m[1], name)) {
			continue
		}
		cannot++
		t.Errorf("%s:%s: %s does not inline: %s", m[1], m[2], name, sc.Text())
	}
	if can == 0 {
		t.Fatalf("no inlining report in the output:\n%s", out)
	}
	t.Logf("%d functions inline, %d getters do not", can, cannot)
}

// reparses reports whether the generated AsX method name in file parses
// its case again (a case that stores more than its bytes: with parse,
// check or scan), which costs a call.
func reparses(t *testing.T, file, name string) bool {
	src := readGenerated(t, file)
	recv, method, _ := strings.Cut(name, ".")
	i := bytes.Index(src, []byte(") "+method+"() ("))
	for i >= 0 && !bytes.Contains(src[max(0, i-len(recv)-8):i], []byte(recv)) {
		j := bytes.Index(src[i+1:], []byte(") "+method+"() ("))
		if j < 0 {
			i = -1
			break
		}
		i += 1 + j
	}
	if i < 0 {
		t.Fatalf("%s: no method %s", file, name)
	}
	body := src[i:]
	if end := bytes.Index(body, []byte("\n}\n")); end >= 0 {
		body = body[:end]
	}
	return bytes.Contains(body, []byte(".parse(")) || bytes.Contains(body, []byte(".check(")) || bytes.Contains(body, []byte(".scan("))
}

// stepsWithParse reports whether the iterator whose Next is name in file
// keeps the input from the packet's start (an element with a custom wire
// type), so that Next parses (or scans) each element: a call that need
// not inline.
func stepsWithParse(t *testing.T, file, name string) bool {
	src := readGenerated(t, file)
	recv, _, _ := strings.Cut(name, ".")
	_, def, ok := bytes.Cut(src, []byte("type "+recv+" struct {\n"))
	if !ok {
		t.Fatalf("%s: no type %s", file, recv)
	}
	def, _, _ = bytes.Cut(def, []byte("\n}"))
	return bytes.Contains(def, []byte("\tb "))
}

// readGenerated reads a file the compiler's report names (relative to the
// module's root, or to gen/ where the test runs).
func readGenerated(t *testing.T, file string) []byte {
	src, err := os.ReadFile(file)
	if os.IsNotExist(err) {
		src, err = os.ReadFile(strings.TrimPrefix(file, "gen/"))
	}
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestNoBoundsChecks builds the generated packages with the compiler's
// assembly listing and fails if a bounds check (a call to
// runtime.panicIndex, panicSlice... outside wrappers) is left in any
// function, as `make bce` reports them.
func TestNoBoundsChecks(t *testing.T) {
	out := compilerReport(t, "-gcflags=github.com/mplgo/mpl/gen/...=-S")
	fnRe := regexp.MustCompile(`^(\S+) STEXT `)
	fn, wrapper, funcs := "", false, 0
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if m := fnRe.FindStringSubmatch(line); m != nil {
			fn, wrapper = m[1], false
			funcs++
			continue
		}
		if strings.Contains(line, "\tTEXT\t") && strings.Contains(line, "WRAPPER") {
			wrapper = true
		}
		if !wrapper && strings.Contains(line, "\tCALL\truntime.panic") &&
			(strings.Contains(line, "runtime.panicBounds") || strings.Contains(line, "runtime.panicIndex") || strings.Contains(line, "runtime.panicSlice")) {
			t.Errorf("%s: a bounds check: %s", fn, strings.TrimSpace(line))
		}
	}
	if funcs == 0 {
		t.Fatalf("no assembly listing in the output:\n%.2000s", out)
	}
}

// compilerReport builds the generated packages with the compiler flag
// flag and returns what the compiler printed (skipped with -short).
func compilerReport(t *testing.T, flag string) []byte {
	if testing.Short() {
		t.Skip("builds gen/... with " + flag)
	}
	cmd := exec.Command("go", "build", flag, "./...")
	cmd.Env = append(os.Environ(), "GOFLAGS=")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go build %s: %v\n%.2000s", flag, err, out)
	}
	return out
}
