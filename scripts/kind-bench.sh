#!/usr/bin/env bash
# Re-runs the bench Job against REPLICAS server pods (default 2) and prints the merged report,
# whose per-replica rows show how the Ingress spread the load. Usage: scripts/kind-bench.sh 4
# Pins the HPA to REPLICAS (min = max) so the count holds while the bench runs.
source "$(dirname "$0")/kind-lib.sh"
require docker kubectl
replicas="${1:-2}"

log "scaling histogram-server to $replicas"
k -n "$NAMESPACE" patch hpa histogram-server --type merge \
  -p "{\"spec\":{\"minReplicas\":${replicas},\"maxReplicas\":${replicas}}}"
until [[ "$(k -n "$NAMESPACE" get deploy histogram-server -o jsonpath='{.spec.replicas}')" == "$replicas" ]]; do sleep 2; done
k -n "$NAMESPACE" rollout status deploy/histogram-server --timeout=300s

log "bench against $replicas replicas"
rerun_bench
wait_for_job "$BENCH_JOB" 900
report_bench
