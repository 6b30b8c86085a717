#!/usr/bin/env bash
# A backend restart under load through maintd: how long do clients see errors?
#
# Usage: bench/backend-restart.sh [--maintd PATH] [--duration 10s] [--restart-at 4] [--outage 0.5]
#                                 [--conns 32] [--proxy-cpu 1] [--load-cpu 0]
#
# nginx is the backend (a small 200, on the load CPU); maintd proxies to it (on the proxy CPU,
# default config: one server, default health checks); wrk runs through maintd for --duration
# with bench/status-timeline.lua counting 2xx and other responses per 10 ms. --restart-at seconds
# into the run the backend restarts as in issue 10: `nginx -s stop`, then, --outage seconds after
# its port stopped accepting, nginx again. The script times when the port refused and when it
# accepted again (polling every 10 ms), and prints the errors around that window per 100 ms, then:
#   outage      the time the port refused connections
#   errors      non-2xx responses (maintd's 503/502 pages), and wrk's socket errors
#   window      first to last error, and how far the last error came after the port was back
#
# --maintd runs another build (e.g. an older checkout's bin/maintd) for a before/after
# comparison. Needs bin/maintd built (mvn -B -q package -DskipTests), wrk and nginx.
# Exit codes: 0 done, 1 a tool or build is missing or a process did not start, 2 bad usage.
set -euo pipefail

root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
maintd="$root/bin/maintd"
duration=10s
restart_at=4
outage=0.5
conns=32
proxy_cpu=1
load_cpu=0
while [ $# -gt 0 ]; do
  case "$1" in
    --maintd) maintd=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --restart-at) restart_at=$2; shift 2 ;;
    --outage) outage=$2; shift 2 ;;
    --conns) conns=$2; shift 2 ;;
    --proxy-cpu) proxy_cpu=$2; shift 2 ;;
    --load-cpu) load_cpu=$2; shift 2 ;;
    -h|--help) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "backend-restart: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
PATH=$PATH:/usr/sbin
for tool in wrk nginx python3; do
  command -v "$tool" >/dev/null || { echo "backend-restart: $tool is missing" >&2; exit 1; }
done
[ -x "$maintd" ] || { echo "backend-restart: $maintd is missing" >&2; exit 1; }

work=$(mktemp -d /tmp/backend-restart.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  # The nginx started again by the restart runs in a subshell's list; its pid file names it.
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

. "$root/bench/ports.sh"
now_ms() { date +%s%3N; }

backend_port=$(free_port)
proxy_port=$(free_port)
admin_port=$(free_port)
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  server { listen 127.0.0.1:$backend_port; location / { return 200 "hello from the backend\n"; } }
}
CONF
start_nginx() { taskset -c "$load_cpu" nginx -c "$work/nginx.conf" -g 'daemon off;' & pids+=($!); }
start_nginx
await_port "$backend_port" nginx

cat >"$work/maintd.yaml" <<CONF
flags: { file: flags }
listen: 127.0.0.1:$proxy_port
admin: 127.0.0.1:$admin_port
backends:
  app: { servers: [127.0.0.1:$backend_port] }
CONF
taskset -c "$proxy_cpu" "$maintd" --config "$work/maintd.yaml" 2>"$work/maintd.log" & pids+=($!)
await_port "$proxy_port" maintd

restart() {
  sleep "$restart_at"
  nginx -c "$work/nginx.conf" -s stop
  while accepts "$backend_port"; do sleep 0.01; done
  echo "refused $(now_ms)" >>"$work/events"
  sleep "$outage"
  start_nginx
  while ! accepts "$backend_port"; do sleep 0.01; done
  echo "accepted $(now_ms)" >>"$work/events"
}
restart &
restarter=$!
taskset -c "$load_cpu" wrk -t2 -c"$conns" -d"$duration" -s "$root/bench/status-timeline.lua" \
  "http://127.0.0.1:$proxy_port/" >"$work/wrk.out"
wait "$restarter"

refused=$(awk '$1 == "refused" {print $2}' "$work/events")
accepted=$(awk '$1 == "accepted" {print $2}' "$work/events")
grep -v '^slot ' "$work/wrk.out" | grep -E 'requests in|Requests/sec|Non-2xx|Socket errors' || true
python3 - "$work/wrk.out" "$refused" "$accepted" <<'PY'
import sys
from collections import defaultdict
path, down, up = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
slots = []
for line in open(path):
    f = line.split()
    if len(f) == 4 and f[0] == "slot":
        slots.append((int(f[1]) - down, int(f[2]), int(f[3])))
outage = up - down

def table(width, start, end):
    ok, err = defaultdict(int), defaultdict(int)
    for t, good, bad in slots:
        ok[t // width * width] += good
        err[t // width * width] += bad
    for b in range(start // width * width, end, width):
        print(f"  t={b:6d}..{b + width:6d} ms  2xx {ok[b]:7d}  errors {err[b]:7d}")

print(f"outage: the port refused connections for {outage} ms (t=0..{outage}, t from the moment it refused)")
print("per 100 ms around it:")
table(100, -200, outage + 1000)
print("per second over the run:")
table(1000, min(t for t, _, _ in slots), max(t for t, _, _ in slots) + 1)
errors = [t for t, _, bad in slots if bad]
print(f"responses: {sum(s[1] for s in slots)} 2xx, {sum(s[2] for s in slots)} errors")
if errors:
    first, last = min(errors), max(errors) + 10
    print(f"error window: t={first}..{last} ms; the last error came {last - outage} ms after the port accepted again")
PY
