# tests/t_diff.sh: `claimscan diff` (sourced by tests/run.sh; $CS, $T, check_*).
#
# tests/diff/{old,new}.jsonl is a hand-made rule change; docs are in the
# order 10, 2, 9, 2401.01234, 2312.00001 (old) and 2401.01234, 12, 2, 10 (new),
# so the listing must sort them (2, 9, 10, 12, then arXiv ids as strings).
#   doc 2   2.6x unchanged; 2x on A100 [300) unchanged and 2x on H100 [400)
#           rule n_faster -> n_times (the two 2x pair by span, not crosswise);
#           1.4x energy: qualifier exact -> up_to, text, start and rule;
#           1.69x: baseline ANT -> OliVe; 4039 tokens/s moved to another span
#           (paired by the same value and unit); A100 mention: count, text, span
#   doc 9   only in OLD: the document and its 1 GB claim are removed
#   doc 10  2-3x -> 2-4x (same span); 30% removed, 5x added; 85 ms and the
#           Raspberry Pi 5 mention unchanged; A100 mention removed, H100 added
#   doc 12  only in NEW: the document, a claim and a hardware mention added
#   2401.01234 identical; 2312.00001 (no claims) only in OLD
#   -> claims +2 -5 ~5, hardware +2 -1 ~1, documents +1 -2
DF=tests/diff
DO=$DF/old.jsonl
DN=$DF/new.jsonl

# --- the listing and the summary, byte for byte
check_exit diff-small 1 $CS diff $DO $DN
check_cmp diff-small-out $DF/small.expect $T/diff-small.out
check_eq diff-small-quiet "" "$(cat $T/diff-small.err)"
check_grep diff-qualifier '~ doc 2  energy_gain 1.4x: qualifier exact -> up_to; text "1.4times energy reduction" -> "up to 1.4times energy reduction"; start 150 -> 144; rule energy_gain.n_less_energy -> energy_gain.up_to' $T/diff-small.out
check_grep diff-baseline '~ doc 2  speedup 1.69x  "1.69times": baseline "ANT" -> "OliVe"' $T/diff-small.out
check_grep diff-rule '~ doc 2  speedup 2x  "2x": rule speedup.n_faster -> speedup.n_times' $T/diff-small.out
check_eq diff-rule-once 1 "$(grep -c 'speedup 2x' $T/diff-small.out)"
check_grep diff-moved '~ doc 2  throughput 4039 tokens/s  "4,039 tokens per second": start 10 -> 510; end 33 -> 533' $T/diff-small.out
check_grep diff-range '~ doc 10  speedup 2-3x: hi 3 -> 4; factor 3 -> 4; text "2-3x faster" -> "2-4x faster"' $T/diff-small.out
check_grep diff-removed '- doc 10  speedup 30%  "30% faster"  rule ratio.percent_gain' $T/diff-small.out
check_grep diff-added '+ doc 10  speedup 5x  "5x"  rule speedup.n_faster' $T/diff-small.out
check_grep diff-hw-changed '~ doc 2  hardware "NVIDIA A100": count null -> 8; text "A100" -> "8x A100"; start 290 -> 288; end 294 -> 295' $T/diff-small.out
check_grep diff-hw-removed '- doc 10  hardware "NVIDIA A100"  "A100"' $T/diff-small.out
check_grep diff-hw-added '+ doc 10  hardware "NVIDIA H100"  "H100"' $T/diff-small.out
check_grep diff-doc-new '+ doc 12  document  "Twelve: new paper"' $T/diff-small.out
check_grep diff-doc-new-claim '+ doc 12  speedup 2.6x  "2.6times speedup"  rule speedup.n_faster' $T/diff-small.out
check_grep diff-doc-old '- doc 9  document  "Nine: gone"' $T/diff-small.out
check_grep diff-doc-old-claim '- doc 9  memory 1 GB  "1GB of memory"  rule memory.value' $T/diff-small.out
check_nogrep diff-unchanged-arxiv 'doc 2401.01234' $T/diff-small.out
check_nogrep diff-unchanged-latency '85 ms' $T/diff-small.out
check_eq diff-doc-order "2 9 10 12 2312.00001" \
    "$(sed '/^$/,$d' $T/diff-small.out | awk '{print $3}' | uniq | tr '\n' ' ' | sed 's/ $//')"
check_grep diff-totals 'claims      added 2, removed 2, changed 5' $T/diff-small.out
check_grep diff-totals-hw 'hardware    added 2, removed 1, changed 1' $T/diff-small.out
check_grep diff-totals-docs 'documents   added 1, removed 2' $T/diff-small.out
check_grep diff-kind-row '  speedup                     2        1        3' $T/diff-small.out
check_grep diff-rule-new '  speedup.n_times             0        0        1' $T/diff-small.out
check_grep diff-rule-old '  ratio.percent_gain          0        1        0' $T/diff-small.out

# --- the same tables in other line orders: the same bytes out
tac $DO >$T/diff-old-rev.jsonl
sort $DN >$T/diff-new-sorted.jsonl
check_exit diff-reorder 1 $CS diff $T/diff-old-rev.jsonl $T/diff-new-sorted.jsonl
check_cmp diff-reorder-out $DF/small.expect $T/diff-reorder.out
# OLD from standard input
$CS diff - $DN <$DO >$T/diff-stdin.out 2>&1
check_cmp diff-stdin $DF/small.expect $T/diff-stdin.out

# --- --summary: the summary alone, the same as the end of the full output
check_exit diff-summary 1 $CS diff --summary $DO $DN
check_cmp diff-summary-out $DF/small.summary.expect $T/diff-summary.out
sed '1,/^$/d' $T/diff-small.out >$T/diff-small.tail
check_cmp diff-summary-tail $DF/small.summary.expect $T/diff-small.tail

# --- --json: one object, lists and counts
check_exit diff-json 1 $CS diff --json $DO $DN
check_cmp diff-json-out $DF/small.json.expect $T/diff-json.out
check_eq diff-json-lines 1 "$(wc -l <$T/diff-json.out | tr -d ' ')"
check_grep diff-json-docs '"documents":{"added":["12"],"removed":["9","2312.00001"]}' $T/diff-json.out
check_grep diff-json-counts '"counts":{"claims":{"added":2,"removed":2,"changed":5},"hardware":{"added":2,"removed":1,"changed":1},"documents":{"added":1,"removed":2}' $T/diff-json.out
check_grep diff-json-fields '"fields":["baseline"]' $T/diff-json.out
check_grep diff-json-rule '{"added":0,"removed":0,"changed":1,"rule":"speedup.n_times"}' $T/diff-json.out

# --- identical tables (in any line order): exit 0, "no differences"
check_exit diff-same 0 $CS diff $DO $T/diff-old-rev.jsonl
check_eq diff-same-out "no differences (5 documents, 11 claims, 4 hardware mentions)" "$(cat $T/diff-same.out)"
check_exit diff-same-summary 0 $CS diff --summary $DN $T/diff-new-sorted.jsonl
check_eq diff-same-summary-out "no differences (4 documents, 11 claims, 5 hardware mentions)" "$(cat $T/diff-same-summary.out)"
check_exit diff-same-json 0 $CS diff --json $DO $DO
check_grep diff-same-json-out '"identical":true' $T/diff-same-json.out
# a difference in hardware alone is a difference
sed 's/"text":"TPU v4"/"text":"TPUv4"/' $DO >$T/diff-hwonly.jsonl
check_exit diff-hwonly 1 $CS diff $DO $T/diff-hwonly.jsonl
check_eq diff-hwonly-line '~ doc 2401.01234  hardware "Google TPU v4": text "TPU v4" -> "TPUv4"' \
    "$(head -n 1 $T/diff-hwonly.out)"

# --- the committed extraction of the bundled abstracts is what extract writes
./claimscan extract -q fixtures/hf-daily-codesign.txt >$T/diff-codesign.jsonl 2>/dev/null
check_exit diff-codesign 0 $CS diff fixtures/hf-daily-codesign.expected.jsonl $T/diff-codesign.jsonl
check_grep diff-codesign-out 'no differences (78 documents' $T/diff-codesign.out

# --- malformed input: FILE:LINE: message, exit 2, nothing on stdout
check_exit diff-bad-new 2 $CS diff $DO $DF/bad.jsonl
check_eq diff-bad-new-msg "claimscan: $DF/bad.jsonl:3: malformed JSON" "$(cat $T/diff-bad-new.err)"
check_eq diff-bad-new-nostdout "" "$(cat $T/diff-bad-new.out)"
check_exit diff-bad-old 2 $CS diff $DF/bad.jsonl $DN
check_eq diff-bad-old-msg "claimscan: $DF/bad.jsonl:3: malformed JSON" "$(cat $T/diff-bad-old.err)"
printf '{"record": "claim", "doc": "1", "kind": "speedup", "value": "2.6", "unit": "x"}\n' >$T/diff-badnum.jsonl
check_exit diff-badnum 2 $CS diff $DO $T/diff-badnum.jsonl
check_eq diff-badnum-msg "claimscan: $T/diff-badnum.jsonl:1: field 'value' is not a number" "$(cat $T/diff-badnum.err)"
printf '{"record": "claim", "doc": "1", "kind": "speed", "value": 2.6, "unit": "x"}\n' >$T/diff-badkind.jsonl
check_exit diff-badkind 2 $CS diff $T/diff-badkind.jsonl $DN
check_eq diff-badkind-msg "claimscan: $T/diff-badkind.jsonl:1: unknown kind 'speed'" "$(cat $T/diff-badkind.err)"
printf '{"doc": "1", "claims": [], "hardware": []}\n' >$T/diff-gold.jsonl
check_exit diff-gold 2 $CS diff $T/diff-gold.jsonl $DN
check_eq diff-gold-msg "claimscan: $T/diff-gold.jsonl:1: missing field 'record'" "$(cat $T/diff-gold.err)"

# --- usage
check_exit diff-help 0 $CS diff --help
check_grep diff-help-text 'usage: claimscan diff [--summary | --json] OLD.jsonl NEW.jsonl' $T/diff-help.out
check_exit diff-noargs 2 $CS diff
check_exit diff-onefile 2 $CS diff $DO
check_grep diff-onefile-msg 'claimscan: diff needs two files, OLD.jsonl NEW.jsonl' $T/diff-onefile.err
check_exit diff-threefiles 2 $CS diff $DO $DN $DN
check_exit diff-badopt 2 $CS diff --frobnicate $DO $DN
check_grep diff-badopt-msg "claimscan: unknown option '--frobnicate'" $T/diff-badopt.err
check_exit diff-twostdin 2 $CS diff - -
check_exit diff-nofile 2 $CS diff $DO $T/no-such.jsonl
check_eq diff-nofile-msg "claimscan: cannot open '$T/no-such.jsonl': No such file or directory" "$(cat $T/diff-nofile.err)"
