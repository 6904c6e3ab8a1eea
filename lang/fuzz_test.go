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
	for _, s := range []string{
		"packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("-", 500) + "a];\n}\n",
		"packet p {\n  a: byte;\n  b: byte[" + strings.Repeat("-(+", 60) + "a" + strings.Repeat(")", 60) + "];\n}\n",
		"packet p {\n  a: byte;\n  classify (a) {\n  |1: \"A\" when (" + strings.Repeat("not !", 60) + "true) -> ();\n  };\n}\n",
		"packet p {\n  a: byte;\n  b: byte[a" + strings.Repeat("-a", 5100) + "];\n}\n",
		"packet p {\n  a: byte;\n  classify (a) {\n  |1: \"A\" when (!(a != 1)) -> ();\n  |_: \"B\" -> ();\n  };\n}\n",
		strings.Repeat("// doc\n", 100) + "packet p {\n  a: byte;\n}\n",
		"// doc\rpacket p {\r  a: byte; // trailing\r  b: uint12;\r}\r",
		"// doc\r\npacket p {\r\n  a: byte;\r\n  /* x\r\n */ b: byte;\r\n}\r\n",
		"\uFEFFpacket p {\n  a: byte;\n}\n",
		"packet p {\n  a: byte; \uFEFF\n}\n",
		"packet p {\n  a: byte; // \x00\n}\n",
		"packet p {\n  t: byte variant {\n    |1 = One\n    |2 -> Two\n  };\n}\n",
		"packet p {\n  t: byte;\n  classify (t) {\n    |8: EchoRequest -> id: uint16;\n  };\n}\n",
		"packet p {\n  t: byte;\n  classify (t) {\n    |8: \"E\" ->\n      id: uint16\n      seq: uint16;\n  };\n}\n",
		"packet p {\n  n: byte;\n  a: byte[len(n)];\n  b: uint128 format(hex) min(1);\n}\n",
	} {
		f.Add([]byte(s))
	}
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
