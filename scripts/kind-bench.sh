#!/usr/bin/env bash
# Re-runs the bench Job against REPLICAS server pods (default 2) and prints the merged report,
# whose per-replica rows show how the Ingress spread the load. Usage: scripts/kind-bench.sh 4
# Pins the HPA to REPLICAS (min = max) so the count holds while the bench runs.
# Each run's pod lines are kept in $RESULTS_DIR/bench-<REPLICAS>-replicas.log; when a run with
# BASELINE replicas (default 1) is there too, the script ends with `report --compare` of the
# two: the ratio of each figure and the scaling efficiency. The 1 → 4 walk-through:
#   scripts/kind-bench.sh 1 && scripts/kind-bench.sh 4
source "$(dirname "$0")/kind-lib.sh"
require docker kubectl
replicas="${1:-2}"
baseline="${BASELINE:-1}"
results_dir="${RESULTS_DIR:-${TMPDIR:-/tmp}/histogram-bench-results}"

log "scaling histogram-server to $replicas"
k -n "$NAMESPACE" patch hpa histogram-server --type merge \
  -p "{\"spec\":{\"minReplicas\":${replicas},\"maxReplicas\":${replicas}}}"
until [[ "$(k -n "$NAMESPACE" get deploy histogram-server -o jsonpath='{.spec.replicas}')" == "$replicas" ]]; do sleep 2; done
k -n "$NAMESPACE" rollout status deploy/histogram-server --timeout=300s

log "bench against $replicas replicas"
rerun_bench
wait_for_job "$BENCH_JOB" 900
report_bench

mkdir -p "$results_dir"
current="bench-${replicas}-replicas.log"
k -n "$NAMESPACE" logs -l "job-name=$BENCH_JOB" --tail=-1 --max-log-requests=64 --prefix >"$results_dir/$current"
if [[ "$replicas" != "$baseline" && -f "$results_dir/bench-${baseline}-replicas.log" ]]; then
  log "compare: $baseline → $replicas replicas"
  # The client image reads both files from the results folder, mounted read-only.
  docker run --rm -v "$(cd "$results_dir" && pwd):/results:ro" "$CLIENT_IMAGE" \
    report --compare "/results/bench-${baseline}-replicas.log" "/results/$current"
else
  log "saved $results_dir/$current; run with $baseline replica(s) too to compare (BASELINE=$baseline)"
fi
