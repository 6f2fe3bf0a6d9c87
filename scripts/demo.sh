#!/usr/bin/env bash
# Run the portal with demo data on SQLite at http://127.0.0.1:5000 (development mode).
source "$(dirname "$0")/_setup.sh"
need_debs "${RUNTIME_DEBS[@]}"
setup_venv dev
export RDFUND_DEV=1
export RDFUND_DATABASE_URL="${RDFUND_DATABASE_URL:-sqlite:///$ROOT/instance/rdfund.sqlite}"
mkdir -p instance
.venv/bin/flask --app wsgi db-upgrade
.venv/bin/flask --app wsgi seed-demo
echo ">> rdfund on http://127.0.0.1:${PORT:-5000}  (accounts and the demo authenticator keys: see README.md; password demo-password)"
exec .venv/bin/flask --app wsgi run --host 127.0.0.1 --port "${PORT:-5000}" "$@"
