#!/usr/bin/env bash
# bench/bench.sh: extraction throughput on the 20,000 arXiv abstracts of
# ../shared/corpus and on that file concatenated 10 times.  Prints numbers;
# it is a measurement, not a test, and never fails on a slow machine.
#   bench/bench.sh [--rules-x10]    (--rules-x10: also time a rule set replicated 10 times)
set -u
cd "$(dirname "$0")/.."
CORPUS=${CORPUS:-../shared/corpus/arxiv-listing-20k.jsonl.xz}
TMP=${TMPDIR:-/tmp}/claimscan-bench.$$
mkdir -p "$TMP"
trap 'rm -rf "$TMP"' EXIT
[ -r "$CORPUS" ] || { echo "bench: cannot read $CORPUS"; exit 1; }
xz -dc "$CORPUS" > "$TMP/20k.jsonl"
for i in 1 2 3 4 5 6 7 8 9 10; do cat "$TMP/20k.jsonl"; done > "$TMP/200k.jsonl"
TIME=/usr/bin/time
[ -x "$TIME" ] || TIME=

# run LABEL FILE ARGS...: one timed extraction; prints a row
run() {
    local label=$1 file=$2; shift 2
    local mb docs start end secs rss claims
    mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
    start=$(date +%s.%N)
    if [ -n "$TIME" ]; then
        "$TIME" -f '%M' -o "$TMP/rss" ./claimscan extract -q "$@" "$file" > "$TMP/out.jsonl"
        rss=$(awk '{ printf "%.1f MB", $1 / 1024 }' "$TMP/rss")
    else
        ./claimscan extract -q "$@" "$file" > "$TMP/out.jsonl"
        rss="n/a (install 'time')"
    fi
    end=$(date +%s.%N)
    docs=$(grep -c '^{"record":"document"' "$TMP/out.jsonl")
    claims=$(grep -c '^{"record":"claim"' "$TMP/out.jsonl")
    awk -v l="$label" -v mb="$mb" -v s="$start" -v e="$end" -v d="$docs" -v c="$claims" -v r="$rss" \
        'BEGIN { t = e - s; printf "%-28s %7s MB %7.2f s %8.1f MB/s %9.0f docs/s %8.0f claims/s  peak RSS %s\n", l, mb, t, mb / t, d / t, c / t, r }'
}

echo "claimscan bench on $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
for f in 20k 200k; do
    file="$TMP/$f.jsonl"
    mb=$(awk -v b="$(stat -c %s "$file")" 'BEGIN { printf "%.1f", b / 1e6 }')
    start=$(date +%s.%N)
    grep -c '[0-9]' "$file" > "$TMP/grep.out"   # not /dev/null: grep would stop at the first match
    end=$(date +%s.%N)
    awk -v l="grep -c '[0-9]' $f" -v mb="$mb" -v s="$start" -v e="$end" \
        'BEGIN { t = e - s; printf "%-28s %7s MB %7.2f s %8.1f MB/s   (I/O reference)\n", l, mb, t, mb / t }'
    run "extract -j 1 $f" "$file" -j 1
    run "extract -j 2 $f" "$file" -j 2
done

if [ "${1:-}" = "--rules-x10" ]; then
    # the same rules ten times over (ids renamed), for rule-count scaling
    cp -r rules "$TMP/rules10"
    for f in rules/[2-9]*.rules; do
        for i in 1 2 3 4 5 6 7 8 9; do
            sed -e "s/^rule \(.*\)/rule \1.copy$i/" -e '/^define /d' "$f" > "$TMP/rules10/zz-copy$i-$(basename "$f")"
        done
    done
    run "extract -j 1 20k, rules x1" "$TMP/20k.jsonl" -j 1
    run "extract -j 1 20k, rules x10" "$TMP/20k.jsonl" -j 1 --rules "$TMP/rules10"
fi
