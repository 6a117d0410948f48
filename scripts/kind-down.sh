#!/usr/bin/env bash
# Deletes the kind cluster of scripts/kind-up.sh; with --images also the two local images.
source "$(dirname "$0")/kind-lib.sh"
require kind
kind delete cluster --name "$CLUSTER_NAME"
if [[ "${1:-}" == "--images" ]]; then
  docker image rm "$SERVER_IMAGE" "$CLIENT_IMAGE" || true
fi
