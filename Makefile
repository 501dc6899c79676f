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
	LC_ALL=C bash tests/run.sh

clean:
	rm -rf build claimscan tests/unit tests/out

-include $(OBJ:.o=.d)

FORCE:

# ---- demo and screenshot (report/plot) ----
# `make demo`: on a fresh Debian machine, installs what is missing, builds,
# extracts the bundled fixtures into a store and writes out/report.md,
# out/report.html and out/plots/*.png.
DEMO_DOCS  := fixtures/hf-daily-codesign.txt $(wildcard fixtures/hf-daily-api/*.json) fixtures/arxiv-200.jsonl
DEMO_DEBS  := make gcc pkg-config libpcre2-dev libcjson-dev libsqlite3-dev gnuplot-nox
CHROMIUM   ?= $(firstword $(shell command -v chromium chromium-browser google-chrome 2>/dev/null))

demo:
	@missing=""; \
	command -v gcc >/dev/null 2>&1 || missing="$$missing gcc"; \
	command -v pkg-config >/dev/null 2>&1 || missing="$$missing pkg-config"; \
	pkg-config --exists libpcre2-8 2>/dev/null || missing="$$missing libpcre2-dev"; \
	pkg-config --exists libcjson 2>/dev/null || missing="$$missing libcjson-dev"; \
	pkg-config --exists sqlite3 2>/dev/null || missing="$$missing libsqlite3-dev"; \
	command -v gnuplot >/dev/null 2>&1 || missing="$$missing gnuplot-nox"; \
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

# `make accuracy`: the rules scored against both gold files.
.PHONY: accuracy
accuracy: claimscan
	@for g in hf-daily-codesign:txt heldout-arxiv:jsonl; do \
		n=$${g%%:*}; echo "== fixtures/$$n.gold.jsonl"; \
		./claimscan extract -q fixtures/$$n.$${g##*:} | ./claimscan eval --gold fixtures/$$n.gold.jsonl; done

# `make bench`: throughput of an -O2 build (bench/bench.sh; numbers, not a test).
.PHONY: bench
bench:
	$(MAKE) --no-print-directory OPT=-O2 claimscan
	bash bench/bench.sh --rules-x10
