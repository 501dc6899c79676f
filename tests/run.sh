#!/usr/bin/env bash
# tests/run.sh: the whole suite.  Runs the unit tests (tests/unit), then every
# tests/t_*.sh script (two at a time, see below), and ends with "N passed,
# N failed".
set -u
cd "$(dirname "$0")/.."
. tests/lib.sh

unit_out=$(./tests/unit 2>&1)
unit_rc=$?
printf '%s\n' "$unit_out" | grep -v '^ok ' || true
u_pass=$(printf '%s\n' "$unit_out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
u_fail=$(printf '%s\n' "$unit_out" | sed -n 's/^unit: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
if [ -z "$u_pass" ]; then
    fail unit "tests/unit did not finish (status $unit_rc)"
else
    PASS=$((PASS + u_pass))
    FAIL=$((FAIL + u_fail))
fi

# The scripts run TEST_JOBS at a time (default 2: most of the suite is
# claimscan starting up, once per check), each in its own shell with its own
# $T (tests/out/NAME), so that they share no file; their output is printed in
# script order once all are done.
jobs=${TEST_JOBS:-2}
res=$(mktemp -d)
trap 'rm -rf "$res"' EXIT
n=0
for t in tests/t_*.sh; do
    name=$(basename "$t" .sh)
    (
        # (fd 3: the scripts set variables of their own, t and name among them)
        exec 3>"$res/$name.count"
        T="tests/out/$name"
        . tests/lib.sh
        . "$t"
        printf '%d %d\n' "$PASS" "$FAIL" >&3
    ) >"$res/$name.log" 2>&1 </dev/null &
    n=$((n + 1))
    if [ "$n" -ge "$jobs" ]; then
        wait -n 2>/dev/null || true
        n=$((n - 1))
    fi
done
wait
for t in tests/t_*.sh; do
    name=$(basename "$t" .sh)
    cat "$res/$name.log"
    if [ -s "$res/$name.count" ]; then
        read -r p f <"$res/$name.count"
        PASS=$((PASS + p))
        FAIL=$((FAIL + f))
        [ "$f" = 0 ] || printf '  (in %s)\n' "$t"
    else
        fail "$name" "$t did not finish"
    fi
done

printf '%d passed, %d failed\n' "$PASS" "$FAIL"
[ "$FAIL" = 0 ]
