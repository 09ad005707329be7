#!/usr/bin/env bash
# The README's quick start as a newcomer runs it: `npm start` on a fresh embedded database must serve
# the app with demo data, and `admin` must be able to sign in and open the student list.
set -euo pipefail
cd "$(dirname "$0")/.."
if curl -fsS "http://127.0.0.1:${SMOKE_PORT:-3999}/healthz" >/dev/null 2>&1; then
  echo "smoke: something already answers on port ${SMOKE_PORT:-3999}"
  exit 1
fi
dir=$(mktemp -d)
port=${SMOKE_PORT:-3999}
# Its own process group (setsid), so the whole tree npm start makes (npm, sh, node) ends together.
SQLITE_FILE="$dir/sis.sqlite3" PORT=$port HOST=127.0.0.1 LOG_LEVEL=warn setsid npm start >"$dir/start.log" 2>&1 &
pid=$!
cleanup() {
  status=$?
  [ $status -ne 0 ] && { echo "smoke failed; the server's log:"; tail -40 "$dir/start.log"; }
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 -- "-$pid" 2>/dev/null || break; sleep 0.2; done
  rm -rf "$dir"
}
trap cleanup EXIT
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { cat "$dir/start.log"; exit 1; }
jar="$dir/cookies"
token=$(curl -fsS -c "$jar" -b "$jar" "http://127.0.0.1:$port/login" | sed -n 's/.*name="csrf-token" content="\([^"]*\)".*/\1/p')
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "username=admin" \
  --data-urlencode "password=demo-password" --data-urlencode "_csrf=$token" "http://127.0.0.1:$port/login")
[ "$code" = 302 ] || { echo "smoke: admin sign-in answered $code"; exit 1; }
total=$(curl -fsS -b "$jar" -H 'Accept: application/json' "http://127.0.0.1:$port/students" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).meta.total))')
[ "$total" -ge 200 ] || { echo "smoke: expected 200 demo students, got $total"; exit 1; }
echo "smoke: npm start served $total demo students; admin signed in"
