#!/usr/bin/env bash
# Validates openapi.yaml with openapi-spec-validator.
set -uo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib/deps.sh
tpgw_pip_install openapi-spec-validator PyYAML || exit 1
if python3 - <<'PY'
import yaml
from openapi_spec_validator import validate
validate(yaml.safe_load(open("openapi.yaml")))
PY
then echo "openapi: 1 passed, 0 failed"; else echo "openapi: 0 passed, 1 failed"; exit 1; fi
