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
# The two backends run side by side (one core each), each in its own scratch folder: its own
# instance path (task queue, outbox), coverage data and log; each log is printed when its run
# ends. RDFUND_TEST_SERIAL=1 runs them one after the other, printing as they go.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
run_backend() {
  local backend=$1
  shift
  mkdir -p "$work/$backend/instance"
  RDFUND_TEST_DB="$backend" RDFUND_INSTANCE_PATH="$work/$backend/instance" \
    COVERAGE_FILE="$work/$backend/.coverage" \
    .venv/bin/python -m pytest -q --durations=25 "${cov[@]}" "$@"
}
finish() {  # backend, exit code: print its verdict, remember a failure
  local rc=$2
  if [ "$rc" -eq 5 ]; then echo "no tests collected on $1" >&2; rc=1; fi
  echo ">> pytest on $1: exit code $rc"
  [ "$rc" -eq 0 ] || status=$rc
}
status=0
backends=(sqlite postgresql)
if [ "${RDFUND_TEST_SERIAL:-0}" = 1 ]; then
  for backend in "${backends[@]}"; do
    echo ">> pytest on ${backend}"
    set +e
    run_backend "$backend" "$@"
    rc=$?
    set -e
    finish "$backend" "$rc"
  done
  exit "$status"
fi
declare -A pids
for backend in "${backends[@]}"; do
  run_backend "$backend" "$@" >"$work/$backend.log" 2>&1 &
  pids[$backend]=$!
done
for backend in "${backends[@]}"; do
  set +e
  wait "${pids[$backend]}"
  rc=$?
  set -e
  echo ">> pytest on ${backend}"
  cat "$work/$backend.log"
  finish "$backend" "$rc"
done
exit "$status"
