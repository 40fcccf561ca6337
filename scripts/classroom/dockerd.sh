#!/usr/bin/env bash
# A Docker daemon of Streamlab's own for the classroom checks, with its images, containers and socket
# under the cache directory, so it never touches (or is touched by) a system daemon.
#   scripts/classroom/dockerd.sh start    starts it unless it answers already; prints STREAMLAB_DOCKER_HOST=…
#   scripts/classroom/dockerd.sh stop     stops it and waits until it has exited
#   scripts/classroom/dockerd.sh env      prints STREAMLAB_DOCKER_HOST=… for `eval`/`export`
# Needs root and Debian's docker.io package (dockerd, containerd, runc).
set -euo pipefail

root="${STREAMLAB_CACHE_DIR:-$HOME/.cache/streamlab}/docker"
socket="$root/docker.sock"
pidfile="$root/dockerd.pid"
export DOCKER_HOST="unix://$socket"

answers() { docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }

case "${1:-}" in
  start)
    if answers; then echo "STREAMLAB_DOCKER_HOST=$DOCKER_HOST"; exit 0; fi
    command -v dockerd >/dev/null || { echo "dockerd is missing: apt-get install docker.io" >&2; exit 1; }
    mkdir -p "$root/data" "$root/exec"
    # setsid: the daemon outlives this script but not a `stop`; its log stays beside its data.
    setsid dockerd --data-root "$root/data" --exec-root "$root/exec" --host "$DOCKER_HOST" \
      --pidfile "$pidfile" >"$root/dockerd.log" 2>&1 < /dev/null &
    for _ in $(seq 1 120); do
      if answers; then echo "STREAMLAB_DOCKER_HOST=$DOCKER_HOST"; exit 0; fi
      if ! kill -0 $! 2>/dev/null; then break; fi
      sleep 0.5
    done
    echo "dockerd did not answer on $socket; its log:" >&2
    tail -n 30 "$root/dockerd.log" >&2
    exit 1
    ;;
  stop)
    [[ -f "$pidfile" ]] || exit 0
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
      kill "$pid"
      for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      if kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; fi
    fi
    rm -f "$pidfile"
    ;;
  env)
    echo "STREAMLAB_DOCKER_HOST=$DOCKER_HOST"
    ;;
  *)
    echo "usage: $0 start|stop|env" >&2
    exit 2
    ;;
esac
