#!/usr/bin/env bash
# Gateway overhead, measured side by side against baselines on the same machine and load:
#   direct  - straight to one replica (no proxy at all)
#   nginx   - nginx grpc_pass to the same replica (a plain gRPC proxy, no routing or policies)
#   haproxy - HAProxy in HTTP/2 mode to the same replica (another plain proxy)
#   gateway - through the Meridian gateway (routing table, breaker, bulkhead, retry budget)
# All three reach the same single replica: the script drains the demo's second region, so the
# gateway's only choice is the one fraud-score replica of its own region. Each runs the same
# closed-loop load in turn, ROUNDS times interleaved, so machine noise hits all three alike.
# Needs the demo running with one replica per region (./meridian demo --replicas 1); installs
# nginx and HAProxy if missing; undrains the region at the end.
# Usage: scripts/bench-overhead.sh [concurrency] [duration per run] [rounds]
set -euo pipefail
cd "$(dirname "$0")/.."
concurrency=${1:-8}
duration=${2:-15s}
rounds=${3:-3}
out=run/bench
mkdir -p "$out"
if [[ -d run/demo/tls ]]; then
  echo "the demo runs TLS on every hop (run/demo/tls); this script compares plaintext paths to one" >&2
  echo "replica and does not speak TLS to it yet, so its figures cannot be reproduced against it" >&2
  exit 1
fi

consul=http://127.0.0.1:8500
replicas=$(curl -sf "$consul/v1/health/service/meridian-replica?passing&tag=fraud-score" \
  | grep -o '"Port":[0-9]*' | cut -d: -f2)
if [[ $(echo "$replicas" | grep -c .) -ne 1 ]]; then
  echo "expected exactly one passing fraud-score replica in $consul: run ./meridian demo --replicas 1" >&2
  exit 1
fi
replica_port=$replicas

leader=$(curl -sf "$consul/v1/kv/meridian/controller/leader?raw")
# A forced drain needs an admin; the undrain below uses the demo operator's token, drain's default.
./meridian drain --target "$leader" --region us-east --reason "overhead benchmark" --force \
  --token-file run/demo/tokens/admin >/dev/null
undrain() {
  ./meridian drain --target "$leader" --region us-east --reason "benchmark done" --undrain >/dev/null || true
}
trap undrain EXIT
until curl -sf "$consul/v1/kv/meridian/routing/fraud-score?raw" | grep -q REGION_STATE_DRAINED; do
  sleep 1
done

if ! command -v nginx >/dev/null || ! command -v haproxy >/dev/null; then
  apt-get update -q && apt-get install -y -q nginx-light haproxy >/dev/null
fi
nginx_port=50090
cat > "$out/nginx.conf" <<CONF
worker_processes 1;
pid $PWD/$out/nginx.pid;
error_log $PWD/$out/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  upstream replica { server 127.0.0.1:$replica_port; keepalive 32; }
  server {
    listen 127.0.0.1:$nginx_port http2;
    location / { grpc_pass grpc://replica; }
  }
}
CONF
haproxy_port=50091
cat > "$out/haproxy.cfg" <<CONF
global
  maxconn 1024
  nbthread 1
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 30s
frontend grpc
  bind 127.0.0.1:$haproxy_port proto h2
  default_backend replica
backend replica
  server replica 127.0.0.1:$replica_port proto h2
CONF
nginx -c "$PWD/$out/nginx.conf"
haproxy -D -f "$out/haproxy.cfg" -p "$out/haproxy.pid"
stop_proxies() {
  nginx -c "$PWD/$out/nginx.conf" -s stop
  kill "$(cat "$out/haproxy.pid")"
}
trap 'stop_proxies; undrain' EXIT

input=features=0.5,1.2,0.3,2
# Warm every path's JIT before measuring.
for target in 127.0.0.1:$replica_port 127.0.0.1:$nginx_port 127.0.0.1:$haproxy_port 127.0.0.1:50051; do
  ./meridian bench --target "$target" --model fraud-score --input "$input" \
    --concurrency "$concurrency" --duration 20s >/dev/null 2>&1
done
for round in $(seq 1 "$rounds"); do
  for target in direct:127.0.0.1:$replica_port nginx:127.0.0.1:$nginx_port \
    haproxy:127.0.0.1:$haproxy_port gateway:127.0.0.1:50051; do
    label=${target%%:*}
    ./meridian bench --target "${target#*:}" --model fraud-score --input "$input" \
      --concurrency "$concurrency" --duration "$duration" --label "$label" \
      --json "$out/$label-$round.json" 2>/dev/null | head -2
  done
done

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
field() { grep -o "\"$2\": [0-9.]*" "$1" | head -1 | awk '{print $2}'; }
echo
echo "median of $rounds rounds, concurrency $concurrency, $duration each:"
printf '%-8s %12s %10s %10s %10s\n' target calls/s p50_ms p99_ms p50/direct
direct_p50=$(for f in "$out"/direct-*.json; do field "$f" p50; done | median)
for label in direct nginx haproxy gateway; do
  tput=$(for f in "$out"/$label-*.json; do field "$f" throughput_per_second; done | median)
  p50=$(for f in "$out"/$label-*.json; do field "$f" p50; done | median)
  p99=$(for f in "$out"/$label-*.json; do field "$f" p99; done | median)
  printf '%-8s %12.0f %10.3f %10.3f %10.2f\n' "$label" "$tput" "$p50" "$p99" \
    "$(awk -v a="$p50" -v b="$direct_p50" 'BEGIN{print a/b}')"
done
