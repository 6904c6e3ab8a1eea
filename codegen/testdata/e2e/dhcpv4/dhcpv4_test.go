package dhcpv4

// These tests run the code mplc generates from dhcpv4.mpl, DHCP (RFC 2131)
// with the RFC 2132 options in a byte-bounded list: hand-made DISCOVER,
// OFFER, REQUEST and ACK messages built, parsed and rebuilt, read through
// the typed option views and compared with gopacket's DHCPv4 layer; errors
// at their offsets; no allocations; fuzzing.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"

	"github.com/mplgo/mpl/internal/fuzzcheck"
	mplrt "github.com/mplgo/mpl/runtime"
)

// option is an option as it is on the wire: a code and, but for Pad and
// End, its data (after the length byte). End's data is the padding after
// it.
type option struct {
	code byte
	data []byte
}

// message is a DHCP message with plain values, to encode by hand and to
// compare with what Parse reads.
type message struct {
	op                       Op
	xid                      uint32
	secs                     uint16
	broadcast                bool
	ciaddr, yiaddr, siaddr   netip.Addr
	giaddr                   netip.Addr
	mac                      net.HardwareAddr
	sname, file              string
	options                  []option
	wantType                 MessageTypeType
	wantServer, wantReqIP    netip.Addr
	wantLease                uint32
	wantRouters, wantServers []netip.Addr
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

func a4(a netip.Addr) []byte {
	if !a.IsValid() {
		return make([]byte, 4)
	}
	s := a.As4()
	return s[:]
}

func addrs(as ...netip.Addr) []byte {
	var out []byte
	for _, a := range as {
		out = append(out, a4(a)...)
	}
	return out
}

func u32(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }

// padTo returns s as a NUL-padded field of n bytes.
func padTo(s string, n int) []byte {
	out := make([]byte, n)
	copy(out, s)
	return out
}

// encode is the reference encoding of m, from RFC 2131 2 and RFC 2132.
func encode(m message) []byte {
	out := []byte{byte(m.op), 1, byte(len(m.mac)), 0}
	out = binary.BigEndian.AppendUint32(out, m.xid)
	out = binary.BigEndian.AppendUint16(out, m.secs)
	if m.broadcast {
		out = append(out, 0x80, 0)
	} else {
		out = append(out, 0, 0)
	}
	out = append(out, addrs(m.ciaddr, m.yiaddr, m.siaddr, m.giaddr)...)
	out = append(out, padTo(string(m.mac), 16)...)
	out = append(out, padTo(m.sname, 64)...)
	out = append(out, padTo(m.file, 128)...)
	out = append(out, 0x63, 0x82, 0x53, 0x63)
	for _, o := range m.options {
		out = append(out, o.code)
		switch o.code {
		case 0:
		case 255:
			out = append(out, o.data...)
		default:
			out = append(append(out, byte(len(o.data))), o.data...)
		}
	}
	return out
}

// builder is the Builder of m: each option's body given raw.
func builder(m message) Builder {
	b := Builder{Op: m.op, Htype: 1, Hlen: uint8(len(m.mac)), Xid: m.xid, Secs: m.secs, Broadcast: m.broadcast,
		Ciaddr: m.ciaddr, Yiaddr: m.yiaddr, Siaddr: m.siaddr, Giaddr: m.giaddr,
		Chaddr: padTo(string(m.mac), 16), Sname: padTo(m.sname, 64), File: padTo(m.file, 128)}
	for _, o := range m.options {
		ob := OptionBuilder{Code: o.code}
		switch o.code {
		case 0:
		case 255:
			ob.Body = o.data
		default:
			ob.Body = append([]byte{byte(len(o.data))}, o.data...)
		}
		b.Options = append(b.Options, ob)
	}
	return b
}

// body returns the bytes of an option after its code, read back through
// the view of its case.
func body(o *Option) []byte {
	switch o.Kind() {
	case OptionKindPad:
		return nil
	case OptionKindEnd:
		v, _ := o.AsEnd()
		return v.Padding()
	case OptionKindSubnetMask:
		v, _ := o.AsSubnetMask()
		return append([]byte{v.Len()}, a4(v.Mask())...)
	case OptionKindRouters:
		v, _ := o.AsRouters()
		out := []byte{v.Len()}
		for _, r := range v.Routers().All() {
			out = append(out, a4(r.Address())...)
		}
		return out
	case OptionKindDNSServers:
		v, _ := o.AsDNSServers()
		out := []byte{v.Len()}
		for _, s := range v.Servers().All() {
			out = append(out, a4(s.Address())...)
		}
		return out
	case OptionKindRequestedIP:
		v, _ := o.AsRequestedIP()
		return append([]byte{v.Len()}, a4(v.Address())...)
	case OptionKindLeaseTime:
		v, _ := o.AsLeaseTime()
		return append([]byte{v.Len()}, u32(v.Seconds())...)
	case OptionKindMessageType:
		v, _ := o.AsMessageType()
		return []byte{v.Len(), byte(v.Type())}
	case OptionKindServerID:
		v, _ := o.AsServerID()
		return append([]byte{v.Len()}, a4(v.Address())...)
	case OptionKindParameterRequestList:
		v, _ := o.AsParameterRequestList()
		return append([]byte{v.Len()}, v.Codes()...)
	case OptionKindOther:
		v, _ := o.AsOther()
		return append([]byte{v.Len()}, v.Data()...)
	}
	panic(fmt.Sprintf("option of kind %v", o.Kind()))
}

// builderOf is the builder that rebuilds p, each option's body read back
// through the typed views.
func builderOf(p *Packet) Builder {
	b := Builder{Op: p.Op(), Htype: p.Htype(), Hlen: p.Hlen(), Hops: p.Hops(), Xid: p.Xid(), Secs: p.Secs(),
		Broadcast: p.Broadcast(), FlagsReserved: p.FlagsReserved(),
		Ciaddr: p.Ciaddr(), Yiaddr: p.Yiaddr(), Siaddr: p.Siaddr(), Giaddr: p.Giaddr(),
		Chaddr: p.Chaddr(), Sname: p.Sname(), File: p.File()}
	for _, o := range p.Options().All() {
		b.Options = append(b.Options, OptionBuilder{Code: o.Code(), Body: body(&o)})
	}
	return b
}

var (
	client = net.HardwareAddr{0x00, 0x0b, 0x82, 0x01, 0xfc, 0x42}
	server = addr("192.168.0.1")
	offer  = addr("192.168.0.10")
	dns1   = addr("192.168.0.1")
	dns2   = addr("9.9.9.9")
	router = addr("192.168.0.254")
)

// exchange is a DORA exchange (RFC 2131 3.1), written out by hand.
func exchange() map[string]message {
	prl := option{55, []byte{1, 3, 6, 15, 51, 54}}
	return map[string]message{
		"DISCOVER": {op: OpBootRequest, xid: 0x3903f326, broadcast: true, mac: client,
			options: []option{{53, []byte{1}}, prl, {50, a4(offer)}, {255, nil}, {0, nil}, {0, nil}, {0, nil}},
			// The padding after End is its own: the list has one End and no Pads.
			wantType: MessageTypeTypeDHCPDISCOVER, wantReqIP: offer},
		"OFFER": {op: OpBootReply, xid: 0x3903f326, yiaddr: offer, siaddr: server, mac: client, sname: "dhcp.example", file: "pxelinux.0",
			options: []option{{53, []byte{2}}, {54, a4(server)}, {51, u32(3600)}, {1, a4(addr("255.255.255.0"))},
				{3, addrs(router, server)}, {6, addrs(dns1, dns2)}, {15, []byte("example.org")}, {255, nil}},
			wantType: MessageTypeTypeDHCPOFFER, wantServer: server, wantLease: 3600,
			wantRouters: []netip.Addr{router, server}, wantServers: []netip.Addr{dns1, dns2}},
		"REQUEST": {op: OpBootRequest, xid: 0x3903f326, secs: 3, mac: client,
			options:  []option{{53, []byte{3}}, {0, nil}, {50, a4(offer)}, {54, a4(server)}, {12, []byte("client")}, prl, {255, nil}},
			wantType: MessageTypeTypeDHCPREQUEST, wantReqIP: offer, wantServer: server},
		"ACK": {op: OpBootReply, xid: 0x3903f326, yiaddr: offer, giaddr: addr("10.0.0.1"), mac: client,
			options: []option{{53, []byte{5}}, {54, a4(server)}, {51, u32(0xffffffff)}, {1, a4(addr("255.255.255.0"))},
				{3, addrs(router)}, {6, addrs(dns2)}, {255, make([]byte, 26)}}, // padded to 300 bytes, the BOOTP minimum
			wantType: MessageTypeTypeDHCPACK, wantServer: server, wantLease: 0xffffffff,
			wantRouters: []netip.Addr{router}, wantServers: []netip.Addr{dns2}},
	}
}

// checkFields compares what p reads with m.
func checkFields(t *testing.T, name string, p *Packet, m message) {
	t.Helper()
	if p.Op() != m.op || p.Htype() != 1 || p.Hlen() != uint8(len(m.mac)) || p.Xid() != m.xid || p.Secs() != m.secs ||
		p.Broadcast() != m.broadcast || p.FlagsReserved() != 0 || p.MagicCookie() != 0x63825363 {
		t.Errorf("%s: header %s", name, p.String())
	}
	for _, c := range []struct{ got, want netip.Addr }{{p.Ciaddr(), m.ciaddr}, {p.Yiaddr(), m.yiaddr}, {p.Siaddr(), m.siaddr}, {p.Giaddr(), m.giaddr}} {
		want := c.want
		if !want.IsValid() {
			want = netip.IPv4Unspecified() // left out of the message: zero
		}
		if c.got != want {
			t.Errorf("%s: address %v, want %v", name, c.got, want)
		}
	}
	if !bytes.Equal(p.Chaddr()[:p.Hlen()], m.mac) || string(bytes.TrimRight(p.Sname(), "\x00")) != m.sname ||
		string(bytes.TrimRight(p.File(), "\x00")) != m.file {
		t.Errorf("%s: chaddr %x sname %q file %q", name, p.Chaddr(), p.Sname(), p.File())
	}
	var typ MessageTypeType
	var srv, req netip.Addr
	var lease uint32
	var routers, servers []netip.Addr
	i := 0
	for _, o := range p.Options().All() {
		if i >= len(m.options) || o.Code() != m.options[i].code {
			t.Fatalf("%s: option %d is %s", name, i, o.String())
		}
		want := m.options[i]
		switch o.Kind() {
		case OptionKindMessageType:
			v, _ := o.AsMessageType()
			typ = v.Type()
		case OptionKindServerID:
			v, _ := o.AsServerID()
			srv = v.Address()
		case OptionKindRequestedIP:
			v, _ := o.AsRequestedIP()
			req = v.Address()
		case OptionKindLeaseTime:
			v, _ := o.AsLeaseTime()
			lease = v.Seconds()
		case OptionKindRouters:
			v, _ := o.AsRouters()
			for _, r := range v.Routers().All() {
				routers = append(routers, r.Address())
			}
		case OptionKindDNSServers:
			v, _ := o.AsDNSServers()
			for _, s := range v.Servers().All() {
				servers = append(servers, s.Address())
			}
		case OptionKindEnd:
			// End takes the rest of the list: the options after it in m
			// are its padding.
			var pad []byte
			for _, w := range m.options[i:] {
				pad = append(append(pad, w.code), w.data...)
			}
			if v, _ := o.AsEnd(); !bytes.Equal(v.Padding(), pad[1:]) {
				t.Errorf("%s: End padding %x, want %x", name, v.Padding(), pad[1:])
			}
			i = len(m.options) - 1
		case OptionKindPad:
		default:
			if b := body(&o); !bytes.Equal(b[1:], want.data) {
				t.Errorf("%s: option %d data %x, want %x", name, want.code, b[1:], want.data)
			}
		}
		i++
	}
	if i != len(m.options) {
		t.Errorf("%s: %d options, want %d", name, i, len(m.options))
	}
	if typ != m.wantType || srv != m.wantServer || req != m.wantReqIP || lease != m.wantLease ||
		fmt.Sprint(routers) != fmt.Sprint(m.wantRouters) || fmt.Sprint(servers) != fmt.Sprint(m.wantServers) {
		t.Errorf("%s: type %v server %v requested %v lease %d routers %v dns %v", name, typ, srv, req, lease, routers, servers)
	}
}

// TestExchange: each message of a DORA exchange built -> the reference
// bytes -> parsed -> the same fields and options -> rebuilt from the view
// -> the same bytes; gopacket reads the same.
func TestExchange(t *testing.T) {
	for _, name := range []string{"DISCOVER", "OFFER", "REQUEST", "ACK"} {
		m := exchange()[name]
		want := encode(m)
		out, err := builder(m).AppendTo([]byte("pre"))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(out[:3]) != "pre" || !bytes.Equal(out[3:], want) {
			t.Fatalf("%s: built\n %x\nwant\n %x", name, out[3:], want)
		}
		p, err := Parse(want)
		if err != nil {
			t.Fatalf("%s: Parse: %v", name, err)
		}
		if !bytes.Equal(p.Bytes(), want) || len(p.Rest()) != 0 {
			t.Fatalf("%s: Bytes %d bytes, Rest %x", name, len(p.Bytes()), p.Rest())
		}
		checkFields(t, name, &p, m)
		again, err := builderOf(&p).AppendTo(nil)
		if err != nil || !bytes.Equal(again, want) {
			t.Errorf("%s: rebuilt %x, %v; want %x", name, again, err, want)
		}
		checkGopacket(t, name, &p)
	}
	if n := len(encode(exchange()["ACK"])); n != 300 {
		t.Errorf("the ACK is %d bytes, want 300", n)
	}
}

// gopacketOptions returns the options of p as gopacket decodes them: up
// to End, Pad included, each with its data.
func gopacketOptions(p *Packet) []layers.DHCPOption {
	var out []layers.DHCPOption
	for _, o := range p.Options().All() {
		if o.Kind() == OptionKindEnd {
			break
		}
		g := layers.DHCPOption{Type: layers.DHCPOpt(o.Code())}
		if o.Kind() != OptionKindPad {
			b := body(&o)
			g.Length, g.Data = b[0], b[1:]
		}
		out = append(out, g)
	}
	return out
}

// checkGopacket compares p field by field, options by code and data, with
// what gopacket's DHCPv4 layer decodes from its bytes.
func checkGopacket(t *testing.T, where string, p *Packet) {
	t.Helper()
	var d layers.DHCPv4
	if err := d.DecodeFromBytes(p.Bytes(), gopacket.NilDecodeFeedback); err != nil {
		t.Fatalf("%s: gopacket: %v; we parse %s", where, err, p.String())
	}
	compareGopacket(t, where, p, &d)
}

// compareGopacket compares p with d, gopacket's decoding of its bytes.
func compareGopacket(t *testing.T, where string, p *Packet, d *layers.DHCPv4) {
	t.Helper()
	flags := p.FlagsReserved()
	if p.Broadcast() {
		flags |= 0x8000
	}
	ip := func(a netip.Addr, g net.IP) bool { h, ok := netip.AddrFromSlice(g); return ok && h.Unmap() == a }
	if uint8(d.Operation) != uint8(p.Op()) || uint8(d.HardwareType) != p.Htype() || d.HardwareLen != p.Hlen() ||
		d.RelayHops != p.Hops() || d.Xid != p.Xid() || d.Secs != p.Secs() || d.Flags != flags ||
		!ip(p.Ciaddr(), d.ClientIP) || !ip(p.Yiaddr(), d.YourClientIP) || !ip(p.Siaddr(), d.NextServerIP) || !ip(p.Giaddr(), d.RelayAgentIP) ||
		!bytes.Equal(d.ClientHWAddr, p.Chaddr()[:p.Hlen()]) || !bytes.Equal(d.ServerName, p.Sname()) || !bytes.Equal(d.File, p.File()) {
		t.Fatalf("%s: %s\ngopacket %+v", where, p.String(), d)
	}
	ours := gopacketOptions(p)
	theirs := d.Options
	// With an Option Overload option (52), gopacket goes on reading
	// options in file and sname; those follow the options field's.
	overload := false
	for _, o := range ours {
		overload = overload || o.Type == layers.DHCPOptExtOptions
	}
	if overload && len(theirs) > len(ours) {
		theirs = theirs[:len(ours)]
	}
	if len(theirs) != len(ours) {
		t.Fatalf("%s: %d options, gopacket %d: %v", where, len(ours), len(theirs), theirs)
	}
	for i, o := range ours {
		g := theirs[i]
		if g.Type != o.Type || g.Length != o.Length || !bytes.Equal(g.Data, o.Data) {
			t.Fatalf("%s: option %d: %v, gopacket %v", where, i, o, g)
		}
	}
}

func TestText(t *testing.T) {
	m := message{op: OpBootRequest, xid: 1, mac: client, options: []option{{53, []byte{1}}, {0, nil}, {3, addrs(router)}, {255, []byte{0}}}}
	p, err := Parse(encode(m))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, o := range p.Options().All() {
		got = append(got, o.String())
	}
	// An element prints under the packet's name (its cases under
	// dhcpv4.Pad, ...).
	want := []string{"dhcpv4 code=53 case=MessageType len=1 type=DHCPDISCOVER", "dhcpv4 code=0 case=Pad",
		"dhcpv4 code=3 case=Routers len=4 routers[0].address=192.168.0.254", "dhcpv4 code=255 case=End padding=00"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("options print as\n %q\nwant\n %q", got, want)
	}
}

// TestErrors: malformed messages fail at the field and offset that is
// wrong, options inside the list included.
func TestErrors(t *testing.T) {
	good := encode(exchange()["OFFER"])
	set := func(i int, v ...byte) []byte { c := bytes.Clone(good); copy(c[i:], v); return c }
	// The OFFER's options: 53 at 240, 54 at 243, 51 at 249, 1 at 255,
	// 3 at 261, 6 at 271, 15 at 281, End at 294.
	for _, tc := range []struct {
		name  string
		in    []byte
		field string
		kind  mplrt.Kind
		off   int
	}{
		{"no options field", good[:239], "magic_cookie", mplrt.KindTruncated, 236},
		{"a BOOTP vendor area", set(236, 0, 0, 0, 0), "magic_cookie", mplrt.KindConst, 236},
		{"hlen 17", set(2, 17), "hlen", mplrt.KindMax, 2},
		{"message type of 2 bytes", set(241, 2), "len", mplrt.KindConst, 241},
		{"subnet mask of 3 bytes", set(256, 3), "len", mplrt.KindConst, 256},
		{"no router", set(262, 0), "len", mplrt.KindMin, 262},
		{"router list of 6 bytes", set(262, 6), "address", mplrt.KindTruncated, 267},
		{"option past the list", good[:290], "data", mplrt.KindLength, 283},
		{"length byte missing", good[:282], "len", mplrt.KindTruncated, 282},
	} {
		_, err := Parse(tc.in)
		var e mplrt.Error
		if !errors.As(err, &e) || e.Field != tc.field || e.Kind != tc.kind || e.Offset != tc.off {
			t.Errorf("%s: %v; want %s %v at %d", tc.name, err, tc.field, tc.kind, tc.off)
		}
	}
	// A message that ends right after the cookie has no options.
	p, err := Parse(good[:240])
	if it := p.Options(); err != nil || it.Len() != 0 {
		t.Errorf("no options: %v", err)
	}
	// Builders check what Parse checks.
	var e mplrt.Error
	if out, err := (Builder{Hlen: 17}).AppendTo([]byte{7}); !errors.As(err, &e) || e.Field != "hlen" || len(out) != 1 {
		t.Errorf("Builder{Hlen: 17}: %x, %v", out, err)
	}
	if _, err := (Builder{Chaddr: client}).AppendTo(nil); !errors.As(err, &e) || e.Field != "chaddr" || e.Offset != 28 {
		t.Errorf("a 6-byte chaddr built: %v", err)
	}
}

// TestOptionCaseBuilders: an option is built by the builder of its case,
// which writes the code and computes len (RoutersBuilder around
// RouterBuilders, MessageTypeBuilder), chosen by OptionBuilder.Kind; with
// the zero Kind, from its code and its body as raw bytes, unchecked.
func TestOptionCaseBuilders(t *testing.T) {
	opts := []OptionBuilder{
		{Kind: OptionKindMessageType, MessageType: MessageTypeBuilder{Type: MessageTypeTypeDHCPDISCOVER}},
		{Kind: OptionKindRouters, Routers: RoutersBuilder{Routers: []RouterBuilder{{Address: router}, {Address: server}}}},
		{Kind: OptionKindOther, Other: OtherBuilder{Code: 12, Data: []byte("host")}},
		{Kind: OptionKindEnd},
	}
	msg, err := Builder{Op: OpBootRequest, Htype: 1, Hlen: 6, Options: opts}.AppendTo(nil)
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Concat([]byte{53, 1, 1, 3, 8}, addrs(router, server), []byte{12, 4}, []byte("host"), []byte{255})
	if got := msg[240:]; !bytes.Equal(got, want) {
		t.Fatalf("options %x, want %x", got, want)
	}
	p, err := Parse(msg)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []OptionKind
	for _, o := range p.Options().All() {
		kinds = append(kinds, o.Kind())
	}
	if !slices.Equal(kinds, []OptionKind{OptionKindMessageType, OptionKindRouters, OptionKindOther, OptionKindEnd}) {
		t.Errorf("kinds %v", kinds)
	}
	// A case's builder checks what Parse checks: Routers needs at least
	// one address (min(4)).
	if _, err := (Builder{Options: []OptionBuilder{{Kind: OptionKindRouters}}}).AppendTo(nil); err == nil {
		t.Error("a Routers option without routers built")
	}
	// The zero Kind builds the code and the body as given: a body that
	// does not parse as the code's case builds all the same.
	ob := OptionBuilder{Code: 1, Body: []byte{4}}
	if out, err := ob.AppendTo(nil); err != nil || !bytes.Equal(out, []byte{1, 4}) {
		t.Errorf("raw option %x, %v", out, err)
	}
}

func TestAllocs(t *testing.T) {
	buf := make([]byte, 0, 1024)
	for name, m := range exchange() {
		in := encode(m)
		var p Packet
		var sink int
		p, _ = Parse(in)
		b := builderOf(&p) // made before: filling a builder from a view allocates its slices
		for what, fn := range map[string]func(){
			"Parse": func() { p, _ = Parse(in) },
			"Decode": func() {
				if p.Decode(in) != nil {
					t.Fatal("Decode failed")
				}
			},
			"options": func() {
				for i, o := range p.Options().All() {
					sink += i + int(o.Code())
					if v, ok := o.AsMessageType(); ok {
						sink += int(v.Type())
					}
					if v, ok := o.AsLeaseTime(); ok {
						sink += int(v.Seconds())
					}
					if v, ok := o.AsServerID(); ok && v.Address().Is4() {
						sink++
					}
					if v, ok := o.AsRouters(); ok {
						for _, r := range v.Routers().All() {
							if r.Address().Is4() {
								sink++
							}
						}
					}
					if v, ok := o.AsDNSServers(); ok {
						it := v.Servers()
						for {
							s, ok := it.Next()
							if !ok {
								break
							}
							if s.Address().Is4() {
								sink++
							}
						}
					}
					if v, ok := o.AsParameterRequestList(); ok {
						sink += len(v.Codes())
					}
				}
			},
			"Walk":       func() { p.Walk(func(mplrt.Field) bool { sink++; return true }) },
			"AppendText": func() { buf = p.AppendText(buf[:0]) },
			"AppendTo": func() {
				var err error
				if buf, err = b.AppendTo(buf[:0]); err != nil {
					t.Fatal(err)
				}
			},
		} {
			if n := testing.AllocsPerRun(50, fn); n != 0 {
				t.Errorf("%s: %s allocates %v times", name, what, n)
			}
		}
	}
}

// seeds are the exchange's messages, cut short too.
func seeds() [][]byte {
	var out [][]byte
	for _, name := range []string{"DISCOVER", "OFFER", "REQUEST", "ACK"} {
		b := encode(exchange()[name])
		out = append(out, b, b[:len(b)-5])
	}
	return out
}

// FuzzParse: Parse never panics and fails only with an mplrt.Error within
// the input; what parses walks, prints, rebuilds from the typed option
// views to the same bytes, and gopacket decodes to the same fields.
func FuzzParse(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			var e mplrt.Error
			if !errors.As(err, &e) || e.Packet != "dhcpv4" || e.Offset < 0 || e.Offset > len(data) {
				t.Fatalf("bad error %v", err)
			}
			return
		}
		p.Walk(func(mplrt.Field) bool { return true })
		_ = p.String()
		if len(p.Rest()) != 0 {
			t.Fatalf("the options leave %x", p.Rest())
		}
		out, err := builderOf(&p).AppendTo(nil)
		if err != nil || !bytes.Equal(out, data) {
			t.Fatalf("rebuilt %x, %v; want %x", out, err, data)
		}
		checkGopacket(t, "fuzz", &p)
	})
}

// diffPackets are the packets of the package for internal/fuzzcheck.
var diffPackets = []fuzzcheck.Packet{
	{Spec: "dhcpv4.mpl", Name: "dhcpv4", Parse: Parse,
		Builders: []any{Builder{}, OptionBuilder{}, RouterBuilder{}, ServerBuilder{}}},
}

// FuzzDifferentialDHCPv4 parses the input, works the view through every
// accessor, option case, iterator, Walk and String, rebuilds it with the
// builders and compares (see internal/fuzzcheck).
func FuzzDifferentialDHCPv4(f *testing.F) {
	for _, s := range seeds() {
		f.Add(s)
	}
	for _, p := range diffPackets {
		for _, s := range fuzzcheck.Seeds(p) {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, p := range diffPackets {
			fuzzcheck.Check(t, p, b)
		}
	})
}

// TestSetters: setters write in place; the one of hlen, which Parse
// checks, refuses a value Parse would reject and keeps the old one.
func TestSetters(t *testing.T) {
	in := encode(exchange()["OFFER"])
	p, err := Parse(in)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.SetHlen(17); err == nil || p.Hlen() != 6 || in[2] != 6 {
		t.Errorf("SetHlen(17): %v; hlen %d", err, p.Hlen())
	}
	p.SetBroadcast(true)
	p.SetXid(0xdeadbeef)
	if !p.SetYiaddr(addr("10.1.2.3")) || p.SetYiaddr(addr("::1")) {
		t.Error("SetYiaddr")
	}
	for _, o := range p.Options().All() {
		if v, ok := o.AsLeaseTime(); ok {
			v.SetSeconds(60)
		}
	}
	q, err := Parse(in)
	if err != nil || !q.Broadcast() || q.Xid() != 0xdeadbeef || q.Yiaddr() != addr("10.1.2.3") || in[10] != 0x80 {
		t.Fatalf("after the setters: %s, %v", q.String(), err)
	}
	for _, o := range q.Options().All() {
		if v, ok := o.AsLeaseTime(); ok && v.Seconds() != 60 {
			t.Errorf("lease time %d after SetSeconds(60)", v.Seconds())
		}
	}
}

// TestNestedWalkNames: Walk and String name the address of a router by
// the path to it, so that the addresses of two Routers options (or of the
// Routers and the DNSServers options) can be told apart.
func TestNestedWalkNames(t *testing.T) {
	p, err := Parse(encode(exchange()["OFFER"]))
	if err != nil {
		t.Fatal(err)
	}
	if s := p.String(); !strings.Contains(s, "options[4].routers[0].address=192.168.0.254") {
		t.Errorf("String() = %s", s)
	}
}

// TestDifferentialHeader runs internal/fuzzcheck on messages it can
// check: those without options (see FuzzDifferentialDHCPv4).
func TestDifferentialHeader(t *testing.T) {
	for _, name := range []string{"DISCOVER", "OFFER"} {
		b := encode(exchange()[name])
		for _, n := range []int{240, 239, 236, 100, 0} {
			fuzzcheck.Check(t, diffPackets[0], b[:n])
		}
	}
}
