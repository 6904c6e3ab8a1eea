package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzCheck feeds arbitrary bytes to the front end: it must never panic,
// and every error it reports must carry a position.
func FuzzCheck(f *testing.F) {
	for _, pattern := range []string{"../testdata/*/*.mpl", "../specs/*.mpl"} {
		files, _ := filepath.Glob(pattern)
		for _, path := range files {
			b, err := os.ReadFile(path)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte(strings.Repeat("(", 5000)))
	f.Fuzz(func(t *testing.T, data []byte) {
		spec, diags := Check(Source{Name: "fuzz.mpl", Data: data})
		if spec == nil && len(diags) == 0 {
			t.Fatal("no spec and no diagnostics")
		}
		for _, d := range diags {
			if !d.Pos.IsValid() || d.Pos.File != "fuzz.mpl" || d.Msg == "" {
				t.Fatalf("bad diagnostic %q", d.Error())
			}
		}
	})
}
