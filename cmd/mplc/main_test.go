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
		"packet udp:\n",
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
