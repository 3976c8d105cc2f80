#!/usr/bin/env bash
# Lighthouse 12.2.3 (mobile profile, performance only) on the eight pages of issue 17, against
# the demo municipality served by gunicorn as in production. By hand, not in the suite:
#
#   bench/lighthouse.sh                          # demo data in /tmp/medvirk-lighthouse.db
#   DB=postgresql://postgres@127.0.0.1:5432/medvirk_demo bench/lighthouse.sh
#   OUT=/tmp/lh bench/lighthouse.sh              # where the JSON reports go
#
# Prints per page: performance score, cumulative layout shift, total transfer (KB) and the
# number of requests. Lighthouse 12.2.3 is the last to run on Node 20 (npm fetches it once into
# its cache); Chromium is Debian's (/usr/bin/chromium, or CHROME_PATH).
set -euo pipefail
cd "$(dirname "$0")/.."
DB=${DB:-sqlite:////tmp/medvirk-lighthouse.db}
OUT=${OUT:-/tmp/medvirk-lighthouse}
PORT=${PORT:-$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
BASE=http://127.0.0.1:$PORT
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
mkdir -p "$OUT"

DATABASE_URL=$DB .venv/bin/flask --app wsgi db upgrade heads >/dev/null 2>&1
DATABASE_URL=$DB MAIL_SERVER= .venv/bin/flask --app wsgi seed-demo --if-empty >/dev/null

DATABASE_URL=$DB SECRET_KEY=$(.venv/bin/python -c 'import secrets; print(secrets.token_hex(32))') \
  SITE_URL=$BASE SESSION_COOKIE_SECURE=0 MAIL_SERVER= RATELIMIT_ENABLED=0 \
  .venv/bin/gunicorn --workers 2 --bind 127.0.0.1:"$PORT" --log-level warning wsgi:app \
  >"$OUT/gunicorn.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.3; done

# The idea form needs a signed-in resident: log in through the form and pass the cookie along.
JAR=$OUT/cookies.txt
TOKEN=$(curl -fsS -c "$JAR" "$BASE/login" | grep -o 'name="csrf_token"[^>]*value="[^"]*"' | head -1 | sed 's/.*value="//; s/"$//')
curl -fsS -b "$JAR" -c "$JAR" -o /dev/null --data-urlencode "csrf_token=$TOKEN" \
  --data-urlencode "email=ingrid.haugen-berg@example.no" --data-urlencode "password=fjordlys-ved-brygga" "$BASE/login"
COOKIE=$(awk '!/^#/ && NF >= 7 {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$JAR")
# HttpOnly cookies are written with a "#HttpOnly_" prefix on the host: read those too.
COOKIE=$(awk '/^#HttpOnly_/ && NF >= 7 {printf "%s%s=%s", sep, $6, $7; sep="; "}' "$JAR")${COOKIE:+; $COOKIE}

IDEA=$(curl -fsS "$BASE/ideas?sort=votes" | grep -o 'href="/ideas/[0-9]*"' | head -1 | sed 's/href="//; s/"//')
PROJECT=$(curl -fsS "$BASE/portfolio" | grep -o 'href="/portfolio/projects/[0-9]*"' | head -1 | sed 's/href="//; s/"//')

run() {  # name path [cookie]
  local name=$1 path=$2 headers=()
  if [[ -n "${3:-}" ]]; then headers=(--extra-headers "{\"Cookie\": \"$3\"}"); fi
  npm exec --yes --package=lighthouse@12.2.3 -- lighthouse "$BASE$path" --quiet \
    --only-categories=performance --form-factor=mobile \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" \
    "${headers[@]}" --output=json --output-path="$OUT/$name.json" >/dev/null 2>&1 || true
}

run home /
run ideas /ideas
run idea "$IDEA"
run idea-form /ideas/new "$COOKIE"
run portfolio /portfolio
run project "$PROJECT"
run sdgs /sdgs
run login /login

.venv/bin/python - "$OUT" <<'EOF'
import json, sys
from pathlib import Path

out = Path(sys.argv[1])
print(f"{'page':<10} {'score':>5} {'CLS':>6} {'KB':>7} {'requests':>8}")
for name in ("home", "ideas", "idea", "idea-form", "portfolio", "project", "sdgs", "login"):
    path = out / f"{name}.json"
    if not path.exists():
        print(f"{name:<10} (no report)")
        continue
    report = json.loads(path.read_text())
    audits = report["audits"]
    score = report["categories"]["performance"]["score"]
    cls = audits.get("cumulative-layout-shift", {}).get("numericValue")
    weight = audits.get("total-byte-weight", {}).get("numericValue")
    requests = len(audits.get("network-requests", {}).get("details", {}).get("items", []))
    print(f"{name:<10} {'' if score is None else round(score * 100):>5} "
          f"{'' if cls is None else f'{cls:.3f}':>6} {'' if weight is None else f'{weight / 1024:.1f}':>7} {requests:>8}")
EOF
