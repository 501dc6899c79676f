# tests/t_hostile.sh: hostile input, one case a block (sourced by tests/run.sh).
# Each case checks what a user sees: the exit status, the document's `error`,
# how many document records came out, that the other documents are still
# there, and that stdout is valid UTF-8 with one JSON object a line.  Big
# inputs are generated here in $T, never committed.  Inputs that once
# crashed a fuzz target live in tests/regress/ and are replayed at the end.

# hs_docs FILE: the number of document records
hs_docs() { grep -c '"record":"document"' "$1"; }

# hs_claims FILE: the number of claim records
hs_claims() { grep -c '"record":"claim"' "$1"; }

# hs_error FILE DOC: the error field of document DOC, as JSON (null or "...")
hs_error() {
    grep -F "\"record\":\"document\",\"doc\":\"$2\"," "$1" | head -n 1 | sed -n 's/.*"error":\(.*\)}$/\1/p'
}

# hs_rss NAME: the peak RSS /usr/bin/time wrote to $T/NAME.rss is at most
# 64 MB, the issue's bound (not checked under sanitizers, which keep their
# own shadow memory)
hs_rss() {
    [ -n "${CLAIMSCAN_TEST_SANITIZE:-}" ] && return
    local rss
    rss=$(tail -n 1 "$T/$1.rss")    # (after "Command exited with non-zero status N")
    if [ "$rss" -le 65536 ]; then pass; else fail "$1_rss" "peak RSS $rss KB, more than 64 MB"; fi
}

# hs_valid NAME: $T/NAME.out is valid UTF-8, every line is one JSON record
# object, and stderr holds no sanitizer report
hs_valid() {
    local out="$T/$1.out" err="$T/$1.err"
    if iconv -f UTF-8 -t UTF-8 "$out" >/dev/null 2>&1; then pass; else fail "$1_utf8" "$out is not valid UTF-8"; fi
    local lines records
    lines=$(wc -l < "$out")
    records=$(grep -c '^{"record":"[a-z]*",.*}$' "$out")
    check_eq "$1_jsonl" "$lines" "$records"
    if grep -qE 'Sanitizer|runtime error' "$err"; then fail "$1_sanitizer" "$(grep -m1 -E 'Sanitizer|runtime error' "$err")"; else pass; fi
}

# ---- invalid UTF-8: the text is not scanned, the title keeps U+FFFD ----
check_exit hostile_utf8 1 $CS extract tests/input/bad-utf8.jsonl
hs_valid hostile_utf8
check_eq hostile_utf8_docs 3 "$(hs_docs "$T/hostile_utf8.out")"
check_eq hostile_utf8_error '"invalid UTF-8 at offset 14"' "$(hs_error "$T/hostile_utf8.out" u1)"
check_grep hostile_utf8_fffd $'"doc":"u2","title":"bad title \xef\xbf\xbd and overlong \xef\xbf\xbd\xef\xbf\xbd and surrogate ' "$T/hostile_utf8.out"
check_eq hostile_utf8_others null "$(hs_error "$T/hostile_utf8.out" u3)"
check_grep hostile_utf8_stderr "claimscan: tests/input/bad-utf8.jsonl:1: invalid UTF-8 at offset 14" "$T/hostile_utf8.err"
# ...and in every table format the output stays UTF-8
for f in csv tsv md; do
    $CS extract --format $f tests/input/bad-utf8.jsonl >"$T/hostile_utf8.$f" 2>/dev/null
    if iconv -f UTF-8 -t UTF-8 "$T/hostile_utf8.$f" >/dev/null 2>&1; then pass; else fail "hostile_utf8_$f" "not valid UTF-8"; fi
done

# ---- NUL bytes: raw in text, raw in a JSON line, escaped \u0000 ----
check_exit hostile_nul_text 1 $CS extract tests/input/nul.txt
hs_valid hostile_nul_text
check_eq hostile_nul_text_error '"NUL byte at offset 31"' "$(hs_error "$T/hostile_nul_text.out" nul.txt)"
check_exit hostile_nul_jsonl 1 $CS extract tests/input/nul.jsonl
hs_valid hostile_nul_jsonl
check_eq hostile_nul_jsonl_docs 3 "$(hs_docs "$T/hostile_nul_jsonl.out")"
check_eq hostile_nul_jsonl_raw '"line 1: NUL byte at offset 30"' "$(hs_error "$T/hostile_nul_jsonl.out" 1)"
check_eq hostile_nul_jsonl_esc '"line 2: NUL byte (\\u0000) in a JSON string"' "$(hs_error "$T/hostile_nul_jsonl.out" n2)"
check_eq hostile_nul_jsonl_ok null "$(hs_error "$T/hostile_nul_jsonl.out" n3)"

# ---- a 3 MB single-line abstract: read and scanned whole ----
{ printf '{"id":"big","summary":"'; head -c 3000000 /dev/zero | tr '\0' a
  printf ' and a 2.5x speedup over X."}\n{"id":"after","summary":"A 3x speedup over Y."}\n'; } > "$T/big3.jsonl"
check_exit hostile_big3 0 timeout 60 $CS extract "$T/big3.jsonl"
hs_valid hostile_big3
check_eq hostile_big3_docs 2 "$(hs_docs "$T/hostile_big3.out")"
check_eq hostile_big3_error null "$(hs_error "$T/hostile_big3.out" big)"
check_grep hostile_big3_claim '"doc":"big","kind":"speedup","value":2.5,' "$T/hostile_big3.out"
check_grep hostile_big3_after '"doc":"after","kind":"speedup","value":3,' "$T/hostile_big3.out"
head -c 3000000 /dev/zero | tr '\0' a > "$T/big3.txt"
check_exit hostile_big3_text 0 timeout 60 $CS extract "$T/big3.txt"
check_eq hostile_big3_text_docs 1 "$(hs_docs "$T/hostile_big3_text.out")"
# over the 8 MiB limit: refused with an error, the next line still read
{ printf '{"id":"big","summary":"'; head -c 9000000 /dev/zero | tr '\0' a
  printf '"}\n{"id":"after","summary":"A 3x speedup over Y."}\n'; } > "$T/big9.jsonl"
check_exit hostile_big9 1 timeout 60 $CS extract "$T/big9.jsonl"
hs_valid hostile_big9
check_eq hostile_big9_docs 2 "$(hs_docs "$T/hostile_big9.out")"
check_eq hostile_big9_error '"line 1: longer than 8388608 bytes"' "$(hs_error "$T/hostile_big9.out" 1)"
check_grep hostile_big9_after '"doc":"after","kind":"speedup","value":3,' "$T/hostile_big9.out"
rm -f "$T/big3.jsonl" "$T/big3.txt" "$T/big9.jsonl"

# ---- JSON nested 100,000 deep (cJSON stops at 1,000 levels) ----
deep() { head -c 100000 /dev/zero | tr '\0' "$1"; }
{ deep '['; deep ']'; printf '\n{"id":"after","summary":"A 3x speedup over Y."}\n'; } > "$T/deep.jsonl"
check_exit hostile_deep_jsonl 1 timeout 60 $CS extract --input-format jsonl "$T/deep.jsonl"
hs_valid hostile_deep_jsonl
check_eq hostile_deep_jsonl_docs 2 "$(hs_docs "$T/hostile_deep_jsonl.out")"
check_eq hostile_deep_jsonl_error '"line 1: JSON nested deeper than 1000 levels"' "$(hs_error "$T/hostile_deep_jsonl.out" 1)"
check_grep hostile_deep_jsonl_after '"doc":"after","kind":"speedup","value":3,' "$T/hostile_deep_jsonl.out"
{ printf '[{"paper":{"id":"p1","summary":"A 3x speedup.","deep":'; deep '['; deep ']'; printf '}}]\n'; } > "$T/deep.json"
check_exit hostile_deep_hfjson 1 timeout 60 $CS extract "$T/deep.json"
hs_valid hostile_deep_hfjson
check_eq hostile_deep_hfjson_docs 1 "$(hs_docs "$T/hostile_deep_hfjson.out")"
check_eq hostile_deep_hfjson_error '"JSON nested deeper than 1000 levels"' "$(hs_error "$T/hostile_deep_hfjson.out" deep.json)"
{ deep '{'; deep '}'; } > "$T/deep.txt"
check_exit hostile_deep_text 0 timeout 60 $CS extract "$T/deep.txt"
check_eq hostile_deep_text_docs 1 "$(hs_docs "$T/hostile_deep_text.out")"

# ---- random binary (gzip output: deterministic, full of NUL and bad bytes) ----
gzip -nc fixtures/hf-daily-codesign.txt > "$T/binary.gz"
check_exit hostile_binary 1 $CS extract "$T/binary.gz"
hs_valid hostile_binary
check_eq hostile_binary_error '"NUL byte at offset 3"' "$(hs_error "$T/hostile_binary.out" binary.gz)"
tr -d '\0' < "$T/binary.gz" > "$T/binary-nonul"
check_exit hostile_binary_nonul 1 $CS extract "$T/binary-nonul"
check_eq hostile_binary_nonul_error '"invalid UTF-8 at offset 1"' "$(hs_error "$T/hostile_binary_nonul.out" binary-nonul)"
# read as JSON Lines: one document per non-blank line, every one an error
check_exit hostile_binary_jsonl 1 $CS extract --input-format jsonl "$T/binary.gz"
hs_valid hostile_binary_jsonl
check_eq hostile_binary_jsonl_docs "$(LC_ALL=C grep -a -c -v $'^[ \t\r\f\v]*$' "$T/binary.gz")" "$(hs_docs "$T/hostile_binary_jsonl.out")"
check_eq hostile_binary_jsonl_noerror 0 "$(grep -c '"error":null' "$T/hostile_binary_jsonl.out")"
for f in page hf-json; do
    check_exit "hostile_binary_$f" 1 $CS extract --input-format $f "$T/binary.gz"
    hs_valid "hostile_binary_$f"
    check_eq "hostile_binary_${f}_docs" 1 "$(hs_docs "$T/hostile_binary_$f.out")"
done
# a binary file between two good ones: both good ones are still there
check_exit hostile_binary_between 1 $CS extract tests/input/title-abstract.txt "$T/binary.gz" tests/input/bom.jsonl
check_eq hostile_binary_between_docs 4 "$(hs_docs "$T/hostile_binary_between.out")"
check_grep hostile_binary_between_bom2 '"record":"document","doc":"bom2",' "$T/hostile_binary_between.out"
rm -f "$T/binary.gz" "$T/binary-nonul"

# ---- an empty file: one empty text document; as JSON Lines, none ----
check_exit hostile_empty 0 $CS extract tests/input/empty.txt
hs_valid hostile_empty
check_eq hostile_empty_docs 1 "$(hs_docs "$T/hostile_empty.out")"
check_grep hostile_empty_rec '"doc":"empty.txt","title":null,"source":"tests/input/empty.txt:1","claims":0,"error":null}' "$T/hostile_empty.out"
check_exit hostile_empty_jsonl 0 $CS extract --input-format jsonl tests/input/empty.txt
check_eq hostile_empty_jsonl_docs 0 "$(hs_docs "$T/hostile_empty_jsonl.out")"
check_exit hostile_empty_stdin 0 $CS extract - </dev/null
check_exit hostile_empty_hfjson 0 $CS extract tests/input/hfjson-empty.json
check_eq hostile_empty_hfjson_docs 0 "$(hs_docs "$T/hostile_empty_hfjson.out")"

# ---- a number with 5,000 digits (integer and fraction): no claim from it ----
d5k=$(head -c 5000 /dev/zero | tr '\0' 9)
printf 'A %sx speedup over A. A 1.%sx speedup over B. It is 2.5x faster than X.\n' "$d5k" "$d5k" > "$T/digits.txt"
check_exit hostile_digits 0 timeout 60 $CS extract "$T/digits.txt"
hs_valid hostile_digits
check_eq hostile_digits_claims 1 "$(hs_claims "$T/hostile_digits.out")"
check_grep hostile_digits_kept '"kind":"speedup","value":2.5,' "$T/hostile_digits.out"

# ---- long 1.1.1.1... runs (1 MB): no hang, the real claim still found ----
{ printf 'We reach '; yes 1. | head -n 500000 | tr -d '\n'; printf '1x speedup. It is 2.5x faster than X.\n'; } > "$T/dots.txt"
check_exit hostile_dots 0 timeout 60 $CS extract "$T/dots.txt"
hs_valid hostile_dots
check_eq hostile_dots_claims 1 "$(hs_claims "$T/hostile_dots.out")"
check_grep hostile_dots_kept '"kind":"speedup","value":2.5,' "$T/hostile_dots.out"
rm -f "$T/dots.txt"

# ---- values that overflow a double: no claim, never inf/nan in the output ----
d400=$(head -c 400 /dev/zero | tr '\0' 9)
hundreds=$(yes hundred | head -n 200 | tr '\n' ' ')
printf 'A 1e999x speedup. A %sx speedup over A. A %s tokens/s throughput. It is %stimes faster than B. Latency of 1.8e308 ms. It is 2.5x faster than X.\n' \
    "$d400" "$d400" "$hundreds" > "$T/overflow.txt"
check_exit hostile_overflow 0 $CS extract "$T/overflow.txt"
hs_valid hostile_overflow
check_nogrep hostile_overflow_inf 'inf' "$T/hostile_overflow.out"
check_nogrep hostile_overflow_nan 'nan' "$T/hostile_overflow.out"
check_grep hostile_overflow_kept '"kind":"speedup","value":2.5,' "$T/hostile_overflow.out"
check_exit hostile_overflow_csv 0 $CS extract --format csv "$T/overflow.txt"
check_nogrep hostile_overflow_csv_inf 'inf' "$T/hostile_overflow_csv.out"

# ---- many claims in one document (scan.h: SCAN_MAX_MATCHES 10000) ----
# 10,000 rule matches are all kept; the 10,001st stops the scan there, with
# an error that says where, and the claims before it are kept
yes '2x faster. ' | head -n 10000 | tr -d '\n' > "$T/many.txt"
check_exit hostile_many 0 timeout 60 $CS extract "$T/many.txt"
hs_valid hostile_many
check_grep hostile_many_doc '"doc":"many.txt","title":null,"source":"'"$T"'/many.txt:1","claims":10000,"error":null}' "$T/hostile_many.out"
check_eq hostile_many_claims 10000 "$(hs_claims "$T/hostile_many.out")"
yes '2x faster. ' | head -n 20000 | tr -d '\n' > "$T/many.txt"
check_exit hostile_many_over 1 timeout 60 $CS extract "$T/many.txt"
hs_valid hostile_many_over
check_grep hostile_many_over_doc '"doc":"many.txt","title":null,"source":"'"$T"'/many.txt:1","claims":10000,"error":"more than 10000 rule matches: the text from offset 110000 on was not scanned (document many.txt)"}' "$T/hostile_many_over.out"
check_eq hostile_many_over_claims 10000 "$(hs_claims "$T/hostile_many_over.out")"
check_grep hostile_many_over_last '"text":"2x faster","start":109989,"end":109998,' "$T/hostile_many_over.out"
check_grep hostile_many_over_stderr "many.txt:1: more than 10000 rule matches: the text from offset 110000 on was not scanned" "$T/hostile_many_over.err"
check_exit hostile_many_csv 1 timeout 60 $CS extract --format csv "$T/many.txt"
check_eq hostile_many_csv_rows 10002 "$(wc -l < "$T/hostile_many_csv.out")"
# the follow rules count too ("speedups of 2x, 3x, 4x, ..."): six sentences
# of 1,700 claims each go over in the sixth: the first five are kept
items=$(seq -s ', ' 2 1701 | sed 's/\([0-9]\+\)/\1x/g')
for i in 1 2 3 4 5 6; do printf 'It achieves speedups of %s on GPUs. ' "$items"; done > "$T/chain.txt"
check_exit hostile_chain 1 $CS extract "$T/chain.txt"
check_grep hostile_chain_doc '"claims":8500,"error":"more than 10000 rule matches: the text from offset 54140 on was not scanned (document chain.txt)"}' "$T/hostile_chain.out"
check_eq hostile_chain_follow 8495 "$(grep -c '"rule":"speedup.follow"}$' "$T/hostile_chain.out")"
# the same for hardware mentions (SCAN_MAX_MENTIONS): "A100 " 10,001 times
{ yes 'A100 ' | head -n 10001 | tr -d '\n'; printf 'It is 2x faster.'; } > "$T/mentions.txt"
check_exit hostile_mentions 1 $CS extract "$T/mentions.txt"
check_grep hostile_mentions_doc '"claims":0,"error":"more than 10000 hardware mentions: the text from offset 50000 on was not scanned (document mentions.txt)"}' "$T/hostile_mentions.out"
check_eq hostile_mentions_hw 1 "$(grep -c '"record":"hardware","doc":"mentions.txt","hardware":"NVIDIA A100",.*"start":0,"end":4}' "$T/hostile_mentions.out")"
{ yes 'A100 ' | head -n 10000 | tr -d '\n'; printf 'It is 2x faster.'; } > "$T/mentions.txt"
check_exit hostile_mentions_all 0 $CS extract "$T/mentions.txt"
check_grep hostile_mentions_all_claim '"text":"2x faster","start":50006,"end":50015,' "$T/hostile_mentions_all.out"
# text with no sentence break is scanned in pieces of at most 32 KiB
# (SCAN_MAX_SENTENCE), each cut after a space: a claim every 1,000 bytes
# of 200 KB is found (a claim across a cut would not be)
filler=$(printf 'word %.0s' $(seq 1 194))
for i in $(seq 2 201); do printf 'the method is %dx faster here %s' "$i" "$filler"; done > "$T/nobreak.txt"
check_exit hostile_nobreak 0 $CS extract "$T/nobreak.txt"
check_eq hostile_nobreak_claims 200 "$(hs_claims "$T/hostile_nobreak.out")"
check_grep hostile_nobreak_last '"kind":"speedup","value":201,' "$T/hostile_nobreak.out"
rm -f "$T/many.txt" "$T/mentions.txt" "$T/nobreak.txt" "$T/chain.txt"
rm -f "$T/many.txt"

# ---- control characters in titles: one record a line in every format ----
check_exit hostile_ctrl 0 $CS extract tests/input/control-title.jsonl
hs_valid hostile_ctrl
check_grep hostile_ctrl_escaped '"title":"bell\u0007 esc\u001b[31mred\u001b[0m tab\there newline\nthere CR\r pipe | quote \" backslash \\ del' "$T/hostile_ctrl.out"
check_exit hostile_ctrl_tsv 0 $CS extract --format tsv tests/input/control-title.jsonl
check_eq hostile_ctrl_tsv_rows "$(wc -l < "$T/hostile_ctrl.out")" "$(( $(wc -l < "$T/hostile_ctrl_tsv.out") - 1 ))"
check_grep hostile_ctrl_tsv_esc 'bell\x07 esc\x1b[31mred\x1b[0m tab\there newline\nthere CR\r' "$T/hostile_ctrl_tsv.out"
check_exit hostile_ctrl_md 0 $CS extract --format md tests/input/control-title.jsonl
check_eq hostile_ctrl_md_rows "$(wc -l < "$T/hostile_ctrl.out")" "$(( $(wc -l < "$T/hostile_ctrl_md.out") - 2 ))"
check_grep hostile_ctrl_md_pipe 'pipe \| quote' "$T/hostile_ctrl_md.out"
if LC_ALL=C grep -q $'[\x01-\x08\x0b\x0c\x0e-\x1f\x7f]' "$T/hostile_ctrl_md.out"; then
    fail hostile_ctrl_md_raw "a raw control character in the Markdown table"; else pass; fi
# csv: RFC 4180, so the newline stays inside a quoted cell; rows counted by a
# quote-aware reader
check_exit hostile_ctrl_csv 0 $CS extract --format csv tests/input/control-title.jsonl
csv_rows=$(awk '{ q += gsub(/"/, "\""); if (q % 2 == 0) n++ } END { print n }' "$T/hostile_ctrl_csv.out")
check_eq hostile_ctrl_csv_rows "$(( $(wc -l < "$T/hostile_ctrl.out") + 1 ))" "$csv_rows"

# ---- JSON Lines: arrays, numbers, strings, garbage; malformed lines ----
check_exit hostile_nonobject 1 $CS extract tests/input/jsonl-nonobject.jsonl
hs_valid hostile_nonobject
check_eq hostile_nonobject_docs 6 "$(hs_docs "$T/hostile_nonobject.out")"
check_eq hostile_nonobject_array '"line 2: not a JSON object"' "$(hs_error "$T/hostile_nonobject.out" 2)"
check_eq hostile_nonobject_number '"line 3: not a JSON object"' "$(hs_error "$T/hostile_nonobject.out" 3)"
check_eq hostile_nonobject_string '"line 4: not a JSON object"' "$(hs_error "$T/hostile_nonobject.out" 4)"
check_eq hostile_nonobject_garbage '"line 5: malformed JSON"' "$(hs_error "$T/hostile_nonobject.out" 5)"
check_eq hostile_nonobject_last null "$(hs_error "$T/hostile_nonobject.out" ok-6)"
check_grep hostile_nonobject_stderr "claimscan: tests/input/jsonl-nonobject.jsonl:3: line 3: not a JSON object" "$T/hostile_nonobject.err"
check_exit hostile_malformed 1 $CS extract tests/input/jsonl-malformed.jsonl
check_eq hostile_malformed_docs 3 "$(hs_docs "$T/hostile_malformed.out")"
check_eq hostile_malformed_error '"line 2: malformed JSON"' "$(hs_error "$T/hostile_malformed.out" 2)"
check_grep hostile_malformed_ok3 '"doc":"ok-3","title":"Third","source":"tests/input/jsonl-malformed.jsonl:4","claims":4,"error":null}' "$T/hostile_malformed.out"

# ---- fields of the wrong type (JSON Lines and the HF API) ----
check_exit hostile_wrongtype 1 $CS extract tests/input/jsonl-wrongtype.jsonl
hs_valid hostile_wrongtype
check_eq hostile_wrongtype_docs 6 "$(hs_docs "$T/hostile_wrongtype.out")"
check_eq hostile_wrongtype_num "\"line 1: field 'summary' is not a string\"" "$(hs_error "$T/hostile_wrongtype.out" w1)"
check_eq hostile_wrongtype_none "\"line 2: no 'abstract' or 'summary' field\"" "$(hs_error "$T/hostile_wrongtype.out" w2)"
check_eq hostile_wrongtype_numid null "$(hs_error "$T/hostile_wrongtype.out" 7)"
check_eq hostile_wrongtype_lineid null "$(hs_error "$T/hostile_wrongtype.out" 5)"
check_eq hostile_wrongtype_objtitle null "$(hs_error "$T/hostile_wrongtype.out" 2401.00001)"
check_exit hostile_hfjson_bad 1 $CS extract tests/input/hfjson-bad.json
hs_valid hostile_hfjson_bad
check_eq hostile_hfjson_bad_docs 6 "$(hs_docs "$T/hostile_hfjson_bad.out")"
check_eq hostile_hfjson_bad_num '"element 1: not a JSON object"' "$(hs_error "$T/hostile_hfjson_bad.out" 2)"
check_eq hostile_hfjson_bad_list '"element 3: no paper.summary string"' "$(hs_error "$T/hostile_hfjson_bad.out" 2608.00004)"
check_eq hostile_hfjson_bad_last null "$(hs_error "$T/hostile_hfjson_bad.out" 2608.00006)"
check_exit hostile_hfjson_malformed 1 $CS extract tests/input/hfjson-malformed.json
check_eq hostile_hfjson_malformed_error '"malformed JSON near byte 48"' "$(hs_error "$T/hostile_hfjson_malformed.out" hfjson-malformed.json)"
# read an element at a time: the element before the fault is kept
check_eq hostile_hfjson_malformed_docs 2 "$(hs_docs "$T/hostile_hfjson_malformed.out")"
check_eq hostile_hfjson_malformed_first null "$(hs_error "$T/hostile_hfjson_malformed.out" 1)"
printf '[{"paper":{"id":"t1","summary":"A 2x speedup over Y."}},]' > "$T/trailing.json"
check_exit hostile_hfjson_trailing 1 $CS extract "$T/trailing.json"
check_eq hostile_hfjson_trailing_docs 2 "$(hs_docs "$T/hostile_hfjson_trailing.out")"
check_grep hostile_hfjson_trailing_claim '"doc":"t1","kind":"speedup","value":2,' "$T/hostile_hfjson_trailing.out"
check_eq hostile_hfjson_trailing_error '"malformed JSON near byte 56"' "$(hs_error "$T/hostile_hfjson_trailing.out" trailing.json)"
# a NUL escape would cut the text short: an error, as in JSON Lines
printf '[{"paper":{"id":"n1","summary":"A 2x\\u0000 speedup."}},{"paper":{"id":"n2","summary":"A 3x speedup."}}]' > "$T/nul.json"
check_exit hostile_hfjson_nul 1 $CS extract "$T/nul.json"
check_eq hostile_hfjson_nul_error '"element 0: NUL byte (\\u0000) in a JSON string"' "$(hs_error "$T/hostile_hfjson_nul.out" n1)"
check_eq hostile_hfjson_nul_next null "$(hs_error "$T/hostile_hfjson_nul.out" n2)"
# a raw NUL byte likewise (cJSON would end the string there)
printf '[{"paper":{"id":"r1","summary":"A 2x\0 speedup."}},{"paper":{"id":"r2","summary":"A 3x speedup."}}]' > "$T/rawnul.json"
check_exit hostile_hfjson_rawnul 1 $CS extract "$T/rawnul.json"
check_eq hostile_hfjson_rawnul_error '"element 0: NUL byte at offset 35"' "$(hs_error "$T/hostile_hfjson_rawnul.out" 1)"
check_eq hostile_hfjson_rawnul_next null "$(hs_error "$T/hostile_hfjson_rawnul.out" r2)"
# an element over the 8 MiB document limit is skipped, not held; the next is read
{ printf '[{"paper":{"id":"L1","summary":"'; head -c 9000000 /dev/zero | tr '\0' a
  printf '"}},\n {"paper":{"id":"L2","summary":"A 3x speedup over Y."}}]\n'; } > "$T/longelem.json"
check_exit hostile_hfjson_long 1 $CS extract "$T/longelem.json"
check_eq hostile_hfjson_long_error '"element 0: longer than 8388608 bytes"' "$(hs_error "$T/hostile_hfjson_long.out" 1)"
check_grep hostile_hfjson_long_next '"doc":"L2","kind":"speedup","value":3,' "$T/hostile_hfjson_long.out"
rm -f "$T/longelem.json"

# ---- CSV: text cells starting with = + - @ (or tab, CR) are neutralized ----
check_exit hostile_formula 0 $CS extract --format csv tests/input/formula.jsonl
check_grep hostile_formula_eq 'document,'"'"'-1,' "$T/hostile_formula.out"
check_grep hostile_formula_hyper '"'"'"'=HYPERLINK(""http://x"",""click"")"' "$T/hostile_formula.out"
check_grep hostile_formula_plus ",'+cmd|' /C calc'!A0," "$T/hostile_formula.out"
check_grep hostile_formula_at '"'"'"'@SUM(1,2)"' "$T/hostile_formula.out"
check_grep hostile_formula_tab '"'"'"'	Tab first, ""quoted"""' "$T/hostile_formula.out"
if LC_ALL=C grep -qE '(^|,)"?[=+@]' "$T/hostile_formula.out"; then
    fail hostile_formula_none "a cell starts with = + or @: $(LC_ALL=C grep -m1 -E '(^|,)"?[=+@]' "$T/hostile_formula.out")"
else pass; fi
# numbers are never touched: a negative-looking value would stay a number
check_grep hostile_formula_numeric 'claim,'"'"'-1,speedup,2.5,,,x,2.5,' "$T/hostile_formula.out"

# ---- regex safety: a rule that backtracks hits the PCRE2 match limit ----
rm -rf "$T/hostile-rules" && cp -r rules "$T/hostile-rules"
printf 'rule hostile.backtrack\n  kind speedup\n  unit x\n  pattern (?:(?:a|a)+)+b(?<value>\\d+)x\n  example "ab2x" value=2\n  counter "a 2x"\n' \
    > "$T/hostile-rules/99-hostile.rules"
as=$(head -c 40 /dev/zero | tr '\0' a)
printf '{"id":"d1","summary":"Our kernel is 2.5x faster than cuBLAS on an NVIDIA H100. We see b %s 3x."}\n{"id":"d2","summary":"A 3x speedup over Y."}\n' \
    "$as" > "$T/backtrack.jsonl"
check_exit hostile_limit 1 timeout 60 $CS extract --rules "$T/hostile-rules" "$T/backtrack.jsonl"
hs_valid hostile_limit
check_eq hostile_limit_docs 2 "$(hs_docs "$T/hostile_limit.out")"
check_eq hostile_limit_error "\"rule 'hostile.backtrack': match limit exceeded (document d1)\"" "$(hs_error "$T/hostile_limit.out" d1)"
check_grep hostile_limit_kept '"doc":"d1","kind":"speedup","value":2.5,' "$T/hostile_limit.out"
check_eq hostile_limit_other null "$(hs_error "$T/hostile_limit.out" d2)"
check_grep hostile_limit_stderr "claimscan: $T/backtrack.jsonl:1: rule 'hostile.backtrack': match limit exceeded (document d1)" "$T/hostile_limit.err"
rm -rf "$T/hostile-rules"

# ---- the same for a hardware alias: all aliases of a first byte are tried
# in one pass (hardware.c, longest_at); when that pass hits the limit they
# are tried one by one, so the error names the alias's entry, and the
# mention of the other alias before it is still found ----
rm -rf "$T/hostile-hw" && mkdir -p "$T/hostile-hw"
cp rules/units.map rules/00-defs.rules rules/10-context.rules rules/30-speedup.rules "$T/hostile-hw/"
cat > "$T/hostile-hw/hardware.catalog" <<'EOF'
hardware Zeta 100
  vendor Zetacorp
  class gpu
  alias Zeta\s*100
  example "on a Zeta 100"
  counter "a Zeta 1000"

hardware Zeta Bad
  vendor Zetacorp
  class gpu
  alias Zeta(?:x+x+)+y
  example "a Zetaxxy board"
  counter "a Zetay board"

hardware Yota 100
  vendor Yotacorp
  class gpu
  alias Yota\s*(X)?100
  example "on a Yota 100"
  counter "a Yota 1000"

hardware Yota Twin
  vendor Yotacorp
  class gpu
  alias Yota\s*(\d)\1
  example "on a Yota 77 board"
  counter "a Yota 78 board"
EOF
xs=$(head -c 30 /dev/zero | tr '\0' x)
printf '{"id":"d1","summary":"It runs 2.5x faster on a Zeta 100. The Zeta%s line, y."}\n{"id":"d2","summary":"A 3x speedup on a Zeta 100."}\n{"id":"d3","summary":"A 4x speedup on a Yota 77."}\n' \
    "$xs" > "$T/hwbacktrack.jsonl"
check_exit hostile_hwlimit 1 timeout 60 $CS extract --rules "$T/hostile-hw" "$T/hwbacktrack.jsonl"
check_eq hostile_hwlimit_error '"hardware catalog: Zeta Bad: match limit exceeded (document d1)"' "$(hs_error "$T/hostile_hwlimit.out" d1)"
check_grep hostile_hwlimit_kept '"doc":"d1","hardware":"Zeta 100","class":"gpu","vendor":"Zetacorp","count":null,"text":"Zeta 100","start":25,"end":33}' "$T/hostile_hwlimit.out"
check_grep hostile_hwlimit_claim '"hardware":"Zeta 100","baseline":null,"subject":"self","text":"2.5x faster"' "$T/hostile_hwlimit.out"
check_eq hostile_hwlimit_other null "$(hs_error "$T/hostile_hwlimit.out" d2)"
# an alias with a back reference cannot share an alternation (its \1 would
# be another alias's group there): its bucket tries the aliases one by one
check_grep hostile_hwlimit_backref '"doc":"d3","hardware":"Yota Twin","class":"gpu","vendor":"Yotacorp","count":null,"text":"Yota 77",' "$T/hostile_hwlimit.out"
rm -rf "$T/hostile-hw"

# ---- memory stays bounded with large documents: ten 5 MB abstracts (50 MB)
# are not all held at once (extract.c: BATCH_BYTES, INFLIGHT_BYTES); the
# issue's bound is 64 MB peak RSS with the default rules.  A sanitizer build
# has its own shadow memory, so there only the output is checked. ----
yes 'The model runs well on modest hardware with a simple design and few resources.' | head -c 5000000 |
    tr '\n' ' ' > "$T/big-text.txt"
# the same ten documents as JSON Lines and as one HF API array
for i in 1 2 3 4 5 6 7 8 9 10; do
    printf '{"id":"big%d","summary":"' "$i"
    cat "$T/big-text.txt"
    printf 'It is %dx faster on an NVIDIA A100."}\n' "$i"
done > "$T/big.jsonl"
for i in 1 2 3 4 5 6 7 8 9 10; do
    [ "$i" = 1 ] && printf '[' || printf ','
    printf '{"paper":{"id":"big%d","summary":"' "$i"
    cat "$T/big-text.txt"
    printf 'It is %dx faster on an NVIDIA A100."}}\n' "$i"
done > "$T/big.json"
printf ']\n' >> "$T/big.json"
rm -f "$T/big-text.txt"
check_exit hostile_bigdocs 0 /usr/bin/time -f '%M' -o "$T/hostile_bigdocs.rss" $CS extract -j 2 -q "$T/big.jsonl"
check_eq hostile_bigdocs_docs 10 "$(grep -c '^{"record":"document".*"error":null}$' "$T/hostile_bigdocs.out")"
check_grep hostile_bigdocs_last '"doc":"big10","kind":"speedup","value":10,"lo":null,"hi":null,"unit":"x","factor":10,"norm":null,"norm_unit":null,"qualifier":"exact","hardware":"NVIDIA A100","baseline":null,"subject":"self","text":"10x faster","start":5000006,"end":5000016,' "$T/hostile_bigdocs.out"
hs_rss hostile_bigdocs
check_exit hostile_bigdocs_hf 0 /usr/bin/time -f '%M' -o "$T/hostile_bigdocs_hf.rss" $CS extract -j 2 -q "$T/big.json"
check_eq hostile_bigdocs_hf_docs 10 "$(grep -c '^{"record":"document".*"error":null}$' "$T/hostile_bigdocs_hf.out")"
check_grep hostile_bigdocs_hf_last '"doc":"big10","kind":"speedup","value":10,' "$T/hostile_bigdocs_hf.out"
hs_rss hostile_bigdocs_hf
rm -f "$T/big.jsonl" "$T/big.json"
# one 7.9 MB abstract with 65,289 claims and as many A100 mentions: it was
# read whole, and peaked at 95 MB with -j 2 before its records were written
# as formatted (emit.c) and 55 MB before SCAN_MAX_MATCHES; now its first
# 10,000 claims are written, with an error
{ printf '{"id":"dense","summary":"'
  yes 'The model achieves strong results on several benchmarks while using fewer resources. It runs 2.5x faster on an A100 GPU.' |
      head -c 7900000 | tr '\n' ' '
  printf '"}\n'; } > "$T/dense.jsonl"
check_exit hostile_dense 1 /usr/bin/time -f '%M' -o "$T/hostile_dense.rss" $CS extract -j 2 -q "$T/dense.jsonl"
check_eq hostile_dense_claims 10000 "$(grep -c '^{"record":"claim","doc":"dense","kind":"speedup","value":2.5,.*"hardware":"NVIDIA A100"' "$T/hostile_dense.out")"
check_grep hostile_dense_doc '"claims":10000,"error":"more than 10000 rule matches: the text from offset 1210085 on was not scanned (document dense)"}' "$T/hostile_dense.out"
check_eq hostile_dense_hw 1 "$(grep -c '^{"record":"hardware","doc":"dense"' "$T/hostile_dense.out")"
hs_rss hostile_dense
rm -f "$T/dense.jsonl" "$T/hostile_dense.out"

# ---- exit statuses, as --help states them ----
check_exit hostile_help 0 $CS --help
check_grep hostile_help_status "exit status: 0 success; 1 some documents had errors" "$T/hostile_help.out"
check_grep hostile_help_status2 "2 usage error or unreadable input; 3 rule errors" "$T/hostile_help.out"

# ---- fuzz regressions (tests/regress/TARGET/*): each replayed through extract ----
for f in tests/regress/*/*; do
    [ -f "$f" ] || continue
    t=${f#tests/regress/}; t=${t%%/*}
    name="regress_${t}_$(basename "$f" | tr -c 'A-Za-z0-9_\n' _)"
    case $t in
    page | jsonl | text) args=(--input-format "$t" "$f") ;;
    hfjson) args=(--input-format hf-json "$f") ;;
    rules)
        rm -rf "$T/regress-rules" && mkdir -p "$T/regress-rules"
        cp rules/units.map rules/00-defs.rules rules/10-context.rules rules/hardware.catalog "$T/regress-rules/"
        cp "$f" "$T/regress-rules/50-fuzz.rules"
        args=(--rules "$T/regress-rules" tests/input/title-abstract.txt) ;;
    *) args=(--input-format text "$f") ;;
    esac
    timeout 60 $CS extract "${args[@]}" >"$T/$name.out" 2>"$T/$name.err" </dev/null
    rc=$?
    case $rc in 0 | 1 | 3) pass ;; *) fail "$name" "exit status $rc ($(head -c 300 "$T/$name.err"))" ;; esac
    hs_valid "$name"
done
rm -rf "$T/regress-rules"
