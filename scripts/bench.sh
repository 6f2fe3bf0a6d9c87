#!/usr/bin/env bash
# Every benchmark on a fresh Debian 12 machine: installs what they need (PostgreSQL, Redis,
# nginx, wrk, fonts), runs each one, then prints one summary table (bench/summary.py) of the
# figures the issues set targets for. Takes about half an hour on 2 cores. Run it on a quiet
# machine: the figures are the machine's. Names of benchmarks as arguments run only those
# (deadline_surge scale_out compliance_sqlite compliance_postgresql assignment public_api).
source "$(dirname "$0")/_setup.sh"
need_debs "${RUNTIME_DEBS[@]}" postgresql redis-server nginx wrk
setup_venv dev
export PYTHONDONTWRITEBYTECODE=1
logs="${RDFUND_BENCH_LOGS:-$(mktemp -d -t rdfund-bench-XXXX)}"
mkdir -p "$logs"
py=.venv/bin/python
declare -A BENCH=(
  [deadline_surge]="$py bench/deadline_surge.py"
  [scale_out]="$py bench/scale_out.py"
  [compliance_sqlite]="$py bench/compliance.py --projects 100000"
  [compliance_postgresql]="$py bench/compliance.py --projects 100000 --backend postgresql"
  [assignment]="$py bench/assignment.py --sizes small,full --segmenters ngram"
  [public_api]="$py bench/public_api.py"
)
ORDER=(deadline_surge scale_out compliance_sqlite compliance_postgresql assignment public_api)
[ "$#" -gt 0 ] && ORDER=("$@")
for name in "${ORDER[@]}"; do
  cmd="${BENCH[$name]:-}"
  if [ -z "$cmd" ]; then echo "unknown benchmark: $name" >&2; exit 2; fi
  script="${cmd#"$py "}"; script="${script%% *}"
  if [ ! -f "$script" ]; then echo ">> $name: $script not found, skipped"; continue; fi
  echo ">> $name: $cmd   (log: $logs/$name.log)"
  start=$(date +%s)
  if $cmd >"$logs/$name.log" 2>&1; then status=ok; else status="exit $?"; fi
  echo "   $status in $(( $(date +%s) - start )) s"
  tail -n 25 "$logs/$name.log" | sed 's/^/   | /'
done
echo
echo "== Summary ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ); logs in $logs)"
$py bench/summary.py "$logs"
