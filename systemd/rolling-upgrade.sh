#!/usr/bin/env bash
# Take this host's maintd instance out of the pool, upgrade it, put it back: with flags and
# facts (the balancers noticed, in-flight count, health), not with "sleep 60". Run it on each
# host in turn.
set -euo pipefail

readonly PROG=${0##*/}

# Exit codes, also listed in --help.
readonly EXIT_USAGE=2
readonly EXIT_STEP_FAILED=3
readonly EXIT_NOT_HEALTHY=4
# flagctl wait noticed: nothing can notice (no balancer probes the daemon, or no daemon runs).
readonly FLAGCTL_NO_BALANCER=13

usage() {
  cat <<EOF
Usage:
  $PROG upgrade [OPTIONS] [-- HOOK [ARG...]]
  $PROG maintenance-window [OPTIONS] [-- HOOK [ARG...]]
  $PROG --help

upgrade             Drain this instance, wait until the load balancers noticed and no
                    request is in flight, run HOOK, restart the service, undrain, and wait
                    until /healthz answers 200.
                      1. flagctl set drain 1 --reason TEXT
                      2. flagctl wait noticed --timeout NOTICE_TIMEOUT: every load balancer
                         probing the daemon (agent check or /healthz) has been told "drain".
                         If none probes it (exit 13), sleep --lb-notice instead (default 0).
                      3. flagctl wait inflight --le 0 --timeout DRAIN_TIMEOUT
                      4. HOOK (e.g. apt-get install -y maintd=1.2.3), if given
                      5. systemctl restart UNIT (unless --no-restart)
                      6. wait until the daemon answers again (/healthz 503: up, still drained)
                      7. flagctl set drain 0
                      8. wait until /healthz answers 200
maintenance-window  Put this instance into maintenance for a bounded time: new requests get
                    the maintenance page and the agent answers "maint". The flag reverts on
                    its own after --for even if this script or the host dies, so a forgotten
                    window cannot keep the service down.
                      1. flagctl set maint 1 --for DURATION --reason TEXT
                      2. HOOK, if given, once the load balancers noticed "maint" (as in
                         upgrade, step 2); then flagctl set maint 0 and wait for /healthz 200
                    Without HOOK it returns after step 1 and the window ends at expiry
                    (or early with: flagctl set maint 0).
                    HOOK runs while in maintenance; nothing is restarted unless HOOK does it.
                    If HOOK fails, maint stays on until it expires; extend it with
                    flagctl set maint 1 --for 2h, or end it with flagctl set maint 0.

Options:
  --flags FILE         flag file (default: \$MAINTD_FLAGS, else flagctl's default
                       /var/lib/maintd/flags)
  --reason TEXT        recorded in flagctl's audit log (default: "$PROG <command> by \$USER")
  --unit NAME          systemd unit to restart (default: maintd.service)
  --no-restart         HOOK restarts the service itself; do not run systemctl restart
  --health-url URL     the daemon's health endpoint (default: http://127.0.0.1:9090/healthz)
  --notice-timeout DUR longest wait for the load balancers to notice (default: 60s)
  --lb-notice DUR      fallback only: when no balancer probes the daemon, so maintd cannot
                       tell whether one noticed, sleep this long instead (one agent-inter or
                       health-check interval plus margin; default: 0)
  --drain-timeout DUR  longest wait for in-flight requests to finish (default: 60s)
  --health-timeout SEC longest wait for the daemon to come back healthy (default: 60)
  --for DURATION       maintenance-window length (default: 30m)
  --flagctl CMD        flagctl to run (default: \$FLAGCTL, else flagctl on PATH)
  -h, --help           this text

Exit codes:
  0  done; the instance is back in the pool (upgrade) or in maintenance (window without HOOK)
  $EXIT_USAGE  usage error
  $EXIT_STEP_FAILED  a step failed (flagctl, HOOK, systemctl, the balancers did not notice or
     in-flight requests did not finish in time); the instance is left drained / in
     maintenance, not put back
  $EXIT_NOT_HEALTHY  the daemon did not come back healthy in time; it is left undrained
EOF
}

die_usage() {
  echo "$PROG: $*" >&2
  echo "Try '$PROG --help'." >&2
  exit "$EXIT_USAGE"
}

log() {
  echo "$PROG: $*" >&2
}

flags_file=${MAINTD_FLAGS:-}
reason=
unit=maintd.service
restart=yes
health_url=http://127.0.0.1:9090/healthz
lb_notice=0
notice_timeout=60s
drain_timeout=60s
health_timeout=60
window=30m
flagctl_cmd=${FLAGCTL:-flagctl}
hook=()

[ $# -gt 0 ] || die_usage "missing command (upgrade or maintenance-window)"
case "$1" in
  -h|--help) usage; exit 0 ;;
  upgrade|maintenance-window) command=$1; shift ;;
  *) die_usage "unknown command '$1'" ;;
esac

need_value() {
  [ $# -ge 2 ] && [ -n "$2" ] || die_usage "$1 needs a value"
}

while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --flags) need_value "$@"; flags_file=$2; shift 2 ;;
    --reason) need_value "$@"; reason=$2; shift 2 ;;
    --unit) need_value "$@"; unit=$2; shift 2 ;;
    --no-restart) restart=no; shift ;;
    --health-url) need_value "$@"; health_url=$2; shift 2 ;;
    --lb-notice) need_value "$@"; lb_notice=$2; shift 2 ;;
    --notice-timeout) need_value "$@"; notice_timeout=$2; shift 2 ;;
    --drain-timeout) need_value "$@"; drain_timeout=$2; shift 2 ;;
    --health-timeout) need_value "$@"; health_timeout=$2; shift 2 ;;
    --for) need_value "$@"; window=$2; shift 2 ;;
    --flagctl) need_value "$@"; flagctl_cmd=$2; shift 2 ;;
    --) shift; hook=("$@"); break ;;
    *) die_usage "unknown option '$1'" ;;
  esac
done

[[ $health_timeout =~ ^[0-9]+$ ]] || die_usage "--health-timeout must be whole seconds, not '$health_timeout'"
[[ $lb_notice =~ ^[0-9]+(ms|s|m)?$ ]] || die_usage "--lb-notice must look like 5s, 500ms or 1m, not '$lb_notice'"
[[ $notice_timeout =~ ^[0-9]+(ms|s|m|h)$ ]] || die_usage "--notice-timeout must look like 60s or 2m, not '$notice_timeout'"
reason=${reason:-"$PROG $command by ${USER:-uid $(id -u)}"}

# flagctl reads the flag file's path from MAINTD_FLAGS when --file is not given.
if [ -n "$flags_file" ]; then
  export MAINTD_FLAGS=$flags_file
fi

flagctl() {
  # shellcheck disable=SC2086 # --flagctl may carry its own arguments, e.g. "java -jar flagctl.jar"
  $flagctl_cmd "$@"
}

step() {
  log "$1"
  shift
  "$@" || { log "failed: $*"; exit "$EXIT_STEP_FAILED"; }
}

# sleep(1) takes seconds; --lb-notice also accepts ms and m like the other durations.
sleep_duration() {
  local d=$1
  case "$d" in
    *ms) sleep "$(awk -v ms="${d%ms}" 'BEGIN { printf "%.3f", ms / 1000 }')" ;;
    *m) sleep "$(( ${d%m} * 60 ))" ;;
    *s) sleep "${d%s}" ;;
    *) sleep "$d" ;;
  esac
}

# Prints the HTTP status of the health endpoint, or 000 when nothing answers.
health_status() {
  curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$health_url" || true
}

# Waits, at most --health-timeout seconds, until the health endpoint answers one of the codes.
await_health() {
  local want=$1 what=$2 deadline=$((SECONDS + health_timeout)) code
  while :; do
    code=$(health_status)
    if [[ " $want " == *" $code "* ]]; then
      log "$what (GET $health_url: $code)"
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "gave up after ${health_timeout}s waiting for: $what (GET $health_url: last status $code)"
      return 1
    fi
    sleep 0.5
  done
}

run_hook() {
  if [ ${#hook[@]} -gt 0 ]; then
    step "running hook: ${hook[*]}" "${hook[@]}"
  fi
}

# Waits until every load balancer probing the daemon has been told the mode the flags ask for.
# Returns 0 when they noticed, 1 when no balancer probes the daemon (after the --lb-notice
# fallback sleep); exits when they did not notice in time. (This script calls /healthz only
# after it: the daemon counts any caller of /healthz as one more balancer to tell.)
await_noticed() {
  local what=$1 code=0
  log "waiting up to $notice_timeout for the load balancers to notice $what"
  flagctl wait noticed --timeout "$notice_timeout" >&2 || code=$?
  case "$code" in
    0) log "the load balancers noticed $what"; return 0 ;;
    "$FLAGCTL_NO_BALANCER")
      log "no load balancer probes this instance; giving any other $lb_notice (--lb-notice) to see $what"
      sleep_duration "$lb_notice"
      return 1 ;;
    *) log "failed: the load balancers did not notice $what (flagctl wait noticed exited $code)"
       exit "$EXIT_STEP_FAILED" ;;
  esac
}

back_into_pool() {
  local flag=$1
  step "putting the instance back: $flag 0" flagctl set "$flag" 0 --reason "$reason"
  await_health 200 "healthy, back in the pool" || exit "$EXIT_NOT_HEALTHY"
}

upgrade() {
  step "draining (reason: $reason)" flagctl set drain 1 --reason "$reason"
  await_noticed drain || true
  step "waiting up to $drain_timeout for in-flight requests to finish" \
    flagctl wait inflight --le 0 --timeout "$drain_timeout"
  run_hook
  if [ "$restart" = yes ]; then
    step "restarting $unit" systemctl restart "$unit"
  fi
  # The new process starts drained (the flag survived the restart): 503 means it is up.
  await_health 503 "the daemon answers again, still drained" || exit "$EXIT_NOT_HEALTHY"
  back_into_pool drain
}

maintenance_window() {
  step "maintenance for $window (reason: $reason)" flagctl set maint 1 --for "$window" --reason "$reason"
  if [ ${#hook[@]} -eq 0 ]; then
    log "in maintenance until the flag expires in $window; end early with: flagctl set maint 0"
    return 0
  fi
  await_noticed maint || true
  run_hook
  back_into_pool maint
}

case "$command" in
  upgrade) upgrade ;;
  maintenance-window) maintenance_window ;;
esac
