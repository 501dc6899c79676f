#!/usr/bin/env bash
# fuzz/make-seeds.sh: regenerates fuzz/seeds/ from fixtures/, rules/ and
# tests/input/ (small slices; the committed corpus stays well under 1 MB).
# Needs jq.  Run from the project root; the seeds are committed, so the
# fuzz targets themselves need nothing but the files in fuzz/seeds/.
set -euo pipefail
cd "$(dirname "$0")/.."
S=fuzz/seeds
rm -rf "$S"
mkdir -p "$S"/{page,hfjson,jsonl,text,rules,number,extract,screen}

# page: the first papers of the seed page, a few single papers, the small page
head -c 3500 fixtures/hf-daily-codesign.txt > "$S/page/head"
cp tests/input/page-small.txt "$S/page/small"
awk 'BEGIN { RS = ""; n = 0 } length($0) >= 200 && n < 6 { n++; print prev "\n\n" $0 > ("'"$S"'/page/paper" n) } { prev = $0 }' \
    fixtures/hf-daily-codesign.txt

# hfjson: two API elements with their summaries, and the hostile ones
jq -c '.[0:2] | map({paper: {id: .paper.id, title: .paper.title, summary: .paper.summary}})' \
    fixtures/hf-daily-api/2026-08-12.json > "$S/hfjson/two"
jq '.[2:3]' fixtures/hf-daily-api/2026-08-12.json | dd bs=4000 count=1 iflag=fullblock status=none > "$S/hfjson/cut" || true
for f in hfjson-bad.json hfjson-empty.json hfjson-malformed.json; do cp "tests/input/$f" "$S/hfjson/${f%.json}"; done

# jsonl: a few arXiv lines and the hostile line files
head -n 3 fixtures/arxiv-200.jsonl > "$S/jsonl/arxiv"
head -n 2 fixtures/heldout-arxiv.jsonl > "$S/jsonl/heldout"
for f in tests/input/*.jsonl; do b=${f##*/}; cp "$f" "$S/jsonl/${b%.jsonl}"; done

# text: plain abstracts and the hostile text files
sed -n 1p fixtures/heldout-arxiv.jsonl | jq -r .summary > "$S/text/abstract"
cp tests/input/title-abstract.txt "$S/text/title-abstract"
cp tests/input/nul.txt "$S/text/nul"
printf '\xef\xbb\xbfOur kernel achieves a 3.5x speedup over cuBLAS on an NVIDIA H100.\n' > "$S/text/bom"
printf '{"id":"x"}\n' > "$S/text/jsonish"

# rules: the project's claim rule files (00-defs and 10-context are in the
# fuzz rules directory already)
for f in rules/[2-9]*.rules; do b=${f##*/}; cp "$f" "$S/rules/${b%.rules}"; done
printf 'rule fuzz.one\n  kind speedup\n  unit x\n  pattern (?<value>{NUM})x\n  example "3x" value=3\n  counter "x"\n' \
    > "$S/rules/minimal"

# number: one number form per file, "\xff" then a unit spelling
i=0
for n in '4,039' '2.6' '3,201' '8\,000' '0.76' '1e3' '175' 'seven' 'two hundred' 'a hundred' 'twenty-five' \
         'ten thousand' 'twice' '1.2e-3' '2 000' '1.1.1.1'; do
    i=$((i + 1)); printf '%s' "$n" > "$S/number/n$i"
done
for u in 'tokens/s' 'ms' 'GB' 'x' '%' 'TFLOPS' 'W' 'tokens per second'; do
    i=$((i + 1)); printf '1\xff%s' "$u" > "$S/number/u$i"
done
printf '4\xe2\x80\x89039' > "$S/number/thin"

# extract: single abstracts with claims, and some with hardware
jq -r 'select(.summary | test("[0-9](x|×| times)")) | .summary' fixtures/heldout-arxiv.jsonl |
    awk 'NR <= 8 { print > ("'"$S"'/extract/a" NR) }'
printf 'Our kernel achieves a 3.5x speedup over cuBLAS on an NVIDIA H100.\n' > "$S/extract/one"
printf 'up to 7.3x higher throughput and 49.59x better energy efficiency than an A100, and 1.2x on L40S.' > "$S/extract/pair"

# screen: texts (first 1 KB of a few abstracts, the twins of k and s), and
# patterns with a text after them
jq -r 'select(.summary | test("[0-9](x|×| times)")) | .summary' fixtures/heldout-arxiv.jsonl |
    awk 'NR <= 4 { print substr($0, 1, 1000) > ("'"$S"'/screen/a" NR) }'
printf 'a \xc5\xbfpeedup of 3, 12 \xe2\x84\xaaB, two-fold, ten times and x4; GPT\xe2\x80\x99s 12\n' > "$S/screen/twins"
printf 'pattern: (?:two|ten)\\s+times|\\d+x|[a-z]++(*SKIP)(*FAIL)\noften two times, 3x and a12x\n' > "$S/screen/skip"
printf 'pattern: (?<![\\w.])\\d+(?:\\.\\d+)?\\s*(?:x|\xc3\x97|times)\\b\n2.5x faster, v2x, 3 \xc3\x97 and 4 times\n' > "$S/screen/lookbehind"
printf 'pattern: \\b(?:a\\s+)?(?:tenth|hundredth)\\s+of|[$\xe2\x82\xac]\\d+|[\x27\xe2\x80\x99]s\\s+\\d\na tenth of, $5, GPT\xe2\x80\x99s 12\n' > "$S/screen/classes"
