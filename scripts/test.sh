#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs what it needs (system packages
# included), then runs every test against SQLite and against a throwaway PostgreSQL cluster,
# browser tests in Debian's chromium included. Extra arguments go to pytest.
source "$(dirname "$0")/_setup.sh"
need_debs "${RUNTIME_DEBS[@]}" postgresql chromium poppler-utils wrk redis-server
setup_venv dev
setup_node_modules
export PYTHONDONTWRITEBYTECODE=1
# Static gates first: ruff check, ruff format --check and mypy (scripts/lint.sh).
./scripts/lint.sh
# Branch coverage of funds/, reviews/ and portal/ on each backend, held to the floor in
# pyproject.toml ([tool.coverage.report] fail_under); a run narrowed by arguments is not measured.
cov=()
[ "$#" -eq 0 ] && cov=(--cov --cov-report=term:skip-covered)
status=0
for backend in sqlite postgresql; do
  echo ">> pytest on ${backend}"
  set +e
  RDFUND_TEST_DB="$backend" .venv/bin/python -m pytest -q "${cov[@]}" "$@"
  rc=$?
  set -e
  if [ "$rc" -eq 5 ]; then echo "no tests collected on ${backend}" >&2; rc=1; fi
  [ "$rc" -eq 0 ] || status=$rc
done
exit "$status"
