#!/bin/sh
# Access log on vs off (bench/RESULTS.md): maintd serving its maintenance page to wrk -t2 -c64,
# 10 s warm-up + 10 s measured per run, three rounds alternating off and on. Needs wrk and a
# built tree (mvn -B -q package -DskipTests). Run under the heavy lock:
#   flock /tmp/maintd-heavy.lock sh bench/access-log-bench.sh
set -e
dir=$(mktemp -d); root=$(cd "$(dirname "$0")/.." && pwd); cd "$dir"
run() {  # $1 = label, $2 = extra config
  rm -f flags flags.log access.log
  cat > m.yaml <<YAML
flags: { file: flags }
listen: 127.0.0.1:18280
admin: 127.0.0.1:18290
backends:
  app: { servers: [127.0.0.1:9] }
rules:
  - if: "maint > 0"
    then: maintenance
  - then: { backend: app }
$2
YAML
  $root/bin/maintd --config m.yaml > m.log 2>&1 &
  pid=$!
  for i in $(seq 1 100); do curl -fs http://127.0.0.1:18290/healthz >/dev/null 2>&1 && break; sleep 0.1; done
  $root/bin/flagctl -f flags set maint 1 >/dev/null
  wrk -t2 -c64 -d10s --latency http://127.0.0.1:18280/ > /dev/null   # warm-up
  out=$(wrk -t2 -c64 -d10s --latency http://127.0.0.1:18280/)
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  cpu=$(awk '{print $14+$15}' /proc/$pid/stat)
  dropped=$(curl -fs http://127.0.0.1:18290/metrics | awk '/^maintd_access_log_dropped_total/ {print $2}')
  lines=$( [ -f access.log ] && wc -l < access.log || echo 0)
  reqs=$(curl -fs http://127.0.0.1:18290/metrics | awk '/^maintd_requests_total/ {s+=$2} END {printf "%d", s}')
  echo "$1 rps=$rps p50=$p50 p99=$p99 cpu_us_per_request=$(echo "$cpu * 10000 / $reqs" | bc -l | cut -c1-5) requests=$reqs dropped=${dropped:-n/a} lines=$lines"
  kill $pid; wait $pid || true
}
uptime
for round in 1 2 3; do
  run "off" ""
  run "on " "log: { access: access.log }"
done
uptime
