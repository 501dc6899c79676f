# tests/t_report.sh: report, plot and the SQLite store (sourced by tests/run.sh).
# Fixtures in tests/report/: small.jsonl is a hand-made claims table whose
# every statistic was worked out by hand (see the expected small.by-*.md/csv);
# seed.jsonl is the gold of fixtures/hf-daily-codesign flattened into records.
R=tests/report

# ---- every report kind, exact numbers, on the hand-made table ----
for by in hardware kind paper baseline; do
    check_exit report-$by 0 "$CS" report --by "$by" $R/small.jsonl
    check_cmp report-$by-out $R/small.by-$by.md "$T/report-$by.out"
done
for by in hardware baseline; do
    check_exit report-$by-csv 0 "$CS" report --by "$by" --format csv $R/small.jsonl
    check_cmp report-$by-csv-out $R/small.by-$by.csv "$T/report-$by-csv.out"
done
# the same numbers whatever the --kind filter leaves
check_exit report-kind-filter 0 "$CS" report --by kind --kind speedup $R/small.jsonl
check_grep report-kind-filter-row '| speedup | factor | 5 | 3 | 1.1x[^1] | 3x | 8x[^2] | 1, 2, 3 |' "$T/report-kind-filter.out"
check_nogrep report-kind-filter-other '| memory_reduction |' "$T/report-kind-filter.out"
check_exit report-bad-by 2 "$CS" report --by nothing $R/small.jsonl
check_exit report-no-input 2 "$CS" report
check_exit report-missing 2 "$CS" report $T/does-not-exist.jsonl
check_grep report-missing-msg "claimscan: cannot open '$T/does-not-exist.jsonl'" "$T/report-missing.err"

# ---- the seed page (gold records): A100, L40S and the Xilinx boards ----
check_exit report-seed 0 "$CS" report $R/seed.jsonl
check_grep seed-a100 '| NVIDIA A100 | gpu | NVIDIA | 2 | 2 | 1.8x | 2.4x[^' "$T/report-seed.out"
check_grep seed-l40s '| NVIDIA L40S | gpu | NVIDIA | 1 | 2 | 2.45x | 3.5x[^' "$T/report-seed.out"
check_grep seed-vcu1525 '| Xilinx VCU1525 | fpga | Xilinx | 1 | 3 | 13.48x | 25.22x[^' "$T/report-seed.out"
check_grep seed-u280 '| Xilinx Alveo U280 | fpga | Xilinx | 1 | 2 | 2.98x | 2.98x[^' "$T/report-seed.out"
check_grep seed-zcu104 '| Xilinx ZCU104 | fpga | Xilinx | 1 | 2 |  |  |  |  |  |  | 2.4x | 2.4x[^' "$T/report-seed.out"
check_grep seed-zynq '| Xilinx Zynq | fpga | Xilinx | 1 | 2 | 21x | 21x[^' "$T/report-seed.out"
check_grep seed-footnote '"3.5x on L40S"' "$T/report-seed.out"

# ---- the seed page extracted for real, from a file, from the store, on the fly ----
check_exit rep-extract 0 "$CS" extract fixtures/hf-daily-codesign.txt
check_exit rep-extracted 0 "$CS" report "$T/rep-extract.out"
check_grep extracted-a100 '| NVIDIA A100 | gpu | NVIDIA | 2 | 2 | 1.8x | 2.4x[^' "$T/rep-extracted.out"
check_grep extracted-l40s '| NVIDIA L40S | gpu | NVIDIA | 1 | 2 | 2.45x | 3.5x[^' "$T/rep-extracted.out"
check_exit report-on-the-fly 0 "$CS" report fixtures/hf-daily-codesign.txt
check_cmp report-on-the-fly-out "$T/rep-extracted.out" "$T/report-on-the-fly.out"
rm -f "$T/r.sqlite"
check_exit store-1 0 "$CS" extract --db "$T/r.sqlite" fixtures/hf-daily-codesign.txt
check_exit store-report-1 0 "$CS" report --by paper --db "$T/r.sqlite"
# a second run over the same page replaces its rows: no duplicates
check_exit store-2 0 "$CS" extract --db "$T/r.sqlite" fixtures/hf-daily-codesign.txt
check_exit store-report-2 0 "$CS" report --by paper --db "$T/r.sqlite"
check_exit store-report-jsonl 0 "$CS" report --by paper "$T/rep-extract.out"
check_cmp store-same-as-jsonl "$T/store-report-jsonl.out" "$T/store-report-1.out"
check_cmp store-no-duplicates "$T/store-report-1.out" "$T/store-report-2.out"
check_exit store-report-hw 0 "$CS" report --db "$T/r.sqlite"
check_cmp store-hw-same "$T/rep-extracted.out" "$T/store-report-hw.out"
check_eq store-rules-hash 0 "$(sqlite3 "$T/r.sqlite" "SELECT count(*) FROM documents WHERE rules_hash IS NULL OR rules_hash = ''")"
check_eq store-doc-count "$(sqlite3 "$T/r.sqlite" "SELECT count(*) FROM documents")" \
    "$(grep -c '"record": *"document"' "$T/rep-extract.out")"
check_exit store-missing 2 "$CS" report --db "$T/no-such.sqlite"
check_grep store-missing-msg "claimscan: '$T/no-such.sqlite': " "$T/store-missing.err"

# ---- plots: valid PNG and SVG, each with its .dat and .gp ----
png_ok() { [ "$(head -c 8 "$1" 2>/dev/null | od -An -tx1 | tr -d ' \n')" = 89504e470d0a1a0a ]; }
rm -rf "$T/plots-png" "$T/plots-svg"
check_exit plot-png 0 "$CS" plot --out "$T/plots-png" $R/small.jsonl
check_exit plot-svg 0 "$CS" plot --out "$T/plots-svg" --format svg $R/small.jsonl
for p in speedup_by_hardware throughput_tokens throughput_frames claims_by_kind speedup_histogram; do
    if png_ok "$T/plots-png/$p.png"; then pass; else fail plot-png-$p "$T/plots-png/$p.png is not a PNG"; fi
    check_grep plot-svg-$p '<svg' "$T/plots-svg/$p.svg"
    for ext in dat gp; do
        if [ -s "$T/plots-png/$p.$ext" ]; then pass; else fail plot-$p-$ext "no $T/plots-png/$p.$ext"; fi
    done
    check_grep plot-listed-$p "$T/plots-png/$p.png" "$T/plot-png.out"
done
check_grep plot-dat-label '"Xilinx ZCU104"' "$T/plots-png/speedup_by_hardware.dat"
# the .gp re-runs by itself
if (cd "$T/plots-png" && rm -f claims_by_kind.png && gnuplot claims_by_kind.gp) 2>/dev/null \
    && png_ok "$T/plots-png/claims_by_kind.png"; then pass; else fail plot-rerun "gnuplot claims_by_kind.gp did not redraw"; fi

# ---- gnuplot missing: a clear error, the .dat and .gp still written ----
rm -rf "$T/plots-nognu"
check_exit plot-no-gnuplot 1 env PATH=/nonexistent "$CS" plot --out "$T/plots-nognu" $R/small.jsonl
check_grep plot-no-gnuplot-msg "claimscan: gnuplot not found; install the Debian package gnuplot-nox (the .dat and .gp files are in $T/plots-nognu)" "$T/plot-no-gnuplot.err"
if [ -s "$T/plots-nognu/speedup_by_hardware.dat" ] && [ -s "$T/plots-nognu/speedup_by_hardware.gp" ] \
    && [ ! -e "$T/plots-nognu/speedup_by_hardware.png" ]; then pass; else fail plot-no-gnuplot-files "missing .dat/.gp in $T/plots-nognu"; fi

# ---- hostile documents: text reaches no interpreter ----
rm -rf "$T/pwned"* "$T/plots-hostile" "$T/plots-hostile-svg"
sed "s|CANARY|$T/pwned|g" >"$T/hostile.jsonl" <<'EOF'
{"record": "document", "doc": "1", "title": "`touch CANARY1` \"q\" 'q' system(\"touch CANARY2\") @macro $(touch CANARY3) <script>alert(1)</script>", "source": "hostile.txt:1", "claims": 3, "error": null}
{"record": "claim", "doc": "1", "kind": "speedup", "value": 3, "lo": null, "hi": null, "unit": "x", "factor": 3, "norm": null, "norm_unit": null, "qualifier": "exact", "hardware": "NVIDIA A100`touch CANARY4`", "baseline": "=system(\"touch CANARY5\")", "subject": "self", "text": "3x `touch CANARY6` @macro", "start": 0, "end": 10, "rule": "r`touch CANARY7`"}
{"record": "claim", "doc": "1", "kind": "speedup", "value": null, "lo": 2, "hi": 9, "unit": "x", "factor": 9, "norm": null, "norm_unit": null, "qualifier": "exact", "hardware": "@macro\\\"; system(\"touch CANARY8\") #", "baseline": "@SUM(A1)", "subject": "self", "text": "<b>2-9x</b> & \"more\"", "start": 20, "end": 30, "rule": "r2"}
{"record": "claim", "doc": "1", "kind": "throughput", "value": 50, "lo": null, "hi": null, "unit": "tokens/s", "factor": null, "norm": 50, "norm_unit": "tokens/s", "qualifier": "exact", "hardware": "NVIDIA A100`touch CANARY4`", "baseline": null, "subject": "self", "text": "50 tokens/s `touch CANARY9`", "start": 40, "end": 50, "rule": "r3"}
{"record": "hardware", "doc": "1", "hardware": "NVIDIA A100`touch CANARY4`", "class": "gpu`touch CANARY10`", "vendor": "NVIDIA'\"<i>", "count": null, "text": "`touch CANARY11`", "start": 0, "end": 5}
EOF
check_exit hostile-md 0 "$CS" report --by all $R/small.jsonl "$T/hostile.jsonl"
check_exit hostile-html 0 "$CS" report --by all --format html "$T/hostile.jsonl"
check_exit hostile-csv 0 "$CS" report --by baseline --format csv "$T/hostile.jsonl"
check_exit hostile-plot 0 "$CS" plot --out "$T/plots-hostile" "$T/hostile.jsonl"
check_exit hostile-plot-svg 0 "$CS" plot --format svg --out "$T/plots-hostile-svg" "$T/hostile.jsonl"
if ls "$T"/pwned* >/dev/null 2>&1; then fail hostile-canary "a command ran: $(ls "$T"/pwned*)"; else pass; fi
if png_ok "$T/plots-hostile/speedup_by_hardware.png"; then pass; else fail hostile-png "no speedup plot"; fi
check_grep hostile-svg '<svg' "$T/plots-hostile-svg/throughput_tokens.svg"
for f in "$T"/plots-hostile/*.gp; do
    check_nogrep hostile-gp-touch touch "$f"
    check_nogrep hostile-gp-backquote '`' "$f"
    check_nogrep hostile-gp-at '@' "$f"
done
check_nogrep hostile-dat-backquote '`' "$T/plots-hostile/speedup_by_hardware.dat"
check_grep hostile-dat-label '"NVIDIA A100 touch' "$T/plots-hostile/speedup_by_hardware.dat"
check_nogrep hostile-html-script '<script>' "$T/hostile-html.out"
check_nogrep hostile-html-b '<b>2-9x' "$T/hostile-html.out"
check_grep hostile-html-escaped '&lt;script&gt;alert(1)&lt;/script&gt;' "$T/hostile-html.out"
check_grep hostile-html-quotes '&quot;q&quot; &#39;q&#39;' "$T/hostile-html.out"
check_grep hostile-csv-formula "\"'=system(\"\"touch $T/pwned5\"\")\"" "$T/hostile-csv.out"
check_grep hostile-csv-at "'@SUM(A1)" "$T/hostile-csv.out"
check_grep hostile-md-escaped '\<script\>' "$T/hostile-md.out"

# ---- HTML: one self-contained page, tables, plots embedded, every number traced ----
check_exit report-html 0 "$CS" report --by all --format html $R/small.jsonl
check_grep html-doctype '<!DOCTYPE html>' "$T/report-html.out"
check_grep html-svg 'src="data:image/svg+xml;base64,' "$T/report-html.out"
check_grep html-trace 'title="doc 2, bytes 30-52, rule t.speedup: &quot;2-8x speedup on ZCU104&quot;">8x</a>' "$T/report-html.out"
check_grep html-sources '<tr id="c1">' "$T/report-html.out"
check_nogrep html-external 'src="http' "$T/report-html.out"
if sed -n 's/.*src="data:image\/svg+xml;base64,\([^"]*\)".*/\1/p' "$T/report-html.out" | head -n 1 \
    | base64 -d 2>/dev/null | grep -q '<svg'; then pass; else fail html-svg-decodes "embedded plot is not SVG"; fi
