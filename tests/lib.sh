# tests/lib.sh: tiny assertion helpers shared by tests/t_*.sh (sourced by run.sh).
# Each check prints nothing when it passes and "FAIL <name>: ..." when it fails.
CS=${CS:-./claimscan}
T=${T:-tests/out}
mkdir -p "$T"
PASS=0
FAIL=0

pass() { PASS=$((PASS + 1)); }
fail() { FAIL=$((FAIL + 1)); printf 'FAIL %s: %s\n' "$1" "$2"; }

# check_eq NAME EXPECTED ACTUAL
check_eq() {
    if [ "$2" = "$3" ]; then pass; else fail "$1" "expected '$2', got '$3'"; fi
}

# check_cmp NAME EXPECTED_FILE ACTUAL_FILE: files must be byte-identical
check_cmp() {
    if cmp -s "$2" "$3"; then pass; else
        fail "$1" "$3 differs from $2"
        diff -u "$2" "$3" | head -n 30
    fi
}

# check_grep NAME PATTERN FILE: FILE has a line matching the fixed string PATTERN
check_grep() {
    if grep -qF -- "$2" "$3"; then pass; else fail "$1" "no line with '$2' in $3"; fi
}

# check_nogrep NAME PATTERN FILE
check_nogrep() {
    if grep -qF -- "$2" "$3"; then fail "$1" "unexpected '$2' in $3"; else pass; fi
}

# check_exit NAME EXPECTED_STATUS command...: runs the command, stdout to $T/NAME.out,
# stderr to $T/NAME.err, and checks its exit status
check_exit() {
    local name=$1 want=$2
    shift 2
    "$@" >"$T/$name.out" 2>"$T/$name.err" </dev/null
    local got=$?
    if [ "$got" = "$want" ]; then pass; else
        fail "$name" "exit status $got, expected $want ($(head -c 300 "$T/$name.err"))"
    fi
}
