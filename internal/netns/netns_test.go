package netns

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestWaitStop(t *testing.T) {
	Need(t, "sleep", "sh")
	n := New(t)

	var out bytes.Buffer
	cmd := n.Start(&out, "sh", "-c", "echo hello; ip -o link show lo")
	if err := n.Wait(cmd, 10*time.Second); err != nil {
		t.Fatalf("Wait: %v\n%s", err, out.String())
	}
	if s := out.String(); !strings.HasPrefix(s, "hello\n1: lo:") {
		t.Errorf("output: %q", s)
	}
	if err := n.Stop(cmd); err != nil {
		t.Errorf("Stop after it ended: %v", err)
	}

	sleep := n.Start(nil, "sleep", "30")
	if err := n.Wait(sleep, 10*time.Millisecond); err == nil || !strings.Contains(err.Error(), "did not end") {
		t.Errorf("Wait on sleep 30: %v", err)
	}
	start := time.Now()
	if err := n.Stop(sleep); err == nil || !strings.Contains(err.Error(), "terminated") {
		t.Errorf("Stop of sleep 30: %v, want signal: terminated", err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("Stop took %v", d)
	}
}
