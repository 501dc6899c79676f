# tests/t_check.sh: `claimscan check` on the project's rules, and on
# deliberately broken rule sets, one per failure class (sourced by run.sh).

# The project's own rules pass every check, with the development gold gate
# set at the level the rules reach today.
check_exit check_project 0 $CS check -q --gold fixtures/hf-daily-codesign.gold.jsonl \
    --min-f1 0.99 --min-hardware-f1 1.0 --junit "$T/check.junit.xml"
check_grep check_project_summary "check: " "$T/check_project.out"
check_nogrep check_project_nofail " of 0 passed" "$T/check_project.out"
check_grep check_junit_root '<testsuites name="claimscan check"' "$T/check.junit.xml"
check_grep check_junit_gate '<testcase classname="gates" name="claims F1 &gt;= 0.99"' "$T/check.junit.xml"
check_grep check_junit_example 'classname="examples" name="speedup.n_faster (' "$T/check.junit.xml"

# A broken rule set: the project's rules plus one file.
broken() {
    rm -rf "$T/br" && cp -r rules "$T/br"
    printf '%s\n' "$@" > "$T/br/99-broken.rules"
}
mkdir -p "$T/nofixtures"

# 1. A rule file that does not load: exit 3, file:line.
broken 'rule broken.regex' '  kind speedup' '  unit x' '  pattern (?<value>\d+(x' '  example "2x"' '  counter "y"'
check_exit check_load 3 $CS check --rules "$T/br" --fixtures "$T/nofixtures"
check_grep check_load_msg "99-broken.rules:4: error: offset 14: missing closing parenthesis" "$T/check_load.err"

# 2. An example that yields other fields, and a counter that matches.
broken 'rule broken.example' '  kind speedup' '  unit x' '  priority 99' \
       '  pattern (?<value>\d+)x\s*zoom' '  example "a 3x zoom" value=4' '  counter "a 5x zoom"'
check_exit check_example 1 $CS check -q --rules "$T/br" --fixtures "$T/nofixtures"
check_grep check_example_msg '99-broken.rules:6: examples: broken.example: example "a 3x zoom" failed: value: expected 4, got 3' "$T/check_example.out"
check_grep check_counter_msg '99-broken.rules:7: examples: broken.example: counter "a 5x zoom" matched' "$T/check_example.out"

# 3. A rule without a counter.
broken 'rule broken.untested' '  kind speedup' '  unit x' '  pattern (?<value>\d+)x\s*zoom' '  example "a 3x zoom" value=3'
check_exit check_untested 1 $CS check -q --rules "$T/br" --fixtures "$T/nofixtures"
check_grep check_untested_msg "99-broken.rules:1: examples: broken.untested: needs at least one example and one counter" "$T/check_untested.out"

# 4. Two rules of equal priority that claim one number as different kinds.
broken 'rule broken.zoom_speed' '  kind speedup' '  unit x' '  priority 7' '  pattern (?<value>\d+)x\s*zoom' \
       '  example "a 3x zoom"' '  counter "zoom"' \
       'rule broken.zoom_energy' '  kind energy_gain' '  unit x' '  priority 7' '  pattern (?<value>\d+)x\s*zoom' \
       '  example "a 3x zoom"' '  counter "zoom"'
check_exit check_overlap 1 $CS check -q --rules "$T/br" --fixtures "$T/nofixtures"
check_grep check_overlap_msg "overlaps: broken.zoom_speed: rules 'broken.zoom_speed' and 'broken.zoom_energy' (both priority 7) claim \"3\" as speedup 3x and energy_gain 3x" "$T/check_overlap.out"

# 5. A rule that backtracks without bound on a long digit run.
broken 'rule broken.backtrack' '  kind speedup' '  unit x' '  pattern (?<value>(?:\d+)+)y' '  example "12y"' '  counter "12"'
check_exit check_backtrack 1 $CS check -q --rules "$T/br" --fixtures "$T/nofixtures" --budget-ms 500
check_grep check_backtrack_msg "99-broken.rules:1: backtracking: broken.backtrack: a 1 MB digit run:" "$T/check_backtrack.out"
check_exit check_backtrack_github 1 $CS check -q --github --rules "$T/br" --fixtures "$T/nofixtures" --budget-ms 500
check_grep check_github_msg "::error file=$T/br/99-broken.rules,line=1::backtracking: broken.backtrack: a 1 MB digit run:" "$T/check_backtrack_github.out"

# 6. A snapshot that no longer holds, then --update.
mkdir -p "$T/fx" && printf 'Our kernel is 3.5x faster than cuBLAS.\n' > "$T/fx/one.txt"
$CS extract "$T/fx/one.txt" | sed 's/"value":3.5/"value":2.5/' > "$T/fx/one.expected.jsonl"
check_exit check_snapshot 1 $CS check -q --fixtures "$T/fx"
check_grep check_snapshot_msg "$T/fx/one.expected.jsonl: snapshots: $T/fx/one.txt: output differs from the snapshot" "$T/check_snapshot.out"
check_grep check_snapshot_changed '~ doc one.txt  speedup 2.5x  "3.5x faster": value 2.5 -> 3.5' "$T/check_snapshot.out"
check_grep check_snapshot_counts 'claims      added 0, removed 0, changed 1' "$T/check_snapshot.out"
check_exit check_update 0 $CS check -q --fixtures "$T/fx" --update
check_grep check_update_msg "updated $T/fx/one.expected.jsonl" "$T/check_update.out"
check_exit check_after_update 0 $CS check -q --fixtures "$T/fx"

# 7. A gold gate the rules do not reach.
check_exit check_gate 1 $CS check -q --fixtures "$T/nofixtures" --gold fixtures/hf-daily-codesign.gold.jsonl --min-f1 0.999 --min-kind-f1 speedup=0.999
check_grep check_gate_msg "fixtures/hf-daily-codesign.gold.jsonl: gates: claims F1 >= 0.999: F1 0.994 is below 0.999" "$T/check_gate.out"
check_exit check_gate_usage 2 $CS check --min-f1 0.5
rm -rf "$T/br" "$T/fx"

# Screens: each one agrees with PCRE2 on every example text (one check per
# screened regex), and a context regex the screen cannot read is noted, not
# failed: here a candidate pattern with a back reference.
check_grep check_screens_candidate 'classname="screens" name="candidate (' "$T/check.junit.xml"
check_grep check_screens_cuestart 'classname="screens" name="cuestart (' "$T/check.junit.xml"
rm -rf "$T/noscreen" && cp -r rules "$T/noscreen"
sed -i '/^candidate /s/|{SKIP_WORD}$/|(\\d)\\1x&/' "$T/noscreen/10-context.rules"
check_exit check_noscreen 0 $CS check --rules "$T/noscreen" --fixtures "$T/nofixtures"
check_grep check_noscreen_note "10-context.rules:23: candidate has no screen: an escape it does not know; it is searched at every place (the same output, slower)" "$T/check_noscreen.out"
check_nogrep check_noscreen_other "numstart has no screen" "$T/check_noscreen.out"
