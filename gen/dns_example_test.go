package gen_test

import (
	"encoding/hex"
	"fmt"

	"github.com/mplgo/mpl/gen/dns"
	mplrt "github.com/mplgo/mpl/runtime"
)

// Read the addresses in a DNS response, then build a query with EDNS0.
// The answers' names are compression pointers to the question's name,
// which Name follows; builders write such pointers themselves.
func Example_dns() {
	// A response for www.example.com, type A: two answers and an OPT record.
	msg, _ := hex.DecodeString("1a2b8180000100020000000103777777076578616d706c6503636f6d0000010001" +
		"c00c000100010000012c00045db8d70e" + "c00c000100010000012c00045db8d822" + "00002904d0000000000000")

	p, err := dns.Parse(msg) // every name and pointer checked
	if err != nil {
		panic(err)
	}
	for _, a := range p.Answers().All() {
		rr := a.RR()
		if rec, ok := rr.AsRecord(); ok {
			if x, ok := rec.AsA(); ok {
				fmt.Println(rr.Name(), rec.TTL(), x.A())
			}
		}
	}

	// The query: one question, recursion desired, EDNS0 with a UDP size of
	// 1232 bytes and the DO bit.
	q, err := dns.Builder{
		ID: 0x1a2b, RD: true,
		Questions: []dns.QuestionBuilder{{Qname: mplrt.MustName("www.example.com."), Qtype: 1, Qclass: 1}},
		Additionals: []dns.AdditionalBuilder{{RR: dns.RRBuilder{Kind: dns.RRKindOPT, OPT: dns.RROPTBuilder{
			Name: mplrt.MustName("."), UDPSize: 1232, Do: true}}}},
	}.AppendTo(make([]byte, 0, 512))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%x\n", q)
	// Output:
	// www.example.com. 300 93.184.215.14
	// www.example.com. 300 93.184.216.34
	// 1a2b0100000100000000000103777777076578616d706c6503636f6d000001000100002904d0000080000000
}
