package lang

import (
	"fmt"
	"sort"
	"strings"
)

// Pos is a position in a spec file. Line and Col are 1-based; Col counts
// bytes, as the Go compiler does.
type Pos struct {
	File      string
	Line, Col int
}

// IsValid reports whether the position is known.
func (p Pos) IsValid() bool { return p.Line > 0 }

// String formats the position as file:line:col, dropping what is unknown.
func (p Pos) String() string {
	s := p.File
	if p.IsValid() {
		if s != "" {
			s += ":"
		}
		s += fmt.Sprintf("%d:%d", p.Line, p.Col)
	}
	if s == "" {
		s = "-"
	}
	return s
}

// Diagnostic is one error found in a spec.
type Diagnostic struct {
	Pos Pos
	Msg string
}

// Error formats the diagnostic the way the Go compiler prints its errors.
func (d Diagnostic) Error() string { return d.Pos.String() + ": " + d.Msg }

// Diagnostics is a list of errors, sorted by position. A non-empty list is an error.
type Diagnostics []Diagnostic

// Error lists the diagnostics one per line.
func (ds Diagnostics) Error() string {
	var b strings.Builder
	for i, d := range ds {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(d.Error())
	}
	return b.String()
}

// Err returns the list as an error, or nil if it is empty.
func (ds Diagnostics) Err() error {
	if len(ds) == 0 {
		return nil
	}
	return ds
}

func (ds *Diagnostics) add(p Pos, format string, args ...any) {
	*ds = append(*ds, Diagnostic{Pos: p, Msg: fmt.Sprintf(format, args...)})
}

// Sort orders the list by file, line and column, and removes exact duplicates.
func (ds *Diagnostics) Sort() {
	l := *ds
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i].Pos, l[j].Pos
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Col < b.Col
	})
	out := l[:0]
	for i, d := range l {
		if i > 0 && d == l[i-1] {
			continue
		}
		out = append(out, d)
	}
	*ds = out
}
