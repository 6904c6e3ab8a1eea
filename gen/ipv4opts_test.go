package gen_test

import (
	"bytes"
	"fmt"
	"iter"
	"net/netip"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/mplgo/mpl/gen/ipv4"
	"github.com/mplgo/mpl/internal/fuzzcheck"
)

// ipv4Option is one IPv4 option: its type, its length (1 for End and
// NOP) and the bytes after the length.
type ipv4Option struct {
	Type, Length uint8
	Data         []byte
}

// mplIPv4Options reads the options list b with ipv4.ParseOptions, each
// through the accessors of its case, and the padding after an End.
func mplIPv4Options(b []byte) (opts []ipv4Option, padding []byte, err error) {
	l, err := ipv4.ParseOptions(b)
	if err != nil {
		return nil, nil, err
	}
	it := l.Options()
	for _, o := range it.All() {
		t := o.OptionType()
		switch o.Kind() {
		case ipv4.OptionsOptionKindEnd:
			c, _ := o.AsEnd()
			padding = c.Padding()
			opts = append(opts, ipv4Option{Type: t, Length: 1})
		case ipv4.OptionsOptionKindNOP:
			opts = append(opts, ipv4Option{Type: t, Length: 1})
		case ipv4.OptionsOptionKindRecordRoute:
			c, _ := o.AsRecordRoute()
			opts = append(opts, ipv4Option{Type: t, Length: c.OptionLength(), Data: routeData(c.Pointer(), c.Route().All())})
		case ipv4.OptionsOptionKindLooseSourceRoute:
			c, _ := o.AsLooseSourceRoute()
			opts = append(opts, ipv4Option{Type: t, Length: c.OptionLength(), Data: routeData(c.Pointer(), c.Route().All())})
		case ipv4.OptionsOptionKindStrictSourceRoute:
			c, _ := o.AsStrictSourceRoute()
			opts = append(opts, ipv4Option{Type: t, Length: c.OptionLength(), Data: routeData(c.Pointer(), c.Route().All())})
		case ipv4.OptionsOptionKindTimestamp:
			c, _ := o.AsTimestamp()
			opts = append(opts, ipv4Option{Type: t, Length: c.OptionLength(),
				Data: append([]byte{c.Pointer(), c.Overflow()<<4 | c.Flag()}, c.Timestamps()...)})
		case ipv4.OptionsOptionKindRouterAlert:
			c, _ := o.AsRouterAlert()
			opts = append(opts, ipv4Option{Type: t, Length: c.OptionLength(), Data: []byte{byte(c.Value() >> 8), byte(c.Value())}})
		case ipv4.OptionsOptionKindOther:
			c, _ := o.AsOther()
			opts = append(opts, ipv4Option{Type: t, Length: c.OptionLength(), Data: c.OptionData()})
		default:
			return nil, nil, fmt.Errorf("option of no case")
		}
	}
	return opts, padding, nil
}

// routeData is the bytes of a route option after its length.
func routeData[E interface{ Address() netip.Addr }](pointer uint8, route iter.Seq2[int, E]) []byte {
	b := []byte{pointer}
	for _, a := range route {
		x := a.Address().As4()
		b = append(b, x[:]...)
	}
	return b
}

// routeOf returns the addresses of a route.
func routeOf[E interface{ Address() netip.Addr }](route iter.Seq2[int, E]) []netip.Addr {
	var r []netip.Addr
	for _, a := range route {
		r = append(r, a.Address())
	}
	return r
}

// ipv4OptionsBuilder returns the builder of the options list b, every
// option through the builder of its case.
func ipv4OptionsBuilder(t *testing.T, b []byte) ipv4.OptionsBuilder {
	l, err := ipv4.ParseOptions(b)
	if err != nil {
		t.Fatal(err)
	}
	var ob ipv4.OptionsBuilder
	it := l.Options()
	for _, o := range it.All() {
		e := ipv4.OptionsOptionBuilder{Kind: o.Kind()}
		switch o.Kind() {
		case ipv4.OptionsOptionKindEnd:
			c, _ := o.AsEnd()
			e.End.Padding = c.Padding()
		case ipv4.OptionsOptionKindRecordRoute:
			c, _ := o.AsRecordRoute()
			e.RecordRoute = ipv4.OptionsRecordRouteBuilder{Pointer: c.Pointer()}
			for _, a := range routeOf(c.Route().All()) {
				e.RecordRoute.Route = append(e.RecordRoute.Route, ipv4.OptionsRouteElemBuilder{Address: a})
			}
		case ipv4.OptionsOptionKindLooseSourceRoute:
			c, _ := o.AsLooseSourceRoute()
			e.LooseSourceRoute = ipv4.OptionsLooseSourceRouteBuilder{Pointer: c.Pointer()}
			for _, a := range routeOf(c.Route().All()) {
				e.LooseSourceRoute.Route = append(e.LooseSourceRoute.Route, ipv4.OptionsLooseSourceRouteRouteElemBuilder{Address: a})
			}
		case ipv4.OptionsOptionKindStrictSourceRoute:
			c, _ := o.AsStrictSourceRoute()
			e.StrictSourceRoute = ipv4.OptionsStrictSourceRouteBuilder{Pointer: c.Pointer()}
			for _, a := range routeOf(c.Route().All()) {
				e.StrictSourceRoute.Route = append(e.StrictSourceRoute.Route, ipv4.OptionsStrictSourceRouteRouteElemBuilder{Address: a})
			}
		case ipv4.OptionsOptionKindTimestamp:
			c, _ := o.AsTimestamp()
			e.Timestamp = ipv4.OptionsTimestampBuilder{Pointer: c.Pointer(), Overflow: c.Overflow(), Flag: c.Flag(), Timestamps: c.Timestamps()}
		case ipv4.OptionsOptionKindRouterAlert:
			c, _ := o.AsRouterAlert()
			e.RouterAlert.Value = c.Value()
		case ipv4.OptionsOptionKindOther:
			c, _ := o.AsOther()
			e.Other = ipv4.OptionsOtherBuilder{OptionType: o.OptionType(), OptionData: c.OptionData()}
		}
		ob.Options = append(ob.Options, e)
	}
	return ob
}

// TestIPv4OptionsCaptures reads the options of every IPv4 header of the
// captures with ParseOptions and compares them, option by option, with
// gopacket's; then rebuilds each list with the builders of their cases,
// byte for byte.
func TestIPv4OptionsCaptures(t *testing.T) {
	n, compared := 0, 0
	for _, c := range loadCaptures(t) {
		for i, frame := range c.frames {
			s, ok := parseStackSafe(t, c.name, frame)
			if !ok || !s.res[lIPv4].ok() || len(s.ip.Options()) == 0 {
				continue
			}
			where := fmt.Sprintf("%s frame %d", c.name, i+1)
			opts, padding, err := mplIPv4Options(s.ip.Options())
			g := gopacket.NewPacket(s.ip.Bytes(), layers.LayerTypeIPv4, gopacket.NoCopy)
			gip, _ := g.Layer(layers.LayerTypeIPv4).(*layers.IPv4)
			switch {
			case err != nil && gip != nil:
				t.Logf("%s: gopacket accepts the options, ParseOptions says %v", where, err)
			case err == nil && gip == nil:
				t.Logf("%s: ParseOptions accepts the options, gopacket rejects them: %v", where, g.ErrorLayer())
			case err == nil:
				compared++
				var theirs []ipv4Option
				for _, o := range gip.Options {
					theirs = append(theirs, ipv4Option{Type: o.OptionType, Length: o.OptionLength, Data: o.OptionData})
				}
				if fmt.Sprint(theirs) != fmt.Sprint(opts) {
					t.Errorf("%s: options\n%v\ngopacket\n%v", where, opts, theirs)
				}
				if !bytes.Equal(gip.Padding, padding) {
					t.Errorf("%s: padding %x, gopacket %x", where, padding, gip.Padding)
				}
			}
			if err != nil {
				continue
			}
			n++
			out, err := ipv4OptionsBuilder(t, s.ip.Options()).AppendTo(nil)
			if err != nil || !bytes.Equal(out, s.ip.Options()) {
				t.Errorf("%s: rebuilt options %x, %v; want %x", where, out, err, s.ip.Options())
			}
		}
	}
	t.Logf("%d option lists parsed and rebuilt, %d compared with gopacket", n, compared)
	if n == 0 || compared == 0 {
		t.Error("no IPv4 options in the captures, or none gopacket reads")
	}
}

// ipv4OptionsPacket is the options list for internal/fuzzcheck.
var ipv4OptionsPacket = fuzzcheck.Packet{Spec: "../specs/ipv4.mpl", Name: "options", Parse: ipv4.ParseOptions,
	Builders: []any{ipv4.OptionsBuilder{}, ipv4.OptionsOptionBuilder{}, ipv4.OptionsEndBuilder{}, ipv4.OptionsNOPBuilder{},
		ipv4.OptionsRecordRouteBuilder{}, ipv4.OptionsRouteElemBuilder{},
		ipv4.OptionsLooseSourceRouteBuilder{}, ipv4.OptionsLooseSourceRouteRouteElemBuilder{},
		ipv4.OptionsStrictSourceRouteBuilder{}, ipv4.OptionsStrictSourceRouteRouteElemBuilder{},
		ipv4.OptionsTimestampBuilder{}, ipv4.OptionsRouterAlertBuilder{}, ipv4.OptionsOtherBuilder{}}}

// FuzzDifferentialIPv4Options runs internal/fuzzcheck over option lists,
// seeded with the options of the captures' IPv4 headers.
func FuzzDifferentialIPv4Options(f *testing.F) {
	for _, s := range fuzzSeeds(f, lIPv4) {
		if p, err := ipv4.Parse(s); err == nil && len(p.Options()) > 0 {
			f.Add(p.Options())
		}
	}
	for _, s := range fuzzcheck.Seeds(ipv4OptionsPacket) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, b []byte) { fuzzcheck.Check(t, ipv4OptionsPacket, b) })
}

// TestIPv4OptionsAllocs: parsing an options list and reading every option
// allocates nothing; nor does building one.
func TestIPv4OptionsAllocs(t *testing.T) {
	b := []byte{1, 148, 4, 0, 0, 7, 11, 4, 198, 18, 0, 1, 198, 18, 0, 2, 68, 8, 5, 0x01, 0, 0, 0, 1, 0, 0, 0, 0}
	checkNoAllocs(t, "ParseOptions and iterate", func() bool {
		l, err := ipv4.ParseOptions(b)
		if err != nil {
			return false
		}
		it := l.Options()
		for o, ok := it.Next(); ok; o, ok = it.Next() {
			sinkU8 = o.OptionType()
			if c, ok := o.AsRecordRoute(); ok {
				rt := c.Route()
				for a, ok := rt.Next(); ok; a, ok = rt.Next() {
					sinkAddr = a.Address()
				}
			}
		}
		return true
	})
	ob := ipv4OptionsBuilder(t, b)
	buf := make([]byte, 0, 64)
	checkNoAllocs(t, "OptionsBuilder.AppendTo", func() bool {
		var err error
		buf, err = ob.AppendTo(buf[:0])
		return err == nil && bytes.Equal(buf, b)
	})
}
