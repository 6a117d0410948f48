#!/usr/bin/env bash
# From zero to a merged bench report on kind: builds both images, creates the cluster with
# ingress-nginx, loads the images, applies k8s/, waits for the server, runs the smoke and
# bench Jobs and prints `client report` over the bench pods' logs. Re-running it rebuilds the
# images and re-runs the Jobs on the existing cluster. Needs docker, kind and kubectl.
# Environment: CLUSTER_NAME (histogram), KUSTOMIZATION (k8s, or e.g. k8s/overlays/bench-x8),
# INGRESS_NGINX_VERSION (controller-v1.13.3).
source "$(dirname "$0")/kind-lib.sh"
require docker kind kubectl

log "building $SERVER_IMAGE and $CLIENT_IMAGE"
docker build -f Dockerfile.server -t "$SERVER_IMAGE" .
docker build -f Dockerfile.client -t "$CLIENT_IMAGE" .

if ! kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"; then
  log "creating kind cluster $CLUSTER_NAME"
  kind create cluster --name "$CLUSTER_NAME" --config k8s/kind-cluster.yaml
fi

log "installing ingress-nginx $INGRESS_NGINX_VERSION"
k apply -f "https://raw.githubusercontent.com/kubernetes/ingress-nginx/${INGRESS_NGINX_VERSION}/deploy/static/provider/kind/deploy.yaml"
k -n ingress-nginx rollout status deploy/ingress-nginx-controller --timeout=300s
# The admission webhook must be up before any Ingress is applied.
k -n ingress-nginx wait --for=condition=complete job --all --timeout=180s

log "loading images into the cluster"
kind load docker-image "$SERVER_IMAGE" "$CLIENT_IMAGE" --name "$CLUSTER_NAME"

log "applying $KUSTOMIZATION: the server first, the Jobs once it is ready"
existed=$(k -n "$NAMESPACE" get deploy histogram-server -o name 2>/dev/null || true)
k -n "$NAMESPACE" delete job "$BENCH_JOB" "$SMOKE_JOB" --ignore-not-found --wait=true 2>/dev/null || true
k apply -k "$KUSTOMIZATION" -l "$SERVER_SELECTOR"
# A rebuilt image keeps its tag: restart so the pods run the one just loaded.
if [[ -n "$existed" ]]; then k -n "$NAMESPACE" rollout restart deploy/histogram-server; fi
k -n "$NAMESPACE" rollout status deploy/histogram-server --timeout=300s
k apply -k "$KUSTOMIZATION" -l "$JOBS_SELECTOR"

log "smoke test: one request through the Ingress"
wait_for_job "$SMOKE_JOB" 600
k -n "$NAMESPACE" logs "job/$SMOKE_JOB"

log "bench: waiting for job/$BENCH_JOB"
wait_for_job "$BENCH_JOB" 900
report_bench

cat >&2 <<HINT

Next:
  kubectl -n ingress-nginx port-forward svc/ingress-nginx-controller 8080:80
  npm run client -- --image IMAGE --url http://localhost:8080/v1/histogram \\
    --header 'Host: histogram.local' --histogram out.png
  scripts/kind-bench.sh 4     # re-run the bench against 4 replicas
  scripts/kind-down.sh        # delete the cluster
HINT
