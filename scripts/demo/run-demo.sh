#!/usr/bin/env bash
# `scripts/run-host.sh --demo`: builds, starts the host on the demo city (明湖市, fictional) in
# var/demo/ (or $XINYU_DEMO_DIR), seeds it on the first start, prints what to try, and runs in
# the foreground until Ctrl-C. Never touches the real var/ data. `rm -rf var/demo` starts over.
set -euo pipefail
cd "$(dirname "$0")/../.."
demo="${XINYU_DEMO_DIR:-var/demo}"
build="${XINYU_BUILD:-debug}"
# A release build links the Swift runtime statically, as docs/OPERATIONS.md installs it.
flags=(); [ "$build" = release ] && flags=(--static-swift-stdlib)
[ "${XINYU_SKIP_BUILD:-}" = 1 ] || { scripts/install-deps.sh; swift build -c "$build" "${flags[@]+"${flags[@]}"}" >&2; }
bin="${XINYU_BIN:-$(swift build -c "$build" --show-bin-path)}"
mkdir -p "$demo"
chmod 700 "$demo"
if [ -e "$demo/xinyu.sqlite" ] && [ ! -e "$demo/seeded" ]; then
  echo "$demo holds a demo that was never fully seeded; remove it (rm -rf $demo) and run again" >&2
  exit 1
fi
cat > "$demo/xinyu.toml" <<TOML
# Written by scripts/demo/run-demo.sh: the demo city's host. Not for real data.
[host]
socket = "$demo/run/xinyu.sock"
database = "$demo/xinyu.sqlite"
runtime_dir = "$demo/run"
[plugins]
enabled = ["crisis", "training", "homeschool", "facilities", "partnership"]
settings_dir = "Config/plugins"
[security]
roles_file = "Config/roles.toml"
operator_token_file = "$demo/operator.token"
audit_key_file = "$demo/audit.key"
TOML

# The host runs in the background of this script so that the seed can call it; Ctrl-C or
# SIGTERM stops it gracefully (SIGTERM to the host: calls finish, plugins stop), and so does
# any other end of this script.
"$bin/xinyu-host" --config "$demo/xinyu.toml" > >(tee "$demo/host.out") 2> "$demo/host.log" &
host=$!
stop() { kill -TERM "$host" 2>/dev/null || true; wait "$host" 2>/dev/null || true; }
trap 'stop; exit 130' INT TERM
trap stop EXIT
for _ in $(seq 1 600); do
  grep -q " ready:" "$demo/host.out" 2>/dev/null && break
  kill -0 "$host" 2>/dev/null || { echo "the host stopped; its log:" >&2; tail -20 "$demo/host.log" >&2; exit 1; }
  sleep 0.1
done
grep -q " ready:" "$demo/host.out" || { echo "the host did not become ready in 60 s; see $demo/host.log" >&2; exit 1; }
export XINYU="$bin/xinyu" XINYU_SOCKET="$demo/run/xinyu.sock"
# Plugins start after the ready line: wait until every enabled one is ready.
for _ in $(seq 1 600); do
  "$XINYU" health >/dev/null 2>&1 && break
  sleep 0.1
done
if [ ! -e "$demo/seeded" ]; then
  scripts/demo/seed.sh "$demo"
  touch "$demo/seeded"
fi
scripts/demo/try-this.sh "$demo" "$bin" | tee "$demo/try-this.txt"
wait "$host"
