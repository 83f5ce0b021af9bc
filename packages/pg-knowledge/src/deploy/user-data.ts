import type { TFieldIssue } from '@elasticdash/contracts/platform/errors';
import type { TOsFamily } from '@elasticdash/contracts/plans/cs-json';
import { AGENT_SCRIPT, agentCommand, systemdEnvironment } from './agent.js';
import type { TDesiredConfig } from './desired-config.js';
import { ZDesiredConfig } from './desired-config.js';
import { APT_CODENAMES, PGDG_KEY_PATH, PGDG_URL, postgresPackagesFor } from './packages.js';
import { isScramVerifier } from './scram.js';

/*
 * cloud-init user data for a PostgreSQL host (Debian 12, Ubuntu 22.04 / 24.04).
 *
 * Format: a `#!/bin/bash` script rather than `#cloud-config`: the steps have a strict order
 * (install → mount → cluster → agent → role) with `set -euo pipefail` stopping at the first error,
 * embedded files are quoted heredocs (no YAML indentation/escaping of scripts), the same text can be
 * checked with `bash -n` in unit tests, and cloud-init runs it once per instance. Files are written
 * with quoted heredocs, which never echo their content to cloud-init-output.log; the script never
 * enables xtrace.
 *
 * Secrets: the admin password never reaches the instance. The deployer keeps it in its SecretStore
 * and passes only its SCRAM-SHA-256 verifier (scram.ts), written under umask 077 to
 * /run/elasticdash/admin-password (tmpfs, never on disk), read once by the agent (CREATE/ALTER ROLE
 * … PASSWORD '<verifier>') and deleted. Trade-off: EC2 user data stays readable from the instance
 * metadata service (IMDSv2 is required by aws-json, but any local process can fetch a token) and by
 * IAM principals allowed ec2:DescribeInstanceAttribute, and cloud-init keeps a root-only copy under
 * /var/lib/cloud. What they can read is the verifier, i.e. a salted 4096-round hash of a long random
 * password, not the password; rotating the password later goes through the desired config path,
 * not user data.
 *
 * Re-deploys never change user data: the agent timer fetches the desired config from S3 every
 * minute and applies it in place (agent.ts).
 */

export const USER_DATA_LIMIT_BYTES = 16 * 1024;
export const DATA_VOLUME_LABEL = 'pgdata';
export const INSTALL_DIR = '/usr/local/lib/elasticdash';
export const STATE_DIR = '/var/lib/elasticdash';
export const ADMIN_PASSWORD_FILE = '/run/elasticdash/admin-password';
export const BACKUP_CRON_FILE = '/etc/cron.d/elasticdash-backup';
/**
 * Port of the cluster the distribution's postgresql-<major> package creates on a fresh host
 * (pg_createcluster takes the first free port from 5432). The agent's first run must find the
 * server there before it moves it to the plan's port; later runs use the port of the last applied
 * run (status.json), then this one, then the desired port. Found by the cloud-fidelity run
 * (docs/cloud-fidelity.md): with only the plan's port the first run never reached the server.
 */
export const PACKAGED_CLUSTER_PORT = 5432;

export interface TS3Location {
  bucket: string;
  key: string;
  region: string;
}

export interface TUserDataInput {
  osFamily: TOsFamily;
  osVersion: string;
  desired: TDesiredConfig;
  /** SCRAM-SHA-256 verifier of the admin password (never the password itself). */
  adminPasswordVerifier: string;
  /** Where the agent fetches the desired config from; the status goes to `<key>.status.json`. */
  desiredConfigS3: TS3Location;
  /** Device name of the data volume (`/dev/sdf`), or null to keep the data on the root volume. */
  dataVolumeDevice: string | null;
  deploymentId: string;
}

export type TUserDataResult = { ok: true; userData: string } | { ok: false; errors: TFieldIssue[] };

/** Single-quotes a value for bash. */
export function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * The python helper installed as s3tool.py: `s3tool.py <get|put|put-stream|prune> <region> …` with
 * boto3 (python3-boto3); an unknown command exits non-zero (callers treat a silent exit 0 as done).
 */
export const S3_TOOL = `import datetime, os, sys
import boto3
from botocore.exceptions import ClientError

def client(region):
    return boto3.client('s3', region_name=region)

cmd, region = sys.argv[1], sys.argv[2]
s3 = client(region)
if cmd == 'get':
    bucket, key, dest = sys.argv[3:6]
    etag_file = dest + '.etag'
    etag = open(etag_file).read().strip() if os.path.exists(etag_file) else ''
    try:
        kw = {'IfNoneMatch': etag} if etag and os.path.exists(dest) else {}
        obj = s3.get_object(Bucket=bucket, Key=key, **kw)
    except ClientError as e:
        code = e.response.get('Error', {}).get('Code', '')
        if code in ('304', 'NotModified'):
            sys.exit(0)
        raise
    tmp = dest + '.tmp'
    with open(tmp, 'wb') as f:
        f.write(obj['Body'].read())
    os.replace(tmp, dest)
    with open(etag_file, 'w') as f:
        f.write(obj['ETag'])
elif cmd == 'put':
    src, bucket, key = sys.argv[3:6]
    s3.upload_file(src, bucket, key, ExtraArgs={'ServerSideEncryption': 'AES256'})
elif cmd == 'put-stream':
    bucket, key = sys.argv[3:5]
    s3.upload_fileobj(sys.stdin.buffer, bucket, key, ExtraArgs={'ServerSideEncryption': 'AES256'})
elif cmd == 'prune':
    bucket, prefix, days = sys.argv[3], sys.argv[4], int(sys.argv[5])
    cutoff = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=days)
    old = []
    for page in s3.get_paginator('list_objects_v2').paginate(Bucket=bucket, Prefix=prefix):
        for o in page.get('Contents', []):
            if o['LastModified'] < cutoff and (o['Key'].endswith('.dump') or o['Key'].endswith('.sql')):
                old.append({'Key': o['Key']})
    for i in range(0, len(old), 1000):
        s3.delete_objects(Bucket=bucket, Delete={'Objects': old[i:i + 1000], 'Quiet': True})
    print('pruned %d backup objects older than %d days' % (len(old), days))
else:
    sys.exit('s3tool.py: unknown command %r (usage: s3tool.py get|put|put-stream|prune REGION ...)' % cmd)
`;

/**
 * The backup script run by cron: pg_dump -Fc of every non-template database (and pg_dumpall
 * --globals-only for roles) streamed to s3://bucket/<prefix><db>/<UTC timestamp>.dump with SSE,
 * then deletes backup objects older than retentionDays. Reads bucket/prefix/region/retention from
 * the desired config at run time, so a re-deploy changes them in place.
 */
export const BACKUP_SCRIPT = `#!/bin/bash
set -euo pipefail
DESIRED=${STATE_DIR}/desired.json
read -r BUCKET PREFIX REGION DAYS < <(python3 -c 'import json,sys; b=json.load(open(sys.argv[1]))["backups"]; s=b["s3"] or {}; print(s.get("bucket","-"), s.get("prefix","") or "-", s.get("region","-"), b["retentionDays"]) if b["enabled"] and s else print("- - - 0")' "$DESIRED")
if [ "$BUCKET" = - ]; then echo "backups disabled"; exit 0; fi
[ "$PREFIX" = - ] && PREFIX=''
PORT=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["postgres"]["port"])' "$DESIRED")
TS=$(date -u +%Y%m%dT%H%M%SZ)
S3=(python3 ${INSTALL_DIR}/s3tool.py)
runuser -u postgres -- pg_dumpall -p "$PORT" --globals-only | "\${S3[@]}" put-stream "$REGION" "$BUCKET" "\${PREFIX}_globals/$TS.sql"
for DB in $(runuser -u postgres -- psql -p "$PORT" -XAtc "select datname from pg_database where not datistemplate and datname <> 'postgres'"); do
  runuser -u postgres -- pg_dump -p "$PORT" -Fc -d "$DB" | "\${S3[@]}" put-stream "$REGION" "$BUCKET" "\${PREFIX}$DB/$TS.dump"
  echo "backed up $DB to s3://$BUCKET/\${PREFIX}$DB/$TS.dump"
done
"\${S3[@]}" prune "$REGION" "$BUCKET" "$PREFIX" "$DAYS"
`;

function heredoc(path: string, mode: string, content: string, marker: string): string {
  if (content.split('\n').includes(marker)) throw new Error(`content of ${path} contains its heredoc marker`);
  const body = content.endsWith('\n') ? content : `${content}\n`;
  return `install -d -m 0755 "$(dirname ${shq(path)})"\ncat >${shq(path)} <<'${marker}'\n${body}${marker}\nchmod ${mode} ${shq(path)}\n`;
}

/** Generates the user data, or errors naming the field (unsupported OS, bad verifier, …). */
export function renderUserData(input: TUserDataInput): TUserDataResult {
  const errors: TFieldIssue[] = [];
  const { desired } = input;
  const major = desired.postgres.majorVersion;
  if (input.osFamily === 'amazon-linux') {
    errors.push({
      path: 'os.family',
      message: `user data for Amazon Linux ${input.osVersion} is not supported yet (only Debian 12 and Ubuntu 22.04 / 24.04)`,
    });
    return { ok: false, errors };
  }
  const pkgs = postgresPackagesFor(input.osFamily, input.osVersion, major);
  if (!pkgs.ok) return { ok: false, errors: [{ path: 'os.version', message: pkgs.reason }] };
  const codename = APT_CODENAMES[`${input.osFamily}/${input.osVersion}`];
  if (!isScramVerifier(input.adminPasswordVerifier)) {
    errors.push({
      path: 'adminPasswordVerifier',
      message: 'pass the SCRAM-SHA-256 verifier of the admin password (scramSha256Verifier), never the password',
    });
  }
  const parsed = ZDesiredConfig.safeParse(desired);
  if (!parsed.success) errors.push(...parsed.issues.map((i) => ({ path: `desired.${i.path}`, message: i.message })));
  if (errors.length > 0 || !codename) return { ok: false, errors };

  const s3 = input.desiredConfigS3;
  const s3tool = `python3 ${INSTALL_DIR}/s3tool.py`;
  const cluster = `${major}-main`;
  const agent = agentCommand({
    desired: `${STATE_DIR}/desired.json`,
    status: `${STATE_DIR}/status.json`,
    script: `${INSTALL_DIR}/agent`,
    psql: 'runuser -u postgres -- psql',
    port: PACKAGED_CLUSTER_PORT,
    restartCommand: `systemctl restart postgresql@${cluster}`,
    confDir: `/etc/postgresql/${major}/main/conf.d`,
    pgBinDir: `/usr/lib/postgresql/${major}/bin`,
    adminPasswordFile: ADMIN_PASSWORD_FILE,
    backupCronFile: BACKUP_CRON_FILE,
    backupCommand: `${INSTALL_DIR}/backup >>/var/log/elasticdash-backup.log 2>&1`,
    preCommand: `${s3tool} get ${s3.region} ${s3.bucket} ${s3.key} ${STATE_DIR}/desired.json`,
    postCommand: `${s3tool} put ${s3.region} ${STATE_DIR}/status.json ${s3.bucket} ${s3.key}.status.json`,
    python: '/usr/bin/python3',
  });
  const service = [
    '[Unit]',
    'Description=ElasticDash agent: apply the desired PostgreSQL config',
    `After=network-online.target postgresql@${cluster}.service`,
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=oneshot',
    ...systemdEnvironment(agent.env),
    `ExecStart=${agent.argv.join(' ')}`,
    '',
  ].join('\n');
  const timer = [
    '[Unit]',
    'Description=Run the ElasticDash agent every minute',
    '',
    '[Timer]',
    'OnBootSec=30s',
    'OnUnitActiveSec=60s',
    '',
    '[Install]',
    'WantedBy=timers.target',
    '',
  ].join('\n');

  const header = [
    '#!/bin/bash',
    `# ElasticDash PostgreSQL host, deployment ${input.deploymentId}. Generated; do not edit.`,
    '# Never enable xtrace here: this output goes to /var/log/cloud-init-output.log.',
    'set -euo pipefail',
    'umask 022',
    'export DEBIAN_FRONTEND=noninteractive',
    `MAJOR=${major}`,
    `PG_SOURCE=${pkgs.source}`,
    `PG_PACKAGES=${shq(pkgs.packages.join(' '))}`,
    `CODENAME=${codename}`,
    `DATA_DEVICE=${shq(input.dataVolumeDevice ?? '')}`,
    `DATA_LABEL=${DATA_VOLUME_LABEL}`,
    `BACKUPS=${desired.backups.enabled ? 1 : 0}`,
    'log() { printf "elasticdash: %s\\n" "$*"; }',
    '',
  ].join('\n');

  const secret = [
    '# Admin password verifier: tmpfs, 0600, never printed. The agent deletes it once the role has it',
    '# (kept until then, so a failed first run can still set the password on the next timer run).',
    'install -d -m 0700 /run/elasticdash',
    '(',
    '  umask 077',
    `  cat >${ADMIN_PASSWORD_FILE} <<'ELASTICDASH_SECRET'`,
    input.adminPasswordVerifier,
    'ELASTICDASH_SECRET',
    ')',
    '',
  ].join('\n');

  const install = `log "installing packages (PostgreSQL $MAJOR from $PG_SOURCE: ${pkgs.reason})"
apt_get() { for i in 1 2 3 4 5; do apt-get -q -o DPkg::Lock::Timeout=120 "$@" && return 0; sleep 10; done; return 1; }
apt_get update
apt_get install -y --no-install-recommends ca-certificates postgresql-common python3 python3-boto3 cron
if [ "$PG_SOURCE" = pgdg ]; then
  log "adding the PGDG apt repository for $CODENAME"
  echo "deb [signed-by=${PGDG_KEY_PATH}] ${PGDG_URL} $CODENAME-pgdg main" >/etc/apt/sources.list.d/pgdg.list
  apt_get update
fi
grep -q '^initdb_options' /etc/postgresql-common/createcluster.conf || echo "initdb_options = '--data-checksums'" >>/etc/postgresql-common/createcluster.conf

if [ -n "$DATA_DEVICE" ]; then
  log "preparing the data volume"
  DEV=""
  ALT=$(echo "$DATA_DEVICE" | sed 's#^/dev/sd#/dev/xvd#')
  ROOT_DISK=$(lsblk -no PKNAME "$(findmnt -no SOURCE /)" | head -n 1)
  for _ in $(seq 1 90); do
    if [ -e "/dev/disk/by-label/$DATA_LABEL" ]; then DEV=$(readlink -f "/dev/disk/by-label/$DATA_LABEL"); break; fi
    for C in "$DATA_DEVICE" "$ALT"; do if [ -b "$C" ]; then DEV=$(readlink -f "$C"); break 2; fi; done
    # Nitro instances name EBS volumes nvme*: take the one disk that is not the root disk and is blank.
    for D in $(lsblk -dnpo NAME,TYPE | awk '$2 == "disk" { print $1 }'); do
      [ "$(basename "$D")" = "$ROOT_DISK" ] && continue
      if [ "$(lsblk -n "$D" | wc -l)" = 1 ] && [ -z "$(blkid -o value -s TYPE "$D" || true)" ]; then DEV=$D; break 2; fi
    done
    sleep 2
  done
  [ -n "$DEV" ] || { log "the data volume $DATA_DEVICE did not appear"; exit 1; }
  if [ -z "$(blkid -o value -s TYPE "$DEV" || true)" ]; then mkfs.ext4 -q -L "$DATA_LABEL" "$DEV"; fi
  mkdir -p /var/lib/postgresql
  grep -q "^LABEL=$DATA_LABEL " /etc/fstab || echo "LABEL=$DATA_LABEL /var/lib/postgresql ext4 defaults,noatime,nofail 0 2" >>/etc/fstab
  mountpoint -q /var/lib/postgresql || mount /var/lib/postgresql
  chown postgres:postgres /var/lib/postgresql
fi

# shellcheck disable=SC2086
apt_get install -y --no-install-recommends $PG_PACKAGES
# The package creates $MAJOR/main; create it if it did not, stop and disable any other cluster.
pg_lsclusters -h | awk '{ print $1, $2 }' | while read -r V N; do
  if [ "$V/$N" != "$MAJOR/main" ]; then
    log "stopping the extra cluster $V/$N"
    pg_ctlcluster --force "$V" "$N" stop || true
    echo manual >"/etc/postgresql/$V/$N/start.conf"
  fi
done
pg_lsclusters -h | awk '{ print $1, $2 }' | grep -qx "$MAJOR main" || pg_createcluster "$MAJOR" main
install -d -o postgres -g postgres -m 0755 "/etc/postgresql/$MAJOR/main/conf.d"
systemctl enable --now "postgresql@$MAJOR-main"
`;

  const files = [
    heredoc(`${INSTALL_DIR}/agent`, '0755', AGENT_SCRIPT, 'ELASTICDASH_AGENT'),
    heredoc(`${INSTALL_DIR}/s3tool.py`, '0644', S3_TOOL, 'ELASTICDASH_S3TOOL'),
    heredoc(`${INSTALL_DIR}/backup`, '0755', BACKUP_SCRIPT, 'ELASTICDASH_BACKUP'),
    heredoc(`${STATE_DIR}/desired.json`, '0644', JSON.stringify(desired, null, 2), 'ELASTICDASH_DESIRED'),
    heredoc('/etc/systemd/system/elasticdash-agent.service', '0644', service, 'ELASTICDASH_UNIT'),
    heredoc('/etc/systemd/system/elasticdash-agent.timer', '0644', timer, 'ELASTICDASH_UNIT'),
  ].join('\n');

  const finish = `log "running the agent once (desired config version ${desired.version})"
systemctl daemon-reload
systemctl start elasticdash-agent.service || { log "the agent failed; see ${STATE_DIR}/status.json"; exit 1; }
systemctl enable --now elasticdash-agent.timer
if [ "$BACKUPS" = 1 ]; then systemctl enable --now cron; fi
date -u +%Y-%m-%dT%H:%M:%SZ >${STATE_DIR}/bootstrap-done
log "PostgreSQL $MAJOR is ready"
`;
  return { ok: true, userData: [header, secret, install, files, finish].join('\n') };
}
