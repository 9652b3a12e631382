#!/usr/bin/env bash
# Browser journeys: build leadkit, start it with the demo trust on a free loopback
# port and a fresh data folder, and run the journeys in Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd .. && pwd)

if ! command -v chromium >/dev/null; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
[ -d node_modules/playwright-core ] && [ -d node_modules/axe-core ] && [ -d node_modules/oidc-provider ] || npm ci --no-audit --no-fund

(cd "$root" && cargo build --quiet -p leadkit)
data=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()')
log="$data/server.log"
"${CARGO_TARGET_DIR:-$root/target}/debug/leadkit" serve --demo --data-dir "$data" --listen "127.0.0.1:$port" >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening on" "$log" && break
  kill -0 $server 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
password=$(sed -n 's/.*each with the password  *\([^ ]*\).*/\1/p' "$log")
[ -n "$password" ] || { echo "no demo password in the server log"; cat "$log"; exit 1; }
export LEADKIT_E2E_URL="http://127.0.0.1:$port" LEADKIT_E2E_PASSWORD="$password"
# A journey that starts from an empty server (a new trust) runs its own.
export LEADKIT_E2E_BIN="${CARGO_TARGET_DIR:-$root/target}/debug/leadkit"
if [ -n "${LEADKIT_E2E_ONLY:-}" ]; then
  # One journey file while working on it: LEADKIT_E2E_ONLY=never_lose bash e2e/run.sh
  node --test --test-concurrency=1 --test-timeout=600000 --test-reporter=spec "journeys/$LEADKIT_E2E_ONLY.test.mjs"
else
  npm test --silent
fi
