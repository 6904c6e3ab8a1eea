package codegen

import (
	"go/token"
	"go/types"
	"strings"
	"unicode"
)

// initialisms are words written in capitals in Go names.
var initialisms = map[string]string{
	"id": "ID", "ip": "IP", "ipv4": "IPv4", "ipv6": "IPv6", "tcp": "TCP", "udp": "UDP",
	"icmp": "ICMP", "arp": "ARP", "dns": "DNS", "mac": "MAC", "ttl": "TTL", "ihl": "IHL",
	"dscp": "DSCP", "ecn": "ECN", "mtu": "MTU", "crc": "CRC", "http": "HTTP", "url": "URL",
	"mss": "MSS", "rr": "RR", "lldp": "LLDP", "vlan": "VLAN", "sctp": "SCTP", "gre": "GRE",
	"esp": "ESP", "ah": "AH", "igmp": "IGMP", "llc": "LLC", "ack": "ACK", "syn": "SYN",
	"fin": "FIN", "rst": "RST", "psh": "PSH", "urg": "URG", "ece": "ECE", "cwr": "CWR",
	"edns": "EDNS", "opt": "OPT", "txt": "TXT", "mx": "MX", "ns": "NS", "ptr": "PTR",
	"soa": "SOA", "cname": "CNAME", "aaaa": "AAAA", "qr": "QR", "rd": "RD", "ra": "RA",
	"tc": "TC", "aa": "AA", "ad": "AD", "cd": "CD", "ip4": "IP4", "ip6": "IP6", "sha": "SHA",
	"spa": "SPA", "tha": "THA", "tpa": "TPA", "ieee802": "IEEE802", "rarp": "RARP",
	"ipip": "IPIP", "cpu": "CPU", "os": "OS",
}

// goName turns a spec name (snake_case, or already CamelCase) into an
// exported Go name: src_mac -> SrcMAC, ttl -> TTL, Flash_override ->
// FlashOverride.
func goName(s string) string {
	parts := strings.Split(s, "_")
	var b strings.Builder
	for i, p := range parts {
		if p == "" {
			continue
		}
		if up, ok := initialisms[strings.ToLower(p)]; ok && strings.ToLower(p) == p {
			b.WriteString(up)
			continue
		}
		r := []rune(p)
		// Keep an underscore between two digits: E802_2 stays E802_2.
		if i > 0 && b.Len() > 0 && unicode.IsDigit(r[0]) {
			prev := b.String()
			if unicode.IsDigit(rune(prev[len(prev)-1])) {
				b.WriteByte('_')
			}
		}
		r[0] = unicode.ToUpper(r[0])
		b.WriteString(string(r))
	}
	if b.Len() == 0 {
		return "X"
	}
	out := b.String()
	if !unicode.IsLetter([]rune(out)[0]) {
		out = "X" + out
	}
	return out
}

// lowerName is goName with a lower-case first word, for unexported names.
func lowerName(s string) string {
	n := goName(s)
	r := []rune(n)
	i := 0
	for i < len(r) && unicode.IsUpper(r[i]) {
		i++
	}
	switch {
	case i == 0:
	case i == 1 || i == len(r):
		for j := 0; j < i; j++ {
			r[j] = unicode.ToLower(r[j])
		}
	default:
		// "IPv4Header" -> "ipv4Header": lower the run except the letter
		// that starts the next word.
		for j := 0; j < i-1; j++ {
			r[j] = unicode.ToLower(r[j])
		}
	}
	return string(r)
}

// singular makes an array's element type name from the array's name.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return s[:len(s)-3] + "y"
	case strings.HasSuffix(s, "ses"), strings.HasSuffix(s, "xes"):
		return s[:len(s)-2]
	case strings.HasSuffix(s, "s") && !strings.HasSuffix(s, "ss"):
		return s[:len(s)-1]
	}
	return s + "Elem"
}

// Generated names live apart from the names a spec chooses. Every name the
// generator makes from a spec name (a type, a method, a builder field, a
// parameter) is taken through a namespace: when it is already taken, by a
// name the generator needs for itself or by an earlier declaration, it gets
// a trailing underscore until it is free (the convention of
// protoc-gen-go). Locals and unexported fields of generated code are
// either fixed names that no spec name becomes, or built from these
// unique names.

// namespace hands out unique Go names within one scope.
type namespace map[string]bool

// take returns name, or name with as many trailing underscores as make it
// unused, and marks the result used.
func (ns namespace) take(name string) string {
	for ns[name] {
		name += "_"
	}
	ns[name] = true
	return name
}

// paramArgNames returns the Go identifiers of a packet's parameters in the
// signatures of Parse and Decode: lowerCamelCase, renamed with a trailing
// underscore when they would be a Go keyword, a predeclared identifier,
// a package the generated file imports, or a name those functions (and
// the checksums' Verify and Compute methods) use.
func paramArgNames(names []string) []string {
	ns := namespace{}
	for _, n := range []string{"b", "p", "err", "mplrt", "binary", "netip", "net", "strconv", "math", "bits", "s", "e", "r", "c", "w", "in", "ck"} {
		ns[n] = true
	}
	var out []string
	for _, name := range names {
		n := lowerName(name)
		if token.IsKeyword(n) || types.Universe.Lookup(n) != nil {
			n += "_"
		}
		out = append(out, ns.take(n))
	}
	return out
}
