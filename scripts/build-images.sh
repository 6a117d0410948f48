#!/usr/bin/env bash
# Builds the two images, histogram-server:dev and histogram-client:dev, from Dockerfile.server
# and Dockerfile.client: with Docker when its daemon answers, else with podman.
# Usage: scripts/build-images.sh [--local-base] [--server-only | --client-only] [--git-ref REF]
#   --local-base   build on a base image made on this machine (scripts/make-local-base.sh)
#                  instead of the official node:22-bookworm-slim; chosen by itself when the
#                  official image is neither present nor pullable (no registry reachable).
#   --git-ref REF  build what git commit REF holds (`git archive`) instead of the working tree,
#                  e.g. HEAD while files are being edited; the working tree is not touched.
# Environment: NODE_IMAGE (another base), SERVER_IMAGE / CLIENT_IMAGE (tags),
#   HISTOGRAM_ENGINE=docker|podman (force an engine), NODE_EXTRA_CA_CERTS (see below).
# Behind a TLS-intercepting proxy whose CA the host's Node trusts through NODE_EXTRA_CA_CERTS,
# the file is handed to the build as the secret `npm-ca` for the npm steps only; it never
# enters an image layer.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/container-lib.sh

local_base=0
git_ref=""
targets=(server client)
while (($#)); do
  case "$1" in
    --local-base) local_base=1 ;;
    --server-only) targets=(server) ;;
    --client-only) targets=(client) ;;
    --git-ref) git_ref=$2; shift ;;
    -h | --help) sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "build-images: unknown argument $1" >&2; exit 2 ;;
  esac
  shift
done
log() { printf 'build-images: %s\n' "$*" >&2; }

detect_engine
set_ulimit_args
log "engine: ${ENGINE_CMD[*]}"

# One build at a time on this machine: a second run waits for the first, then finds its layers
# cached (two builds at once would compete for the same cores and the same base image).
lock="${TMPDIR:-/tmp}/histogram-build-images.lock"
exec {lock_fd}>>"$lock"
if ! flock -n "$lock_fd"; then
  log "another build is running: waiting for it ($lock)"
  flock "$lock_fd"
fi

base="${NODE_IMAGE:-}"
if [[ -z "$base" && $local_base -eq 0 ]]; then
  if engine image inspect "$OFFICIAL_NODE_IMAGE" >/dev/null 2>&1; then
    base=$OFFICIAL_NODE_IMAGE
  else
    # A registry that cannot be reached fails fast; one that hangs is given a minute.
    log "pulling $OFFICIAL_NODE_IMAGE"
    if timeout 60 "${ENGINE_CMD[@]}" pull "$OFFICIAL_NODE_IMAGE" >/dev/null 2>&1; then
      base=$OFFICIAL_NODE_IMAGE
    else
      log "$OFFICIAL_NODE_IMAGE cannot be pulled: making a local base instead"
      local_base=1
    fi
  fi
fi
if [[ -z "$base" ]]; then
  started=$SECONDS
  base=$(bash scripts/make-local-base.sh --engine "$ENGINE" --tag "$LOCAL_NODE_IMAGE")
  log "local base $base ready in $((SECONDS - started)) s"
fi

build_args=(--build-arg "NODE_IMAGE=$base")
if [[ -n "${NODE_EXTRA_CA_CERTS:-}" && -r "${NODE_EXTRA_CA_CERTS}" ]]; then
  build_args+=(--secret "id=npm-ca,src=$NODE_EXTRA_CA_CERTS" --build-arg NODE_EXTRA_CA_CERTS=/run/secrets/npm-ca)
fi
if [[ "$ENGINE" == podman ]]; then
  # The host's network: the build reaches the registries exactly as this machine does.
  # --pull=never: the base is local or was just pulled; nothing else is pulled.
  build_args+=(--network host --pull=never --layers "${ULIMIT_ARGS[@]}")
else
  export DOCKER_BUILDKIT=1
fi

context=.
if [[ -n "$git_ref" ]]; then
  context=$(mktemp -d "${TMPDIR:-/tmp}/histogram-build-context.XXXXXX")
  trap 'rm -rf "$context"' EXIT
  git archive --format=tar "$git_ref" | tar -x -C "$context"
  log "building $(git rev-parse --short "$git_ref") ($git_ref) from git, not the working tree"
fi

summary=()
for target in "${targets[@]}"; do
  if [[ "$target" == server ]]; then tag=$SERVER_IMAGE; else tag=$CLIENT_IMAGE; fi
  log "building $tag from Dockerfile.$target on $base"
  started=$SECONDS
  engine build "${build_args[@]}" -f "$context/Dockerfile.$target" -t "$tag" "$context"
  seconds=$((SECONDS - started))
  size=$(engine image inspect --format '{{.Size}}' "$tag")
  summary+=("$(printf '%-24s %4d s  %4d MB' "$tag" "$seconds" "$((size / 1000000))")")
done
base_size=$(engine image inspect --format '{{.Size}}' "$base")
log "done (base $base: $((base_size / 1000000)) MB)"
printf '%s\n' "${summary[@]}" >&2
