# Shared settings of the container scripts (sourced, not run): which engine to use and the flags
# this kind of machine needs. scripts/build-images.sh, scripts/local-cluster.sh and the
# container tests (test/containers/) all take them from here.
set -euo pipefail

SERVER_IMAGE="${SERVER_IMAGE:-histogram-server:dev}"
CLIENT_IMAGE="${CLIENT_IMAGE:-histogram-client:dev}"
OFFICIAL_NODE_IMAGE=node:22-bookworm-slim
LOCAL_NODE_IMAGE=localhost/histogram-node-base:22-bookworm-slim

# detect_engine: sets ENGINE (docker or podman) and ENGINE_CMD (the command and its global
# flags); returns 1 with a reason on stderr when neither works. Docker is used only when its
# daemon answers (a docker CLI alone is not enough). HISTOGRAM_ENGINE=podman|docker forces one.
# podman runs as root with runc and cgroupfs: crun, its default runtime, fails on hosts with
# hybrid cgroups, and systemd is not there to manage cgroups.
detect_engine() {
  local want="${HISTOGRAM_ENGINE:-}" reasons=()
  if [[ "$want" != podman ]]; then
    if ! command -v docker >/dev/null; then
      reasons+=("docker is not installed")
    elif docker info >/dev/null 2>&1; then
      ENGINE=docker
      ENGINE_CMD=(docker)
      return 0
    else
      reasons+=("the docker daemon does not answer (docker info fails)")
    fi
  fi
  if [[ "$want" != docker ]]; then
    if ! command -v podman >/dev/null || ! command -v runc >/dev/null; then
      reasons+=("podman or runc is not installed")
    else
      ENGINE=podman
      ENGINE_CMD=(podman --runtime runc --cgroup-manager cgroupfs)
      if "${ENGINE_CMD[@]}" info >/dev/null 2>&1; then return 0; fi
      reasons+=("podman info fails: $("${ENGINE_CMD[@]}" info 2>&1 | tail -n1)")
    fi
  fi
  local IFS=';'
  echo "no container engine:${reasons[*]/#/ }" >&2
  return 1
}

engine() { "${ENGINE_CMD[@]}" "$@"; }

# ULIMIT_ARGS: explicit limits for podman, which otherwise asks for more than a process of this
# machine may hold and runc's setrlimit is refused. Within the hard limits (ulimit -H), and the
# process count also within kernel.pid_max (runc was refused nproc above it); containers here
# need a few hundred threads and files at most, so the caps leave room to spare.
ULIMIT_ARGS=()
set_ulimit_args() {
  local nofile nproc pid_max
  nofile=$(ulimit -Hn)
  nproc=$(ulimit -Hu)
  pid_max=$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 32768)
  [[ "$nofile" == unlimited ]] && nofile=65536
  [[ "$nproc" == unlimited ]] && nproc=$pid_max
  ((nofile > 65536)) && nofile=65536
  ((nproc > pid_max)) && nproc=$pid_max
  ((nproc > 32768)) && nproc=32768
  ULIMIT_ARGS=()
  if [[ "${ENGINE:-}" == podman ]]; then ULIMIT_ARGS=(--ulimit "nofile=$nofile:$nofile" --ulimit "nproc=$nproc:$nproc"); fi
}
