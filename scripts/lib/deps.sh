# Installs the Debian packages and Python tools the scripts need, only when missing.
# Sourced by scripts/test and scripts/demo.

TPGW_APT_UPDATED=${TPGW_APT_UPDATED:-0}

tpgw_apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing Debian packages: ${missing[*]} (run as root to install them)" >&2
    return 1
  fi
  if [ "$TPGW_APT_UPDATED" = 0 ]; then
    echo "==> apt-get update" >&2
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    TPGW_APT_UPDATED=1
  fi
  echo "==> apt-get install ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

tpgw_pip_install() {
  local missing=()
  for spec in "$@"; do
    local mod=${spec%%=*}
    python3 -m pip show -q "$mod" >/dev/null 2>&1 || missing+=("$spec")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> pip install ${missing[*]}" >&2
  python3 -m pip install -q --disable-pip-version-check "${missing[@]}" >/dev/null
}

tpgw_install_base() {
  tpgw_apt_install pkg-config libcurl4-openssl-dev libpq-dev libssl-dev postgresql postgresql-client curl openssl python3
  command -v swift >/dev/null || { echo "swift is not on PATH" >&2; return 1; }
}
