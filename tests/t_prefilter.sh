# tests/t_prefilter.sh: the prefilters (one alternation per start class, see
# src/rules.h) and the screens (src/screen.h) only save time: extract gives
# the same bytes with them as with every rule tried everywhere
# ($CLAIMSCAN_NO_PREFILTER) and every regex tried at every place
# ($CLAIMSCAN_NO_SCREEN).  Sourced by run.sh.

PF_INPUTS="fixtures/hf-daily-codesign.txt fixtures/heldout-arxiv.jsonl fixtures/arxiv-200.jsonl
fixtures/hf-daily-api/2026-08-12.json tests/gold3/docs.jsonl tests/gold4/docs.jsonl tests/gold5/docs.jsonl tests/gold6/docs.jsonl"

# pf_same NAME RULES: every input, with and without prefilters, under RULES
# (the three runs of an input are independent: they run side by side)
pf_same() {
    local name=$1 rules=$2 f i=0
    for f in $PF_INPUTS; do
        i=$((i + 1))
        $CS extract -q --rules "$rules" "$f" > "$T/$name.$i.pf" 2>&1 &
        CLAIMSCAN_NO_PREFILTER=1 $CS extract -q --rules "$rules" "$f" > "$T/$name.$i.all" 2>&1 &
        CLAIMSCAN_NO_SCREEN=1 $CS extract -q --rules "$rules" "$f" > "$T/$name.$i.noscreen" 2>&1 &
        wait
        check_cmp "${name}_$i" "$T/$name.$i.all" "$T/$name.$i.pf"
        check_cmp "${name}_noscreen_$i" "$T/$name.$i.noscreen" "$T/$name.$i.pf"
    done
}

pf_same prefilter_default rules

# A rule set that exercises every way a rule enters a prefilter: each file's
# rules three times over (lines written twice are tried once, their callouts
# naming every copy), a rule with a back reference (cannot be joined: always
# tried), and macros inside groups with their own options (their prefilter
# keeps macros inline: a called macro would not see "s").
PF=$T/prefilter-rules
rm -rf "$PF" "$PF-extra"
cp -r rules "$PF"
for f in rules/[2-9]*.rules; do
    for i in 1 2; do
        sed -e "s/^rule \(.*\)/rule \1.copy$i/" -e '/^define /d' "$f" > "$PF/zz-copy$i-$(basename "$f")"
    done
done
cat > "$PF/zz-extra.rules" <<'EOF'
define ANYTWO ..

rule trap.stutter
  kind none
  start number
  priority 90
  pattern (?<value>{NUM})\s+(\w+)\s+\g{-1}\b
  example "a latency of 5 ms ms on A100"
  counter "a latency of 5 ms on A100"

rule speedup.snappier
  kind speedup
  start number
  unit x
  priority 20
  pattern (?<value>{NUMB})\s*(?-i:{UX})\s+snappier\b
  example "it is 3x snappier than before" value=3
  counter "it is 3X snappier than before"

rule speedup.zippier
  kind speedup
  start number
  unit x
  priority 20
  pattern (?<value>{NUMB})x(?s:{ANYTWO})zippier\b
  example "it is 3x::zippier than before" value=3
  counter "it is 3x:zippier than before"

rule speedup.zoomier
  kind speedup
  start number
  unit x
  priority 20
  pattern (?<value>{NUMB})x(?C1)\s+zoomier\b
  example "it is 3x zoomier than before" value=3
  counter "it is 3 zoomier than before"
EOF
# the extra rules' own examples (the copies cannot pass theirs: the first
# of equal rules takes the claim)
mkdir -p "$PF-extra"
cp -r rules/. "$PF-extra"
cp "$PF/zz-extra.rules" "$PF-extra"
check_exit prefilter_check 0 $CS check -q --rules "$PF-extra"
pf_same prefilter_x3 "$PF"

printf '%s\n' '{"id":"p1","title":"t","summary":"It reaches a latency of 5 ms ms on A100."}' \
    '{"id":"p2","title":"t","summary":"It reaches a latency of 5 ms on A100."}' \
    '{"id":"p3","title":"t","summary":"Ours is 3x snappier than theirs."}' \
    '{"id":"p4","title":"t","summary":"Ours is 4X snappier than theirs."}' \
    '{"id":"p5","title":"t","summary":"Ours is 5x\n\nzippier than theirs."}' \
    '{"id":"p6","title":"t","summary":"Ours is 6x zoomier than theirs."}' > "$T/prefilter-docs.jsonl"
PF_INPUTS=$T/prefilter-docs.jsonl
pf_same prefilter_extra "$PF"
$CS extract -q --rules "$PF" "$T/prefilter-docs.jsonl" > "$T/prefilter-extra.out" 2>&1
check_eq prefilter_backref_blocks '"doc":"p1","title":"t","source":"'"$T"'/prefilter-docs.jsonl:1","claims":0' \
    "$(grep -o '"doc":"p1",[^}]*"claims":[0-9]*' "$T/prefilter-extra.out")"
check_eq prefilter_backref_other 1 "$(grep -c '"record":"claim","doc":"p2"' "$T/prefilter-extra.out")"
check_grep prefilter_case_sensitive '"record":"claim","doc":"p3","kind":"speedup","value":3,' "$T/prefilter-extra.out"
check_eq prefilter_case_sensitive_not 0 "$(grep -c '"record":"claim","doc":"p4"' "$T/prefilter-extra.out")"
check_grep prefilter_dotall '"record":"claim","doc":"p5","kind":"speedup","value":5,' "$T/prefilter-extra.out"
check_grep prefilter_callout '"record":"claim","doc":"p6","kind":"speedup","value":6,' "$T/prefilter-extra.out"
