#!/usr/bin/env bash
# leadkit's speed, measured against a reference in the same run:
#   (a) a signed-in GET of the heaviest reflection page,
#   (b) a signed-in PUT saving one reflection (each acknowledged save is on disk),
#   (c) nginx serving the very same bytes as (a) from a static file.
# Prints requests/s and p50/p99 latency for each, (a)/(c), and leadkit's peak memory.
# Needs wrk and nginx (installed from Debian's packages if missing). Loopback only;
# every load run is bounded by wrk's duration.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
DURATION=${BENCH_SECONDS:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-16}

need() { command -v "$1" >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need wrk wrk
need nginx nginx-light

cargo build --release --quiet -p leadkit
work=$(mktemp -d)
chmod 755 "$work"   # nginx workers drop to an unprivileged user and must read the page
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
port=$(free_port)
"${CARGO_TARGET_DIR:-$root/target}/release/leadkit" serve --demo --data-dir "$work/data" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
nginx_pid=""
cleanup() { kill "$server" 2>/dev/null || true; [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
for _ in $(seq 1 100); do grep -q "listening on" "$work/server.log" && break; sleep 0.2; done
base="http://127.0.0.1:$port"
password=$(sed -n 's/.*each with the password  *\([^ ]*\).*/\1/p' "$work/server.log")

# Sign in as a demo leader, like a browser: pre-session token, then the form post.
jar="$work/cookies"
token=$(curl -s -c "$jar" "$base/sign-in" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf=$token&email=ben.khan%40oakwood.example&password=$password&next=%2F" "$base/sign-in"
session=$(awk '$6=="lk_session"{print $7}' "$jar")
[ -n "$session" ] || { echo "could not sign in"; exit 1; }
cookie="lk_session=$session"

# The heaviest reflection page: the subdomain page with the most bytes.
heaviest=""; most=0
for group in 1a 1b 1c 1d 1e 2a 2b 3a 3b 3c 3d 4a 4b 4c 4d 4e; do
  size=$(curl -s -H "Cookie: $cookie" "$base/reflect/leadership-toolkit/$group" | wc -c)
  if [ "$size" -gt "$most" ]; then most=$size; heaviest=$group; fi
done
page="$base/reflect/leadership-toolkit/$heaviest"
mkdir -p "$work/static"
curl -s -H "Cookie: $cookie" "$page" >"$work/static/reflect.html"
csrf=$(sed -n 's/.*name="csrf-token" content="\([0-9a-f]*\)".*/\1/p' "$work/static/reflect.html" | head -1)

# nginx with the same bytes, the same worker count as leadkit's runtime (one per core).
nginx_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes $(nproc);
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  types { text/html html; }
  server { listen 127.0.0.1:$nginx_port; root $work/static; }
}
CONF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
for _ in $(seq 1 50); do curl -sf -o /dev/null "http://127.0.0.1:$nginx_port/reflect.html" && break; sleep 0.1; done
cmp -s <(curl -s "http://127.0.0.1:$nginx_port/reflect.html") "$work/static/reflect.html" || { echo "nginx does not serve the same bytes"; exit 1; }

cat >"$work/save.lua" <<LUA
local levels = { "some", "high", "highest", "not_yet" }
local items = { "1a-i", "1a-ii", "1a-iii", "1a-iv", "2a-i", "2a-ii", "3b-iv", "4e-ii" }
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"judgement":"%s","note":"benchmark save %d"}', levels[n % 4 + 1], n)
  return wrk.format("PUT", "/api/me/reflections/leadership-toolkit/" .. items[n % 8 + 1], {
    ["Cookie"] = "$cookie", ["X-CSRF-Token"] = "$csrf", ["Content-Type"] = "application/json" }, body)
end
LUA

run() { # label, url, extra wrk args…
  local label=$1 url=$2; shift 2
  local out
  out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/{print $2}' <<<"$out")
  p50=$(awk '$1=="50%"{print $2}' <<<"$out")
  p99=$(awk '$1=="99%"{print $2}' <<<"$out")
  errors=$(awk '/Non-2xx or 3xx responses/{print $5}' <<<"$out")
  printf '%-44s %10s req/s   p50 %-9s p99 %-9s %s\n' "$label" "$rps" "$p50" "$p99" "${errors:+non-2xx: $errors}"
  echo "$rps" >"$work/$label.rps"
}

echo "leadkit bench: $(nproc) cores, $CONNECTIONS connections, ${DURATION}s per run, page $heaviest ($most bytes)"
run "a" "$page" -H "Cookie: $cookie" | sed 's/^a /(a) leadkit GET heaviest reflection page/'
run "c" "http://127.0.0.1:$nginx_port/reflect.html" | sed 's/^c /(c) nginx, same bytes, static file       /'
run "b" "$base/" -s "$work/save.lua" | sed 's/^b /(b) leadkit PUT one reflection (saves)   /'
a=$(cat "$work/a.rps"); c=$(cat "$work/c.rps")
python3 -c "print(f'(a)/(c) = {float($a)/float($c):.2f}   (target: at least 0.50)')"
echo "leadkit peak memory (VmHWM): $(awk '/VmHWM/{print $2, $3}' /proc/$server/status)"
