// Package dnsserver is an authoritative DNS server over UDP, built on the
// codec that mplc generates from specs/dns.mpl (gen/dns): every query is
// read with dns.Parse, and every answer written with the gen/dns
// builders, which compress names with one mplrt.NameTable per message.
//
// Zones come from BIND-style zone files (LoadZone, LoadZoneFile, read
// with github.com/miekg/dns's ZoneParser); a Server (New) answers for
// them, through HandleUDP, which the userspace stack calls for port 53,
// or ServeUDP on a kernel socket. It answers as BIND 9.18 does with
// recursion no and minimal-responses no, which TestBIND checks by
// sending the same queries to both (dig, raw bytes, and the queries of
// the project's captures):
//
//   - QUERY in class IN for a name in a zone (RFC 1034 section 4.3.2):
//     the records asked for, AA set, the zone's NS records in authority
//     and the addresses of the names the answer and those NS records
//     point to (MX, SRV, NS, ...) in additional, A before AAAA; NODATA
//     and NXDOMAIN with the SOA in authority, its TTL the lesser of its
//     own and its MINIMUM (RFC 2308); CNAMEs followed inside the zone, at
//     most 11 times (then SERVFAIL with an Extended DNS Error, RFC 8914,
//     "max. restarts reached"), not into another zone; wildcards (RFC
//     4592) and empty non-terminals; referrals at zone cuts (AA clear,
//     the cut's NS records, glue below the cut); ANY with every set of
//     the name and nothing in additional.
//   - Names are matched without regard to ASCII case (RFC 4343) and the
//     question goes back as the query wrote it.
//   - EDNS (RFC 6891): a query with an OPT record gets one, with UDP size
//     1232 (Options.UDPSize), DO copied (RFC 3225) and a Client Subnet
//     option echoed with scope 0 (RFC 7871); a version above 0 gets
//     BADVERS. The client's size is honoured (512 without EDNS, and at
//     least 512): what does not fit goes from the end of the additional
//     section, whole records; if the answer or authority does not fit,
//     the reply is the question alone with TC set. An EDNS client whose
//     buffer is 512 bytes or less gets positive answers alone, without
//     authority or additional records, as BIND sends them.
//   - REFUSED, AA clear, for names outside every zone and for classes CH
//     and HS (HS with the Extended DNS Error "Prohibited"); NOTIMP for
//     other classes and for MAILA, MAILB; FORMERR for classes 0, NONE and
//     ANY, for QTYPE OPT, TSIG and TKEY, and for AXFR at a zone's apex
//     (zone transfers need TCP; RFC 5936 section 4.2), NOTAUTH elsewhere;
//     IXFR at an apex gets the SOA alone, which sends the client to TCP
//     (RFC 1995 section 2).
//   - FORMERR for a message that does not parse (compression pointers
//     that loop or point forward, truncated questions or records), with
//     QDCOUNT other than 1, two OPT records or one in the wrong place or
//     not owned by the root, options cut short or malformed as BIND
//     checks them (COOKIE, Client Subnet, EXPIRE, KEY-TAG, EDE), or a
//     TSIG record not last. The reply has the query's ID, opcode and,
//     for QUERY, RD and CD; the question when it parses; and an OPT
//     record only if the fault is in an option.
//   - NOTIMP, with no question, for opcodes other than QUERY, NOTIFY and
//     UPDATE (RFC 1035 section 4.1.1). A NOTIFY for a zone's apex gets
//     NOERROR with AA (the server is the zone's primary; RFC 1996), an
//     UPDATE REFUSED (RFC 2136), either elsewhere NOTAUTH.
//   - A query signed with TSIG gets NOTAUTH with the TSIG error BADKEY
//     (RFC 8945 section 5.2.1): the server knows no keys.
//   - No reply to a message shorter than a header, or to a response
//     (QR set).
//
// Answers to QUERY in class IN for names in a zone are memoised: the
// first query for a question (its name in lower case, type and class)
// builds the whole response with the gen/dns builders and keeps it as
// wire bytes, with no ID, flags of the query, OPT record or letter case
// of its own, cut to the server's UDP size at a record boundary, with
// where each section ends. A later query copies those bytes, cuts them
// to its own size, and patches the ID, RD and CD, TC, the counts and the
// question's letter case (the names of the answer that are compression
// pointers to the question read in its case too), then appends the OPT
// record. A cache hit allocates nothing. The cache holds at most
// Options.CacheEntries answers (4096 by default), each at most the UDP
// size: a full cache evicts with the CLOCK algorithm (an entry used since
// the hand last passed gets a second chance), so a flood of names asked
// once cannot grow it. A plain query (QUERY, one question whose name has
// no compression pointer, no other records but an OPT record without
// options), read with the generated view, is looked up in the cache
// straight away; any other query, or a miss, goes the whole way. Other replies
// (errors, REFUSED, NOTIFY) are built for each query, without allocating
// either.
//
// Where the server differs from BIND 9.18, on purpose:
//
//   - Without EDNS, a reply that does not fit is the question alone with
//     TC; BIND fills it with what fits of the answer's records (a partial
//     RRset, which RFC 2181 section 9 advises against) and copies AD from
//     the query. The server never sets AD: none of its data is
//     authenticated (RFC 4035 section 3.2.3).
//   - In a reply to a question in mixed case, names that BIND writes in
//     the zone's case are in the question's: the cached answer compresses
//     them against the question. Both are right (RFC 4343 section 4.1).
//   - The records of a set keep the zone file's order; BIND rotates them.
//   - No DNS COOKIEs (RFC 7873): the option is ignored, as section 5.2 lets
//     a server that does not implement it. No data in class CH (BIND
//     answers version.bind and the like), no TCP, no zone transfers, no
//     DNSSEC processing (signed zones are served as plain data), no DNAME
//     (a zone with one is refused at loading).
//   - Zone files: data outside the zone is an error (BIND ignores it).
//
// A Server is safe for concurrent use: a cache hit takes no lock (the
// cache's index is a table of atomic pointers to entries that never
// change), and building an answer takes a mutex; the counters (Stats) are
// atomic, one add for a hit, and each of ServeUDP's goroutines has its
// own.
package dnsserver
