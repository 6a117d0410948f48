#!/usr/bin/env bash
# `npm run cluster:local`: the rendered manifests of k8s/ played on one machine with podman kube
# play, nginx as the Ingress, and the bench Job's merged report (scripts/cluster-local/main.ts).
# Usage: scripts/local-cluster.sh [--replicas "1 2"] [--bench-pods N] [--duration 3s] [--warmup 1s]
#                                 [--kustomization k8s/overlays/local]
set -euo pipefail
cd "$(dirname "$0")/.."
exec node --import tsx scripts/cluster-local/main.ts "$@"
