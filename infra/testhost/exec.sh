#!/bin/bash
# Runs a command inside a running test host (all its namespaces and its root), like `ssh` would:
#   exec.sh NAME cloud-init status --wait
#   exec.sh NAME journalctl -u cloud-final --no-pager
set -euo pipefail
NAME=${1:?usage: exec.sh NAME CMD...}
shift
PID=$(cat "${TESTHOST_RUN:-/var/tmp/elasticdash-testhost}/$NAME/pid")
exec nsenter -t "$PID" -m -u -i -n -p -r -w /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
