#!/usr/bin/env bash
# The stack's speed against real peers, in network namespaces made here
# (198.18.0.0/15 only; everything removed at the end, servers ended by
# their PIDs). Needs root and the peers' Debian packages (see .ci/run).
#
#   ping:    ping -f -c COUNT through a TAP, answered by mplstack and by
#            tapecho (a minimal hand-written TAP echo loop: the TAP's own
#            ceiling); the rate of each, best of RUNS runs.
#   dnsperf: the query set of testdata (like ../shared/peers'), for
#            SECONDS each against BIND's named, a miekg/dns server,
#            mplstack's responder on a kernel socket, and mplstack on a
#            TAP, all with the same zone; queries per second of each.
#
# Usage: scripts/stack-bench.sh [ping|dns|all]   (default all)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
COUNT="${COUNT:-20000}"
RUNS="${RUNS:-3}"
SECONDS_EACH="${SECONDS_EACH:-10}"
if [ "$(id -u)" != 0 ]; then
	echo "stack-bench: needs root" >&2
	exit 1
fi
tmp="$(mktemp -d)"
pids=()
nss=()
cleanup() {
	for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	for n in "${nss[@]}"; do ip netns delete "$n" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/mplstack" ./cmd/mplstack
go build -o "$tmp/tapecho" ./stack/internal/tapecho
go build -o "$tmp/miekgdns" ./stack/internal/miekgdns

# tapns NAME: a namespace with tap0 at 198.18.1.1/24.
tapns() {
	ip netns add "$1"
	nss+=("$1")
	ip -n "$1" link set lo up
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip -n "$1" tuntap add dev tap0 mode tap
	ip -n "$1" addr add 198.18.1.1/24 dev tap0
	ip -n "$1" link set tap0 up
}

# waitping NS: until 198.18.1.2 answers (10 tries).
waitping() {
	for _ in $(seq 10); do
		ip netns exec "$1" ping -c 1 -W 1 198.18.1.2 >/dev/null 2>&1 && return 0
	done
	echo "stack-bench: 198.18.1.2 does not answer in $1" >&2
	return 1
}

# pingrate NS: echo replies per second of ping -f, best of RUNS.
pingrate() {
	best=0
	for _ in $(seq "$RUNS"); do
		out="$(ip netns exec "$1" timeout 120 ping -q -f -c "$COUNT" 198.18.1.2)"
		ms="$(echo "$out" | sed -n 's/.* received, .*time \([0-9]*\)ms.*/\1/p')"
		got="$(echo "$out" | sed -n 's/.* \([0-9]*\) received.*/\1/p')"
		[ -n "$ms" ] && [ "$ms" -gt 0 ] || continue
		rate=$((got * 1000 / ms))
		[ "$rate" -gt "$best" ] && best=$rate
	done
	echo "$best"
}

if [ "$what" = ping ] || [ "$what" = all ]; then
	tapns "bench-echo-$$"
	ip netns exec "bench-echo-$$" "$tmp/tapecho" -tap tap0 -addr 198.18.1.2 >/dev/null 2>&1 &
	pids+=($!)
	waitping "bench-echo-$$"
	hand="$(pingrate "bench-echo-$$")"
	tapns "bench-stack-$$"
	ip netns exec "bench-stack-$$" "$tmp/mplstack" -tap tap0 -addr 198.18.1.2/24 >/dev/null 2>&1 &
	pids+=($!)
	waitping "bench-stack-$$"
	mplc="$(pingrate "bench-stack-$$")"
	echo "ping -f -c $COUNT through a TAP (echo replies/s, best of $RUNS)"
	printf '%-10s %10s %8s\n' impl "replies/s" ratio
	printf '%-10s %10d %8s\n' tapecho "$hand" 1.00
	printf '%-10s %10d %8s\n' mplstack "$mplc" "$(awk -v a="$mplc" -v b="$hand" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "-" }')"
fi

# dnsqps NS ADDR: queries per second of dnsperf against ADDR.
dnsqps() {
	ip netns exec "$1" timeout $((SECONDS_EACH + 30)) dnsperf -s "$2" -d stack/dnsserver/testdata/dnsperf-queries.txt -l "$SECONDS_EACH" 2>&1 |
		sed -n 's/.*Queries per second: *\([0-9.]*\).*/\1/p'
}

# waitdns NS ADDR: until ADDR answers a query (10 tries).
waitdns() {
	for _ in $(seq 10); do
		ip netns exec "$1" dig "@$2" +short +tries=1 +time=1 test.example SOA 2>/dev/null | grep -q . && return 0
		sleep 0.2
	done
	echo "stack-bench: $2 does not answer DNS in $1" >&2
	return 1
}

if [ "$what" = dns ] || [ "$what" = all ]; then
	zone=stack/dnsserver/testdata/test.example.zone
	n="bench-dns-$$"
	tapns "$n"
	# The kernel-socket servers' addresses, on the namespace's loopback.
	for a in 198.18.0.1 198.18.0.2 198.18.0.3; do ip -n "$n" addr add "$a/32" dev lo; done
	mkdir -p "$tmp/named"
	cp "$zone" "$tmp/named/test.example.zone"
	sed "s|NAMED_DIR|$tmp/named|g" stack/dnsserver/testdata/named.conf.in >"$tmp/named/named.conf"
	named-checkconf "$tmp/named/named.conf"
	ip netns exec "$n" named -c "$tmp/named/named.conf" -u root -n 2 -f &
	pids+=($!)
	ip netns exec "$n" "$tmp/mplstack" -listen 198.18.0.2:53 -zone "$zone" >/dev/null 2>&1 &
	pids+=($!)
	ip netns exec "$n" "$tmp/miekgdns" -listen 198.18.0.3:53 -zone "$zone" >/dev/null 2>&1 &
	pids+=($!)
	ip netns exec "$n" "$tmp/mplstack" -tap tap0 -addr 198.18.1.2/24 -zone "$zone" >/dev/null 2>&1 &
	pids+=($!)
	for a in 198.18.0.1 198.18.0.2 198.18.0.3 198.18.1.2; do waitdns "$n" "$a"; done
	bind="$(dnsqps "$n" 198.18.0.1)"
	kernel="$(dnsqps "$n" 198.18.0.2)"
	miekg="$(dnsqps "$n" 198.18.0.3)"
	tap="$(dnsqps "$n" 198.18.1.2)"
	echo "dnsperf, ${SECONDS_EACH} s each, stack/dnsserver/testdata/dnsperf-queries.txt (queries/s)"
	printf '%-28s %10s %8s\n' server "queries/s" "x BIND"
	row() { printf '%-28s %10.0f %8s\n' "$1" "$2" "$(awk -v a="$2" -v b="$bind" 'BEGIN{ if (b > 0) printf "%.2f", a/b; else print "-" }')"; }
	row "BIND named (kernel socket)" "$bind"
	row "miekg/dns (kernel socket)" "$miekg"
	row "mplstack (kernel socket)" "$kernel"
	row "mplstack (TAP)" "$tap"
fi
