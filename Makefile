# mplc: packet-format specs to Go codecs.

GO       ?= go
FUZZTIME ?= 30s
BENCHCOUNT ?= 6

.PHONY: all generate test check-specs fuzz bench bce demo ci

all: generate test

# Regenerate every package in gen/ from specs/.
generate:
	$(GO) generate ./...

# The test suite: vet, every test, and the shipped specs checked clean.
test: check-specs
	$(GO) vet ./...
	$(GO) test ./...

check-specs:
	@specs=$$(ls specs/*.mpl 2>/dev/null); if [ -n "$$specs" ]; then $(GO) run ./cmd/mplc check $$specs; fi

# Every fuzz target (package:target), each for FUZZTIME.
FUZZ_TARGETS = lang:FuzzCheck codegen:FuzzGenerate gen:FuzzEthernet gen:FuzzARP gen:FuzzIPv4 gen:FuzzICMP gen:FuzzUDP

fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; name=$${t##*:}; \
		echo "fuzz $$pkg $$name for $(FUZZTIME)"; \
		$(GO) test ./$$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME); \
	done

bench:
	$(GO) test ./... -run '^$$' -bench . -benchmem -count $(BENCHCOUNT)

# Bounds checks left in the generated packages: the runtime.panicBounds
# (and panicIndex/panicSlice) call sites in each compiled function of gen/...,
# leaving out compiler-made wrappers. The last line is the total.
bce:
	@$(GO) build -a -gcflags='-S' ./gen/... 2>&1 | awk ' \
		/ STEXT /     { fn = $$1; wrapper = 0 } \
		/\tTEXT\t.*WRAPPER/ { wrapper = 1 } \
		/\tCALL\truntime\.panic(Bounds|Index|Slice)/ { if (!wrapper) { n[fn]++; total++ } } \
		END { for (f in n) printf "%6d  %s\n", n[f], f; printf "bounds checks: %d\n", total }'

# The paper's specs check clean; a capture dumped with the generated codecs.
demo:
	$(GO) run ./cmd/mplc check testdata/paper/*.mpl specs/*.mpl
	$(GO) run ./cmd/mpldump -n 4 testdata/captures/zeek__icmp_5-pings.pcap

# What CI runs.
ci: test fuzz
