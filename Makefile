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

# Every fuzz target, as package:target (run for FUZZTIME) or
# package:target:time. The package is a path from here, so the e2e packages
# under codegen/testdata run too. The differential targets (internal/fuzzcheck
# over each generated package) run for DIFFTIME each, which keeps the total
# at 12 x FUZZTIME + 17 x DIFFTIME (about 9 minutes with the defaults).
# (codegen/testdata/e2e/vlan's is left out: gen:FuzzDifferentialVLAN
# covers the shipped VLAN spec.)
DIFFTIME ?= 10s
FUZZ_TARGETS = lang:FuzzCheck codegen:FuzzGenerate gen:FuzzEthernet gen:FuzzARP gen:FuzzIPv4 gen:FuzzICMP gen:FuzzUDP gen:FuzzTCP gen:FuzzVLAN gen:FuzzDNS stack:FuzzStack stack/dnsserver:FuzzHandleUDP \
	gen:FuzzDifferentialEthernet:$(DIFFTIME) gen:FuzzDifferentialARP:$(DIFFTIME) gen:FuzzDifferentialIPv4:$(DIFFTIME) \
	gen:FuzzDifferentialICMP:$(DIFFTIME) gen:FuzzDifferentialUDP:$(DIFFTIME) gen:FuzzDifferentialTCP:$(DIFFTIME) \
	gen:FuzzDifferentialIPv4Options:$(DIFFTIME) gen:FuzzDifferentialVLAN:$(DIFFTIME) \
	codegen/testdata/e2e/dhcpv4:FuzzDifferentialDHCPv4:$(DIFFTIME) \
	codegen/testdata/e2e/array:FuzzDifferentialArray:$(DIFFTIME) \
	codegen/testdata/e2e/bits:FuzzDifferentialBits:$(DIFFTIME) \
	codegen/testdata/e2e/classify:FuzzDifferentialClassify:$(DIFFTIME) \
	codegen/testdata/e2e/labels:FuzzDifferentialLabels:$(DIFFTIME) \
	codegen/testdata/e2e/ipv6:FuzzDifferentialIPv6:$(DIFFTIME) \
	codegen/testdata/e2e/icmpv6:FuzzDifferentialICMPv6:$(DIFFTIME) \
	codegen/testdata/e2e/igmpv3:FuzzDifferentialIGMPv3:$(DIFFTIME) \
	codegen/testdata/e2e/ssh:FuzzDifferentialSSH:$(DIFFTIME)

# A target fails when it writes a failing input. Go 1.26's fuzz coordinator
# can also end a run with a bare "context deadline exceeded" at the end of
# -fuzztime, having found nothing (go.dev/issue/75804, fixed in Go 1.27):
# that is reported and not counted as a failure.
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; rest=$${t#*:}; name=$${rest%%:*}; time=$(FUZZTIME); \
		case $$rest in *:*) time=$${rest#*:};; esac; \
		echo "fuzz $$pkg $$name for $$time"; \
		st=0; out=$$($(GO) test ./$$pkg -run '^$$' -fuzz "^$$name\$$" -fuzztime $$time 2>&1) || st=$$?; \
		echo "$$out" | grep -v '^fuzz: elapsed' | tail -4; \
		if [ $$st -ne 0 ]; then \
			if echo "$$out" | grep -q 'Failing input written' || ! echo "$$out" | grep -q 'context deadline exceeded'; then \
				echo "$$out"; exit 1; \
			fi; \
			echo "(no failing input: the Go 1.26 fuzz coordinator's deadline race, go.dev/issue/75804)"; \
		fi; \
	done

# The benchmarks of bench/, BENCHCOUNT runs each (the implementations of a
# packet one after the other, so that they are compared close together in
# time). The raw output, headed by the Go version and the date, goes to
# BENCHOUT; then benchstat compares the implementations and
# internal/benchtable prints the table of bench/RESULTS.md.
BENCHOUT ?= bench/out/latest.txt
bench:
	@mkdir -p $(dir $(BENCHOUT))
	@{ echo "go: $$($(GO) env GOVERSION)"; echo "date: $$(date -u +%Y-%m-%d)"; } > $(BENCHOUT)
	@echo "$(GO) test ./bench -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) >> $(BENCHOUT)"
	@{ $(GO) test ./bench -run '^$$' -bench . -benchmem -count $(BENCHCOUNT) 2>&1; echo $$? > $(BENCHOUT).status; } | tee -a $(BENCHOUT); \
		st=$$(cat $(BENCHOUT).status); rm -f $(BENCHOUT).status; exit $$st
	$(GO) tool benchstat -col /impl $(BENCHOUT)
	$(GO) run ./internal/benchtable $(BENCHOUT)

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
# The stack on a TAP answering real ping, arping and dig (needs root), then
# the compiler and the dumper.
demo:
	./scripts/stack-demo.sh
	$(GO) run ./cmd/mplc check testdata/paper/*.mpl specs/*.mpl
	$(GO) run ./cmd/mpldump -n 4 testdata/captures/zeek__icmp_5-pings.pcap

# What CI runs.
ci: test fuzz
