package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.mpl")
	if err := os.WriteFile(bad, []byte("packet p {\n  a: uint12;\n  b: bit[3];\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		args   []string
		code   int
		stderr string
	}{
		{nil, 2, "usage:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"check"}, 2, "no spec files"},
		{[]string{"check", "-nosuchflag", "x.mpl"}, 2, "flag provided but not defined"},
		{[]string{"check", "../../testdata/paper/ipv4.mpl", "../../testdata/paper/icmp.mpl"}, 0, ""},
		{[]string{"check", bad}, 1, bad + ":2:6: unknown type uint12\n" + bad + ":3:3: bit field b leaves a run of 3 bits; a run of bit fields must end on a byte boundary\n"},
		{[]string{"check", filepath.Join(dir, "missing.mpl")}, 1, "no such file"},
		{[]string{"generate", "-o", filepath.Join(dir, "out.go"), bad}, 1, "unknown type uint12"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		code := run(tt.args, &stdout, &stderr)
		if code != tt.code {
			t.Errorf("mplc %v: exit %d, want %d (stderr %q)", tt.args, code, tt.code, stderr.String())
		}
		if !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("mplc %v: stderr %q, want it to contain %q", tt.args, stderr.String(), tt.stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "out.go")); !os.IsNotExist(err) {
		t.Errorf("generate wrote a file for a bad spec")
	}
}

func TestDoc(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.mpl")
	if err := os.WriteFile(bad, []byte("packet p {\n  a: uint12;\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{"doc", "../../specs/udp.mpl"}, &stdout, &stderr); code != 0 {
		t.Fatalf("mplc doc: exit %d, stderr %q", code, stderr.String())
	}
	for _, want := range []string{
		"packet udp(addr src, addr dst):\n",
		"|            src_port           |            dst_port           |\n",
		"~                            payload                            ~\n",
		"  payload: length - offset(checksum) bytes\n",
	} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("mplc doc output lacks %q:\n%s", want, stdout.String())
		}
	}
	for _, tt := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"doc"}, 2, "no spec files"},
		{[]string{"doc", "-x"}, 2, "flag provided but not defined"},
		{[]string{"doc", bad, "../../specs/udp.mpl"}, 1, bad + ":2:6: unknown type uint12\n"},
	} {
		stdout.Reset()
		stderr.Reset()
		code := run(tt.args, &stdout, &stderr)
		if code != tt.code || !strings.Contains(stderr.String(), tt.stderr) {
			t.Errorf("mplc %v: exit %d, stderr %q; want %d, %q", tt.args, code, stderr.String(), tt.code, tt.stderr)
		}
	}
}

// TestPackageNames checks that generate never hands the generator a package
// name that is not a Go identifier: a bad -pkg, or a file name that gives
// none, is a usage error.
func TestPackageNames(t *testing.T) {
	spec, err := os.ReadFile("../../testdata/paper/ipv4.mpl")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	write := func(name string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, spec, 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	ipv4 := write("ipv4.mpl")
	for _, tt := range []struct {
		name    string
		args    []string
		code    int
		pkg     string // the package clause, for code 0
		stderr  string
		outFile bool
	}{
		{name: "hyphen", args: []string{write("my-proto.mpl")}, pkg: "package myproto\n"},
		{name: "upper case and dots", args: []string{write("My.Proto.v2.mpl")}, pkg: "package myprotov2\n"},
		{name: "underscore kept", args: []string{write("ip_v4.mpl")}, pkg: "package ip_v4\n"},
		{name: "keyword file", args: []string{write("type.mpl")}, code: 2, stderr: "cannot derive a package name from " + filepath.Join(dir, "type.mpl") + "; use -pkg\n"},
		{name: "digit file", args: []string{write("1x.mpl")}, code: 2, stderr: "cannot derive a package name from " + filepath.Join(dir, "1x.mpl") + "; use -pkg\n"},
		{name: "no letters", args: []string{write("---.mpl")}, code: 2, stderr: "cannot derive a package name from"},
		{name: "only underscore", args: []string{write("_.mpl")}, code: 2, stderr: "cannot derive a package name from"},
		{name: "keyword file, -pkg", args: []string{"-pkg", "proto", filepath.Join(dir, "type.mpl")}, pkg: "package proto\n"},
		{name: "pkg with space", args: []string{"-pkg", "a b", ipv4}, code: 2, stderr: `-pkg "a b": not a Go identifier`},
		{name: "pkg blank", args: []string{"-pkg", "_", ipv4}, code: 2, stderr: `-pkg "_": the blank identifier is not a package name`},
		{name: "pkg keyword", args: []string{"-pkg", "func", ipv4}, code: 2, stderr: `-pkg "func": a Go keyword is not a package name`},
		{name: "pkg digit", args: []string{"-pkg", "1x", ipv4}, code: 2, stderr: `-pkg "1x": not a Go identifier`},
		{name: "pkg hyphen", args: []string{"-pkg", "my-proto", ipv4}, code: 2, stderr: `-pkg "my-proto": not a Go identifier`},
		{name: "pkg to file", args: []string{"-pkg", "a.b", "-o", filepath.Join(dir, "out.go"), ipv4}, code: 2, stderr: `not a Go identifier`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(append([]string{"generate"}, tt.args...), &stdout, &stderr)
			if code != tt.code {
				t.Errorf("exit %d, want %d (stderr %q)", code, tt.code, stderr.String())
			}
			if tt.code == 0 {
				if !strings.Contains(stdout.String(), "\n"+tt.pkg) {
					t.Errorf("output lacks %q:\n%.300s", tt.pkg, stdout.String())
				}
				return
			}
			if stdout.Len() != 0 {
				t.Errorf("wrote %d bytes of output for a usage error", stdout.Len())
			}
			if !strings.Contains(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q, want it to contain %q", stderr.String(), tt.stderr)
			}
		})
	}
	assertOnlySpecs(t, dir)
}

// assertOnlySpecs fails if dir holds anything but .mpl files: no output
// from a failed generate, and no temporary files.
func assertOnlySpecs(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if filepath.Ext(e.Name()) != ".mpl" {
			t.Errorf("%s left in %s", e.Name(), dir)
		}
	}
}

func TestOutputFile(t *testing.T) {
	dir := t.TempDir()
	spec, err := os.ReadFile("../../testdata/paper/ipv4.mpl")
	if err != nil {
		t.Fatal(err)
	}
	ipv4 := filepath.Join(dir, "ipv4.mpl")
	if err := os.WriteFile(ipv4, spec, 0o644); err != nil {
		t.Fatal(err)
	}
	sub := filepath.Join(dir, "sub.mpl") // a directory, despite its name
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, out, stderr string
	}{
		{"existing directory", dir, "mplc: " + dir + " is a directory; -o takes the name of the Go file to write\n"},
		{"existing directory, trailing slash", dir + "/", " is a directory; -o takes the name of the Go file to write\n"},
		{"missing parent", filepath.Join(dir, "nope", "x.go"), "mplc: cannot write " + filepath.Join(dir, "nope", "x.go") + ": no such file or directory\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run([]string{"generate", "-o", tt.out, ipv4}, &stdout, &stderr)
			if code != 1 {
				t.Errorf("exit %d, want 1 (stderr %q)", code, stderr.String())
			}
			if stderr.String() != tt.stderr && !strings.HasSuffix(stderr.String(), tt.stderr) {
				t.Errorf("stderr %q, want %q", stderr.String(), tt.stderr)
			}
		})
	}
	assertOnlySpecs(t, dir)
	if entries, _ := os.ReadDir(sub); len(entries) != 0 {
		t.Errorf("%d files left in %s", len(entries), sub)
	}

	// And a good run writes the file, with nothing else beside it.
	out := filepath.Join(dir, "ipv4.go")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"generate", "-o", out, ipv4}, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o644 {
		t.Errorf("output file: %v, %v", fi, err)
	}
	os.Remove(out)
	assertOnlySpecs(t, dir)
}
