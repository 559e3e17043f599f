#!/usr/bin/env bash
# Idle memory of a release build: starts xinyu-host with every domain plugin (crisis, training,
# facilities, homeschool, partnership) on a fresh data folder, waits until the host says every
# plugin is ready, lets it settle, reads VmRSS (and VmHWM, the peak) from /proc for the host and
# each plugin process, prints a table, stops the host and exits 1 if a plugin is over the limit.
#
# Usage: scripts/measure-rss.sh [--limit-mib 32] [--host-limit-mib 40] [--settle 2] [--bin DIR]
#   --bin DIR   use the release executables already in DIR (skip the build)
# The release build shares the benchmark's build folder (Benchmarks/.build, see scripts/bench.sh),
# so the dependencies are compiled once for both. Figures: docs/PERFORMANCE.md, "Idle RSS".
set -euo pipefail
cd "$(dirname "$0")/.."

limit=32 host_limit=40 settle=2 bin=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --limit-mib) limit="$2"; shift 2 ;;
    --host-limit-mib) host_limit="$2"; shift 2 ;;
    --settle) settle="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

plugins=(crisis training facilities homeschool partnership)
if [[ -z "$bin" ]]; then
  scripts/install-deps.sh >/dev/null
  echo "building (release) ..." >&2
  # Statically linked, as docs/OPERATIONS.md installs it (see "Idle RSS" in docs/PERFORMANCE.md).
  for product in xinyu-host xinyu "${plugins[@]/#/xinyu-plugin-}"; do
    swift build ${SWIFTPM_BUILD_FLAGS:-} -c release --static-swift-stdlib --package-path Benchmarks --product "$product" >&2
  done
  bin="$(swift build -c release --package-path Benchmarks --show-bin-path)"
fi

dir="$(mktemp -d -t xinyu-rss.XXXXXX)"
host_pid=""
cleanup() {
  if [[ -n "$host_pid" ]] && kill -0 "$host_pid" 2>/dev/null; then
    kill -TERM "$host_pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$host_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$host_pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT

enabled="$(printf '"%s", ' "${plugins[@]}")"
cat > "$dir/xinyu.toml" <<EOF
[host]
socket = "$dir/x.sock"
database = "$dir/xinyu.sqlite"
runtime_dir = "$dir/run"

[plugins]
enabled = [${enabled%, }]
settings_dir = "$PWD/Config/plugins"

[security]
roles_file = "$PWD/Config/roles.toml"
operator_token_file = "$dir/operator.token"
audit_key_file = "$dir/audit.key"
audit_database = "$dir/audit.sqlite"
EOF

"$bin/xinyu-host" --config "$dir/xinyu.toml" --log-level warning > "$dir/host.out" 2> "$dir/host.err" &
host_pid=$!

# Ready: the host's ready line, then `xinyu health` says serving (every plugin ready).
deadline=$((SECONDS + 60))
until grep -q "ready:" "$dir/host.out" 2>/dev/null; do
  kill -0 "$host_pid" 2>/dev/null || { echo "xinyu-host exited:" >&2; cat "$dir/host.err" >&2; exit 1; }
  (( SECONDS < deadline )) || { echo "timed out waiting for the host's ready line" >&2; exit 1; }
  sleep 0.05
done
until "$bin/xinyu" health --socket "$dir/x.sock" >/dev/null 2>&1; do
  (( SECONDS < deadline )) || { echo "timed out waiting for every plugin to be ready:" >&2; "$bin/xinyu" health --socket "$dir/x.sock" >&2 || true; exit 1; }
  sleep 0.1
done
sleep "$settle"; if [[ -n "${RSS_HOLD:-}" ]]; then echo "$host_pid" > "$RSS_HOLD"; while [[ -e "$RSS_HOLD" ]]; do sleep 0.5; done; fi

# name pid: the host, then its children that are plugins (by their executable's name).
status() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
rows=("host $host_pid")
for child in $(cat "/proc/$host_pid/task/"*/children 2>/dev/null); do
  exe="$(basename "$(tr '\0' '\n' < "/proc/$child/cmdline" | head -1)")"
  [[ "$exe" == xinyu-plugin-* ]] && rows+=("${exe#xinyu-plugin-} $child")
done

over=0
printf '| process | pid | idle VmRSS MiB | peak VmHWM MiB | limit MiB | |\n|---|---:|---:|---:|---:|---|\n'
for row in "${rows[@]}"; do
  read -r name pid <<< "$row"
  rss=$(status "$pid" VmRSS) hwm=$(status "$pid" VmHWM)
  lim=$limit; [[ "$name" == host ]] && lim=$host_limit
  verdict=ok
  if (( rss > lim * 1024 )); then verdict="OVER"; over=1; fi
  printf '| %s | %s | %.1f | %.1f | %s | %s |\n' "$name" "$pid" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')" "$(awk -v k="$hwm" 'BEGIN { print k / 1024 }')" "$lim" "$verdict"
done
seen=$(( ${#rows[@]} - 1 ))
if (( seen != ${#plugins[@]} )); then echo "expected ${#plugins[@]} plugin processes, found $seen" >&2; exit 1; fi
exit "$over"
