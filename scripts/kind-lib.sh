# Shared settings and helpers of scripts/kind-*.sh (sourced, not run).
# Names here must match k8s/base (test/k8s-cross-references.test.ts checks them).
set -euo pipefail

CLUSTER_NAME="${CLUSTER_NAME:-histogram}"
NAMESPACE=histogram
SERVER_IMAGE=histogram-server:dev
CLIENT_IMAGE=histogram-client:dev
BENCH_JOB=histogram-bench
SMOKE_JOB=histogram-smoke
KUSTOMIZATION="${KUSTOMIZATION:-k8s}"
# The Jobs carry these component labels: apply them only once the server is ready.
JOBS_SELECTOR='app.kubernetes.io/component in (bench,smoke-test)'
SERVER_SELECTOR='app.kubernetes.io/component notin (bench,smoke-test)'
INGRESS_NGINX_VERSION="${INGRESS_NGINX_VERSION:-controller-v1.13.3}"

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# kubectl pinned to the kind cluster's context, whatever the current one is.
k() { kubectl --context "kind-${CLUSTER_NAME}" "$@"; }

log() { printf '\n== %s\n' "$*" >&2; }

require() {
  for tool in "$@"; do
    command -v "$tool" >/dev/null || { echo "$tool is required but not installed" >&2; exit 1; }
  done
}

# wait_for_job NAME SECONDS: 0 when the Job completes; prints its logs and fails when it fails.
wait_for_job() {
  local job=$1 deadline=$((SECONDS + $2)) conditions
  while ((SECONDS < deadline)); do
    conditions=$(k -n "$NAMESPACE" get job "$job" -o jsonpath='{range .status.conditions[?(@.status=="True")]}{.type}{" "}{end}')
    case " $conditions " in
      *" Complete "*) return 0 ;;
      *" Failed "*)
        echo "job/$job failed; its pods' last lines:" >&2
        k -n "$NAMESPACE" logs -l "job-name=$job" --all-containers --tail=30 --prefix >&2 || true
        return 1 ;;
    esac
    sleep 5
  done
  echo "job/$job did not finish within $2 s" >&2
  return 1
}

# Merges the bench pods' JSON result lines with the client image's own `report`.
report_bench() {
  k -n "$NAMESPACE" logs -l "job-name=$BENCH_JOB" --tail=-1 --max-log-requests=64 \
    | docker run --rm -i "$CLIENT_IMAGE" report -
}

# Deletes and re-creates the bench Job (a Job's pod template cannot be changed in place).
rerun_bench() {
  k -n "$NAMESPACE" delete job "$BENCH_JOB" --ignore-not-found --wait=true
  # Only the Job: re-applying the HPA would undo a scale set by kind-bench.sh.
  k apply -k "$KUSTOMIZATION" -l "app.kubernetes.io/name=$BENCH_JOB"
}
