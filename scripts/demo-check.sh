#!/usr/bin/env bash
# Checks the demo end to end (CI runs it): starts `scripts/run-host.sh --demo` on a fresh
# temporary folder, waits for its "try this", runs every command it printed, and checks each:
# the plain ones succeed and show the seeded data, the ones marked "# refused: CODE" fail with
# that code. Then the tokens' modes and the host log (no student names), and a graceful stop.
set -euo pipefail
cd "$(dirname "$0")/.."
dir="$(mktemp -d /tmp/xinyu-demo.XXXXXX)"
export XINYU_DEMO_DIR="$dir/demo"
scripts/run-host.sh --demo > "$dir/run.out" 2>&1 &
demo_pid=$!
finish() {
  kill -TERM "$demo_pid" 2>/dev/null || true
  wait "$demo_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap finish EXIT
fail() { echo "demo-check: $*" >&2; echo "--- run-host.sh --demo output:" >&2; tail -30 "$dir/run.out" >&2; exit 1; }

try="$XINYU_DEMO_DIR/try-this.txt"
for _ in $(seq 1 6000); do   # up to 10 minutes: the first run builds everything
  grep -q "^Stop with Ctrl-C" "$try" 2>/dev/null && break
  kill -0 "$demo_pid" 2>/dev/null || fail "run-host.sh --demo ended before printing what to try"
  sleep 0.1
done
grep -q "^Stop with Ctrl-C" "$try" 2>/dev/null || fail "no 'try this' after 10 minutes"

# The alias line says which xinyu the commands mean.
bin="$(sed -n 's/^  alias xinyu=\([^;]*\);.*/\1/p' "$try")"
[ -x "$bin" ] || fail "the alias line names no executable: '$bin'"
xinyu() { "$bin" "$@"; }
export XINYU_SOCKET="$XINYU_DEMO_DIR/run/xinyu.sock"

# What some answers must show: the seeded data reached every plugin.
declare -A expect=(
  ["Crisis/ListWarnings"]="MH2024-0105"
  ["Crisis/ListCases"]="MH2024-0101"
  ["Crisis/ListScreeningResults"]="phq-a"
  ["Crisis/GetWarningLevel"]="\"level\":1"
  ["Homeschool/ListVisits"]="MH2024-0101"
  ["Partnership/ListReferrals"]="kangning"
  ["Training/GetStatistics"]="MH-HS-01"
  ["Facilities/GetCoverage"]="MH-HS-01"
  ["audit who"]="staff:HS-P1"
  ["plugins"]="partnership"
  ["admin backup"]="not copied: the audit key"
)
ran=0
while IFS= read -r line; do
  command="${line#  }"
  refused=""
  if [[ "$command" == *"# refused: "* ]]; then
    refused="${command##*# refused: }"
    command="${command%%#*}"
  fi
  set +e
  output="$(eval "$command" 2>&1)"
  status=$?
  set -e
  if [ -n "$refused" ]; then
    [ $status -ne 0 ] && [[ "$output" == *"$refused"* ]] || fail "expected $refused from: $command; got (exit $status): $output"
  else
    [ $status -eq 0 ] || fail "failed (exit $status): $command: $output"
    for key in "${!expect[@]}"; do
      if [[ "$command" == *"$key"* ]] && [[ "$output" != *"${expect[$key]}"* ]]; then
        fail "'$command' does not show ${expect[$key]}: $output"
      fi
    done
  fi
  echo "ok: ${line#  }"
  ran=$((ran + 1))
done < <(grep '^  xinyu ' "$try")
[ "$ran" -ge 18 ] || fail "only $ran commands in the 'try this'"

# The backup the operator's command made: both databases, owner-only, and never the key.
backup="$(ls -d "$XINYU_DEMO_DIR"/backups/*/ | head -1)"
[ -f "$backup/xinyu.sqlite" ] && [ -f "$backup/audit.sqlite" ] && [ -f "$backup/BACKUP.txt" ] || fail "the backup folder $backup lacks a file"
[ ! -e "$backup/audit.key" ] || fail "the backup holds the audit key"
[ "$(stat -c %a "$backup/xinyu.sqlite")" = 600 ] || fail "the backup's xinyu.sqlite is not mode 600"
for token in "$XINYU_DEMO_DIR"/*.token; do
  [ "$(stat -c %a "$token")" = 600 ] || fail "$token is mode $(stat -c %a "$token"), not 600"
done
if grep -q -e 张子涵 -e 王海燕 -e xyt_ "$XINYU_DEMO_DIR/host.log"; then fail "the host log holds a name or a token"; fi
kill -TERM "$demo_pid"
wait "$demo_pid" || true
grep -q "stopped" "$XINYU_DEMO_DIR/host.log" || fail "the host did not log a graceful stop"
echo "demo-check: $ran commands from the demo's 'try this' behaved as printed"
