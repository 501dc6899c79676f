#!/usr/bin/env bash
# tests/run.sh: the whole suite.  Runs the unit tests (tests/unit), then every
# tests/t_*.sh script in one shell, and ends with "N passed, N failed".
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

for t in tests/t_*.sh; do
    before=$FAIL
    . "$t"
    [ "$FAIL" = "$before" ] || printf '  (in %s)\n' "$t"
done

printf '%d passed, %d failed\n' "$PASS" "$FAIL"
[ "$FAIL" = 0 ]
