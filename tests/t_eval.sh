# tests/t_eval.sh: `claimscan eval` (sourced by tests/run.sh; $CS, $T, check_*).
#
# tests/eval/small.{gold,pred}.jsonl is a hand-made case; docs in the gold
# file are in the order 10, 2, 9, 11 so that -v must sort them numerically.
#   claims: 9 gold, 9 scored predictions
#     doc 2   2.6x with baseline "state-of-the-art quantization accelerators"
#             vs "Quantization Accelerators": match, baseline agrees (containment)
#             1.4x energy: match; factor 1.4 vs 1.5, hardware null vs A100 and
#             baseline "ANT" vs null disagree
#             2x on A100 [200,210) + 2x on H100 [300,310), predicted in the
#             opposite order: paired by span overlap, so hardware agrees
#     doc 10  range 2-3x: match (factor 3 vs 3.01, within 0.5%)
#             30% vs 1.3x: unit differs, so one miss and one extra
#             85 ms on "Raspberry Pi 5" vs "Raspberry Pi": match, family agrees
#     doc 9   1 GB vs 1000 MB (norm 1e9 vs 1.004e9): match; unit GB/MB,
#             qualifier up_to/exact, hardware "NVIDIA A10"/"NVIDIA A100" disagree
#             1.69 W: miss
#     doc 11  5x: extra (a doc with no claims)
#     doc 99  not in the gold: warned about, not scored
#   -> tp 7, fp 2, fn 2; speedup tp 4, fp 2, fn 1; power fn 1
#   -> factor 4/5, unit 1/2, qualifier 6/7, hardware 5/7, baseline 6/7
#   hardware: A100 (doc 2), Raspberry Pi ~ Raspberry Pi 5, A100 (doc 10) match;
#   doc 9: gold "NVIDIA A10" is matched neither by "NVIDIA A100" nor by the
#   bare vendor "NVIDIA" -> tp 3, fp 2, fn 1
EV=tests/eval
EG=$EV/small.gold.jsonl
EP=$EV/small.pred.jsonl

# --- a perfect prediction (the gold fixture flattened to records) scores 1.000
check_exit eval-perfect 0 $CS eval --gold fixtures/hf-daily-codesign.gold.jsonl \
    --min-f1 1 --min-hardware-f1 1 --min-kind-f1 speedup=1 --min-kind-f1 memory=1 \
    $EV/codesign.perfect.jsonl
check_grep eval-perfect-claims 'claims             P 1.000  R 1.000  F1 1.000   (tp 88, fp 0, fn 0)' $T/eval-perfect.out
check_grep eval-perfect-speedup '  speedup          P 1.000  R 1.000  F1 1.000   (tp 47, fp 0, fn 0)' $T/eval-perfect.out
check_grep eval-perfect-factor '  factor           1.000  (69/69)' $T/eval-perfect.out
check_grep eval-perfect-unit '  unit             1.000  (19/19)' $T/eval-perfect.out
check_grep eval-perfect-baseline '  baseline         1.000  (88/88)' $T/eval-perfect.out
check_grep eval-perfect-hw 'hardware           P 1.000  R 1.000  F1 1.000   (tp 20, fp 0, fn 0)' $T/eval-perfect.out
check_grep eval-perfect-docs 'documents          gold 78, predicted 78' $T/eval-perfect.out
check_eq eval-perfect-quiet "" "$(cat $T/eval-perfect.err)"

# --- the hand-made case: every number, and the -v listing
check_exit eval-small 0 $CS eval --gold $EG $EP
check_cmp eval-small-out $EV/small.expect $T/eval-small.out
check_grep eval-small-warn "claimscan: warning: predictions for 1 document not in '$EG' are not scored (1 claim/hardware record; e.g. doc '99')" $T/eval-small.err
check_grep eval-small-f1 'claims             P 0.778  R 0.778  F1 0.778   (tp 7, fp 2, fn 2)' $T/eval-small.out
check_grep eval-small-speedup '  speedup          P 0.667  R 0.800  F1 0.727   (tp 4, fp 2, fn 1)' $T/eval-small.out
check_grep eval-small-power '  power            P 0.000  R 0.000  F1 0.000   (tp 0, fp 0, fn 1)' $T/eval-small.out
check_grep eval-small-factor '  factor           0.800  (4/5)' $T/eval-small.out
check_grep eval-small-unit '  unit             0.500  (1/2)' $T/eval-small.out
check_grep eval-small-qual '  qualifier        0.857  (6/7)' $T/eval-small.out
check_grep eval-small-hwattr '  hardware         0.714  (5/7)' $T/eval-small.out
check_grep eval-small-base '  baseline         0.857  (6/7)' $T/eval-small.out
check_grep eval-small-hw 'hardware           P 0.600  R 0.750  F1 0.667   (tp 3, fp 2, fn 1)' $T/eval-small.out

check_exit eval-v 0 $CS eval --gold $EG -v $EP
sed '/^$/,$d' $T/eval-v.out >$T/eval-v.list
check_cmp eval-v-list $EV/small.verbose.expect $T/eval-v.list
check_grep eval-v-a10 'miss   doc 9  hardware "NVIDIA A10"  [5,15) "NVIDIA A10"' $T/eval-v.list
check_grep eval-v-unit 'extra  doc 10  speedup 1.3 x  [80,96) "speeds up by 30%"  rule ratio.percent_gain' $T/eval-v.list
check_nogrep eval-v-family 'Raspberry Pi' $T/eval-v.list
check_nogrep eval-v-tie '2x on' $T/eval-v.list
check_eq eval-v-order "2 9 10 11" "$(awk '{print $3}' $T/eval-v.list | uniq | tr '\n' ' ' | sed 's/ $//')"
# the same predictions in reverse order: same bytes out
tac $EP | $CS eval --gold $EG -v >$T/eval-v-rev.out 2>/dev/null
check_cmp eval-v-reverse $T/eval-v.out $T/eval-v-rev.out

# --- stdin, --gold=FILE, and ties (tests/eval/ties.*):
# doc 1: gold 100x and 100.6x; predicted 100.3x (fits both, on the span of
#   100x) and 99.8x (fits only 100x): augmenting pairs both gold claims
# doc 2: gold "up to 5x faster than before" [100,127) up_to; predicted [100,102)
#   exact (closest start, first in input) and [106,127) up_to (most overlap):
#   the overlap wins, so the qualifier agrees and [100,102) is the extra
$CS eval --gold=$EV/ties.gold.jsonl -v - <$EV/ties.pred.jsonl >$T/eval-ties.out 2>&1
check_grep eval-ties-claims 'claims             P 0.750  R 1.000  F1 0.857   (tp 3, fp 1, fn 0)' $T/eval-ties.out
check_grep eval-ties-qual '  qualifier        1.000  (3/3)' $T/eval-ties.out
check_grep eval-ties-extra 'extra  doc 2  speedup 5 x  [100,102) "up"  rule r' $T/eval-ties.out

# --- --json
check_exit eval-json 0 $CS eval --gold $EG --json --min-kind-f1 speedup=0.5 $EP
check_grep eval-json-claims '"claims":{"precision":0.778,"recall":0.778,"f1":0.778,"tp":7,"fp":2,"fn":2}' $T/eval-json.out
check_grep eval-json-speedup '"speedup":{"precision":0.667,"recall":0.8,"f1":0.727,"tp":4,"fp":2,"fn":1}' $T/eval-json.out
check_grep eval-json-unit '"unit":{"share":0.5,"agree":1,"total":2}' $T/eval-json.out
check_grep eval-json-hw '"hardware":{"precision":0.6,"recall":0.75,"f1":0.667,"tp":3,"fp":2,"fn":1}' $T/eval-json.out
check_grep eval-json-gate '"gates":[{"gate":"--min-kind-f1","kind":"speedup","min":0.5,"f1":0.727,"ok":true}]' $T/eval-json.out
check_eq eval-json-lines 1 "$(wc -l <$T/eval-json.out | tr -d ' ')"

# --- gates: compared as printed, so F1 0.778 passes --min-f1 0.778
check_exit eval-gate-pass 0 $CS eval --gold $EG --min-f1 0.778 --min-hardware-f1 0.667 \
    --min-kind-f1 speedup=0.7 --min-kind-f1 latency=1 $EP
check_exit eval-gate-f1 1 $CS eval --gold $EG --min-f1 0.8 $EP
check_grep eval-gate-f1-msg 'claimscan: gate failed: claim F1 0.778 is below 0.8 (--min-f1 0.8)' $T/eval-gate-f1.err
check_grep eval-gate-f1-still-prints 'claims             P 0.778' $T/eval-gate-f1.out
check_exit eval-gate-hw 1 $CS eval --gold $EG --min-hardware-f1 0.7 $EP
check_grep eval-gate-hw-msg 'claimscan: gate failed: hardware F1 0.667 is below 0.7 (--min-hardware-f1 0.7)' $T/eval-gate-hw.err
check_exit eval-gate-kind 1 $CS eval --gold $EG --min-kind-f1 speedup=0.7 --min-kind-f1 power=0.5 $EP
check_grep eval-gate-kind-msg 'claimscan: gate failed: power F1 0.000 is below 0.5 (--min-kind-f1 power=0.5)' $T/eval-gate-kind.err
check_nogrep eval-gate-kind-ok 'speedup F1' $T/eval-gate-kind.err

# --- usage errors
check_exit eval-help 0 $CS eval --help
check_grep eval-help-text 'usage: claimscan eval --gold GOLD.jsonl' $T/eval-help.out
check_exit eval-nogold 2 $CS eval $EP
check_exit eval-badopt 2 $CS eval --gold $EG --frobnicate $EP
check_exit eval-twofiles 2 $CS eval --gold $EG $EP $EP
check_exit eval-gate-range 2 $CS eval --gold $EG --min-f1 1.5 $EP
check_exit eval-gate-kindname 2 $CS eval --gold $EG --min-kind-f1 speed=0.5 $EP
check_grep eval-gate-kindname-msg "claimscan: unknown kind 'speed' in --min-kind-f1" $T/eval-gate-kindname.err
check_exit eval-gate-noeq 2 $CS eval --gold $EG --min-kind-f1 speedup $EP
check_exit eval-nofile 2 $CS eval --gold $T/no-such-gold.jsonl $EP
check_grep eval-nofile-msg "claimscan: cannot open '$T/no-such-gold.jsonl': No such file or directory" $T/eval-nofile.err

# --- malformed input: FILE:LINE: message, exit 2, in either file
printf '{"doc": "1", "claims": [], "hardware": []}\n\n{"doc": "2", "claims": [\n' >$T/eval-bad-gold.jsonl
check_exit eval-bad-gold 2 $CS eval --gold $T/eval-bad-gold.jsonl $EP
check_eq eval-bad-gold-msg "claimscan: $T/eval-bad-gold.jsonl:3: malformed JSON" "$(cat $T/eval-bad-gold.err)"
printf '{"doc": "1", "claims": [{"kind": "speedup", "value": 2, "unit": "x", "start": "0"}], "hardware": []}\n' >$T/eval-bad-gold2.jsonl
check_exit eval-bad-gold2 2 $CS eval --gold $T/eval-bad-gold2.jsonl $EP
check_eq eval-bad-gold2-msg "claimscan: $T/eval-bad-gold2.jsonl:1: claims[0]: field 'start' is not a byte offset" "$(cat $T/eval-bad-gold2.err)"
printf '{"doc": "1", "claims": [], "hardware": []}\n{"doc": "1", "claims": [], "hardware": []}\n' >$T/eval-dup-gold.jsonl
check_exit eval-dup-gold 2 $CS eval --gold $T/eval-dup-gold.jsonl $EP
check_eq eval-dup-gold-msg "claimscan: $T/eval-dup-gold.jsonl:2: doc '1' is already on line 1" "$(cat $T/eval-dup-gold.err)"
printf '{"doc": "1", "claims": []}\n' >$T/eval-nohw-gold.jsonl
check_exit eval-nohw-gold 2 $CS eval --gold $T/eval-nohw-gold.jsonl $EP
check_eq eval-nohw-gold-msg "claimscan: $T/eval-nohw-gold.jsonl:1: missing field 'hardware'" "$(cat $T/eval-nohw-gold.err)"

printf '{"record": "document", "doc": "2", "error": null}\n{"record": "claim", "doc": "2", "kind": "speedup", "value": "2.6", "unit": "x"}\n' >$T/eval-bad-pred.jsonl
check_exit eval-bad-pred 2 $CS eval --gold $EG $T/eval-bad-pred.jsonl
check_eq eval-bad-pred-msg "claimscan: $T/eval-bad-pred.jsonl:2: field 'value' is not a number" "$(cat $T/eval-bad-pred.err)"
check_eq eval-bad-pred-nostdout "" "$(cat $T/eval-bad-pred.out)"
printf '{"record": "claim", "kind": "speedup", "value": 2.6, "unit": "x"}\n' >$T/eval-nodoc-pred.jsonl
check_exit eval-nodoc-pred 2 $CS eval --gold $EG $T/eval-nodoc-pred.jsonl
check_eq eval-nodoc-pred-msg "claimscan: $T/eval-nodoc-pred.jsonl:1: missing field 'doc'" "$(cat $T/eval-nodoc-pred.err)"
printf '{"record": "claim", "doc": "2", "kind": "speed", "value": 2.6, "unit": "x"}\n' >$T/eval-kind-pred.jsonl
check_exit eval-kind-pred 2 $CS eval --gold $EG $T/eval-kind-pred.jsonl
check_eq eval-kind-pred-msg "claimscan: $T/eval-kind-pred.jsonl:1: unknown kind 'speed'" "$(cat $T/eval-kind-pred.err)"
printf '{"record": "claim", "doc": "2"} trailing\n' >$T/eval-trail-pred.jsonl
check_exit eval-trail-pred 2 $CS eval --gold $EG $T/eval-trail-pred.jsonl
check_eq eval-trail-pred-msg "claimscan: $T/eval-trail-pred.jsonl:1: malformed JSON" "$(cat $T/eval-trail-pred.err)"
# the gold given as the predictions by mistake
check_exit eval-gold-as-pred 2 $CS eval --gold $EG $EG
check_grep eval-gold-as-pred-msg "claimscan: $EG:1: missing field 'record'" $T/eval-gold-as-pred.err
$CS eval --gold $EG <$T/eval-bad-pred.jsonl >/dev/null 2>$T/eval-bad-stdin.err
check_eq eval-bad-stdin "claimscan: <stdin>:2: field 'value' is not a number" "$(cat $T/eval-bad-stdin.err)"
