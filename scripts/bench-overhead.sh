#!/usr/bin/env bash
# The gateway against plain proxies, measured with public tools as a platform team would:
# h2load (nghttp2-client) sends the same serialized Predict body for fraud-score along five paths
# that all end at the same replica:
#   direct  - straight to the replica
#   nginx   - nginx grpc_pass, one worker
#   haproxy - HAProxy in HTTP/2 mode, one thread
#   grpc-java - the floor under the gateway: grpc-java alone relaying the calls as bytes, on the
#             gateway's transport and JVM options, no parsing, no policy (GrpcRelay, gateway tests)
#   gateway - the Meridian gateway with every policy on (routing table, outlier detection,
#             breakers, bulkheads, retry budget, hedging, metrics; tracing off as by default)
# The script starts its own demo (one replica per region, plaintext data path, under
# run/bench/demo), drains us-east so that the gateway's only choice is eu-west's replica, and
# pins: the path under test alone on core 1, h2load and the rest of the demo on core 0. For each
# of ROUNDS rounds it runs every path in turn (interleaved, so the machine's noise hits all alike)
# under three loads: saturated (8 connections x 16 streams), a closed loop of 64 callers and one
# of 1 caller. It prints each figure's median and range (for 1 caller both h2load's mean latency
# and the median of every call's, from its per-request log), the ratios against HAProxy and direct
# from the same run, the CPU time per call and the RSS of each proxy process (from /proc), and
# checks that every call was answered by the replica: no h2load failure, no replica error, no
# gateway answer other than PRIMARY, RETRY or HEDGE.
# Usage: scripts/bench-overhead.sh [rounds (3)] [seconds per run (10)]; root only to install the
# tools when they are missing. No other demo may run (the benchmark's demo takes the same ports).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
out=run/bench
demo=$out/demo
mkdir -p "$out"
rm -f "$out"/*.h2load "$out"/*.cpu "$out"/*.log

if ! command -v h2load >/dev/null || ! command -v nginx >/dev/null \
  || ! command -v haproxy >/dev/null; then
  apt-get update -q && apt-get install -y -q nghttp2-client nginx-light haproxy >/dev/null
  # The packages start system instances; this benchmark runs its own.
  service nginx stop >/dev/null 2>&1 || true
  service haproxy stop >/dev/null 2>&1 || true
fi
if [[ $(nproc) -lt 2 ]]; then
  echo "needs two cores (the path under test on core 1, everything else on core 0)" >&2
  exit 1
fi
relay_classes=gateway/target/test-classes
if [[ ! -f deploy/target/meridian.jar || ! -f $relay_classes/dev/meridian/gateway/GrpcRelay.class ]]
then
  mvn -B -q -DskipTests package
fi

# Started on core 0, every process of the demo sizes its threads for one processor; the gateway
# keeps that size when it moves to core 1.
# The replica takes all 128 streams of the saturated load (and the gateway's hedges) instead of
# refusing some at once: a refusal is fast, and h2load would count it as answered.
taskset -c 0 ./meridian demo --replicas 1 --replica-capacity 1024 --plaintext-data-path \
  --dir "$demo" \
  >"$out/demo.out" 2>&1 </dev/null &
demo_pid=$!
stop_demo() {
  kill -TERM "$demo_pid" 2>/dev/null || true
  wait "$demo_pid" 2>/dev/null || true
}
trap stop_demo EXIT
until grep -q 'Press Ctrl-C' "$out/demo.out"; do
  if ! kill -0 "$demo_pid" 2>/dev/null; then
    echo "the demo did not start (is another demo running?):" >&2
    cat "$out/demo.out" >&2
    exit 1
  fi
  sleep 1
done

consul() {
  curl -sf --cacert "$demo/tls/ca.crt" "https://127.0.0.1:8500/v1/$1"
}
replica=$(consul 'health/service/meridian-replica?passing&tag=fraud-score' \
  | python3 -c 'import json,sys
e=json.load(sys.stdin)[0]["Service"]
print(e["Address"], e["Port"], e["Meta"]["metrics-port"])')
read -r replica_host replica_port replica_metrics <<<"$replica"
leader=$(consul 'kv/meridian/controller/leader?raw')
./meridian drain --target "$leader" --region us-east --reason "overhead benchmark" --force \
  --tls-dir "$demo/tls" --token-file "$demo/tokens/admin" >/dev/null
until consul 'kv/meridian/routing/fraud-score?raw' | grep -q REGION_STATE_DRAINED; do
  sleep 1
done

nginx_port=50090
cat >"$out/nginx.conf" <<CONF
worker_processes 1;
pid $PWD/$out/nginx.pid;
error_log $PWD/$out/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  # nginx closes a connection after 1000 requests by default (h2load does not reconnect).
  keepalive_requests 100000000;
  upstream replica {
    server $replica_host:$replica_port;
    keepalive 64;
    keepalive_requests 100000000;
  }
  server {
    listen 127.0.0.1:$nginx_port http2;
    location / { grpc_pass grpc://replica; }
  }
}
CONF
haproxy_port=50091
cat >"$out/haproxy.cfg" <<CONF
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
  server replica $replica_host:$replica_port proto h2
CONF
nginx -c "$PWD/$out/nginx.conf"
haproxy -D -f "$out/haproxy.cfg" -p "$out/haproxy.pid"
stop_all() {
  nginx -c "$PWD/$out/nginx.conf" -s stop 2>/dev/null || true
  kill "$(cat "$out/haproxy.pid")" 2>/dev/null || true
  kill "${relay_pid:-}" 2>/dev/null || true
  stop_demo
}
trap stop_all EXIT
gateway_pid=$(pgrep -f "gateway --config $demo/config/gateway.yaml")
# The relay runs with the JVM options the demo gave the gateway (heap, collector).
mapfile -t gateway_jvm_options < <(tr '\0' '\n' <"/proc/$gateway_pid/cmdline" \
  | awk '$0 == "-cp" {exit} /^-X/')
relay_port=50092
taskset -c 0 java "${gateway_jvm_options[@]}" -cp "$relay_classes:deploy/target/meridian.jar" \
  dev.meridian.gateway.GrpcRelay 127.0.0.1 "$relay_port" "$replica_host" "$replica_port" \
  >"$out/relay.log" 2>&1 </dev/null &
relay_pid=$!
until (: </dev/tcp/127.0.0.1/$relay_port) 2>/dev/null; do
  if ! kill -0 "$relay_pid" 2>/dev/null; then
    echo "the grpc-java relay did not start:" >&2
    cat "$out/relay.log" >&2
    exit 1
  fi
  sleep 1
done

nginx_pid=$(pgrep -f "nginx: worker process" | head -1)
haproxy_pid=$(cat "$out/haproxy.pid")
declare -A target=([direct]=$replica_host:$replica_port [nginx]=127.0.0.1:$nginx_port
  [haproxy]=127.0.0.1:$haproxy_port [grpc-java]=127.0.0.1:$relay_port [gateway]=127.0.0.1:50051)
declare -A pid_of=([direct]=none [nginx]=$nginx_pid [haproxy]=$haproxy_pid [grpc-java]=$relay_pid
  [gateway]=$gateway_pid)
paths="direct nginx haproxy grpc-java gateway"
declare -A load=([saturated]="-c 8 -m 16" [callers64]="-c 64 -m 1" [callers1]="-c 1 -m 1")
loads="saturated callers64 callers1"

# Everything on core 0, then the path under test (and only it) on core 1.
for pid in $(pgrep -f "$PWD/deploy/target/meridian.jar") $(pgrep -x redis-server) \
  "$nginx_pid" "$haproxy_pid"; do
  taskset -apc 0 "$pid" >/dev/null 2>&1 || true
done
place() { # path core
  if [[ ${pid_of[$1]} != none ]]; then
    taskset -apc "$2" "${pid_of[$1]}" >/dev/null
  fi
}

./meridian predict --model fraud-score --input features=0.5,1.2,0.3,2 \
  --write-request "$out/predict.body" >"$out/predict.path"
path=$(awk '{print $NF}' "$out/predict.path")
h2() { # target h2load-options...
  local at=$1
  shift
  taskset -c 0 h2load "$@" -d "$out/predict.body" -H 'content-type: application/grpc' \
    -H 'te: trailers' "http://$at$path"
}
metric_sum() { # port regex
  curl -sf "http://127.0.0.1:$1/metrics" | grep -E "$2" | awk '{s += $NF} END {printf "%d\n", s}'
}
replica_errors() { metric_sum "$replica_metrics" '^meridian_replica_errors_total'; }
gateway_degraded() {
  metric_sum 9464 '^meridian_gateway_call_duration_seconds_count' | {
    read -r all
    echo $((all - $(metric_sum 9464 \
      '^meridian_gateway_call_duration_seconds_count\{.*outcome="(PRIMARY|RETRY|HEDGE)"')))
  }
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# The JVMs compile their hot paths during the first tens of thousands of calls.
echo "warming every path up (JIT, connections)"
# One caller at a time takes code paths the saturated load does not (the gateway's C2 still
# compiled for seconds in its first 1-caller run), so each path also warms up that way.
for p in $paths; do
  place "$p" 1
  jvm=$([[ $p == gateway || $p == grpc-java ]] && echo 1 || echo 0)
  h2 "${target[$p]}" -c 8 -m 16 -D "$((jvm ? 40 : 10))" >/dev/null
  h2 "${target[$p]}" -c 1 -m 1 -D "$((jvm ? 20 : 5))" >/dev/null
  place "$p" 0
done

problems=0
for round in $(seq 1 "$rounds"); do
  for l in $loads; do
    for p in $paths; do
      place "$p" 1
      errors_before=$(replica_errors)
      degraded_before=$(gateway_degraded)
      [[ ${pid_of[$p]} != none ]] && cpu_ticks "${pid_of[$p]}" >"$out/$p-$l-$round.cpu"
      # shellcheck disable=SC2086 # the load's options are words
      # Each call's latency only where a median is wanted: writing the log costs h2load time.
      log=()
      [[ $l == callers1 ]] && log=(--log-file="$out/$p-$l-$round.log")
      h2 "${target[$p]}" ${load[$l]} -D "$seconds" --warm-up-time=1 "${log[@]}" \
        >"$out/$p-$l-$round.h2load"
      [[ ${pid_of[$p]} != none ]] && cpu_ticks "${pid_of[$p]}" >>"$out/$p-$l-$round.cpu"
      place "$p" 0
      errors=$(($(replica_errors) - errors_before))
      degraded=$(($(gateway_degraded) - degraded_before))
      failed=$(grep -o '[0-9]* failed, [0-9]* errored, [0-9]* timeout' "$out/$p-$l-$round.h2load" \
        | awk '{print $1 + $3 + $5}')
      non2xx=$(grep -o 'status codes: [0-9]* 2xx, [0-9]* 3xx, [0-9]* 4xx, [0-9]* 5xx' \
        "$out/$p-$l-$round.h2load" | awk '{print $5 + $7 + $9}')
      if ((errors + degraded + failed + non2xx > 0)); then
        echo "round $round, $p, $l: $failed failed, $non2xx non-2xx, $errors replica errors," \
          "$degraded gateway answers not served by the replica" >&2
        problems=$((problems + 1))
      fi
    done
  done
  echo "round $round of $rounds done"
done

python3 - "$out" "$rounds" "$paths" "$(getconf CLK_TCK)" "$gateway_pid" "$nginx_pid" \
  "$haproxy_pid" "$relay_pid" <<'PY'
import re, statistics, sys
out, rounds, paths, tick = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(), int(sys.argv[4])
pids = dict(zip(["gateway", "nginx", "haproxy", "grpc-java"], sys.argv[5:9]))
unit = {"us": 1, "ms": 1e3, "s": 1e6}

def run(path, load, r):
    text = open(f"{out}/{path}-{load}-{r}.h2load").read()
    rate = float(re.search(r"finished in .*?, ([0-9.]+) req/s", text).group(1))
    done = int(re.search(r"requests: \d+ total, \d+ started, (\d+) done", text).group(1))
    mean = re.search(r"time for request:\s+\S+\s+\S+\s+([0-9.]+)(us|ms|s)", text)
    return rate, done, float(mean.group(1)) * unit[mean.group(2)]

def span(values, fmt):
    return f"{fmt.format(statistics.median(values))} ({fmt.format(min(values))}-{fmt.format(max(values))})"

def median_latency(path, load, r):
    """The median of the answered calls' latencies (h2load's per-request log), in us."""
    times = []
    for line in open(f"{out}/{path}-{load}-{r}.log"):
        fields = line.split("\t")
        if fields[1] == "200":
            times.append(int(fields[2]))
    return statistics.median(times)

R = range(1, rounds + 1)
sat = {p: [run(p, "saturated", r)[0] for r in R] for p in paths}
c64 = {p: [run(p, "callers64", r)[0] for r in R] for p in paths}
lat = {p: [run(p, "callers1", r)[2] for r in R] for p in paths}
added = {p: [lat[p][i] - lat["direct"][i] for i in range(rounds)] for p in paths}
med = {p: [median_latency(p, "callers1", r) for r in R] for p in paths}
added_med = {p: [med[p][i] - med["direct"][i] for i in range(rounds)] for p in paths}

def cpu_per_call(p, load):
    values = []
    for r in R:
        before, after = (int(x) for x in open(f"{out}/{p}-{load}-{r}.cpu").read().split())
        values.append((after - before) / tick * 1e6 / run(p, load, r)[1])
    return values

def rss_mib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024

print(f"\nmedian (min-max) of {rounds} interleaved rounds; the path under test alone on core 1")
print(f"{'path':9} {'saturated calls/s':>24} {'64 callers calls/s':>24} {'1 caller mean us':>18}"
      f" {'added us':>16} {'1 caller median us':>18} {'added us':>16}")
for p in paths:
    print(f"{p:9} {span(sat[p], '{:.0f}'):>24} {span(c64[p], '{:.0f}'):>24}"
          f" {span(lat[p], '{:.0f}'):>18} {span(added[p], '{:.0f}'):>16}"
          f" {span(med[p], '{:.0f}'):>18} {span(added_med[p], '{:.0f}'):>16}")
print("\nper round, same run:")
ratios = {
    "gateway / haproxy saturated calls/s": [sat["gateway"][i] / sat["haproxy"][i] for i in range(rounds)],
    "gateway / haproxy 64 callers calls/s": [c64["gateway"][i] / c64["haproxy"][i] for i in range(rounds)],
    "gateway / direct saturated calls/s": [sat["gateway"][i] / sat["direct"][i] for i in range(rounds)],
    "gateway / haproxy added mean latency (1 caller)": [added["gateway"][i] / added["haproxy"][i] for i in range(rounds)],
    "gateway / haproxy added median latency (1 caller)": [added_med["gateway"][i] / added_med["haproxy"][i] for i in range(rounds)],
    "grpc-java / haproxy saturated calls/s": [sat["grpc-java"][i] / sat["haproxy"][i] for i in range(rounds)],
    "grpc-java / haproxy added median latency (1 caller)": [added_med["grpc-java"][i] / added_med["haproxy"][i] for i in range(rounds)],
    "gateway / grpc-java added median latency (1 caller)": [added_med["gateway"][i] / added_med["grpc-java"][i] for i in range(rounds)],
}
for name, values in ratios.items():
    print(f"  {name:52} {span(values, '{:.2f}')}")
print("\nCPU time per call (from /proc/<pid>/stat), saturated and 1 caller; RSS now (VmRSS):")
for p in ["nginx", "haproxy", "grpc-java", "gateway"]:
    print(f"  {p:9} {span(cpu_per_call(p, 'saturated'), '{:.1f}')} us/call saturated,"
          f" {span(cpu_per_call(p, 'callers1'), '{:.1f}')} us/call 1 caller,"
          f" RSS {rss_mib(pids[p]):.0f} MiB")
PY
if ((problems > 0)); then
  echo "$problems runs had calls the replica did not answer (above): figures not valid" >&2
  exit 1
fi
