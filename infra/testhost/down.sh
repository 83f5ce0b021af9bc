#!/bin/bash
# Tears down one test host started by up.sh: SIGKILL to its PID 1 (systemd ignores SIGTERM; the
# PID namespace and every process in it end with it), the stand-ins, the loop devices, the
# network namespace (which removes the veth pair) and the run directory. Safe to run twice.
#
#   down.sh NAME [--keep]     --keep: leave the run directory (root.img, logs) for inspection
set -uo pipefail
NAME=${1:?usage: down.sh NAME [--keep]}
RUN="${TESTHOST_RUN:-/var/tmp/elasticdash-testhost}/$NAME"
NS="edth-$NAME"
INDEX=$(cat "$RUN/index" 2>/dev/null || true)

kill_pidfile() { # file, signal
  local pid
  pid=$(cat "$1" 2>/dev/null) || return 0
  [ -n "$pid" ] && kill "-$2" "$pid" 2>/dev/null
  for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null
}
kill_pidfile "$RUN/pid" KILL
kill_pidfile "$RUN/unshare.pid" KILL
for svc in imds apt-proxy s3-front; do kill_pidfile "$RUN/$svc.pid" TERM; done
# The namespace's mounts (root disk, /dev, proc) go away with its last process; wait for that
# before detaching the loop devices.
for dev in root data; do
  loop=$(cat "$RUN/$dev.loop" 2>/dev/null) || continue
  for _ in $(seq 1 50); do losetup -d "$loop" 2>/dev/null && break; sleep 0.2; done
done
ip netns del "$NS" 2>/dev/null
# The guest's cgroup subtrees (see up.sh), deepest first; its processes are gone by now.
if [ -r "$RUN/cgroups" ]; then
  while read -r cg; do
    [ -d "$cg" ] || continue
    for _ in 1 2 3 4 5; do
      find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null
      [ -d "$cg" ] || break
      sleep 0.5
    done
    rmdir "$(dirname "$cg")" 2>/dev/null # elasticdash-testhost/, when no other host uses it
  done <"$RUN/cgroups"
fi
[ -n "$INDEX" ] && ip link del "edth$INDEX" 2>/dev/null
if [ "${2:-}" != --keep ]; then rm -rf "$RUN"; fi
exit 0
