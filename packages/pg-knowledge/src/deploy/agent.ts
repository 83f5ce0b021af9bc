/*
 * The on-instance agent: a bash script (with an embedded python3 helper) that applies a desired
 * config (desired-config.ts) to one PostgreSQL server and reports what it did in a status file.
 * The same script runs on EC2 instances (systemd timer, user-data.ts) and on the local target
 * (spawned by the deployer), so the local target exercises it for real
 * (tests/integration/deploy-agent.test.ts).
 *
 * What one run does:
 *  1. validates the desired config (the same rules as ZDesiredConfig) and renders the include file
 *     (listen_addresses, port, parameters; values always single-quoted) and pg_hba.conf (the
 *     AGENT_HBA_LOCAL lines, then one "host all all <cidr> scram-sha-256" per rule);
 *  2. connects (port of the last applied run, then PGPORT, then the desired port; starts the server
 *     with AGENT_RESTART_CMD when it is down);
 *  3. writes <conf dir>/90-elasticdash.conf and pg_hba.conf only when they differ, and makes sure
 *     the include directory is read (Debian clusters include conf.d; initdb clusters get include_dir);
 *  4. validates with PostgreSQL itself before applying: pg_file_settings (unknown names, invalid
 *     reloadable values), pg_hba_file_rules, and `postgres -C` for restart-only settings; any
 *     error rolls both files back and reports "failed" (the running server is untouched);
 *  5. reloads (pg_reload_conf) and then decides per setting from pg_settings: a changed setting
 *     whose context is postmaster (pending_restart) needs a restart, anything else was applied by
 *     the reload. No list of static parameters is hard-coded. Restarts only when
 *     AGENT_ALLOW_RESTART=1, otherwise they are reported as pending;
 *  6. creates the admin role (LOGIN CREATEDB CREATEROLE, not superuser) and initial database when
 *     missing, sets the password from AGENT_ADMIN_PASSWORD_FILE when present (a SCRAM verifier is
 *     used as is; a plaintext password is hashed to a verifier first) and deletes that file;
 *  7. manages the backup cron file (when AGENT_BACKUP_CRON_FILE is set);
 *  8. writes the status JSON atomically (TAgentStatus), then runs AGENT_POST_CMD.
 *
 * Why python3 for JSON and not jq: jq is not in minimal Debian images, while python3 is on every
 * image cloud-init runs on (cloud-init is written in Python), and python also does the quoting,
 * CIDR checks (ipaddress) and SCRAM hashing that would be fragile in bash. The script never uses
 * xtrace and never prints the password file.
 */

export const AGENT_VERSION = 1;

/** The agent script (bash). Install it 0755 and run it as root with the environment of `agentCommand`. */
export const AGENT_SCRIPT = `#!/bin/bash
# elasticdash-agent: applies a desired-config JSON document to one PostgreSQL server.
# Runs as root (systemd timer on instances, a child process on the local target). Never prints
# secrets and never uses xtrace. Environment (see agent.ts for the full contract):
#   AGENT_DESIRED        desired config JSON path (required)
#   AGENT_STATUS         status JSON path written on every run (required)
#   AGENT_PSQL           psql command prefix, e.g. "runuser -u postgres -- psql" (default)
#   PGPORT / PGHOST      where psql connects (PGPORT: first port tried)
#   AGENT_RESTART_CMD    shell command restarting (or starting) PostgreSQL
#   AGENT_ALLOW_RESTART  1 (default) or 0: report restart-only changes as pending instead
#   AGENT_CONF_DIR       include directory (default: <dir of config_file>/conf.d)
#   AGENT_CONF_NAME      include file name (default 90-elasticdash.conf)
#   AGENT_HBA_LOCAL      pg_hba lines kept first, ';'-separated (default "local all postgres peer")
#   AGENT_ADMIN_PASSWORD_FILE  optional file holding a SCRAM verifier or a password; deleted after use
#   AGENT_BACKUP_CRON_FILE     optional cron.d file managed from desired.backups
#   AGENT_BACKUP_CMD           command the cron entry runs
#   AGENT_PRE_CMD / AGENT_POST_CMD  optional hooks (fetch the desired config / upload the status)
#   AGENT_PYTHON         python3 interpreter (default /usr/bin/python3, else python3 on PATH)
set -Eeuo pipefail
umask 022

AGENT_VERSION=1
: "\${AGENT_DESIRED:?AGENT_DESIRED is required}"
: "\${AGENT_STATUS:?AGENT_STATUS is required}"
AGENT_PSQL=\${AGENT_PSQL:-runuser -u postgres -- psql}
AGENT_RESTART_CMD=\${AGENT_RESTART_CMD:-}
AGENT_ALLOW_RESTART=\${AGENT_ALLOW_RESTART:-1}
AGENT_CONF_NAME=\${AGENT_CONF_NAME:-90-elasticdash.conf}
AGENT_HBA_LOCAL=\${AGENT_HBA_LOCAL:-local all postgres peer}
AGENT_PYTHON=\${AGENT_PYTHON:-$(command -v /usr/bin/python3 || echo python3)}
AGENT_AS_POSTGRES=\${AGENT_AS_POSTGRES:-runuser -u postgres --}
read -r -a AS_POSTGRES <<<"$AGENT_AS_POSTGRES"
read -r -a PSQL <<<"$AGENT_PSQL"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
: >"$WORK/notes"

log() { printf 'elasticdash-agent: %s\\n' "$*" >&2; }
note() { printf '%s\\n' "$*" >>"$WORK/notes"; }

# Python helper: JSON in and out, quoting, SCRAM. Data passes through files, never argv.
read -r -d '' PY <<'PY_EOF' || true
import base64, hashlib, hmac, ipaddress, json, os, re, sys

def load(path, default=None):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default

def qlit(v):
    return "'" + str(v).replace("\\\\", "\\\\\\\\").replace("'", "''") + "'"

def qident(v):
    return '"' + v.replace('"', '""') + '"'

NAME = re.compile(r'^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?$')
IDENT = re.compile(r'^[a-z_][a-z0-9_]{0,62}$')
LISTEN = re.compile(r'^(\\*|localhost|[0-9A-Fa-f:.]{2,45})$')

def validate(d):
    errs = []
    if not isinstance(d, dict):
        return ['the desired config is not a JSON object']
    if d.get('format') != 1:
        errs.append('format must be 1')
    v = d.get('version')
    if not isinstance(v, int) or isinstance(v, bool) or v < 1:
        errs.append('version must be a positive integer')
    pg = d.get('postgres') or {}
    port = pg.get('port')
    if not isinstance(port, int) or not 1024 <= port <= 65535:
        errs.append('postgres.port must be 1024-65535')
    la = pg.get('listenAddresses')
    if not isinstance(la, list) or not la or not all(isinstance(a, str) and LISTEN.match(a) for a in la):
        errs.append('postgres.listenAddresses must be a list of *, localhost or IP addresses')
    params = d.get('parameters')
    if not isinstance(params, dict):
        errs.append('parameters must be an object')
        params = {}
    for k, val in params.items():
        if not NAME.match(k) or k in ('port', 'listen_addresses'):
            errs.append('parameters.%s: not an allowed setting name' % k)
        if not isinstance(val, str) or '\\n' in val or '\\r' in val or '\\0' in val:
            errs.append('parameters.%s: value must be a single-line string' % k)
    hba = d.get('hba')
    if not isinstance(hba, list):
        errs.append('hba must be a list')
        hba = []
    for i, r in enumerate(hba):
        ok = isinstance(r, dict) and r.get('type') == 'host' and r.get('database') == 'all' \\
            and r.get('user') == 'all' and r.get('method') == 'scram-sha-256'
        try:
            ipaddress.ip_network(r.get('cidr'), strict=True)
        except (TypeError, ValueError, AttributeError):
            ok = False
        if not ok:
            errs.append('hba.%d: not a host/all/all/<cidr>/scram-sha-256 rule' % i)
    admin = d.get('admin') or {}
    for key in ('role', 'database'):
        val = admin.get(key)
        if not isinstance(val, str) or not IDENT.match(val) or val == 'postgres' or val.startswith('pg_'):
            errs.append('admin.%s must be a lower-case identifier' % key)
    b = d.get('backups') or {}
    sched = b.get('schedule')
    if not isinstance(b.get('enabled'), bool) or not isinstance(sched, str) or not re.match(r'^[0-9A-Za-z*/,\\- ]+$', sched or '') \\
            or len(sched.split()) != 5:
        errs.append('backups must have enabled and a 5-field schedule')
    return errs

def conf_content(d):
    pg = d['postgres']
    lines = ['# Managed by elasticdash-agent from desired config version %d. Do not edit.' % d['version'],
             'listen_addresses = %s' % qlit(','.join(pg['listenAddresses'])),
             'port = %d' % pg['port']]
    for k in sorted(d['parameters']):
        lines.append('%s = %s' % (k, qlit(d['parameters'][k])))
    return '\\n'.join(lines) + '\\n'

def hba_content(d, local_lines):
    lines = ['# Managed by elasticdash-agent from desired config version %d. Do not edit.' % d['version']]
    lines += [l.strip() for l in local_lines.split(';') if l.strip()]
    for r in d['hba']:
        lines.append('host all all %s scram-sha-256' % ipaddress.ip_network(r['cidr']).with_prefixlen)
    return '\\n'.join(lines) + '\\n'

def conf_names(path):
    names = set()
    try:
        with open(path) as f:
            for line in f:
                m = re.match(r'^\\s*([a-z_][a-z0-9_.]*)\\s*=', line)
                if m:
                    names.add(m.group(1))
    except OSError:
        pass
    return names

def read_tsv(path):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                parts = line.rstrip('\\n').split('\\t')
                if len(parts) >= 4:
                    out[parts[0]] = {'setting': parts[1], 'context': parts[2], 'pending': parts[3] == 't'}
    except OSError:
        pass
    return out

def scram(secret):
    if re.match(r'^SCRAM-SHA-256\\$\\d+:[A-Za-z0-9+/=]+\\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$', secret):
        return secret
    salt = os.urandom(16)
    salted = hashlib.pbkdf2_hmac('sha256', secret.encode(), salt, 4096)
    ck = hmac.new(salted, b'Client Key', 'sha256').digest()
    sk = hmac.new(salted, b'Server Key', 'sha256').digest()
    b64 = lambda b: base64.b64encode(b).decode()
    return 'SCRAM-SHA-256$4096:%s$%s:%s' % (b64(salt), b64(hashlib.sha256(ck).digest()), b64(sk))

def write_atomic(path, text):
    tmp = path + '.tmp'
    with open(tmp, 'w') as f:
        f.write(text)
    os.replace(tmp, path)

cmd = sys.argv[1]
work = os.environ['WORK']
if cmd == 'plan':
    d = load(os.environ['AGENT_DESIRED'])
    if d is None:
        print('cannot read the desired config %s' % os.environ['AGENT_DESIRED'], file=sys.stderr)
        sys.exit(2)
    errs = validate(d)
    if errs:
        print('; '.join(errs), file=sys.stderr)
        sys.exit(2)
    write_atomic(os.path.join(work, 'conf'), conf_content(d))
    write_atomic(os.path.join(work, 'hba'), hba_content(d, os.environ.get('AGENT_HBA_LOCAL', '')))
    names = set(d['parameters']) | {'port', 'listen_addresses'} | conf_names(sys.argv[2])
    write_atomic(os.path.join(work, 'names'), ','.join(sorted(names)))
    prev = load(os.environ['AGENT_STATUS'], {}) or {}
    b = d['backups']
    print('version=%d' % d['version'])
    print('port=%d' % d['postgres']['port'])
    print('prev_port=%s' % (prev.get('port') or ''))
    print('admin_role=%s' % d['admin']['role'])
    print('admin_db=%s' % d['admin']['database'])
    print('backups=%s' % ('1' if b['enabled'] and b.get('s3') else '0'))
    print('schedule=%s' % b['schedule'])
elif cmd == 'changes':
    before, after = read_tsv(os.path.join(work, 'before.tsv')), read_tsv(os.path.join(work, 'after.tsv'))
    changes, restart = [], []
    for name in sorted(set(before) | set(after)):
        a, b = after.get(name), before.get(name)
        if a is None:
            continue
        if a['pending']:
            action = 'restart' if a['context'] == 'postmaster' else 'pending'
        elif b is not None and b['setting'] != a['setting']:
            action = 'reload'
        else:
            continue
        changes.append({'name': name, 'from': b['setting'] if b else None, 'to': a['setting'] if action == 'reload' else None,
                        'context': a['context'], 'action': action})
        if action == 'restart':
            restart.append(name)
    write_atomic(os.path.join(work, 'changes.json'), json.dumps(changes))
    print(','.join(restart))
elif cmd == 'role-sql':
    role, db, pwfile, exists, dbexists = sys.argv[2:7]
    out = []
    if exists != '1':
        out.append('CREATE ROLE %s LOGIN CREATEDB CREATEROLE;' % qident(role))
    if pwfile:
        with open(pwfile) as f:
            secret = f.read().strip()
        if secret:
            out.append('ALTER ROLE %s PASSWORD %s;' % (qident(role), qlit(scram(secret))))
    if dbexists != '1':
        out.append('CREATE DATABASE %s OWNER %s;' % (qident(db), qident(role)))
    sys.stdout.write('\\n'.join(out) + '\\n')
elif cmd == 'cron':
    d = load(os.environ['AGENT_DESIRED'])
    b = d['backups']
    sys.stdout.write('# Managed by elasticdash-agent (desired config version %d)\\nSHELL=/bin/bash\\nCRON_TZ=UTC\\n%s root %s\\n'
                     % (d['version'], b['schedule'], os.environ.get('AGENT_BACKUP_CMD', '/usr/local/lib/elasticdash/backup')))
elif cmd == 'status':
    result = sys.argv[2]
    prev = load(os.environ['AGENT_STATUS'], {}) or {}
    d = load(os.environ['AGENT_DESIRED'], {}) or {}
    env = os.environ
    changes = load(os.path.join(work, 'changes.json'), []) or []
    final = read_tsv(os.path.join(work, 'final.tsv'))
    for c in changes:
        if c['to'] is None and c['name'] in final:
            c['to'] = final[c['name']]['setting']
    notes = [l for l in open(os.path.join(work, 'notes')).read().split('\\n') if l]
    st = {
        'agent': 'elasticdash-agent', 'agentVersion': int(env['AGENT_VERSION']), 'result': result,
        'desiredVersion': d.get('version') if isinstance(d, dict) else None,
        'appliedVersion': (d.get('version') if result == 'applied' else prev.get('appliedVersion')),
        'port': int(env['S_PORT']) if env.get('S_PORT') else prev.get('port'),
        'restarted': env.get('S_RESTARTED') == '1', 'reloaded': env.get('S_RELOADED') == '1',
        'started': env.get('S_STARTED') == '1',
        'changes': changes,
        'pending': [c['name'] for c in changes if c['action'] != 'reload'] if env.get('S_RESTARTED') != '1' else [],
        'hbaChanged': env.get('S_HBA_CHANGED') == '1', 'confChanged': env.get('S_CONF_CHANGED') == '1',
        'confFile': env.get('S_CONF_FILE') or None, 'hbaFile': env.get('S_HBA_FILE') or None,
        'postmasterStartTime': env.get('S_PM_START') or None, 'serverVersion': env.get('S_SERVER_VERSION') or None,
        'admin': {'role': env.get('S_ADMIN_ROLE') or None, 'created': env.get('S_ROLE_CREATED') == '1',
                  'passwordSet': env.get('S_PASSWORD_SET') == '1', 'databaseCreated': env.get('S_DB_CREATED') == '1'},
        'notes': notes, 'error': env.get('S_ERROR') or None,
        'startedAt': env['STARTED_AT'], 'finishedAt': env['FINISHED_AT'],
    }
    if result != 'applied' and isinstance(prev.get('lastApplied'), dict):
        st['lastApplied'] = prev['lastApplied']
    elif result == 'applied':
        st['lastApplied'] = {'version': st['appliedVersion'], 'at': st['finishedAt']}
    write_atomic(env['AGENT_STATUS'], json.dumps(st, indent=2) + '\\n')
PY_EOF
py() { WORK="$WORK" AGENT_VERSION="$AGENT_VERSION" STARTED_AT="$STARTED_AT" FINISHED_AT="$(date -u +%Y-%m-%dT%H:%M:%SZ)" \\
  AGENT_DESIRED="$AGENT_DESIRED" AGENT_STATUS="$AGENT_STATUS" AGENT_HBA_LOCAL="$AGENT_HBA_LOCAL" \\
  "$AGENT_PYTHON" -c "$PY" "$@"; }

S_PORT='' S_RESTARTED=0 S_RELOADED=0 S_STARTED=0 S_HBA_CHANGED=0 S_CONF_CHANGED=0 S_CONF_FILE='' S_HBA_FILE=''
S_PM_START='' S_SERVER_VERSION='' S_ADMIN_ROLE='' S_ROLE_CREATED=0 S_PASSWORD_SET=0 S_DB_CREATED=0 S_ERROR=''
export S_PORT S_RESTARTED S_RELOADED S_STARTED S_HBA_CHANGED S_CONF_CHANGED S_CONF_FILE S_HBA_FILE S_PM_START
export S_SERVER_VERSION S_ADMIN_ROLE S_ROLE_CREATED S_PASSWORD_SET S_DB_CREATED S_ERROR

finish() {
  py status "$1" || log "could not write the status file $AGENT_STATUS"
  if [ -n "\${AGENT_POST_CMD:-}" ]; then bash -c "$AGENT_POST_CMD" 9>&- || log "post hook failed"; fi
}
fail() {
  # Once per run: a failure inside $(...) must not be overwritten by the outer ERR trap.
  [ -e "$WORK/failed" ] && exit 1
  : >"$WORK/failed"
  S_ERROR="$*"
  log "failed: $S_ERROR"
  finish failed
  exit 1
}
trap 'fail "unexpected error (exit $?) at agent line $LINENO"' ERR

# One run at a time (timer + manual runs).
exec 9>"\${AGENT_STATUS}.lock"
flock -w 60 9 || fail "another agent run holds \${AGENT_STATUS}.lock"

if [ -n "\${AGENT_PRE_CMD:-}" ]; then bash -c "$AGENT_PRE_CMD" 9>&- || note "pre hook failed; using the desired config on disk"; fi

q() { "\${PSQL[@]}" -X -q -A -t -F $'\\t' -v ON_ERROR_STOP=1 -d postgres "$@"; }
sqlv() { q -c "$1"; }

# ---- 1. Render the desired state --------------------------------------------------------------
declare -A D=()
PLAN_OUT=$(py plan /nonexistent 2>"$WORK/plan.err") || fail "invalid desired config: $(cat "$WORK/plan.err")"
while IFS='=' read -r k v; do D[$k]=$v; done <<<"$PLAN_OUT"
S_ADMIN_ROLE=\${D[admin_role]}

# ---- 2. Find the server: last applied port, then PGPORT, then the desired port ----------------
connect() {
  local p
  for p in \${D[prev_port]} \${PGPORT:-} \${D[port]}; do
    if PGPORT=$p q -c 'select 1' >/dev/null 2>&1; then export PGPORT=$p; return 0; fi
  done
  return 1
}
restart_pg() {
  [ -n "$AGENT_RESTART_CMD" ] || fail "a restart is needed but AGENT_RESTART_CMD is not set"
  log "restarting PostgreSQL"
  bash -c "$AGENT_RESTART_CMD" >"$WORK/restart.log" 2>&1 9>&- || fail "restart command failed: $(tail -n 5 "$WORK/restart.log")"
  export PGPORT=\${D[port]}
  local i
  for i in $(seq 1 60); do q -c 'select 1' >/dev/null 2>&1 && return 0; sleep 1; done
  fail "PostgreSQL did not accept connections on port \${D[port]} after the restart"
}
if ! connect; then
  note "PostgreSQL was not reachable; starting it"
  [ "$AGENT_ALLOW_RESTART" = 1 ] || fail "PostgreSQL is not reachable and restarts are not allowed"
  restart_pg
  S_STARTED=1
fi

CONFIG_FILE=$(sqlv 'show config_file')
HBA_FILE=$(sqlv 'show hba_file')
CONF_DIR=\${AGENT_CONF_DIR:-$(dirname "$CONFIG_FILE")/conf.d}
CONF_FILE="$CONF_DIR/$AGENT_CONF_NAME"
S_CONF_FILE=$CONF_FILE S_HBA_FILE=$HBA_FILE
# Re-render with the names of the current include file (to notice settings that were removed).
py plan "$CONF_FILE" >/dev/null
NAMES=$(cat "$WORK/names")

snapshot() {
  q -v names="$NAMES" >"$1" <<'SQL'
select name, setting, context, pending_restart from pg_settings
where name = any (string_to_array(:'names', ',')) order by name;
SQL
}

# ---- 3. Write the include file and pg_hba.conf (keeping a copy to roll back) -------------------
snapshot "$WORK/before.tsv"
LOAD_BEFORE=$(sqlv 'select pg_conf_load_time()')
mkdir -p "$CONF_DIR"
OWNER=$(stat -c %U:%G "$CONFIG_FILE")
[ -f "$CONF_FILE" ] && cp -p "$CONF_FILE" "$WORK/conf.old"
cp -p "$HBA_FILE" "$WORK/hba.old"
if ! cmp -s "$WORK/conf" "$CONF_FILE"; then
  install -m 0644 -o "\${OWNER%%:*}" -g "\${OWNER##*:}" "$WORK/conf" "$CONF_FILE.new" && mv -f "$CONF_FILE.new" "$CONF_FILE"
  S_CONF_CHANGED=1
fi
if ! cmp -s "$WORK/hba" "$HBA_FILE"; then
  install -m "$(stat -c %a "$HBA_FILE")" -o "$(stat -c %U "$HBA_FILE")" -g "$(stat -c %G "$HBA_FILE")" "$WORK/hba" "$HBA_FILE.new"
  mv -f "$HBA_FILE.new" "$HBA_FILE"
  S_HBA_CHANGED=1
fi
rollback() {
  if [ -f "$WORK/conf.old" ]; then cp -p "$WORK/conf.old" "$CONF_FILE"; else rm -f "$CONF_FILE"; fi
  cp -p "$WORK/hba.old" "$HBA_FILE"
  fail "$1 (files rolled back, nothing applied)"
}

# The include file must be read by the server: conf.d is included on Debian clusters; elsewhere
# (initdb) add include_dir once to the main file.
in_files() { q -v f="$CONF_FILE" <<<"select count(*) from pg_file_settings where sourcefile = :'f';"; }
if [ "$(in_files)" = 0 ]; then
  if ! grep -qF "include_dir = '$CONF_DIR'" "$CONFIG_FILE"; then
    printf "\\n# Added by elasticdash-agent\\ninclude_dir = '%s'\\n" "$CONF_DIR" >>"$CONFIG_FILE"
    note "added include_dir '$CONF_DIR' to $CONFIG_FILE"
  fi
  [ "$(in_files)" != 0 ] || rollback "$CONF_FILE is not read by PostgreSQL"
fi

# ---- 4. Validate with PostgreSQL's own parsers before applying ---------------------------------
CONF_ERRORS=$(q -v f="$CONF_FILE" <<'SQL'
select 'line ' || sourceline || ' (' || coalesce(name, '?') || '): ' || error from pg_file_settings
where sourcefile = :'f' and error is not null and error <> 'setting could not be applied';
SQL
)
[ -z "$CONF_ERRORS" ] || rollback "PostgreSQL rejects the settings: \${CONF_ERRORS//$'\\n'/; }"
# "setting could not be applied" means an invalid value, or (postmaster context) a change that
# needs a restart. Reloadable ones are invalid; postmaster ones are checked with \`postgres -C\`,
# which parses the files like a starting server would, so a bad value never reaches a restart.
INVALID=$(q -v f="$CONF_FILE" <<'SQL'
select string_agg(f.name || ' = ' || f.setting, ', ') from pg_file_settings f join pg_settings s using (name)
where f.sourcefile = :'f' and f.error = 'setting could not be applied' and s.context <> 'postmaster';
SQL
)
[ -z "$INVALID" ] || rollback "invalid values: $INVALID"
STATIC=$(q -v f="$CONF_FILE" <<'SQL'
select f.name from pg_file_settings f join pg_settings s using (name)
where f.sourcefile = :'f' and f.error = 'setting could not be applied' and s.context = 'postmaster';
SQL
)
if [ -n "$STATIC" ]; then
  DATA_DIR=$(sqlv 'show data_directory')
  PG_BIN=\${AGENT_PG_BINDIR:-/usr/lib/postgresql/$(( $(sqlv 'show server_version_num') / 10000 ))/bin}
  if [ -x "$PG_BIN/postgres" ]; then
    FIRST=\${STATIC%%$'\\n'*}
    "\${AS_POSTGRES[@]}" "$PG_BIN/postgres" -D "$DATA_DIR" -c "config_file=$CONFIG_FILE" -C "$FIRST" >/dev/null 2>"$WORK/check.err" \\
      || rollback "PostgreSQL would not start with these settings: $(grep -v 'contains errors' "$WORK/check.err" | head -c 400)"
  else
    note "cannot check restart-only values: $PG_BIN/postgres not found"
  fi
fi
HBA_ERRORS=$(sqlv "select 'line ' || line_number || ': ' || error from pg_hba_file_rules where error is not null")
[ -z "$HBA_ERRORS" ] || rollback "PostgreSQL rejects pg_hba.conf: \${HBA_ERRORS//$'\\n'/; }"
UNKNOWN=$(q -v names="$NAMES" <<'SQL'
select string_agg(n, ', ') from unnest(string_to_array(:'names', ',')) n
where n not like '%.%' and not exists (select 1 from pg_settings s where s.name = n);
SQL
)
[ -z "$UNKNOWN" ] || rollback "unknown settings: $UNKNOWN"

# ---- 5. Reload, then decide per setting from pg_settings (context, pending_restart) ------------
if [ "$S_CONF_CHANGED" = 1 ] || [ "$S_HBA_CHANGED" = 1 ]; then
  sqlv 'select pg_reload_conf()' >/dev/null
  S_RELOADED=1
  for _ in $(seq 1 50); do
    [ "$(sqlv 'select pg_conf_load_time()')" != "$LOAD_BEFORE" ] && break
    sleep 0.1
  done
fi
snapshot "$WORK/after.tsv"
RESTART_FOR=$(py changes)
if [ -n "$RESTART_FOR" ]; then
  if [ "$AGENT_ALLOW_RESTART" = 1 ]; then
    note "restart for: $RESTART_FOR"
    restart_pg
    S_RESTARTED=1
    snapshot "$WORK/final.tsv"
    STILL=$(q -v names="$NAMES" <<<"select string_agg(name, ', ') from pg_settings where pending_restart and name = any (string_to_array(:'names', ','));")
    [ -z "$STILL" ] || fail "still pending after the restart: $STILL"
  else
    note "restart needed for $RESTART_FOR but AGENT_ALLOW_RESTART=0"
  fi
fi
S_PORT=$PGPORT

# ---- 6. Admin role and initial database --------------------------------------------------------
ROLE_EXISTS=$(q -v r="\${D[admin_role]}" <<<"select count(*) from pg_roles where rolname = :'r';")
DB_EXISTS=$(q -v d="\${D[admin_db]}" <<<"select count(*) from pg_database where datname = :'d';")
PWFILE=''
if [ -n "\${AGENT_ADMIN_PASSWORD_FILE:-}" ] && [ -s "$AGENT_ADMIN_PASSWORD_FILE" ]; then PWFILE=$AGENT_ADMIN_PASSWORD_FILE; fi
py role-sql "\${D[admin_role]}" "\${D[admin_db]}" "$PWFILE" "$ROLE_EXISTS" "$DB_EXISTS" >"$WORK/role.sql"
chmod 0600 "$WORK/role.sql"
if [ -s "$WORK/role.sql" ] && [ "$(wc -c <"$WORK/role.sql")" -gt 1 ]; then
  # stdin, not -c: the statement (a SCRAM verifier at most) never appears in argv.
  # psql's error context would quote the statement: keep only the ERROR line.
  q <"$WORK/role.sql" >/dev/null 2>"$WORK/role.err" ||
    fail "could not create or update the admin role / database: $(grep -m 1 -o 'ERROR:.*' "$WORK/role.err" || true)"
fi
rm -f "$WORK/role.sql"
[ "$ROLE_EXISTS" = 1 ] || S_ROLE_CREATED=1
[ "$DB_EXISTS" = 1 ] || S_DB_CREATED=1
if [ -n "$PWFILE" ]; then
  S_PASSWORD_SET=1
  rm -f "$PWFILE"
fi

# ---- 7. Backup schedule ------------------------------------------------------------------------
if [ -n "\${AGENT_BACKUP_CRON_FILE:-}" ]; then
  if [ "\${D[backups]}" = 1 ]; then
    py cron >"$WORK/cron"
    cmp -s "$WORK/cron" "$AGENT_BACKUP_CRON_FILE" || install -m 0644 "$WORK/cron" "$AGENT_BACKUP_CRON_FILE"
  else
    rm -f "$AGENT_BACKUP_CRON_FILE"
  fi
fi

S_PM_START=$(sqlv "select to_char(pg_postmaster_start_time() at time zone 'UTC', 'YYYY-MM-DD\\"T\\"HH24:MI:SS.US\\"Z\\"')")
S_SERVER_VERSION=$(sqlv 'show server_version')
finish applied
log "applied desired config version \${D[version]} (restarted=$S_RESTARTED reloaded=$S_RELOADED)"
`;

export interface TAgentPaths {
  /** Desired config JSON. */
  desired: string;
  /** Status JSON written on every run (a `.lock` file is created next to it). */
  status: string;
  /** Where the agent script is installed. */
  script: string;
  /** psql command prefix: `runuser -u postgres -- psql` (instance) or with `-h <socket dir>` (local). */
  psql?: string;
  /** PGPORT / PGHOST for the first connection attempt. */
  port?: number;
  host?: string;
  /** Restarts (or starts) the server: `systemctl restart postgresql@15-main`, or `pg_ctl … -w -m fast -l <log> restart`. */
  restartCommand: string;
  allowRestart?: boolean;
  /** Include directory; default `<dir of config_file>/conf.d`. */
  confDir?: string;
  /** pg_hba lines kept before the network rules; default `local all postgres peer`. */
  hbaLocal?: string[];
  /** Directory of the `postgres` binary (checks restart-only values); default /usr/lib/postgresql/<major>/bin. */
  pgBinDir?: string;
  /** Command prefix running a program as the postgres OS user; default `runuser -u postgres --`. */
  asPostgres?: string;
  adminPasswordFile?: string;
  backupCronFile?: string;
  backupCommand?: string;
  /** Hooks: fetch the desired config before, upload the status after (AWS). */
  preCommand?: string;
  postCommand?: string;
  python?: string;
}

export interface TAgentCommand {
  argv: string[];
  env: Record<string, string>;
}

/** How to run the agent: argv plus the environment variables the script reads. */
export function agentCommand(paths: TAgentPaths): TAgentCommand {
  const env: Record<string, string> = {
    AGENT_DESIRED: paths.desired,
    AGENT_STATUS: paths.status,
    AGENT_RESTART_CMD: paths.restartCommand,
    AGENT_ALLOW_RESTART: paths.allowRestart === false ? '0' : '1',
  };
  const optional: [string, string | undefined][] = [
    ['AGENT_PSQL', paths.psql],
    ['PGPORT', paths.port === undefined ? undefined : String(paths.port)],
    ['PGHOST', paths.host],
    ['AGENT_CONF_DIR', paths.confDir],
    ['AGENT_HBA_LOCAL', paths.hbaLocal?.join(';')],
    ['AGENT_PG_BINDIR', paths.pgBinDir],
    ['AGENT_AS_POSTGRES', paths.asPostgres],
    ['AGENT_ADMIN_PASSWORD_FILE', paths.adminPasswordFile],
    ['AGENT_BACKUP_CRON_FILE', paths.backupCronFile],
    ['AGENT_BACKUP_CMD', paths.backupCommand],
    ['AGENT_PRE_CMD', paths.preCommand],
    ['AGENT_POST_CMD', paths.postCommand],
    ['AGENT_PYTHON', paths.python],
  ];
  for (const [key, value] of optional) if (value !== undefined) env[key] = value;
  return { argv: ['/bin/bash', paths.script], env };
}

/** What the agent writes to the status file. */
export interface TAgentStatus {
  agent: 'elasticdash-agent';
  agentVersion: number;
  result: 'applied' | 'failed';
  desiredVersion: number | null;
  /** Last version applied successfully (kept from the previous status on failure). */
  appliedVersion: number | null;
  port: number | null;
  restarted: boolean;
  reloaded: boolean;
  /** The server was down and the agent started it. */
  started: boolean;
  changes: {
    name: string;
    from: string | null;
    to: string | null;
    /** pg_settings.context of the setting. */
    context: string;
    action: 'reload' | 'restart' | 'pending';
  }[];
  /** Settings that still need a restart (AGENT_ALLOW_RESTART=0). */
  pending: string[];
  hbaChanged: boolean;
  confChanged: boolean;
  confFile: string | null;
  hbaFile: string | null;
  postmasterStartTime: string | null;
  serverVersion: string | null;
  admin: { role: string | null; created: boolean; passwordSet: boolean; databaseCreated: boolean };
  notes: string[];
  error: string | null;
  startedAt: string;
  finishedAt: string;
  lastApplied?: { version: number; at: string };
}

export interface TLocalTargetOptions {
  /** Directory holding agent.sh, desired.json, status.json (and the password file). */
  workDir: string;
  dataDir: string;
  /** unix_socket_directories of the cluster. */
  socketDir: string;
  port: number;
  /** PostgreSQL binaries (`pg_config --bindir`). */
  binDir: string;
  serverLog: string;
  adminPasswordFile?: string;
}

/**
 * Agent paths for the local target: a cluster made with initdb and run with pg_ctl as the postgres
 * OS user on this machine (the deployer process runs as root). Same script as on instances; only
 * how psql connects and how the server restarts differ.
 */
export function localTargetAgentPaths(o: TLocalTargetOptions): TAgentPaths {
  return {
    desired: `${o.workDir}/desired.json`,
    status: `${o.workDir}/status.json`,
    script: `${o.workDir}/agent.sh`,
    psql: `runuser -u postgres -- ${o.binDir}/psql -h ${o.socketDir}`,
    port: o.port,
    restartCommand: `runuser -u postgres -- ${o.binDir}/pg_ctl -D ${o.dataDir} -l ${o.serverLog} -w -m fast restart`,
    pgBinDir: o.binDir,
    ...(o.adminPasswordFile ? { adminPasswordFile: o.adminPasswordFile } : {}),
  };
}

/** `Environment="K=V"` lines for a systemd unit, escaped as systemd expects. */
export function systemdEnvironment(env: Record<string, string>): string[] {
  return Object.entries(env).map(
    ([k, v]) => `Environment="${k}=${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`,
  );
}
