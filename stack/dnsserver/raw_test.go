package dnsserver

import (
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gopacket/gopacket"
	"github.com/gopacket/gopacket/layers"
	"github.com/gopacket/gopacket/pcapgo"
)

// Hand-made messages, in hex: headers (ID 0x1234), questions, records.
const (
	hxQuery    = "1234" + "0000"                        // ID, flags of a query with RD clear
	hxWWW      = "037777770474657374076578616d706c6500" // www.test.example.
	hxApex     = "0474657374076578616d706c6500"         // test.example.
	hxOther    = "076578616d706c6503636f6d00"           // example.com.
	hxA        = hxWWW + "00010001"                     // www.test.example. A IN
	hxOPT      = "00002904d0000000000000"               // OPT, UDP size 1232, no options
	hxOPTv1    = "00002904d0000100000000"               // OPT of version 1
	hxSOAOfQ   = "c00c000600010000012c0018c00cc00c" + "00000001" + "00000000000000000000000000000000"
	hxSOANewer = "c00c000600010000012c0018c00cc00c" + "80000001" + "00000000000000000000000000000000"
)

// The TSIG record of a query in zeek__dns-edns-ecs.pcap: key key-ns2.,
// hmac-sha256.
const hxTSIG = "076b65792d6e73320000fa00ff00000000003d0b686d61632d736861323536000000573c36c6012c0020" +
	"ec3103af878e28d4127e3ad24bcaad7da2bd847bb4b670282a38efc7f24079381e6c00000000"

// opt is an OPT record (UDP size 1232) holding options, in hex.
func opt(options string) string {
	return fmt.Sprintf("00002904d000000000%04x%s", len(options)/2, options)
}

// hxECS4 is a Client Subnet option for 198.18.0.0/24.
const hxECS4 = "0008000700011800c61200"

// hdr is a header with the given flags (hex) and counts.
func hdr(flags string, qd, an, ns, ar int) string {
	return fmt.Sprintf("1234%s%04x%04x%04x%04x", flags, qd, an, ns, ar)
}

// A rawCase is a message that dig cannot send, or sends otherwise.
type rawCase struct {
	name    string
	hex     string
	differs string
	chaos   bool // in class CH: chaosPause first
}

func (c rawCase) msg() []byte {
	b, err := hex.DecodeString(c.hex)
	if err != nil {
		panic(c.name + ": " + err.Error())
	}
	return b
}

var bindRawCases = func() []rawCase {
	cs := []rawCase{
		// DNS-05: silence.
		{name: "empty", hex: ""},
		{name: "short", hex: hdr("0000", 1, 0, 0, 0)[:22]},
		{name: "response", hex: hdr("8000", 1, 0, 0, 0) + hxA},
		{name: "response/answer", hex: hdr("8400", 1, 1, 0, 0) + hxA + "c00c000100010000012c0004c612000a"},
		// DNS-08: question counts.
		{name: "qdcount 0", hex: hdr("0000", 0, 0, 0, 0)},
		{name: "qdcount 0 with OPT", hex: hdr("0000", 0, 0, 0, 1) + hxOPT},
		{name: "qdcount 2", hex: hdr("0000", 2, 0, 0, 0) + hxA + hxA},
		{name: "qdcount 2 differing, with OPT", hex: hdr("0000", 2, 0, 0, 1) + hxA + "046d61696c0474657374076578616d706c650000010001" + hxOPT},
		{name: "qdcount 2 with RD", hex: hdr("0100", 2, 0, 0, 0) + hxA + hxA},
		// DNS-04: truncated questions and sections.
		{name: "header only", hex: hdr("0000", 1, 0, 0, 0)},
		{name: "qname unterminated", hex: hdr("0000", 1, 0, 0, 0) + "037777770474657374"},
		{name: "qtype missing", hex: hdr("0000", 1, 0, 0, 0) + hxWWW},
		{name: "qclass cut", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "000100"},
		{name: "ancount 1 without records", hex: hdr("0000", 1, 1, 0, 0) + hxA},
		{name: "ancount 1 without records, RD", hex: hdr("0100", 1, 1, 0, 0) + hxA},
		{name: "ancount 1 without records, OPT", hex: hdr("0000", 1, 1, 0, 1) + hxA + hxOPT},
		{name: "arcount 1 cut record", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d000"},
		// DNS-02: compression pointers.
		{name: "pointer to itself", hex: hdr("0000", 1, 0, 0, 0) + "c00c00010001"},
		{name: "pointer to itself, RD CD", hex: hdr("0110", 1, 0, 0, 0) + "c00c00010001"},
		{name: "pointer to itself, OPT", hex: hdr("0000", 1, 0, 0, 1) + "c00c00010001" + hxOPT},
		{name: "forward pointer", hex: hdr("0000", 1, 0, 0, 0) + "c01200010001" + "037777770000010001"},
		{name: "pointer loop", hex: hdr("0000", 1, 0, 0, 0) + "0161c00e00010001"},
		{name: "pointer into the header", hex: hdr("0000", 1, 0, 0, 0) + "c00500010001"},
		{name: "label type 01", hex: hdr("0000", 1, 0, 0, 0) + "4077777700010001"},
		{name: "name over 255", hex: hdr("0000", 1, 0, 0, 0) + strings.Repeat("3f"+strings.Repeat("61", 63), 5) + "0000010001"},
		{name: "label of 64", hex: hdr("0000", 1, 0, 0, 0) + "40" + strings.Repeat("61", 64) + "0000010001"},
		// DNS-13, DNS-16: OPT.
		{name: "two OPT", hex: hdr("0000", 1, 0, 0, 2) + hxA + hxOPT + hxOPT},
		{name: "option overruns RDLENGTH", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d00000000000040010000a0010"},
		{name: "OPT RDLENGTH 1", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d000000000000100"},
		{name: "OPT owner not root", hex: hdr("0000", 1, 0, 0, 1) + hxA + "c00c002904d0000000000000"},
		{name: "OPT in answer", hex: hdr("0000", 1, 1, 0, 0) + hxA + hxOPT},
		{name: "OPT in authority", hex: hdr("0000", 1, 0, 1, 0) + hxA + hxOPT},
		{name: "COOKIE of 7 bytes", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d0000000000b" + "000a0007" + "01020304050607"},
		{name: "COOKIE of 8 bytes", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d0000000000c" + "000a0008" + "0102030405060708"},
		{name: "unknown option", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d0000000000004fde90000"},
		{name: "OPT Z flags", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d0000040000000"},
		{name: "OPT extended RCODE set", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d0050000000000"},
		{name: "DO", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d0000080000000"},
		{name: "UDP size 100", hex: hdr("0000", 1, 0, 0, 1) + hxA + "0000290064000000000000"},
		{name: "UDP size 0", hex: hdr("0000", 1, 0, 0, 1) + hxA + "0000290000000000000000"},
		// EDNS options BIND checks (RFC 7871, RFC 7314, RFC 7873, RFC 8145), and
		// Client Subnet, which BIND echoes with a scope of 0.
		{name: "ECS", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt(hxECS4)},
		{name: "ECS IPv6", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("0008000b0002380020010db8000000")},
		{name: "ECS family 0", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("0008000400000000")},
		{name: "ECS family 0 source 8", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000800050000080000")},
		{name: "ECS scope 8", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("0008000700011808c61200")},
		{name: "ECS address too long", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("0008000800011800c6120001")},
		{name: "ECS bits past the prefix", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("0008000700011400c612ff")},
		{name: "ECS family 3", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("0008000700031800c61200")},
		{name: "ECS source 33", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("0008000900012100c612000100")},
		{name: "ECS of 2 bytes", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000800020001")},
		{name: "ECS twice", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt(hxECS4+"0008000700011800c61300")},
		{name: "ECS refused", hex: hdr("0000", 1, 0, 0, 1) + hxOther + "00010001" + opt(hxECS4)},
		{name: "ECS NXDOMAIN", hex: hdr("0000", 1, 0, 0, 1) + "046e6f7065" + hxApex + "00010001" + opt(hxECS4)},
		{name: "ECS truncated", hex: hdr("0000", 1, 0, 0, 1) + "03626967" + hxApex + "00100001" + "00002902000000000b" + hxECS4},
		{name: "ECS loop", hex: hdr("0000", 1, 0, 0, 1) + "056c6f6f70310465646765076578616d706c6500" + "00010001" + opt(hxECS4)},
		{name: "ECS opcode 3", hex: hdr("1800", 1, 0, 0, 1) + hxA + opt(hxECS4)},
		{name: "ECS version 1", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d00001000000" + "000b" + hxECS4},
		{name: "ECS and COOKIE", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt(hxECS4+"000a00080102030405060708")},
		{name: "COOKIE of 9 bytes", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000a0009010203040506070809")},
		{name: "COOKIE of 16 bytes", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000a0010"+strings.Repeat("01", 16))},
		{name: "COOKIE of 41 bytes", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000a0029"+strings.Repeat("01", 41))},
		{name: "EXPIRE empty", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("00090000")},
		{name: "EXPIRE of 2 bytes", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000900020001")},
		{name: "KEY-TAG of 2 bytes", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000e00024f66")},
		{name: "KEY-TAG of 3 bytes", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000e0003010203")},
		{name: "KEY-TAG empty", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000e0000")},
		{name: "NSID", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("00030000")},
		{name: "TCP keepalive of 1 byte", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000b000101")},
		{name: "padding", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000c0004"+"00000000")},
		{name: "EDE not UTF-8", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000f00040000c328")},
		{name: "EDE with text", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000f0005000061c3a9")},
		{name: "COOKIE of 7 bytes, ECS of 3", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000a0007"+"01020304050607"+"0008000300010a")},
		{name: "ECS of 3 bytes, COOKIE of 7", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("0008000300010a"+"000a0007"+"01020304050607")},
		{name: "EDE of 1 byte", hex: hdr("0000", 1, 0, 0, 1) + hxA + opt("000f000100")},
		// TSIG (RFC 8945): the server knows no key.
		{name: "TSIG", hex: hdr("0000", 1, 0, 0, 1) + hxA + hxTSIG},
		{name: "TSIG with OPT", hex: hdr("0000", 1, 0, 0, 2) + hxA + hxOPT + hxTSIG},
		{name: "TSIG before OPT", hex: hdr("0000", 1, 0, 0, 2) + hxA + hxTSIG + hxOPT},
		{name: "TSIG in answer", hex: hdr("0000", 1, 1, 0, 0) + hxA + hxTSIG},
		{name: "TSIG opcode 3", hex: hdr("1800", 1, 0, 0, 1) + hxA + hxTSIG},
		{name: "TSIG version 1", hex: hdr("0000", 1, 0, 0, 2) + hxA + hxOPTv1 + hxTSIG},
		{name: "TSIG refused", hex: hdr("0000", 1, 0, 0, 1) + hxOther + "00010001" + hxTSIG},
		{name: "TSIG NOTIFY", hex: hdr("2000", 1, 0, 0, 1) + hxApex + "00060001" + hxTSIG},
		{name: "TSIG qdcount 0", hex: hdr("0000", 0, 0, 0, 1) + hxTSIG},
		{name: "TSIG of 10 bytes", hex: hdr("0000", 1, 0, 0, 1) + hxA + "076b65792d6e73320000fa00ff00000000000a" + "0b686d61632d73686132"},
		{name: "TSIG MAC too long", hex: hdr("0000", 1, 0, 0, 1) + hxA + "076b65792d6e73320000fa00ff000000000020" + "00" + "0000573c36c6012c" + "00ff" + strings.Repeat("00", 21)},
		// DNS-14: BADVERS.
		{name: "version 1", hex: hdr("0000", 1, 0, 0, 1) + hxA + hxOPTv1},
		{name: "version 1 DO", hex: hdr("0000", 1, 0, 0, 1) + hxA + "00002904d0000180000000"},
		{name: "version 1, two OPT", hex: hdr("0000", 1, 0, 0, 2) + hxA + hxOPTv1 + hxOPT},
		{name: "version 1 class CH", hex: hdr("0000", 1, 0, 0, 1) + hxWWW + "00010003" + hxOPTv1, chaos: true},
		{name: "version 1 class ANY", hex: hdr("0000", 1, 0, 0, 1) + hxWWW + "000100ff" + hxOPTv1},
		{name: "version 1 AXFR", hex: hdr("0000", 1, 0, 0, 1) + hxApex + "00fc0001" + hxOPTv1},
		{name: "version 1 refused", hex: hdr("0000", 1, 0, 0, 1) + hxOther + "00010001" + hxOPTv1},
		{name: "version 1 qdcount 0", hex: hdr("0000", 0, 0, 0, 1) + hxOPTv1},
		// DNS-07: opcodes.
		{name: "opcode 3", hex: hdr("1800", 1, 0, 0, 0) + hxA},
		{name: "opcode 3 OPT", hex: hdr("1800", 1, 0, 0, 1) + hxA + hxOPT},
		{name: "opcode 3 version 1", hex: hdr("1800", 1, 0, 0, 1) + hxA + hxOPTv1},
		{name: "opcode 3 two OPT", hex: hdr("1800", 1, 0, 0, 2) + hxA + hxOPT + hxOPT},
		{name: "opcode 3 pointer loop", hex: hdr("1800", 1, 0, 0, 0) + "c00c00010001"},
		{name: "opcode 3 qdcount 0", hex: hdr("1800", 0, 0, 0, 0)},
		{name: "opcode 6", hex: hdr("3000", 1, 0, 0, 0) + hxA},
		{name: "NOTIFY apex", hex: hdr("2000", 1, 0, 0, 0) + hxApex + "00060001"},
		{name: "NOTIFY apex OPT", hex: hdr("2000", 1, 0, 0, 1) + hxApex + "00060001" + hxOPT},
		{name: "NOTIFY apex version 1", hex: hdr("2000", 1, 0, 0, 1) + hxApex + "00060001" + hxOPTv1},
		{name: "NOTIFY www", hex: hdr("2000", 1, 0, 0, 0) + hxWWW + "00060001"},
		{name: "NOTIFY other", hex: hdr("2000", 1, 0, 0, 0) + hxOther + "00060001"},
		{name: "NOTIFY type A", hex: hdr("2000", 1, 0, 0, 0) + hxApex + "00010001"},
		{name: "NOTIFY class CH", hex: hdr("2000", 1, 0, 0, 0) + hxApex + "00060003", chaos: true},
		{name: "NOTIFY class HS", hex: hdr("2000", 1, 0, 0, 0) + hxApex + "00060004"},
		{name: "NOTIFY qdcount 0", hex: hdr("2000", 0, 0, 0, 0)},
		{name: "NOTIFY qdcount 0 OPT", hex: hdr("2000", 0, 0, 0, 1) + hxOPT},
		{name: "NOTIFY pointer loop", hex: hdr("2100", 1, 0, 0, 0) + "c00c00010001"},
		{name: "UPDATE apex", hex: hdr("2800", 1, 0, 0, 0) + hxApex + "00060001"},
		{name: "UPDATE apex OPT", hex: hdr("2800", 1, 0, 0, 1) + hxApex + "00060001" + hxOPT},
		{name: "UPDATE www", hex: hdr("2800", 1, 0, 0, 0) + hxWWW + "00060001"},
		{name: "UPDATE other", hex: hdr("2800", 1, 0, 0, 0) + hxOther + "00060001"},
		{name: "UPDATE type A", hex: hdr("2800", 1, 0, 0, 0) + hxA},
		{name: "UPDATE class CH", hex: hdr("2800", 1, 0, 0, 0) + hxApex + "00060003", chaos: true},
		{name: "UPDATE class HS", hex: hdr("2800", 1, 0, 0, 0) + hxApex + "00060004"},
		{name: "UPDATE qdcount 0", hex: hdr("2800", 0, 0, 0, 0)},
		// DNS-20: transfers over UDP, and meta types.
		{name: "AXFR", hex: hdr("0000", 1, 0, 0, 0) + hxApex + "00fc0001"},
		{name: "AXFR OPT", hex: hdr("0000", 1, 0, 0, 1) + hxApex + "00fc0001" + hxOPT},
		{name: "AXFR www", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00fc0001"},
		{name: "AXFR other", hex: hdr("0000", 1, 0, 0, 0) + hxOther + "00fc0001"},
		{name: "IXFR without SOA", hex: hdr("0000", 1, 0, 0, 0) + hxApex + "00fb0001"},
		{name: "IXFR", hex: hdr("0100", 1, 0, 1, 0) + hxApex + "00fb0001" + hxSOAOfQ},
		{name: "IXFR newer", hex: hdr("0000", 1, 0, 1, 0) + hxApex + "00fb0001" + hxSOANewer},
		{name: "IXFR OPT", hex: hdr("0000", 1, 0, 1, 1) + hxApex + "00fb0001" + hxSOAOfQ + hxOPT},
		{name: "IXFR www", hex: hdr("0000", 1, 0, 1, 0) + hxWWW + "00fb0001" + hxSOAOfQ},
		{name: "IXFR other", hex: hdr("0000", 1, 0, 1, 0) + hxOther + "00fb0001" + hxSOAOfQ},
		{name: "IXFR other without SOA", hex: hdr("0000", 1, 0, 0, 0) + hxOther + "00fb0001"},
		{name: "qtype OPT", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00290001"},
		{name: "qtype OPT with OPT", hex: hdr("0000", 1, 0, 0, 1) + hxWWW + "00290001" + hxOPT},
		{name: "qtype TSIG", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00fa0001"},
		{name: "qtype TKEY", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00f90001"},
		{name: "qtype MAILA", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00fe0001"},
		{name: "qtype MAILB OPT", hex: hdr("0000", 1, 0, 0, 1) + hxWWW + "00fd0001" + hxOPT},
		{name: "qtype 0", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00000001"},
		{name: "qtype 65535", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "ffff0001"},
		{name: "ANY", hex: hdr("0000", 1, 0, 0, 0) + hxApex + "00ff0001"},
		// Classes.
		{name: "class 0", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00010000"},
		{name: "class 0 OPT", hex: hdr("0000", 1, 0, 0, 1) + hxWWW + "00010000" + hxOPT},
		{name: "class NONE", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "000100fe"},
		{name: "class ANY", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "000100ff"},
		{name: "class ANY OPT", hex: hdr("0000", 1, 0, 0, 1) + hxWWW + "000100ff" + hxOPT},
		{name: "class ANY SOA", hex: hdr("0000", 1, 0, 0, 0) + hxApex + "000600ff"},
		{name: "class CS", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00010002"},
		{name: "class CH", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00010003", chaos: true},
		{name: "class CH OPT", hex: hdr("0000", 1, 0, 0, 1) + hxWWW + "00010003" + hxOPT, chaos: true},
		{name: "class HS", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00010004"},
		{name: "class HS OPT", hex: hdr("0000", 1, 0, 0, 1) + hxWWW + "00010004" + hxOPT},
		{name: "class HS ANY", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00ff0004"},
		{name: "class 5", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00010005"},
		{name: "class 256", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "00010100"},
		{name: "class 65280", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "0001ff00"},
		{name: "class 65535", hex: hdr("0000", 1, 0, 0, 0) + hxWWW + "0001ffff"},
		// Header bits and extra bytes, which BIND ignores.
		{name: "trailing bytes", hex: hdr("0000", 1, 0, 0, 0) + hxA + "deadbeef"},
		{name: "trailing bytes after OPT", hex: hdr("0000", 1, 0, 0, 1) + hxA + hxOPT + "deadbeef"},
		{name: "Z set", hex: hdr("0040", 1, 0, 0, 0) + hxA},
		{name: "AD set", hex: hdr("0020", 1, 0, 0, 0) + hxA},
		{name: "RD CD set", hex: hdr("0110", 1, 0, 0, 0) + hxA},
		{name: "AA TC RA set", hex: hdr("0680", 1, 0, 0, 0) + hxA},
		{name: "RCODE set", hex: hdr("0005", 1, 0, 0, 0) + hxA},
		{name: "A record in additional", hex: hdr("0000", 1, 0, 0, 1) + hxA + "c00c000100010000012c0004c0000201"},
		{name: "qname pointing forward to trailing bytes", hex: hdr("0000", 1, 0, 0, 0) + "03777777c01400010001" + hxApex},
		{name: "ID 0", hex: "0000" + hdr("0000", 1, 0, 0, 0)[4:] + hxA},
	}
	return cs
}()

// A captureQuery is the payload of a DNS query from a capture.
type captureQuery struct {
	name    string
	payload []byte
}

// captureQueries returns the payloads of the UDP datagrams to or from
// port 53 in the project's captures (../../testdata/captures, the
// project's copy of the shared corpus), each once: queries, responses
// (which get no reply) and malformed messages.
func captureQueries(t testing.TB) []captureQuery {
	t.Helper()
	files, err := filepath.Glob("../../testdata/captures/*.pcap")
	if err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool)
	var qs []captureQuery
	for _, f := range files {
		for i, p := range dnsPayloads(t, f) {
			if seen[string(p)] {
				continue
			}
			seen[string(p)] = true
			qs = append(qs, captureQuery{name: fmt.Sprintf("%s#%d", strings.TrimSuffix(filepath.Base(f), ".pcap"), i+1), payload: p})
		}
	}
	if len(qs) == 0 {
		t.Fatal("no DNS messages in the captures")
	}
	return qs
}

// dnsPayloads returns the UDP payloads to or from port 53 in the pcap
// file f.
func dnsPayloads(t testing.TB, f string) [][]byte {
	t.Helper()
	fh, err := os.Open(f)
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	r, err := pcapgo.NewReader(fh)
	if err != nil {
		return nil // pcapng, or not a capture: none of ours holds DNS
	}
	var out [][]byte
	for range 100000 {
		data, _, err := r.ReadPacketData()
		if err != nil {
			break
		}
		pkt := gopacket.NewPacket(data, r.LinkType(), gopacket.DecodeOptions{Lazy: true, NoCopy: true})
		u, ok := pkt.Layer(layers.LayerTypeUDP).(*layers.UDP)
		if !ok || (u.SrcPort != 53 && u.DstPort != 53) || len(u.Payload) == 0 {
			continue
		}
		out = append(out, append([]byte(nil), u.Payload...))
	}
	return out
}
