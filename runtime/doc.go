// Package mplrt is the support library imported by Go code that mplc
// generates from packet-format specs.
//
// The package lives in the folder runtime of module github.com/mplgo/mpl,
// but its package clause is mplrt, so that generated code never has to
// shadow or rename the standard library's runtime package. Generated
// packages import it as
//
//	import mplrt "github.com/mplgo/mpl/runtime"
//
// It holds:
//
//   - Positioned, allocation-free parse errors. Generated code declares one
//     package-level [Site] per check with [NewSite] and reports a failure
//     with [Site.At], which returns an error carrying the packet, field,
//     byte offset, [Kind] and constraint text without allocating. Callers
//     inspect such errors with errors.As into an [Error] value, or test
//     the failure class with errors.Is against [ErrTruncated], [ErrMin]
//     and the other sentinels.
//
//   - The Internet checksum of RFC 1071 ([Sum], [Fold], [Checksum],
//     [PseudoHeaderIPv4]) and its incremental update of RFC 1624
//     ([Update16], [Update32]).
//
//   - [Field], what a view's Walk method hands to tools for each field,
//     with its usual text form (addresses, enum names, abbreviated bytes).
//
//   - [Appender] and [Layer], the interfaces of generated builders, and
//     [Nest], which builds one packet as the payload of another without
//     allocating.
//
//   - Custom wire types: the [WireType] contract and the types [String8],
//     [String32], [Boolean], [Mpint], [DNSName] and [DNSNameNoComp], with
//     [Name], a DNS domain name read in place, and [NameTable], which
//     compresses names as a message is built.
//
// # Custom wire types
//
// Besides its built-in integers and byte strings, a spec can use wire
// types that a protocol defines for itself: SSH's string, mpint and
// boolean, DNS's character-string and domain names. The Go side of such
// a type is a zero-size struct type with value-receiver methods that
// implements [WireType][V], where V is the Go type of the field's value.
// Generated code calls the methods statically, on the type's zero value,
// so that they inline and allocate nothing. For a string8 field "qname"
// at offset off of the input b, generated code does, in outline:
//
//	// Sites, once per field, in the package's error-site block:
//	var errQname = mplrt.NewSite("dns", "qname", mplrt.KindValue, "")
//	var errQnameBuild = mplrt.NewSite("dns", "qname", mplrt.KindValue, "build")
//
//	// Parse: the size, or a positioned error naming packet, field,
//	// offset and the type's reason.
//	n, err := mplrt.String8{}.Size(b, off)
//	if err != nil {
//		return errQname.Wrap(err, off)
//	}
//	p.oQname, p.nQname = off, n
//
//	// Accessor: the value, zero-copy.
//	func (p *Packet) Qname() []byte { return mplrt.String8{}.Value(p.b, p.oQname, p.nQname) }
//
//	// Walk: the field, shown through the type's AppendText.
//	fn(mplrt.Field{Name: "qname", Format: mplrt.FormatCustom, Type: mplrt.String8{},
//		Msg: p.b, Off: p.oQname, Bytes: p.b[p.oQname : p.oQname+p.nQname]})
//
//	// Build: append the encoding; errors are reported at the field's offset.
//	if dst, err = mplrt.String8{}.Append(dst, b.Qname); err != nil {
//		return orig, errQnameBuild.Wrap(err, len(dst)-start)
//	}
//
// The contract, in full on [WireType]: Size(msg, off) returns how many
// bytes the value at msg[off] takes, where msg is the whole input and
// offsets count from its start, and never panics; Value and AppendText
// may then assume msg[off:off+n] is valid; Append encodes a value or
// returns dst unchanged with an error; AppendText writes a readable form
// (strings Go-quoted). Failures are [Reason] values, declared once with
// [NewReason] (a [Kind] and a text such as "string8: length runs past the
// end") and returned as errors; [Site.Wrap] attaches one to the field's
// site without allocating, giving an error whose [Error] has the site's
// packet, field and constraint, the offset, the reason's Kind and the
// reason's text in Error.Reason. A type that can point at the bad byte
// returns [Reason.At](offset) instead, and Wrap keeps that offset.
//
// Each type also says what its value is in spec expressions, with
// ValueKind: [ValueInt] (Go uint64), [ValueBool] (Go bool),
// [ValueString] (Go []byte aliasing the packet; string patterns compare
// bytes), [ValueNone] (opaque bytes, Go []byte; only sizeof applies) or
// [ValueView] (a Go type of the wire type's own, such as [Name]; no value
// in expressions). The spec checker has its own registry of types, which
// uses the names that ValueKind's String returns: "int", "bool",
// "string", "none", "view".
//
// The shipped types:
//
//	type            Go type        V       kind    wire
//	string8         String8        []byte  string  one length byte, then the bytes (0-255)
//	string32        String32       []byte  string  RFC 4251 string: uint32 length, then the bytes
//	boolean         Boolean        bool    bool    RFC 4251 boolean: one byte, nonzero is true; written 1 or 0
//	mpint           Mpint          []byte  none    RFC 4251 mpint: uint32 length, then two's complement;
//	                                               non-canonical encodings are rejected; text like -0x1234
//	dns_label_comp  DNSName        Name    view    RFC 1035 domain name: labels, then the root byte or a
//	                                               compression pointer; text like www.example.com.
//	dns_label       DNSNameNoComp  Name    view    the same, written without compression pointers
//
// Their methods inline, except the AppendText methods of String8 and
// String32 and Mpint's Size, which are plain static calls. The DNS name
// types' methods inline into one plain call each.
//
// # Adding a wire type of your own
//
// A wire type need not live in this package. In your own package, declare
// a zero-size struct type, give it the methods of [WireType] with value
// receivers, declare its failures as package-level [Reason] variables,
// and check the contract at compile time:
//
//	package wire
//
//	type Varint struct{}
//
//	var errVarintShort = mplrt.NewReason(mplrt.KindTruncated, "varint: runs past the end")
//
//	var _ mplrt.WireType[uint64] = Varint{}
//
//	func (Varint) ValueKind() mplrt.ValueKind { return mplrt.ValueInt }
//	func (Varint) Size(msg []byte, off int) (int, error) { ... return 0, errVarintShort ... }
//	func (Varint) Value(msg []byte, off, n int) uint64 { ... }
//	func (Varint) Append(dst []byte, v uint64) ([]byte, error) { ... }
//	func (Varint) AppendText(dst, msg []byte, off, n int) []byte { ... }
//
// The spec names the type (how is up to the spec language); generated
// code imports your package and calls wire.Varint{}.Size(...),
// wire.Varint{}.Value(...) and so on, exactly as it calls the shipped
// types, and the checker's registry must give it the same value kind.
// The methods must not allocate (beyond growing dst), must be safe for
// concurrent use, and Size must not panic on any input. The example of
// WireType in this package's documentation defines such a type, one that
// refers back into the message.
//
// DNS names (dns_label, and dns_label_comp with compression) are types
// of this kind too: Size gets the whole message so that it can follow
// compression pointers back into it, and reports a bad pointer with
// [Reason.At] at the pointer's own offset; AppendText follows pointers
// the same way, which is why a [Field] of [FormatCustom] carries Msg and
// Off and not just the field's bytes. A name's value is not contiguous
// once compressed, so it is a [Name] that reads labels from msg
// ([ValueView]). Compressing while building needs state (the names
// already written and their offsets), which a zero-size type cannot hold
// and Append has no room for: a [NameTable], which the generated builder
// owns, resets at the message's start and appends each name with
// [NameTable.Append]; the WireType methods stay as they are, and Append
// writes names uncompressed.
//
// The package depends on the Go standard library only.
package mplrt
