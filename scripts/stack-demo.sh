#!/usr/bin/env bash
# The stack, seen working: a network namespace with a TAP device, mplstack
# on it at 198.18.1.2 serving the example zone, and real ping, arping and
# dig against it from the namespace's kernel at 198.18.1.1. Everything is removed at the end, mplstack ended by its PID.
# Needs root, iproute2, ping and arping (dig for the DNS part).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" != 0 ]; then
	echo "stack-demo: needs root (it makes a network namespace)" >&2
	exit 1
fi
ns="mplc-demo-$$"
bin="$(mktemp -d)"
pid=""
cleanup() {
	if [ -n "$pid" ]; then
		kill -TERM "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	fi
	ip netns delete "$ns" 2>/dev/null || true
	rm -rf "$bin"
}
trap cleanup EXIT
go build -o "$bin/mplstack" ./cmd/mplstack
ip netns add "$ns"
ip -n "$ns" link set lo up
ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
ip -n "$ns" tuntap add dev tap0 mode tap
ip -n "$ns" addr add 198.18.1.1/24 dev tap0
ip -n "$ns" link set tap0 up
args=(-tap tap0 -addr 198.18.1.2/24 -zone stack/dnsserver/testdata/test.example.zone)
ip netns exec "$ns" "$bin/mplstack" "${args[@]}" >"$bin/counters" 2>&1 &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do
	ip netns exec "$ns" ping -c 1 -W 1 198.18.1.2 >/dev/null 2>&1 && break
done
run() {
	echo "\$ $*"
	ip netns exec "$ns" timeout 20 "$@" || true
	echo
}
run ping -c 5 -i 0.2 198.18.1.2
run ping -c 2 -R 198.18.1.2
if command -v arping >/dev/null; then
	run arping -c 3 -i tap0 198.18.1.2
fi
if command -v dig >/dev/null; then
	run dig @198.18.1.2 www.test.example A +norec +tries=1 +time=2
	run dig @198.18.1.2 nope.test.example A +norec +tries=1 +time=2
fi
kill -TERM "$pid"
wait "$pid" || true
pid=""
echo "mplstack's counters:"
cat "$bin/counters"
