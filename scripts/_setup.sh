# Shared set-up for scripts/demo.sh and scripts/test.sh (sourced, not run).
# Installs Debian packages when missing (as root), then a virtual environment in .venv.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PY="${PYTHON:-python3}"

need_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "Missing Debian packages: ${missing[*]} (run as root, or install them)" >&2
      exit 1
    fi
    echo ">> apt-get install ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

setup_venv() {
  local extras="$1" stamp
  [ -x .venv/bin/python ] || "$PY" -m venv .venv
  stamp=".venv/.rdfund-$(sha256sum pyproject.toml | cut -c1-16)-${extras}"
  if [ ! -f "$stamp" ]; then
    echo ">> pip install -e .[${extras}]"
    .venv/bin/pip install -q --upgrade pip >/dev/null
    .venv/bin/pip install -q -e ".[${extras}]"
    touch "$stamp"
  fi
}

# Test-only JavaScript tools from npm (axe-core for the browser tests' accessibility checks),
# exactly as package-lock.json pins them, into node_modules/ when missing or out of date.
setup_node_modules() {
  command -v npm >/dev/null || need_debs nodejs npm
  local stamp
  stamp="node_modules/.rdfund-$(sha256sum package-lock.json | cut -c1-16)"
  if [ ! -f "$stamp" ]; then
    echo ">> npm ci"
    npm ci --no-audit --no-fund --loglevel=error >/dev/null
    touch "$stamp"
  fi
}

RUNTIME_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-core fonts-dejavu-core)
