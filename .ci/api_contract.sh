#!/usr/bin/env bash
# The OpenAPI document and the server agree: schemathesis (from PyPI) generates
# requests from /api/openapi.json against a real `leadkit serve --demo` on
# loopback, signed in as a demo leader, and fails on any 5xx or any response
# that does not match the document. Bounded by --max-examples per operation.
#   bash .ci/api_contract.sh [path to the leadkit binary]
set -euo pipefail
cd "$(dirname "$0")/.."
binary=${1:-${CARGO_TARGET_DIR:-target}/debug/leadkit}
examples=${API_EXAMPLES:-30}
command -v st >/dev/null || python3 -m pip install --quiet schemathesis
[ -x "$binary" ] || cargo build --quiet -p leadkit

data=$(mktemp -d)
out=$(mktemp)
"$binary" serve --demo --listen 127.0.0.1:0 --data-dir "$data" >"$out" 2>/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data" "$out"' EXIT
for _ in $(seq 1 120); do grep -q "leadkit is listening on" "$out" && break; sleep 0.5; done
base=$(sed -n 's/^leadkit is listening on //p' "$out" | tr -d '[:space:]')
password=$(sed -n "s/.*each with the password *\([^ ]*\).*/\1/p" "$out" | head -1)
email=$(sed -n 's/^    \([^ ]*@[^ ]*\) .*/\1/p' "$out" | sed -n 2p)
[ -n "$base" ] && [ -n "$password" ] && [ -n "$email" ] || { echo "the demo server did not start"; cat "$out"; exit 1; }

# Sign in through the form, as a browser would.
jar=$(mktemp)
csrf=$(curl -fsS -c "$jar" "$base/sign-in" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -fsS -o /dev/null -b "$jar" -c "$jar" --data-urlencode "csrf=$csrf" --data-urlencode "email=$email" \
  --data-urlencode "password=$password" --data-urlencode "next=/" "$base/sign-in"
session=$(awk '$6 == "lk_session" { print $7 }' "$jar")
token=$(curl -fsS -b "$jar" "$base/frameworks" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p' | head -1)
rm -f "$jar"
[ -n "$session" ] && [ -n "$token" ] || { echo "could not sign in to the demo server"; exit 1; }

echo "schemathesis against $base as $email, $examples examples per operation"
# Its example cache goes in the temporary folder, not the working tree.
config=$PWD/.ci/schemathesis.toml
cd "$data"
st --config-file "$config" run "$base/api/openapi.json" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  -H "Cookie: lk_session=$session" -H "X-CSRF-Token: $token" \
  --max-examples "$examples" --seed 1
