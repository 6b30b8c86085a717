#!/bin/sh
# Simulates N maintd hosts against one local etcd (issue 14): N watchers, N status keys under
# leases kept alive at the documented interval, each host mirroring into its own flag file.
# Prints one line per N: time from one service-wide set to all N mirrored, etcd's CPU, and the
# cost per simulated host. Results and their reading: bench/RESULTS.md, docs/fleet.md.
#
#   bench/fleet-scale/run.sh [N ...]            default: 100 1000 4000
#   FLEET_TTL=30 FLEET_REPORT_MS=5000 bench/fleet-scale/run.sh 4000   the 10,000-host tuning
#
# Needs /usr/bin/etcd and the bench jar (mvn -B -q -pl bench -am package -DskipTests). Heavy:
# it takes the shared lock itself. Each simulated host holds about four descriptors (flag file,
# audit log, two connections), so one driver JVM stops near 4,900 hosts under a 20,000 limit.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/../.." && pwd)
jar="$root/bench/target/benchmarks.jar"
if [ ! -f "$jar" ]; then
  echo "fleet-scale: $jar is missing; build it: mvn -B -q -pl bench -am package -DskipTests" >&2
  exit 1
fi
if [ -z "${FLEET_SCALE_LOCKED:-}" ]; then
  FLEET_SCALE_LOCKED=1 exec flock /tmp/maintd-heavy.lock "$0" "$@"
fi
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d /tmp/fleet-scale.XXXXXX)
etcd_pid=
cleanup() {
  [ -n "$etcd_pid" ] && kill "$etcd_pid" 2>/dev/null && wait "$etcd_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}
echo "fleet-scale: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(etcd --version | head -1), ttl ${FLEET_TTL:-10}s, report ${FLEET_REPORT_MS:-1000}ms"
for n in ${*:-100 1000 4000}; do
  client=$(free_port)
  peer=$(free_port)
  etcd --name scale --data-dir "$work/etcd-$n" \
       --listen-client-urls "http://127.0.0.1:$client" --advertise-client-urls "http://127.0.0.1:$client" \
       --listen-peer-urls "http://127.0.0.1:$peer" --initial-advertise-peer-urls "http://127.0.0.1:$peer" \
       --initial-cluster "scale=http://127.0.0.1:$peer" --logger zap --log-level error >"$work/etcd-$n.log" 2>&1 &
  etcd_pid=$!
  tries=0
  until etcdctl --endpoints "127.0.0.1:$client" endpoint health >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -gt 100 ]; then echo "fleet-scale: etcd did not start: $(cat "$work/etcd-$n.log")" >&2; exit 1; fi
    sleep 0.1
  done
  java -cp "$jar" io.maintd.bench.FleetScale "http://127.0.0.1:$client" "$n" "$work/hosts-$n" "$etcd_pid" \
       "${FLEET_TTL:-10}" "${FLEET_REPORT_MS:-1000}"
  kill "$etcd_pid"
  wait "$etcd_pid" 2>/dev/null || true
  etcd_pid=
  rm -rf "$work/hosts-$n" "$work/etcd-$n"
done
