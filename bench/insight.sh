#!/usr/bin/env bash
# Insight at scale. For each backend (SQLite, PostgreSQL) and each size N
# (default 1,000, 10,000 and 100,000 leaders), generates a trust with 5 cycles
# of reflections (`leadkit demo --people N --cycles 5`) into a fresh database,
# starts `leadkit serve`, signs in as a trust lead and times, over HTTP:
#   - the trust heatmap (/insight, grouped by school),
#   - the growth view (/insight/growth, this cycle against the last),
#   - the priorities list (/insight/priorities),
#   - and, as the reference measured in the same run, the same heatmap bytes
#     served by nginx from a static file.
# Each figure is the median of RUNS requests (default 7). Then, once each: the
# growth view for a pair of cycles nobody has asked for yet (the first and the
# last: every component is counted before the page answers; the generator
# counts each cycle against the one before, as a server does on first use), and
# the heatmap and growth view after a leader changes a judgement (the
# precomputed cells of that one component are counted again first). Last, how
# each view's time grows with N. Loopback only; every wait is bounded.
#
#   bash bench/insight.sh                 # everything (100,000 takes a while)
#   SIZES="1000 10000" BACKENDS=sqlite bash bench/insight.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
SIZES=${SIZES:-"1000 10000 100000"}
BACKENDS=${BACKENDS:-"sqlite postgres"}
RUNS=${RUNS:-7}
PG_SERVER=${LEADKIT_BENCH_PG:-postgres://postgres@127.0.0.1:5432}

need() { command -v "$1" >/dev/null || { apt-get update -qq; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null; }; }
need nginx nginx-light
need psql postgresql-client

cargo build --release --quiet -p leadkit
bin="${CARGO_TARGET_DIR:-$root/target}/release/leadkit"
work=$(mktemp -d)
chmod 755 "$work"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
server=""; nginx_pid=""
stop() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null || true; server=""; }
cleanup() { stop; [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

# nginx serves $work/static (the reference).
mkdir -p "$work/static"
nginx_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
daemon off;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events { worker_connections 64; }
http { access_log off; types { text/html html; } server { listen 127.0.0.1:$nginx_port; root $work/static; } }
CONF
nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!

# Median of RUNS timed GETs of $1 (milliseconds), with the session cookie.
median_ms() {
  local url=$1 times=()
  for _ in $(seq 1 "$RUNS"); do
    times+=("$(curl -s -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$url")")
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]*1000}'
}

# One timed GET of $1 (milliseconds), with the session cookie; fails unless 200.
once_ms() {
  curl -s -f -o /dev/null -w '%{time_total}' -H "Cookie: $cookie" "$1" | awk '{printf "%.1f", $1*1000}'
}

results="$work/results"
: >"$results"
for backend in $BACKENDS; do
  for n in $SIZES; do
    data="$work/data-$backend-$n"
    args=(--data-dir "$data")
    if [ "$backend" = postgres ]; then
      db="leadkit_bench_$n"
      psql -q "$PG_SERVER/postgres" -c "drop database if exists $db" -c "create database $db"
      args+=(--database-url "$PG_SERVER/$db")
    fi
    echo "== $backend, $n leaders: generating"
    start=$(date +%s.%N)
    "$bin" demo --people "$n" --cycles 5 "${args[@]}" >"$work/generate.log" 2>&1 || { cat "$work/generate.log"; exit 1; }
    load_s=$(echo "$(date +%s.%N) - $start" | bc)
    sed 's/^/   /' "$work/generate.log" | grep -v password
    password=$(sed -n 's/.*each with the password  *\([^ ]*\).*/\1/p' "$work/generate.log")
    port=$(free_port)
    "$bin" serve "${args[@]}" --listen "127.0.0.1:$port" >"$work/server.log" 2>&1 &
    server=$!
    for _ in $(seq 1 150); do grep -q "listening on" "$work/server.log" && break; sleep 0.2; done
    base="http://127.0.0.1:$port"
    jar="$work/cookies"; rm -f "$jar"
    token=$(curl -s -c "$jar" "$base/sign-in" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' | head -1)
    curl -s -b "$jar" -c "$jar" -o /dev/null -d "csrf=$token&email=leader0%40generated.example&password=$password&next=%2F" "$base/sign-in"
    cookie="lk_session=$(awk '$6=="lk_session"{print $7}' "$jar")"
    curl -s -H "Cookie: $cookie" "$base/insight" >"$work/static/heatmap.html"
    grep -q 'data-test-heatmap' "$work/static/heatmap.html" || { echo "no heatmap for the trust lead"; tail "$work/server.log"; exit 1; }
    heatmap=$(median_ms "$base/insight")
    growth=$(median_ms "$base/insight/growth")
    priorities=$(median_ms "$base/insight/priorities")
    reference=$(median_ms "http://127.0.0.1:$nginx_port/heatmap.html")
    first_cycle=$(curl -s -H "Cookie: $cookie" "$base/insight/growth" | grep -o 'name="from">.*' | sed 's#</select>.*##' \
      | grep -o 'value="[0-9]*"' | tr -dc '0-9\n' | sort -n | head -1)
    growth_new_pair=$(once_ms "$base/insight/growth?from=$first_cycle")
    # One leader changes a judgement: the next heatmap counts that component again.
    csrf=$(curl -s -H "Cookie: $cookie" "$base/profile" | sed -n 's/.*name="csrf-token" content="\([0-9a-f]*\)".*/\1/p' | head -1)
    curl -s -o /dev/null -X PUT -H "Cookie: $cookie" -H "X-CSRF-Token: $csrf" -H "Content-Type: application/json" \
      -d '{"judgement":"highest","note":"changed for the benchmark"}' "$base/api/me/reflections/leadership-toolkit/1a-i"
    after_change=$(once_ms "$base/insight")
    growth_after_change=$(once_ms "$base/insight/growth")
    rss=$(awk '/VmHWM/{printf "%.0f", $2/1024}' "/proc/$server/status")
    stop
    kb=$(( $(stat -c %s "$work/static/heatmap.html") / 1024 ))
    printf '%s %s %s %s %s %s %s %s %s %s %s %s\n' "$backend" "$n" "$heatmap" "$growth" "$priorities" "$reference" "$after_change" "$load_s" "$rss" "$kb" "$growth_new_pair" "$growth_after_change" >>"$results"
    [ "$backend" = postgres ] && psql -q "$PG_SERVER/postgres" -c "drop database if exists leadkit_bench_$n"
    rm -rf "$data"
  done
done

echo
echo "Insight over HTTP, median of $RUNS requests each (ms); reference: nginx serving the heatmap's bytes"
printf '%-9s %8s %9s %9s %11s %10s %14s %9s %8s %11s\n' backend leaders heatmap growth priorities reference "after a change" "load (s)" "RSS MB" "heatmap KB"
while read -r b n h g p r a l m k _ _; do
  printf '%-9s %8s %9s %9s %11s %10s %14s %9.0f %8s %11s\n' "$b" "$n" "$h" "$g" "$p" "$r" "$a" "$l" "$m" "$k"
done <"$results"
echo
echo "Growth once each (ms): a pair of cycles asked for the first time (every component counted), and after a change (one component)"
printf '%-9s %8s %15s %20s\n' backend leaders "new pair" "after a change"
while read -r b n _ _ _ _ _ _ _ _ gn ga; do
  printf '%-9s %8s %15s %20s\n' "$b" "$n" "$gn" "$ga"
done <"$results"
echo
echo "How each view grows with N (time at N over time at the previous N, and N's own ratio):"
awk '{ if ($1 == pb) printf "%-9s %6s -> %-7s N x%-5.0f heatmap x%-6.2f growth x%-6.2f priorities x%.2f\n", $1, pn, $2, $2/pn, $3/ph, $4/pg, $5/pp; pb=$1; pn=$2; ph=$3; pg=$4; pp=$5 }' "$results"
