# claimscan: a plain Makefile.  Settings first, then targets.
CC       ?= cc
PKGS     := libpcre2-8 libcjson sqlite3
OPT      ?= -O2
CFLAGS   ?= $(OPT) -g
CFLAGS   += -std=c11 -D_GNU_SOURCE -Wall -Wextra -MMD -MP
CFLAGS   += $(shell pkg-config --cflags $(PKGS))
LDLIBS   += $(shell pkg-config --libs $(PKGS)) -lpthread -lm
ifdef SANITIZE
CFLAGS   += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS  += -fsanitize=$(SANITIZE)
BUILD    := build/san
else
BUILD    := build/rel
endif

SRC      := $(wildcard src/*.c)
OBJ      := $(SRC:src/%.c=$(BUILD)/%.o)
LIBOBJ   := $(filter-out $(BUILD)/main.o,$(OBJ))

.PHONY: all test clean FORCE demo screenshot

all: claimscan

# Always relinked (cheap), so switching SANITIZE on or off takes effect.
claimscan: $(OBJ) FORCE
	$(CC) $(LDFLAGS) -o $@ $(OBJ) $(LDLIBS)

$(BUILD)/%.o: src/%.c
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) -c -o $@ $<

tests/unit: tests/unit.c $(LIBOBJ) FORCE
	$(CC) $(CFLAGS) -Isrc $(LDFLAGS) -o $@ $< $(LIBOBJ) $(LDLIBS)

test: claimscan tests/unit
	CLAIMSCAN_TEST_SANITIZE='$(SANITIZE)' LC_ALL=C bash tests/run.sh

clean:
	rm -rf build claimscan tests/unit tests/out

-include $(OBJ:.o=.d)

FORCE:

# ---- demo and screenshot (report/plot) ----
# `make demo`: on a fresh Debian machine, installs what is missing, builds,
# extracts the bundled fixtures into a store and writes out/report.md,
# out/report.html and out/plots/*.png.
DEMO_DOCS  := fixtures/hf-daily-codesign.txt $(wildcard fixtures/hf-daily-api/*.json) fixtures/arxiv-200.jsonl
DEMO_DEBS  := make gcc pkg-config libpcre2-dev libcjson-dev libsqlite3-dev gnuplot-nox sqlite3 xz-utils
CHROMIUM   ?= $(firstword $(shell command -v chromium chromium-browser google-chrome 2>/dev/null))

demo:
	@missing=""; \
	command -v gcc >/dev/null 2>&1 || missing="$$missing gcc"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	pkg-config --exists libpcre2-8 2>/dev/null || missing="$$missing libpcre2-dev"; \
	pkg-config --exists libcjson 2>/dev/null || missing="$$missing libcjson-dev"; \
	pkg-config --exists sqlite3 2>/dev/null || missing="$$missing libsqlite3-dev"; \
	command -v gnuplot >/dev/null 2>&1 || missing="$$missing gnuplot-nox"; \
	command -v sqlite3 >/dev/null 2>&1 || missing="$$missing sqlite3"; \
	command -v xz >/dev/null 2>&1 || missing="$$missing xz-utils"; \
	if [ -n "$$missing" ]; then \
		echo "demo: installing$$missing"; \
		if [ "$$(id -u)" = 0 ]; then sudo=; else sudo=sudo; fi; \
		$$sudo apt-get update -qq && $$sudo apt-get install -y -qq $$missing || { \
			echo "demo: could not install$$missing (Debian: apt-get install $(DEMO_DEBS))"; exit 1; }; \
	fi
	$(MAKE) --no-print-directory claimscan
	@mkdir -p out
	rm -rf out/claims.sqlite out/plots
	./claimscan extract --db out/claims.sqlite $(DEMO_DOCS) >/dev/null || [ $$? = 1 ]
	./claimscan report --by all --db out/claims.sqlite >out/report.md
	./claimscan report --by all --format html --db out/claims.sqlite >out/report.html
	./claimscan plot --out out/plots --db out/claims.sqlite >/dev/null
	@echo; echo "demo: store       out/claims.sqlite (try: sqlite3 out/claims.sqlite 'SELECT kind, count(*) FROM claims GROUP BY kind')"; \
	echo "demo: reports     out/report.md  out/report.html"; \
	echo "demo: plots       $$(ls out/plots/*.png | tr '\n' ' ')"

# `make screenshot`: the HTML report as headless Chromium renders it, to
# check that its tables and plots show (Debian package chromium).
screenshot: demo
	@[ -n "$(CHROMIUM)" ] || { echo "screenshot: chromium not found; install the Debian package chromium"; exit 1; }
	$(CHROMIUM) --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
		--hide-scrollbars --window-size=1400,4200 --screenshot=$(CURDIR)/out/report.png \
		file://$(CURDIR)/out/report.html 2>out/chromium.log
	@echo "screenshot: out/report.png"

# `make accuracy`: the rules scored against every gold file.
.PHONY: accuracy
accuracy: claimscan
	@for g in fixtures/hf-daily-codesign.txt:fixtures/hf-daily-codesign.gold.jsonl \
	          fixtures/heldout-arxiv.jsonl:fixtures/heldout-arxiv.gold.jsonl \
	          tests/gold3/docs.jsonl:tests/gold3/gold.jsonl tests/gold4/docs.jsonl:tests/gold4/gold.jsonl \
	          tests/gold5/docs.jsonl:tests/gold5/gold.jsonl tests/gold6/docs.jsonl:tests/gold6/gold.jsonl; do \
		echo "== $${g##*:}"; ./claimscan extract -q $${g%%:*} | ./claimscan eval --gold $${g##*:}; done

# `make bench`: throughput of an -O2 build (bench/bench.sh; numbers, not a test).
.PHONY: bench
bench:
	$(MAKE) --no-print-directory OPT=-O2 claimscan
	bash bench/bench.sh --rules-x10

# ---- fuzzing and memory checks (fuzz/README.md, docs/hostile.md) ----
# `make fuzz [FUZZ_SECONDS=60] [FUZZ_SEED=N]`: builds one libFuzzer target per input path
# (fuzz/fuzz_*.c) against the project's objects compiled with clang, ASan,
# UBSan and coverage into build/fuzz, then runs each for FUZZ_SECONDS from
# its seeds (fuzz/seeds/NAME, tests/regress/NAME) and the corpus it grew
# before (build/fuzz/corpus/NAME).  A crash, leak, sanitizer report or a
# 10 s timeout fails the target; the input is kept as build/fuzz/crash/NAME-*.
# Needs Debian's clang and libclang-rt-14-dev.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
# FUZZ_SEED=N makes the run reproducible (CI uses one, so what passed here passes there)
FUZZ_SEED    ?=
FUZZ_TARGETS := page hfjson jsonl text rules number extract screen
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# small scan limits (src/scan.h), so that fuzzed documents reach the cuts
FUZZ_LIMITS  := -DSCAN_MAX_MATCHES=12 -DSCAN_MAX_MENTIONS=6 -DSCAN_MAX_SENTENCE=96
FUZZ_CFLAGS  := -O1 -g -std=c11 -D_GNU_SOURCE -Wall -Wextra -MMD -MP $(shell pkg-config --cflags $(PKGS)) $(FUZZ_SAN) $(FUZZ_LIMITS)
FUZZ_OBJ     := $(patsubst src/%.c,build/fuzz/%.o,$(filter-out src/main.c,$(SRC)))
FUZZ_BIN     := $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

.PHONY: fuzz fuzz-build valgrind

build/fuzz/%.o: src/%.c
	@mkdir -p build/fuzz
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/fuzz_%: fuzz/fuzz_%.c fuzz/fuzz_common.h $(FUZZ_OBJ)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -Isrc -o $@ $< $(FUZZ_OBJ) $(LDLIBS)

fuzz-build: $(FUZZ_BIN)

# max_len per target: a few abstracts for the readers, one rule file, one
# number, one abstract for the whole engine.  The rules target's stderr (every
# broken rule file it tries is reported) is closed; crash reports still show.
fuzz: fuzz-build
	@mkdir -p build/fuzz/crash; failed=""; \
	for t in $(FUZZ_TARGETS); do \
		case $$t in number) len=2048;; screen) len=1024;; extract) len=4096;; rules) len=12288;; *) len=16384;; esac; \
		case $$t in rules) mask=2;; *) mask=0;; esac; \
		mkdir -p build/fuzz/corpus/$$t; \
		dirs="build/fuzz/corpus/$$t fuzz/seeds/$$t"; \
		[ -d tests/regress/$$t ] && dirs="$$dirs tests/regress/$$t"; \
		dict=; [ -f fuzz/$$t.dict ] && dict=-dict=fuzz/$$t.dict; \
		if build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) $(if $(FUZZ_SEED),-seed=$(FUZZ_SEED)) -max_len=$$len -timeout=10 \
			-rss_limit_mb=2048 -close_fd_mask=$$mask -print_final_stats=1 $$dict \
			-artifact_prefix=build/fuzz/crash/$$t- $$dirs >build/fuzz/$$t.log 2>&1; then \
			runs=$$(sed -n 's/^stat::number_of_executed_units: *//p' build/fuzz/$$t.log); \
			cov=$$(grep -o 'cov: [0-9]*' build/fuzz/$$t.log | tail -n 1); \
			echo "fuzz: $$t: ok, $$runs runs in $(FUZZ_SECONDS) s, $$cov, max_len $$len"; \
		else \
			tail -n 40 build/fuzz/$$t.log; \
			echo "fuzz: $$t: FAILED (log build/fuzz/$$t.log, input build/fuzz/crash/$$t-*)"; \
			failed="$$failed $$t"; \
		fi; \
	done; \
	[ -z "$$failed" ] || { echo "fuzz: failed:$$failed"; exit 1; }

-include $(FUZZ_OBJ:.o=.d)

# `make valgrind`: the golden extraction and some hostile inputs under
# valgrind (an -O2 build without sanitizers): no errors, no definite or
# indirect leaks.  The golden output must still match byte for byte.
# fuzz/valgrind.supp hides only what memcheck reports inside PCRE2's JIT code.
VALGRIND := valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --suppressions=fuzz/valgrind.supp
valgrind: claimscan
	@mkdir -p build/valgrind
	$(VALGRIND) --error-exitcode=1 ./claimscan extract fixtures/hf-daily-codesign.txt >build/valgrind/seed.jsonl
	cmp fixtures/hf-daily-codesign.expected.jsonl build/valgrind/seed.jsonl
	@# documents with errors exit 1, so valgrind's own status is 99 here
	$(VALGRIND) --error-exitcode=99 ./claimscan extract -j 2 tests/input/jsonl-nonobject.jsonl \
		tests/input/bad-utf8.jsonl tests/input/nul.txt tests/input/hfjson-bad.json \
		tests/input/control-title.jsonl >build/valgrind/hostile.jsonl || [ $$? = 1 ]
	$(VALGRIND) --error-exitcode=99 ./claimscan extract --format csv tests/input/formula.jsonl \
		tests/input/hfjson-malformed.json >build/valgrind/hostile.csv || [ $$? = 1 ]
	yes '2x faster. ' | head -n 2000 | tr -d '\n' >build/valgrind/many.txt
	$(VALGRIND) --error-exitcode=1 ./claimscan extract build/valgrind/many.txt >build/valgrind/many.jsonl
	@# a rule set that does not load (exit 3) frees what it had loaded
	rm -rf build/valgrind/rules && cp -r rules build/valgrind/rules
	printf 'rule broken.paren\n  kind speedup\n  unit x\n  pattern (?<value>\\d+\n' >build/valgrind/rules/99-bad.rules
	$(VALGRIND) --error-exitcode=99 ./claimscan extract --rules build/valgrind/rules tests/input/nul.txt \
		>/dev/null || [ $$? = 3 ]
	@echo "valgrind: no errors, no leaks"
