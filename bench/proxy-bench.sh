#!/usr/bin/env bash
# Proxy and maintenance page: maintd vs HAProxy vs nginx, measured with wrk on 127.0.0.1.
#
# Usage: bench/proxy-bench.sh [--duration 10s] [--rounds 3] [--conns "64 256"] [--warmup 40s]
#                             [--proxy-cpu 1] [--load-cpu 0] [--maintd LABEL=ROOT[@TRANSPORT]]...
#
# One interleaved session: a backend (nginx answering a small 200 itself, on the load CPU), then
# for each round, each connection count and each proxy: wrk through the proxy, then wrk against
# the proxy's maintenance page. Every proxy is pinned to the same CPU (--proxy-cpu); wrk and the
# backend share the other (--load-cpu). For each run it prints req/s, p99 latency, and the proxy's
# CPU time per request: (utime+stime of the proxy and its children, from /proc) / requests.
# The summary table gives the median over rounds.
#
# --maintd LABEL=ROOT (repeatable) runs the maintd built in source tree ROOT (its bin/maintd and
# bin/flagctl) under the name LABEL; by default one maintd, named maintd, from this tree. Given
# twice, two builds take turns in the same session, e.g. before/after a change:
#   --maintd before=/tmp/lc-before --maintd after=.   Each round runs them in a rotated order
# (round 1: before, after; round 2: after, before; ...), so neither always runs first.
# @TRANSPORT sets that maintd's transport: key (auto, io_uring, epoll, nio), e.g. one build twice:
#   --maintd uring=.@io_uring --maintd epoll=.@epoll
#
# maintd is a JVM: before the first round it gets --warmup of untimed load at the largest
# connection count, proxying and then the page. Pinned to one CPU, its JIT compiler competes with
# the event loops; after a 6 s warm-up the p99 at 256 connections measured 0.2-1 s and fell to
# ~15 ms only after ~40 s of load (bench/RESULTS.md).
#
# Needs bin/maintd and bin/flagctl built in each ROOT (mvn -B -q package -DskipTests). Installs
# wrk, haproxy and nginx with apt-get when missing. MAINTD_JAVA_OPTS is passed to every bin/maintd
# (e.g. JFR).
# Exit codes: 0 done, 1 a tool or build is missing or a proxy did not start, 2 bad usage.
set -euo pipefail

duration=10s
rounds=3
conns="64 256"
warmup=40s
proxy_cpu=1
load_cpu=0
maintds=()
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --warmup) warmup=$2; shift 2 ;;
    --proxy-cpu) proxy_cpu=$2; shift 2 ;;
    --load-cpu) load_cpu=$2; shift 2 ;;
    --maintd) maintds+=("$2"); shift 2 ;;
    -h|--help) sed -n '2,28p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "proxy-bench: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
[ ${#maintds[@]} -gt 0 ] || maintds=("maintd=$root")
declare -A maintd_root maintd_transport
labels=()
for m in "${maintds[@]}"; do
  label=${m%%=*} dir=${m#*=} transport=""
  if [[ "$dir" == *@* ]]; then transport=${dir##*@} dir=${dir%@*}; fi
  if [[ -n "$transport" && ! "$transport" =~ ^(auto|io_uring|epoll|nio)$ ]]; then
    echo "proxy-bench: --maintd $m: @TRANSPORT is auto, io_uring, epoll or nio" >&2
    exit 2
  fi
  if [[ "$m" != *=* || ! "$label" =~ ^[a-z0-9-]+$ || "$label" == haproxy || "$label" == nginx || -n "${maintd_root[$label]:-}" ]]; then
    echo "proxy-bench: --maintd wants LABEL=ROOT with a new label of [a-z0-9-] other than haproxy and nginx, not $m" >&2
    exit 2
  fi
  if [ ! -x "$dir/bin/maintd" ] || [ ! -x "$dir/bin/flagctl" ]; then
    echo "proxy-bench: --maintd $m: no bin/maintd and bin/flagctl in $dir" >&2
    exit 1
  fi
  maintd_root[$label]=$(CDPATH= cd -- "$dir" && pwd)
  maintd_transport[$label]=${transport:+transport: $transport}
  labels+=("$label")
done
missing=()
for tool in wrk haproxy nginx; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || missing+=("$tool")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}" >&2
  sudo=""; [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi
PATH=$PATH:/usr/sbin
clk=$(getconf CLK_TCK)

work=$(mktemp -d /tmp/proxy-bench.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

. "$root/bench/ports.sh"

backend_port=$(free_port)
mkdir -p "$work/backend" "$work/nginx/html"
cat >"$work/backend/nginx.conf" <<CONF
worker_processes 1;
pid $work/backend/nginx.pid;
error_log $work/backend/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$backend_port; location / { return 200 "hello from the backend\n"; } }
}
CONF
taskset -c "$load_cpu" nginx -c "$work/backend/nginx.conf" -g 'daemon off;' & pids+=($!)
await_port "$backend_port" backend

page='<!doctype html><title>Maintenance</title><h1>Down for maintenance</h1><p>Back soon.</p>'
printf '%s\n' "$page" >"$work/nginx/html/maintenance.html"
cp "$work/nginx/html/maintenance.html" "$work/maintenance.html"

declare -A port mport
for name in haproxy nginx; do port[$name]=$(free_port); mport[$name]=$(free_port); done

cat >"$work/haproxy.cfg" <<CONF
global
  nbthread 1
  maxconn 4000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  http-reuse always
frontend proxy
  bind 127.0.0.1:${port[haproxy]}
  default_backend app
frontend maintenance
  bind 127.0.0.1:${mport[haproxy]}
  http-request return status 503 content-type "text/html; charset=utf-8" hdr Retry-After 120 file $work/maintenance.html
backend app
  server app1 127.0.0.1:$backend_port
CONF
taskset -c "$proxy_cpu" haproxy -f "$work/haproxy.cfg" & pids+=($!)

cat >"$work/nginx/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  upstream app { server 127.0.0.1:$backend_port; keepalive 256; }
  server {
    listen 127.0.0.1:${port[nginx]};
    location / { proxy_pass http://app; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
  server {
    listen 127.0.0.1:${mport[nginx]};
    root $work/nginx/html;
    error_page 503 /maintenance.html;
    location = /maintenance.html { internal; add_header Retry-After 120 always; }
    location / { return 503; }
  }
}
CONF
taskset -c "$proxy_cpu" nginx -c "$work/nginx/nginx.conf" -g 'daemon off;' & pids+=($!)

# maintd: one process and one flag file per build; the maintenance page is its own listener in
# HAProxy and nginx, but in maintd it is the flag, so the page runs flip maint to 1 and back.
for label in "${labels[@]}"; do
  port[$label]=$(free_port)
  mport[$label]=${port[$label]}
  mkdir -p "$work/$label"
  cp "$work/maintenance.html" "$work/$label/maintenance.html"
  cat >"$work/$label/maintd.yaml" <<CONF
flags: { file: flags }
listen: 127.0.0.1:${port[$label]}
admin: 127.0.0.1:$(free_port)
backends:
  app: { servers: [127.0.0.1:$backend_port] }
maintenance: { page: maintenance.html, status: 503, retry-after: 120s }
rules:
  - if: "maint > 0"
    then: maintenance
  - then: { backend: app }
${maintd_transport[$label]}
CONF
  taskset -c "$proxy_cpu" "${maintd_root[$label]}/bin/maintd" --config "$work/$label/maintd.yaml" \
    2>"$work/$label/maintd.log" & pids+=($!)
done
for name in haproxy nginx "${labels[@]}"; do await_port "${port[$name]}" "$name"; done
await_port "${mport[haproxy]}" haproxy-maintenance
await_port "${mport[nginx]}" nginx-maintenance
maint() { # 0|1 -> the maint flag of every maintd
  local label
  for label in "${labels[@]}"; do
    "${maintd_root[$label]}/bin/flagctl" --file "$work/$label/flags" set maint "$1" >/dev/null
  done
}

proc_pid() { # name -> the pid whose CPU (with its children) is the proxy's
  case "$1" in
    haproxy) pgrep -f -o "haproxy -f $work/haproxy.cfg" ;;
    nginx) pgrep -f -o "nginx -c $work/nginx/nginx.conf" ;;
    *) pgrep -f -n "io.maintd.daemon.MaintdMain --config $work/$1/maintd.yaml" ;;
  esac
}

cpu_ticks() { # pid -> utime+stime of it and its children (nginx's worker is a child)
  local total=0 p
  for p in $1 $(pgrep -P "$1" || true); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$p/stat")))
  done
  echo "$total"
}

results="$work/results.tsv"
run() { # round proxy mode conns url
  local pid before after out reqs rps p99
  pid=$(proc_pid "$2")
  before=$(cpu_ticks "$pid")
  out=$(taskset -c "$load_cpu" wrk -t2 -c"$4" -d"$duration" --latency "$5")
  after=$(cpu_ticks "$pid")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  rps=$(awk '/^Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  errors=$(awk '/Socket errors/ {print}' <<<"$out")
  local us=$(python3 -c "print(f'{($after-$before)*1e6/$clk/max($reqs,1):.1f}')")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$rps" "$p99" "$us" >>"$results"
  printf 'round %s  %-8s %-11s c=%-4s %10s req/s  p99 %-8s %6s us/req  (%s requests%s%s)\n' \
    "$1" "$2" "$3" "$4" "$rps" "$p99" "$us" "$reqs" "${non2xx:+, non-2xx $non2xx}" "${errors:+, $errors}"
}

echo "machine: $(nproc) CPUs, $(uname -r), load average $(cut -d' ' -f1-3 /proc/loadavg); proxies on CPU $proxy_cpu, wrk+backend on CPU $load_cpu"
echo "versions: $(haproxy -v | head -1 | cut -d' ' -f1-3); $(nginx -v 2>&1); $(java -version 2>&1 | head -1)"
echo "maintd builds: $(for l in "${labels[@]}"; do printf '%s=%s (%s) ' "$l" "${maintd_root[$l]}" \
  "$(git -C "${maintd_root[$l]}" rev-parse --short HEAD 2>/dev/null || echo 'not a git tree')"; done)"
warm_conns=$(tr ' ' '\n' <<<"$conns" | sort -n | tail -1)
echo "warm-up: each maintd ${warmup} proxying and ${warmup} page at c=${warm_conns} (JIT), not counted"
for label in "${labels[@]}"; do
  taskset -c "$load_cpu" wrk -t2 -c"$warm_conns" -d"$warmup" "http://127.0.0.1:${port[$label]}/" >/dev/null
done
maint 1
for label in "${labels[@]}"; do
  taskset -c "$load_cpu" wrk -t2 -c"$warm_conns" -d"$warmup" "http://127.0.0.1:${port[$label]}/" >/dev/null
done
maint 0

for r in $(seq 1 "$rounds"); do
  shift_by=$(((r - 1) % ${#labels[@]}))
  order=("${labels[@]:$shift_by}" "${labels[@]:0:$shift_by}")
  for c in $conns; do
    for name in haproxy nginx "${order[@]}"; do
      run "$r" "$name" proxy "$c" "http://127.0.0.1:${port[$name]}/"
    done
    maint 1
    for name in haproxy nginx "${order[@]}"; do
      run "$r" "$name" maintenance "$c" "http://127.0.0.1:${mport[$name]}/"
    done
    maint 0
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

python3 - "$results" <<'PY'
import sys, statistics, re
rows = [l.rstrip("\n").split("\t") for l in open(sys.argv[1])]
def ms(s):
    m = re.match(r"([\d.]+)(us|ms|s)", s)
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)] if m else float("nan")
groups = {}
for r, proxy, mode, c, rps, p99, us in rows:
    groups.setdefault((mode, int(c), proxy), []).append((float(rps), ms(p99), float(us)))
print("\n| mode | conns | proxy | req/s | p99 (ms) | CPU µs/request |")
print("|------|------:|-------|------:|---------:|---------------:|")
for (mode, c, proxy), v in sorted(groups.items(), key=lambda kv: (kv[0][0] != "proxy", kv[0][1], kv[0][2])):
    med = lambda i: statistics.median(x[i] for x in v)
    print(f"| {mode} | {c} | {proxy} | {med(0):.0f} | {med(1):.2f} | {med(2):.1f} |")
PY
