#!/bin/bash
# Boots one cloud-fidelity test host: a fresh copy of the cached Debian 12 root on its own ext4
# root disk (a loop device) with a blank data disk (/dev/sdf, a loop device: what aws-json attaches),
# its own network namespace behind a veth pair (guest 10.213.N.2/24, host side 10.213.N.1), a NoCloud
# seed holding USER_DATA_FILE byte for byte (gzip'd, as RunInstances gets it), and systemd as PID 1
# in new PID/mount/UTS/IPC namespaces, so real cloud-init runs the user data. Returns once systemd
# runs; run commands in it with `exec.sh NAME CMD…` (e.g. `cloud-init status --wait`), stop with `down.sh NAME`.
#
#   up.sh NAME INDEX USER_DATA_FILE
#
# NAME: [a-z0-9-], INDEX: 1-250 (the third octet; one per concurrently running host).
# Environment:
#   TESTHOST_S3_TARGET   host:port of the local S3 server (s3rver) the guest reaches as
#                        https://<bucket>.s3.<region>.amazonaws.com (required for S3)
#   TESTHOST_REGION      AWS region the user data uses (default us-east-1)
#   TESTHOST_BUCKETS     space-separated buckets the guest resolves (state + backup buckets)
#   TESTHOST_DATA_GIB    size of the blank data disk (default 2)
#   TESTHOST_RUN         where hosts are unpacked (default /var/tmp/elasticdash-testhost)
#   TESTHOST_CACHE       cache of the root tarball, CA and apt packages (default /var/cache/elasticdash-testhost)
#   TESTHOST_INSTANCE_ID instance id IMDS and the NoCloud meta-data report (default: a random i-…)
# Prints KEY=VALUE lines (PID, ADDRESS, HOST_ADDRESS, RUN_DIR) on success.
set -euo pipefail

NAME=${1:?usage: up.sh NAME INDEX USER_DATA_FILE}
INDEX=${2:?usage: up.sh NAME INDEX USER_DATA_FILE}
USER_DATA=${3:?usage: up.sh NAME INDEX USER_DATA_FILE}
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${TESTHOST_CACHE:-/var/cache/elasticdash-testhost}
RUN_BASE=${TESTHOST_RUN:-/var/tmp/elasticdash-testhost}
RUN="$RUN_BASE/$NAME"
REGION=${TESTHOST_REGION:-us-east-1}
DATA_GIB=${TESTHOST_DATA_GIB:-2}
NODE=${TESTHOST_NODE:-$(command -v node)}
NS="edth-$NAME"
VETH="edth$INDEX"
NET="10.213.$INDEX"

fail() { echo "testhost: $*" >&2; exit 2; }
log() { echo "testhost[$NAME]: $*" >&2; }
[[ "$NAME" =~ ^[a-z0-9-]{1,20}$ ]] || fail "NAME must be 1-20 of [a-z0-9-]"
[[ "$INDEX" =~ ^[0-9]+$ ]] && [ "$INDEX" -ge 1 ] && [ "$INDEX" -le 250 ] || fail "INDEX must be 1-250"
[ -r "$USER_DATA" ] || fail "cannot read the user data file $USER_DATA"
[[ "${TESTHOST_INSTANCE_ID:-i-00000000}" =~ ^i-[0-9a-f]{8,17}$ ]] || fail "TESTHOST_INSTANCE_ID must be i- and 8-17 hex digits"
[ "$(id -u)" = 0 ] || fail "the test host needs root (namespaces, loop devices, veth)"
for tool in unshare nsenter ip losetup mkfs.ext4 openssl tar; do command -v "$tool" >/dev/null || fail "$tool is missing"; done
[ -n "$NODE" ] || fail "node is missing"
[ -e /dev/loop-control ] || fail "no loop device support (/dev/loop-control)"

# A stale host of the same name (a killed test run) is removed first.
if [ -e "$RUN" ] || ip netns list | grep -qw "$NS"; then "$HERE/down.sh" "$NAME" >/dev/null 2>&1 || true; fi
TARBALL=$("$HERE/build-root.sh" | tail -n 1)
START=$(date +%s)
mkdir -p "$RUN"
echo "$INDEX" >"$RUN/index"

# --- root disk: the cached root, customised for this boot, as an ext4 image on a loop device -----
TREE="$RUN/tree"
mkdir -p "$TREE"
tar -C "$TREE" --numeric-owner -xf "$TARBALL"
INSTANCE_ID=${TESTHOST_INSTANCE_ID:-"i-$(head -c 8 /dev/urandom | od -An -tx1 | tr -d ' \n')"}
SEED="$TREE/var/lib/cloud/seed/nocloud"
mkdir -p "$SEED"
cp "$USER_DATA" "$SEED/user-data"
cp "$USER_DATA" "$RUN/user-data"
printf 'instance-id: %s\nlocal-hostname: %s\n' "$INSTANCE_ID" "$NS" >"$SEED/meta-data"
cat >"$TREE/etc/cloud/cloud.cfg.d/91-elasticdash-testhost-boot.cfg" <<'EOF'
# ElasticDash test host, per boot: the network is configured from outside (static address on the
# veth, like a VPC's DHCP lease), /etc/hosts carries the S3 names, and the root disk is made to
# size, so these cloud-init modules have nothing to do here.
network: {config: disabled}
manage_etc_hosts: false
growpart: {mode: "off"}
resize_rootfs: false
EOF
# The "VPC": apt through the host's apt proxy, S3 names resolving to the host side of the veth,
# and the test host CA trusted (the S3 front's certificate is issued by it).
echo "Acquire::http::Proxy \"http://$NET.1:3142\";" >"$TREE/etc/apt/apt.conf.d/90elasticdash-testhost-proxy"
{
  echo "127.0.0.1 localhost"
  echo "127.0.1.1 $NS"
  names="s3.amazonaws.com s3.$REGION.amazonaws.com"
  for b in ${TESTHOST_BUCKETS:-}; do names="$names $b.s3.amazonaws.com $b.s3.$REGION.amazonaws.com"; done
  echo "$NET.1 $names"
} >"$TREE/etc/hosts"
: >"$TREE/etc/resolv.conf"

# Host protection: units that would change this machine's kernel (sysctl, binfmt, modules, pstore)
# or need hardware (udev, getty, clock) are masked; the guest shares the host's kernel.
for unit in systemd-sysctl.service systemd-binfmt.service proc-sys-fs-binfmt_misc.automount \
  systemd-modules-load.service kmod-static-nodes.service systemd-pstore.service systemd-udevd.service \
  systemd-udev-trigger.service systemd-udev-settle.service getty@tty1.service serial-getty@ttyS0.service \
  systemd-timesyncd.service systemd-remount-fs.service; do
  ln -sf /dev/null "$TREE/etc/systemd/system/$unit"
done

if [ ! -s "$CACHE/ca.pem" ]; then
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=ElasticDash test host CA" \
    -keyout "$CACHE/ca.key" -out "$CACHE/ca.pem" >/dev/null 2>&1
  chmod 0600 "$CACHE/ca.key"
fi
SAN="DNS:s3.amazonaws.com,DNS:*.s3.amazonaws.com,DNS:s3.$REGION.amazonaws.com,DNS:*.s3.$REGION.amazonaws.com"
openssl req -newkey rsa:2048 -nodes -subj "/CN=s3.$REGION.amazonaws.com" -keyout "$RUN/s3.key" -out "$RUN/s3.csr" >/dev/null 2>&1
openssl x509 -req -in "$RUN/s3.csr" -CA "$CACHE/ca.pem" -CAkey "$CACHE/ca.key" -CAcreateserial -days 7 \
  -extfile <(echo "subjectAltName=$SAN") -out "$RUN/s3.pem" >/dev/null 2>&1
cp "$CACHE/ca.pem" "$TREE/usr/local/share/ca-certificates/elasticdash-testhost-ca.crt"
chroot "$TREE" update-ca-certificates >/dev/null 2>&1 || fail "update-ca-certificates failed in the root"

truncate -s 4G "$RUN/root.img"
mkfs.ext4 -q -F -L root -d "$TREE" "$RUN/root.img" || fail "mkfs.ext4 -d could not build the root disk"
rm -rf "$TREE"
ROOT_DEV=$(losetup -f --show "$RUN/root.img")
echo "$ROOT_DEV" >"$RUN/root.loop"
truncate -s "${DATA_GIB}G" "$RUN/data.img"
DATA_DEV=$(losetup -f --show "$RUN/data.img")
echo "$DATA_DEV" >"$RUN/data.loop"
log "root disk $ROOT_DEV, data disk $DATA_DEV (as /dev/sdf) ready in $(($(date +%s) - START)) s"

# --- network: own namespace, veth to the host, metadata address on the guest's loopback -----------
ip netns add "$NS"
ip link add "$VETH" type veth peer name eth0 netns "$NS"
ip addr add "$NET.1/24" dev "$VETH"
ip link set "$VETH" up
ip -n "$NS" link set lo up
ip -n "$NS" addr add 169.254.169.254/32 dev lo
ip -n "$NS" addr add "$NET.2/24" dev eth0
ip -n "$NS" link set eth0 up
ip -n "$NS" route add default via "$NET.1"

# --- stand-ins: IMDSv2 (inside the guest's namespace), apt proxy and S3 TLS front (host side) -------
start_bg() { # name, command...
  local name=$1
  shift
  setsid "$@" >"$RUN/$name.log" 2>&1 </dev/null &
  echo $! >"$RUN/$name.pid"
}
start_bg imds ip netns exec "$NS" "$NODE" "$HERE/imds.mjs" --address 169.254.169.254 --port 80 \
  --instance-id "$INSTANCE_ID" --region "$REGION" --user-data "$RUN/user-data"
start_bg apt-proxy "$NODE" "$HERE/apt-proxy.mjs" --address "$NET.1" --port 3142 --cache "$CACHE/apt"
if [ -n "${TESTHOST_S3_TARGET:-}" ]; then
  start_bg s3-front "$NODE" "$HERE/s3-front.mjs" --address "$NET.1" --port 443 --cert "$RUN/s3.pem" \
    --key "$RUN/s3.key" --target "$TESTHOST_S3_TARGET"
fi
for svc in imds apt-proxy ${TESTHOST_S3_TARGET:+s3-front}; do
  for _ in $(seq 1 100); do grep -q listening "$RUN/$svc.log" 2>/dev/null && break; sleep 0.1; done
  grep -q listening "$RUN/$svc.log" || fail "$svc did not start: $(cat "$RUN/$svc.log")"
done

# --- boot: systemd as PID 1 of new PID/mount/UTS/IPC namespaces inside the guest's network namespace.
# /dev is a small tmpfs with only the usual nodes plus the guest's two disks (the host's disks are
# not visible); /dev/console is /dev/null. --kill-child: when unshare dies, PID 1 gets SIGKILL and
# the whole namespace with it.
MNT="$RUN/mnt"
mkdir -p "$MNT"
ROOT_MINOR=$(( $(stat -c '0x%T' "$ROOT_DEV") ))
DATA_MINOR=$(( $(stat -c '0x%T' "$DATA_DEV") ))
cat >"$RUN/pid1.sh" <<EOF
#!/bin/sh
set -e
mount -o noatime "$ROOT_DEV" "$MNT"
mount -t tmpfs -o mode=0755,nosuid,size=16m tmpfs "$MNT/dev"
cd "$MNT/dev"
mknod -m 666 null c 1 3; mknod -m 666 zero c 1 5; mknod -m 666 full c 1 7
mknod -m 666 random c 1 8; mknod -m 666 urandom c 1 9; mknod -m 666 tty c 5 0
mknod -m 660 $(basename "$ROOT_DEV") b 7 $ROOT_MINOR
mknod -m 660 $(basename "$DATA_DEV") b 7 $DATA_MINOR
mknod -m 660 sdf b 7 $DATA_MINOR
# console: a null device node of its own. NOT a bind mount of the host's /dev/null: the guest's
# systemd chowns/chmods /dev/console (root:tty 0620), which would change the host's /dev/null.
mknod -m 600 console c 1 3
ln -s /proc/self/fd fd; ln -s fd/0 stdin; ln -s fd/1 stdout; ln -s fd/2 stderr; ln -s pts/ptmx ptmx
mkdir -p pts shm
cd /
mount -t proc proc "$MNT/proc"
exec chroot "$MNT" /usr/bin/env -i container=elasticdash-testhost /lib/systemd/systemd --system
EOF
chmod 0755 "$RUN/pid1.sh"
# Own cgroups: a subtree "elasticdash-testhost/NAME" under this process's cgroup in every hierarchy,
# entered before unshare --cgroup, so the guest's systemd sees it as its root: its units never land
# in this machine's cgroups (or another guest's: systemd kills whole unit cgroups), and whatever
# limits the caller's cgroup carries still apply.
python3 - "elasticdash-testhost/$NAME" >"$RUN/cgroups" <<'PY'
import sys
rel = sys.argv[1]
cur = {}
for line in open('/proc/self/cgroup'):
    _, ctrls, path = line.rstrip('\n').split(':', 2)
    cur[ctrls] = path
skip = ('rw', 'ro', 'nosuid', 'nodev', 'noexec', 'relatime', 'clone_children', 'xattr', 'noprefix',
        'cpuset_v2_mode', 'nsdelegate', 'memory_recursiveprot')
for line in open('/proc/self/mountinfo'):
    left, right = line.split(' - ', 1)
    fstype, _src, opts = right.split()[:3]
    mp = left.split()[4]
    if fstype == 'cgroup2':
        key = ''
    elif fstype == 'cgroup':
        key = ','.join(o for o in opts.split(',') if o not in skip and not o.startswith('release_agent='))
    else:
        continue
    if key in cur:
        print(mp.rstrip('/') + cur[key].rstrip('/') + '/' + rel)
PY
while read -r cg; do
  mkdir -p "$cg"
  if [ -e "$cg/cpuset.cpus" ]; then # v1 cpuset: a new group has no CPUs/memory nodes until given some
    for level in "$(dirname "$cg")" "$cg"; do
      cat "$(dirname "$level")/cpuset.cpus" >"$level/cpuset.cpus"
      cat "$(dirname "$level")/cpuset.mems" >"$level/cpuset.mems"
    done
  fi
done <"$RUN/cgroups"
cat >"$RUN/launch.sh" <<LAUNCH
#!/bin/sh
while read -r cg; do echo \$\$ >"\$cg/cgroup.procs"; done <"$RUN/cgroups"
exec nsenter --net="/run/netns/$NS" unshare --pid --mount --uts --ipc --cgroup --fork --kill-child=SIGKILL \\
  --propagation private "$RUN/pid1.sh"
LAUNCH
chmod 0755 "$RUN/launch.sh"
setsid "$RUN/launch.sh" >"$RUN/console.log" 2>&1 </dev/null &
echo $! >"$RUN/unshare.pid"
# PID of systemd (host view): the child of unshare (launch.sh execs nsenter, which execs unshare).
PID=""
for _ in $(seq 1 100); do
  PID=$(cat "/proc/$(cat "$RUN/unshare.pid")/task/"*/children 2>/dev/null | awk '{ print $1 }' | head -n 1 || true)
  if [ -n "$PID" ] && [ "$(cat "/proc/$PID/comm" 2>/dev/null)" = systemd ]; then break; fi
  sleep 0.1
done
[ -n "$PID" ] && [ "$(cat "/proc/$PID/comm" 2>/dev/null)" = systemd ] || {
  cat "$RUN/console.log" >&2
  fail "systemd did not start as PID 1 of the test host"
}
echo "$PID" >"$RUN/pid"
log "systemd is PID $PID (boot started $(($(date +%s) - START)) s after up.sh)"
echo "PID=$PID"
echo "ADDRESS=$NET.2"
echo "HOST_ADDRESS=$NET.1"
echo "RUN_DIR=$RUN"
echo "INSTANCE_ID=$INSTANCE_ID"
