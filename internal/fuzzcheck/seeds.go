package fuzzcheck

import (
	"bufio"
	"bytes"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"

	mplrt "github.com/mplgo/mpl/runtime"
)

// Seeds returns packets the builders of p make from a few made-up values
// (small numbers, short byte strings, two array elements), for each of p's
// parameter sets: those that build.
func Seeds(p Packet) [][]byte {
	sets := p.Params
	if len(sets) == 0 {
		sets = [][]any{nil}
	}
	var out [][]byte
	seen := map[string]bool{}
	for _, b := range p.Builders {
		for _, params := range sets {
			for k := range 4 {
				bv := sample(reflect.TypeOf(b), params, k)
				app, ok := bv.Interface().(mplrt.Appender)
				if !ok {
					continue
				}
				built, err := func() (b []byte, err error) {
					defer func() {
						if recover() != nil {
							b, err = nil, os.ErrInvalid
						}
					}()
					return app.AppendTo(nil)
				}()
				if err == nil && !seen[string(built)] {
					seen[string(built)] = true
					out = append(out, built)
				}
			}
		}
	}
	return out
}

var seedCache sync.Map // Spec+"\x00"+Name -> [][]byte

// cachedSeeds returns Seeds(p), made once.
func cachedSeeds(p Packet) [][]byte {
	key := p.Spec + "\x00" + p.Name
	if s, ok := seedCache.Load(key); ok {
		return s.([][]byte)
	}
	s := Seeds(p)
	seedCache.Store(key, s)
	return s
}

// sample makes a builder of type t with values that depend on k.
func sample(t reflect.Type, params []any, k int) reflect.Value {
	v := reflect.New(t).Elem()
	for i := 0; i < t.NumField(); i++ {
		f := v.Field(i)
		if !t.Field(i).IsExported() {
			continue
		}
		if i < len(params) {
			if p := reflect.ValueOf(params[i]); p.CanConvert(f.Type()) {
				f.Set(p.Convert(f.Type()))
			}
			continue
		}
		switch ft := f.Type(); {
		case ft == hardwareAddrType:
			f.Set(reflect.ValueOf(net.HardwareAddr{2, 0, 0, 0, 0, byte(k)}))
		case ft == addrType:
			f.Set(reflect.ValueOf(netip.AddrFrom4([4]byte{192, 0, 2, byte(k)})))
		case isBytes(ft):
			b := make([]byte, 2*k)
			for j := range b {
				b[j] = byte(j + 1)
			}
			f.SetBytes(b)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			s := reflect.MakeSlice(ft, 0, 2)
			for j := range k % 3 {
				s = reflect.Append(s, sample(ft.Elem(), params, k+j))
			}
			f.Set(s)
		case ft.Kind() == reflect.Bool:
			f.SetBool(k%2 == 1)
		case f.CanUint():
			f.SetUint(uint64(k))
		case f.CanInt():
			f.SetInt(int64(k))
		}
	}
	return v
}

// CorpusSeeds returns the []byte values of the go fuzz corpus files in
// dir (such as testdata/fuzz/FuzzX), the first of each file.
func CorpusSeeds(tb testing.TB, dir string) [][]byte {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		tb.Fatal(err)
	}
	var out [][]byte
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<24)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if s, ok := strings.CutPrefix(line, "[]byte("); ok {
				if v, err := strconv.Unquote(strings.TrimSuffix(s, ")")); err == nil {
					out = append(out, []byte(v))
					break
				}
			}
		}
	}
	return out
}
