#!/usr/bin/env bash
# Secrets never reach the logs: runs the demo-style stack (PostgreSQL, bce-sim, `tpgw serve` at debug level) with a
# configuration holding an account secret (and a second account whose secret is wrong, so polls fail and log), a
# database password, an API key and a webhook secret; makes good and failing requests that carry those secrets in
# headers, paths, queries and bodies; then greps every log and every CLI output for each secret and fails on a hit.
# Every process started here is stopped by its PID.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
. scripts/lib/pg.sh
. scripts/lib/stack.sh

tpgw_install_base
DIR=$(pwd)/.data/secrets-in-logs
rm -rf "$DIR"; mkdir -p "$DIR"
swift build 2>&1 | sed -E '/^\[[0-9]+\/[0-9]+\]/d' | grep -v '^Building\|^Build complete' || true
TPGW_BIN=$(swift build --show-bin-path)
trap 'tpgw_stack_stop; tpgw_pg_stop' EXIT INT TERM
fail() { echo "55-secrets-in-logs: FAIL: $*" >&2; exit 1; }
rand() { python3 -c 'import secrets; print(secrets.token_hex(16))'; }

ACCOUNT_SECRET=AcctSecret$(rand)
WRONG_SECRET=WrongSecret$(rand)
DB_PASSWORD=DbPassword$(rand)
WEBHOOK_SECRET=WebhookSecret$(rand)
WEBHOOK_TOKEN=HookToken$(rand)
SLACK_TOKEN=SlackToken$(rand)
FEISHU_TOKEN=FeishuToken$(rand)
WECOM_TOKEN=WecomToken$(rand)
printf '%s' "$WRONG_SECRET" >"$DIR/wrong-secret"
chmod 600 "$DIR/wrong-secret"

tpgw_pg_start pg-secrets
# Trust authentication ignores the password, but it is in the configuration: it must not be logged either.
TPGW_PG_URL=${TPGW_PG_URL/postgres@/postgres:$DB_PASSWORD@}
export TPGW_STACK_SECRET=$ACCOUNT_SECRET
export TPGW_STACK_REGIONS=bj,gz,su
export TPGW_STACK_EXTRA_ACCOUNTS='[{"name": "broken", "provider": "bce", "accessKeyId": "SIMAK", "secretAccessKeyFile": "'"$DIR/wrong-secret"'", "regions": ["bj"]}]'
# The webhook targets below are on loopback (port 9, nothing listens): allowed here so that sends are attempted.
tpgw_stack_start "$DIR" 20 5 60 '{"logLevel": "debug", "accessLog": true, "webhookAllowedNetworks": ["127.0.0.0/8"]}'
KEY=$TPGW_STACK_KEY
U=$TPGW_STACK_URL
tpgw_stack_wait_poll 60 sim || fail "the sim account was not polled"   # the broken account never gets ok
sleep 6   # a few failed polls of the broken account

req() { curl -s -o "$DIR/responses/$1" -w '%{http_code}\n' "${@:2}" >>"$DIR/codes"; }
mkdir -p "$DIR/responses"
req 01 -H "Authorization: Bearer $KEY" "$U/v1/packages?limit=5"
req 02 -H "Authorization: Bearer $KEY" "$U/v1/summary"
req 03 -H "Authorization: Bearer ${KEY}x" "$U/v1/packages"                       # wrong key: 401
req 04 -H "Authorization: Bearer $KEY" "$U/v1/packages?api_key=$KEY&token=$ACCOUNT_SECRET"   # secrets in a query: 422
req 05 -H "Authorization: Bearer $KEY" "$U/v1/packages/$ACCOUNT_SECRET"          # secret in a path: 404/400
req 06 "$U/no/such/$KEY"                                                           # unknown path with a key in it
req 07 -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
  -d '{"name":"oncall","format":"json","url":"http://127.0.0.1:9/hook?token='"$WEBHOOK_TOKEN"'","secret":"'"$WEBHOOK_SECRET"'"}' "$U/v1/channels"
req 08 -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' -d '{"secret":"'"$WEBHOOK_SECRET"'",' "$U/v1/channels"
req 09 -H "Authorization: Bearer $KEY" -H 'Idempotency-Key: k1' -H 'Content-Type: application/json' \
  -d '{"account":"broken","region":"bj","reservationLength":1,"capacity":"10G"}' "$U/v1/packages"   # upstream refuses the signature
req 10 -H "Authorization: Bearer $KEY" -X POST "$U/v1/refresh?account=broken"
req 11 -H "Authorization: Bearer $KEY" -X POST "$U/v1/refresh?account=sim&region=bj"
req 12 "$U/metrics"
req 13 "$U/"
req 14 -H "X-Request-Id: client-chosen-id-1" "$U/healthz"                      # echoed and logged by design
req 15 -H "Authorization: Basic $(printf 'u:%s' "$DB_PASSWORD" | base64 -w0)" "$U/v1/sources"
# Slack, Feishu and WeCom put their token in the path or the query: created, listed, read and test-sent.
for spec in "slack|http://127.0.0.1:9/services/T0AAAA/B0BBBB/$SLACK_TOKEN" \
            "feishu|http://127.0.0.1:9/open-apis/bot/v2/hook/$FEISHU_TOKEN" \
            "wecom|http://127.0.0.1:9/cgi-bin/webhook/send?key=$WECOM_TOKEN"; do
  format=${spec%%|*}; url=${spec#*|}
  req "20-$format" -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' \
    -d '{"name":"'"$format"'","format":"'"$format"'","url":"'"$url"'"}' "$U/v1/channels"
  id=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("id",""))' "$DIR/responses/20-$format")
  [ -n "$id" ] || fail "$format channel was not created: $(cat "$DIR/responses/20-$format")"
  req "21-$format" -H "Authorization: Bearer $KEY" "$U/v1/channels/$id"
  req "22-$format" -H "Authorization: Bearer $KEY" -X POST "$U/v1/channels/$id/test"
done
req 23 -H "Authorization: Bearer $KEY" "$U/v1/channels"
sleep 1

# CLI commands that read the configuration, including a failing one.
TPGW_CONFIG=$TPGW_STACK_CONFIG "$TPGW_BIN/tpgw" check-config >"$DIR/cli-check.out" 2>&1 || true
TPGW_CONFIG=$TPGW_STACK_CONFIG "$TPGW_BIN/tpgw" keys list >"$DIR/cli-keys.out" 2>&1 || true
TPGW_DATABASE_URL="postgres://postgres:$DB_PASSWORD@127.0.0.1:1/tpgw" TPGW_CONFIG=$TPGW_STACK_CONFIG \
  "$TPGW_BIN/tpgw" migrate >"$DIR/cli-migrate-fail.out" 2>&1 || true
tpgw_stack_stop

echo "response codes: $(tr '\n' ' ' <"$DIR/codes")" >&2
grep -q '"request"' "$DIR/tpgw.log" || fail "no access-log lines in tpgw.log"
[ "$(grep -c '"message":"request"' "$DIR/tpgw.log")" -ge 25 ] || fail "fewer access-log lines than requests"
grep -q '"level":"debug"' "$DIR/tpgw.log" || fail "debug logging was not on"
grep -Eq 'broken|readFailed|SignatureDoesNotMatch|AccessDenied' "$DIR/tpgw.log" || fail "the broken account's failures were not logged"
python3 - "$DIR/tpgw.log" <<'PY' || fail "tpgw.log has lines that are not JSON objects"
import json, sys
for n, line in enumerate(open(sys.argv[1], encoding="utf-8"), 1):
    line = line.strip()
    if not line: continue
    try:
        obj = json.loads(line)
    except ValueError:
        sys.exit(f"line {n} is not JSON: {line[:120]}")
    for field in ("time", "level", "message"):
        if field not in obj: sys.exit(f"line {n} has no {field}: {line[:120]}")
    if obj["message"] == "request":
        for field in ("request.id", "http.route", "http.status", "http.duration_ms"):
            if field not in obj: sys.exit(f"access-log line {n} has no {field}")
PY

LOGS=("$DIR/tpgw.log" "$DIR/bce-sim.log" "$DIR"/cli-*.out "$TPGW_PG_LOG")
hits=0
for name in ACCOUNT_SECRET WRONG_SECRET DB_PASSWORD WEBHOOK_SECRET WEBHOOK_TOKEN SLACK_TOKEN FEISHU_TOKEN WECOM_TOKEN KEY; do
  value=${!name}
  if grep -lF -- "$value" "${LOGS[@]}" 2>/dev/null; then
    echo "55-secrets-in-logs: $name appears in the files above" >&2
    grep -nF -- "$value" "${LOGS[@]}" 2>/dev/null | head -n 3 | cut -c1-300 >&2
    hits=$((hits + 1))
  fi
done
# Responses may echo what the caller sent itself, but never the account secrets or the webhook secret.
for name in WRONG_SECRET DB_PASSWORD WEBHOOK_SECRET WEBHOOK_TOKEN SLACK_TOKEN FEISHU_TOKEN WECOM_TOKEN; do
  value=${!name}
  if grep -lF -- "$value" "$DIR"/responses/* 2>/dev/null; then
    echo "55-secrets-in-logs: $name appears in the responses above" >&2
    hits=$((hits + 1))
  fi
done
[ "$hits" -eq 0 ] || fail "$hits secret(s) leaked"
echo "55-secrets-in-logs: ok ($(wc -l <"$DIR/tpgw.log") log lines checked for 9 secrets)" >&2
