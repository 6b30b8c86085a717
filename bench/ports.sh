# Loopback port helpers for the bench scripts; source it.

# A port free on 127.0.0.1 at this moment.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# True when something accepts connections on 127.0.0.1:$1.
accepts() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Waits up to 20 s for 127.0.0.1:$1 to accept; else names $2 and exits 1.
await_port() {
  for _ in $(seq 1 400); do
    if accepts "$1"; then return 0; fi
    sleep 0.05
  done
  echo "${0##*/}: $2 did not listen on $1" >&2
  exit 1
}
