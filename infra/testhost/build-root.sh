#!/bin/bash
# Builds the cached Debian 12 (bookworm) root of the cloud-fidelity test host, once per machine:
# debootstrap minbase + systemd + cloud-init, the NoCloud datasource, and the .debs the user data
# installs pre-downloaded into /var/cache/apt/archives (apt still runs `apt-get update` and
# `apt-get install` on every boot, as on EC2; it just finds the archives already there).
#
# Output: $TESTHOST_CACHE/bookworm-cloudinit.tar (default /var/cache/elasticdash-testhost), written
# atomically; a second run returns at once unless TESTHOST_REBUILD=1. Needs root, debootstrap and
# a Debian mirror (the first http URI of the machine's apt sources, or TESTHOST_MIRROR).
# Exit codes: 0 built or cached, 2 missing prerequisite (message on stderr), other = build failed.
set -euo pipefail

CACHE=${TESTHOST_CACHE:-/var/cache/elasticdash-testhost}
TARBALL="$CACHE/bookworm-cloudinit.tar"
# Bump when the content below changes, so cached roots of older kits are rebuilt.
KIT_VERSION=1
# What the image carries besides minbase: what Debian's cloud images have that the user data
# relies on without installing it (cloud-init, python3 via cloud-init, e2fsprogs for mkfs.ext4,
# util-linux for lsblk/findmnt/blkid, iproute2).
INCLUDE=systemd,systemd-sysv,dbus,iproute2,ca-certificates,locales,e2fsprogs,util-linux,procps
# What the user data installs (user-data.ts), pre-fetched so boots do not download them again.
USER_DATA_PACKAGES="ca-certificates postgresql-common python3 python3-boto3 cron postgresql-15 postgresql-client-15"

fail() { echo "testhost: $*" >&2; exit 2; }
log() { echo "testhost: $*" >&2; }

[ "$(id -u)" = 0 ] || fail "building the test host root needs root (uid 0)"
command -v debootstrap >/dev/null || fail "debootstrap is not installed (apt-get install -y debootstrap)"
command -v flock >/dev/null || fail "flock (util-linux) is missing"

mkdir -p "$CACHE"
exec 9>"$CACHE/.build.lock"
flock 9
if [ -s "$TARBALL" ] && [ "$(cat "$CACHE/bookworm-cloudinit.version" 2>/dev/null)" = "$KIT_VERSION" ] && [ "${TESTHOST_REBUILD:-0}" != 1 ]; then
  echo "$TARBALL"
  exit 0
fi

mirror() {
  if [ -n "${TESTHOST_MIRROR:-}" ]; then echo "$TESTHOST_MIRROR"; return; fi
  local m
  m=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' | grep -E '^http://.*/debian/?$' | head -n 1 || true)
  [ -n "$m" ] || m=$(grep -hE '^deb +http://[^ ]+/debian/? +bookworm' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null | awk '{ print $2 }' | head -n 1 || true)
  echo "$m"
}
MIRROR=$(mirror)
[ -n "$MIRROR" ] || fail "no Debian mirror found in the apt sources; set TESTHOST_MIRROR"

BUILD=$(mktemp -d "$CACHE/build.XXXXXX")
cleanup() {
  for m in proc dev/pts dev sys; do umount "$BUILD/root/$m" 2>/dev/null || true; done
  rm -rf "$BUILD"
}
trap cleanup EXIT
ROOT="$BUILD/root"
START=$(date +%s)
log "debootstrap bookworm from $MIRROR into $ROOT"
debootstrap --variant=minbase --include="$INCLUDE" bookworm "$ROOT" "$MIRROR" >"$BUILD/debootstrap.log" 2>&1 || {
  tail -n 20 "$BUILD/debootstrap.log" >&2
  fail "debootstrap failed (mirror $MIRROR)"
}
log "debootstrap done in $(($(date +%s) - START)) s"

# apt inside the chroot: the same sources EC2's Debian images use (bookworm, -updates, -security).
SECURITY=${TESTHOST_SECURITY_MIRROR:-${MIRROR%/debian*}/debian-security}
cat >"$ROOT/etc/apt/sources.list" <<EOF
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb $SECURITY bookworm-security main
EOF
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
printf '#!/bin/sh\nexit 101\n' >"$ROOT/usr/sbin/policy-rc.d"
chmod 0755 "$ROOT/usr/sbin/policy-rc.d"
mount -t proc proc "$ROOT/proc"
in_root() { chroot "$ROOT" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }
in_root apt-get -q update >"$BUILD/apt.log" 2>&1 || { tail -n 20 "$BUILD/apt.log" >&2; fail "apt-get update failed in the root"; }
log "installing cloud-init"
in_root apt-get -q install -y --no-install-recommends cloud-init >>"$BUILD/apt.log" 2>&1 || {
  tail -n 20 "$BUILD/apt.log" >&2
  fail "installing cloud-init failed"
}
log "pre-fetching the user data's packages: $USER_DATA_PACKAGES"
# shellcheck disable=SC2086
in_root apt-get -q install -y --no-install-recommends --download-only $USER_DATA_PACKAGES >>"$BUILD/apt.log" 2>&1 || {
  tail -n 20 "$BUILD/apt.log" >&2
  fail "downloading the user data's packages failed"
}
umount "$ROOT/proc"

# Image configuration (what an AMI bakes in): en_US.UTF-8 locale, NoCloud as the datasource,
# no policy-rc.d, no resolv.conf of this machine, an empty machine-id (first boot makes one).
sed -i 's/^# *en_US.UTF-8/en_US.UTF-8/' "$ROOT/etc/locale.gen"
in_root locale-gen >/dev/null
echo 'LANG=en_US.UTF-8' >"$ROOT/etc/default/locale"
cat >"$ROOT/etc/cloud/cloud.cfg.d/90-elasticdash-testhost.cfg" <<'EOF'
# ElasticDash test host: the user data comes from a NoCloud seed (/var/lib/cloud/seed/nocloud).
datasource_list: [ NoCloud, None ]
EOF
rm -f "$ROOT/usr/sbin/policy-rc.d" "$ROOT/etc/resolv.conf"
: >"$ROOT/etc/machine-id"
echo "elasticdash-testhost $KIT_VERSION built $(date -u +%Y-%m-%dT%H:%M:%SZ) from $MIRROR" >"$ROOT/etc/elasticdash-testhost"
log "packing the root"
tar -C "$ROOT" --numeric-owner -cf "$BUILD/root.tar" .
mv "$BUILD/root.tar" "$TARBALL"
echo "$KIT_VERSION" >"$CACHE/bookworm-cloudinit.version"
log "root ready in $(($(date +%s) - START)) s: $TARBALL ($(du -h "$TARBALL" | cut -f1))"
echo "$TARBALL"
