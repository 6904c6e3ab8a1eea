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
// The package depends on the Go standard library only.
package mplrt
