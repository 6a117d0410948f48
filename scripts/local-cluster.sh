#!/usr/bin/env bash
# The Kubernetes topology of k8s/base on one machine, with the real images and no cluster: server
# containers as the Deployment's pods, Debian's nginx on the host as the Ingress, and bench
# containers started like the Indexed Job's pods, whose JSON lines the client image's `report`
# merges into one report with a row per server replica. It runs the bench against 1 replica,
# scales to 4 and runs it again, then compares the two runs (as scripts/kind-bench.sh does).
# Usage: scripts/local-cluster.sh [--replicas "1 4"] [--bench-pods 2] [--duration 3s] [--warmup 1s]
#   (also `npm run cluster:local -- ...`). Builds the images first if they are missing.
# Everything listens on 127.0.0.1 (host network, ports chosen at run time), every load is
# bounded in time, and everything started here is stopped and removed on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/container-lib.sh

replica_steps=(1 4)
bench_pods=2
duration=3s
warmup=1s
while (($#)); do
  case "$1" in
    --replicas) read -r -a replica_steps <<<"$2"; shift 2 ;;
    --bench-pods) bench_pods=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    -h | --help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "local-cluster: unknown argument $1" >&2; exit 2 ;;
  esac
done
[[ "$duration" =~ ^[0-9]+s$ && "${duration%s}" -le 30 ]] || { echo "local-cluster: --duration must be at most 30s" >&2; exit 2; }
log() { printf '\n== %s\n' "$*" >&2; }

NGINX=/usr/sbin/nginx
[[ -x "$NGINX" ]] || { echo "local-cluster: Debian's nginx is required (apt-get install nginx)" >&2; exit 1; }
detect_engine
set_ulimit_args
for image in "$SERVER_IMAGE" "$CLIENT_IMAGE"; do
  engine image inspect "$image" >/dev/null 2>&1 || { log "building the images"; bash scripts/build-images.sh; break; }
done

run_id="hc$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/histogram-local-cluster.XXXXXX")
# Started as root, nginx runs its worker as `nobody`, which must reach the temp paths here.
chmod 755 "$work"
mkdir -p "$work/results"
nginx_pid=""
cleanup() {
  local names
  if [[ -n "$nginx_pid" ]]; then kill "$nginx_pid" 2>/dev/null || true; wait "$nginx_pid" 2>/dev/null || true; fi
  names=$(engine ps -a --filter "name=^$run_id-" --format '{{.Names}}' 2>/dev/null || true)
  # SIGTERM, then SIGKILL after the Deployment's terminationGracePeriodSeconds.
  if [[ -n "$names" ]]; then
    engine stop -t 40 $names >/dev/null 2>&1 || true
    engine rm -f $names >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A free TCP port on 127.0.0.1, chosen by the kernel.
free_port() {
  node -e 'const s = require("net").createServer().listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# The ConfigMap's environment (k8s/base/server-config.yaml, `data:`), as an env file; HOST and
# PORT are set per container below (loopback only, one port each on the host network).
awk '/^data:/ { on = 1; next } on && /^[^ #]/ { on = 0 }
     on && /^  [A-Z_]+:/ { key = $1; sub(/:$/, "", key); val = $0; sub(/^[^:]*: */, "", val); gsub(/^"|"$/, "", val)
       if (key != "HOST" && key != "PORT") print key "=" val }' k8s/base/server-config.yaml >"$work/server.env"
# The Deployment's resources and securityContext: CPU limit 1 (and CONCURRENCY = that limit,
# as its resourceFieldRef gives), memory limit 1Gi, /tmp an emptyDir of 256Mi.
server_flags=(--network host --read-only --tmpfs /tmp:rw,size=256m,mode=1777 --user 1000:1000
  --cap-drop ALL --security-opt no-new-privileges --cpus 1 --memory 1g
  --env-file "$work/server.env" -e HOST=127.0.0.1 -e CONCURRENCY=1 "${ULIMIT_ARGS[@]}")
# The bench Job's resources: CPU limit 1, memory 512Mi, /tmp an emptyDir.
client_flags=(--network host --read-only --tmpfs /tmp:rw,size=64m,mode=1777 --user 1000:1000
  --cap-drop ALL --security-opt no-new-privileges --cpus 1 --memory 512m "${ULIMIT_ARGS[@]}")

# The Ingress's annotations (k8s/base/ingress.yaml), as ingress-nginx turns them into nginx.conf.
annotation() { sed -n "s/^ *nginx\.ingress\.kubernetes\.io\/$1: *\"\{0,1\}\([^\"]*\)\"\{0,1\} *$/\1/p" k8s/base/ingress.yaml; }
body_size=$(annotation proxy-body-size)
read_timeout=$(annotation proxy-read-timeout)
send_timeout=$(annotation proxy-send-timeout)
request_buffering=$(annotation proxy-request-buffering)
ingress_host=$(sed -n 's/^ *- host: *//p' k8s/base/ingress.yaml | head -n1)
nginx_port=$(free_port)

server_ports=()
write_nginx_conf() {
  local port upstreams=""
  for port in "${server_ports[@]}"; do upstreams+="    server 127.0.0.1:$port;"$'\n'; done
  cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/client_body;
  proxy_temp_path $work/proxy;
  fastcgi_temp_path $work/fastcgi;
  uwsgi_temp_path $work/uwsgi;
  scgi_temp_path $work/scgi;
  # The Service's endpoints: round robin, kept-alive HTTP/1.1 connections as ingress-nginx uses.
  upstream histogram-server {
$upstreams    keepalive 32;
  }
  server {
    listen 127.0.0.1:$nginx_port;
    server_name $ingress_host;
    client_max_body_size $body_size;
    proxy_read_timeout ${read_timeout}s;
    proxy_send_timeout ${send_timeout}s;
    proxy_request_buffering $request_buffering;
    location / {
      proxy_pass http://histogram-server;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
    }
  }
}
EOF
}

# start_server INDEX: one server container, like a pod of the Deployment; waits for /readyz.
start_server() {
  local i=$1 port deadline
  port=$(free_port)
  engine run -d --name "$run_id-server-$i" "${server_flags[@]}" -e "PORT=$port" \
    -e "POD_NAME=histogram-server-$i" "$SERVER_IMAGE" >/dev/null
  deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; do
    if ((SECONDS > deadline)) || [[ "$(engine inspect -f '{{.State.Running}}' "$run_id-server-$i")" != true ]]; then
      engine logs "$run_id-server-$i" >&2 || true
      echo "local-cluster: histogram-server-$i did not become ready" >&2
      return 1
    fi
    sleep 0.3
  done
  server_ports+=("$port")
  printf '   histogram-server-%s ready on 127.0.0.1:%s\n' "$i" "$port" >&2
}

# The bench Job's container args (k8s/base/bench-job.yaml), for a pod of this machine: the
# Ingress on loopback, a shorter warm-up and measurement, its shard of SHARD_COUNT.
job_args() {
  awk '/^ *args:/ { on = 1; next } on && /^ *#/ { next } on && /^ *- / { sub(/^ *- */, ""); gsub(/^"|"$/, ""); print; next } on { exit }' k8s/base/bench-job.yaml
}
bench_args() { # bench_args SHARD_INDEX START_AT
  local prev="" arg
  while IFS= read -r arg; do
    case "$prev" in
      --url) arg="http://127.0.0.1:$nginx_port/v1/histogram" ;;
      --duration) arg=$duration ;;
      --warmup) arg=$warmup ;;
      --ready-timeout) arg=60s ;;
    esac
    arg=${arg//'$(SHARD_INDEX)'/$1}
    arg=${arg//'$(SHARD_COUNT)'/$bench_pods}
    printf '%s\n' "$arg"
    prev=$arg
  done < <(job_args)
  printf '%s\n' --start-at "$2"
}

# run_bench REPLICAS: the Job's pods, all starting at one moment, then their lines merged.
run_bench() {
  local replicas=$1 i start_at names=() status=0 args hostname log="$work/results/bench-$1-replicas.log"
  # Far enough ahead for every container to start and see /readyz first.
  start_at=$(date -u -d '+6 seconds' +%Y-%m-%dT%H:%M:%S.000Z)
  log "bench: $bench_pods pods × (warm-up $warmup + $duration) against $replicas replica(s), starting at $start_at"
  for ((i = 0; i < bench_pods; i++)); do
    mapfile -t args < <(bench_args "$i" "$start_at")
    # The report names each pod by its host name; podman gives a host-network container its
    # own (Docker refuses --hostname with --network host, and the rows then share the host's).
    hostname=()
    [[ "$ENGINE" != podman ]] || hostname=(--hostname "histogram-bench-$i")
    engine run -d --name "$run_id-bench-$replicas-$i" "${hostname[@]}" "${client_flags[@]}" "$CLIENT_IMAGE" "${args[@]}" >/dev/null
    names+=("$run_id-bench-$replicas-$i")
  done
  : >"$log"
  for name in "${names[@]}"; do
    # A pod that outlives its deadline (as the Job's activeDeadlineSeconds) is stopped.
    timeout 120 "${ENGINE_CMD[@]}" wait "$name" >"$work/exit-code" || engine stop -t 5 "$name" >/dev/null
    engine logs "$name" >>"$log" 2>&1
    [[ "$(cat "$work/exit-code")" == 0 ]] || { echo "local-cluster: $name failed:" >&2; engine logs --tail 20 "$name" >&2; status=1; }
    engine rm "$name" >/dev/null
  done
  ((status == 0)) || return 1
  log "merged report, $replicas replica(s)"
  engine run --rm -i "${client_flags[@]}" "$CLIENT_IMAGE" report - <"$log"
}

log "servers (${replica_steps[0]}), nginx on 127.0.0.1:$nginx_port as the Ingress (host $ingress_host, body $body_size, timeouts ${read_timeout}s/${send_timeout}s, request buffering $request_buffering)"
started=0
for replicas in "${replica_steps[@]}"; do
  if ((started > replicas)); then echo "local-cluster: --replicas must not decrease" >&2; exit 2; fi
  if ((started > 0)); then log "scaling histogram-server from $started to $replicas"; fi
  for ((i = started; i < replicas; i++)); do start_server "$i"; done
  write_nginx_conf
  if [[ -z "$nginx_pid" ]]; then
    "$NGINX" -p "$work" -c "$work/nginx.conf" -e "$work/nginx-error.log" -g 'daemon off; master_process on;' &
    nginx_pid=$!
  else
    # As ingress-nginx does when the endpoints change: new workers with the new upstream list.
    kill -HUP "$nginx_pid"
  fi
  deadline=$((SECONDS + 10))
  until curl -fsS -o /dev/null -H "Host: $ingress_host" "http://127.0.0.1:$nginx_port/readyz" 2>/dev/null; do
    ((SECONDS < deadline)) || { cat "$work/nginx-error.log" >&2; echo "local-cluster: nginx does not proxy" >&2; exit 1; }
    sleep 0.2
  done
  sleep 1 # let the reloaded workers replace the old ones before the load starts
  started=$replicas
  run_bench "$replicas"
done

if ((${#replica_steps[@]} > 1)); then
  first=${replica_steps[0]}
  last=${replica_steps[-1]}
  log "compare: $first → $last replicas"
  engine run --rm "${client_flags[@]}" -v "$work/results:/results:ro" "$CLIENT_IMAGE" \
    report --compare "/results/bench-$first-replicas.log" "/results/bench-$last-replicas.log"
fi
