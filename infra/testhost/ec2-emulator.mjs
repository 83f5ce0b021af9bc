#!/usr/bin/env node
// @ts-check
// An EC2 + STS + IAM endpoint for the deployer's test-host mode: the worker's AWS driver, unchanged, is
// pointed here (`endpoint`) and RunInstances boots a real Debian 12 test host (up.sh) from the exact
// base64-decoded UserData; TerminateInstances tears it down (down.sh). Everything else the driver
// calls (default VPC, security groups and their ingress, volumes, tags, client-token idempotency,
// STS identity and AssumeRole, the IAM role + instance profile of the on-instance agent) is kept in
// memory with the services' error codes, so the driver's retry and look-before-create paths run
// against real answers in the real wire format (ec2Query / awsQuery XML). IAM is one account-wide,
// eventually consistent store: RunInstances refuses an instance profile that does not exist, has no
// role, or is younger than `iamPropagationMs` (EC2's "Invalid IAM Instance Profile name" while a new
// profile propagates), so the driver's wait-and-retry after creating one is exercised too.
// What cannot run here (stop/start, instance type change, volume growth) is refused with
// UnsupportedOperation: those paths are proven with recorded SDK calls only.
//
//   node infra/testhost/ec2-emulator.mjs [--port 4566] [--s3 127.0.0.1:4569] [--indexes 100-149]
//                                        [--iam-propagation-ms 1500]
//
// prints EC2_EMULATOR_URL=http://127.0.0.1:<port>; SIGINT/SIGTERM tear every host down. In code:
// `startEc2Emulator({ s3Target })` → { url, close(), instances(), iam() }. Needs root for real hosts
// (up.sh); a `launcher` can be injected instead (unit tests).
import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

const KIT = path.dirname(fileURLToPath(import.meta.url));
const EC2_NS = 'http://ec2.amazonaws.com/doc/2016-11-15/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const STS_VERSION = '2011-06-15';
const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const IAM_VERSION = '2010-05-08';
/** How long a new instance profile (or its new role) stays invisible to EC2 by default. */
const IAM_PROPAGATION_MS = 1500;
/** IAM's quotas: inline policies per role (aggregate, whitespace not counted), trust policy, tags. */
const ROLE_POLICY_LIMIT = 10240;
const TRUST_POLICY_LIMIT = 2048;
const IAM_TAG_LIMIT = 50;
/** What the test host's root is: the Debian AMIs' root device. */
const ROOT_DEVICE = '/dev/xvda';
/** up.sh's data disk is a sparse loop file: no need for the plan's full size. */
const MAX_DATA_GIB = 4;
const USER_DATA_LIMIT = 16384;
const STATE_CODES = { pending: 0, running: 16, 'shutting-down': 32, terminated: 48, stopping: 64, stopped: 80 };

// ---- types -------------------------------------------------------------------------------------

/**
 * @typedef {{ name: string, index: number, userData: Buffer, region: string, buckets: string[], dataGiB: number }} UpOptions
 * @typedef {{
 *   up(o: UpOptions): Promise<{ pid: number, address: string }>,
 *   down(name: string): Promise<void>,
 * }} Launcher  up() cleans up after itself when it fails (the default one runs down.sh).
 * @typedef {{
 *   port?: number, host?: string, accountId?: string, region?: string, s3Target?: string,
 *   indexes?: [number, number], launcher?: Launcher, log?: (line: string) => void, runDir?: string,
 *   iamPropagationMs?: number,
 * }} EmulatorOptions  runDir: where up.sh unpacks hosts (default $TESTHOST_RUN or /var/tmp/elasticdash-testhost).
 *   iamPropagationMs: how old an instance profile (and its role's addition) must be before RunInstances takes it.
 * @typedef {{ Key: string, Value: string }} Tag
 * @typedef {{ protocol: string, from: number | undefined, to: number | undefined, cidr: string, v6: boolean,
 *   description: string | undefined, ruleId: string }} Rule
 * @typedef {{ id: string, name: string, description: string, vpcId: string, tags: Tag[], rules: Rule[],
 *   region: string }} Group
 * @typedef {{ id: string, size: number, type: string, iops: number, throughput: number, encrypted: boolean,
 *   zone: string, created: Date, tags: Tag[], state: 'in-use' | 'available',
 *   attachment: { instanceId: string, device: string, deleteOnTermination: boolean, time: Date } | null }} Volume
 * @typedef {'pending' | 'running' | 'shutting-down' | 'terminated'} InstanceStateName
 * @typedef {{
 *   id: string, reservationId: string, clientToken: string, fingerprint: string, imageId: string,
 *   instanceType: string, region: string, zone: string, launched: Date, groups: string[], tags: Tag[],
 *   volumes: { device: string, volumeId: string }[], userData: Buffer, buckets: string[], dataGiB: number,
 *   publicIp: boolean, profile: { arn: string, id: string } | null, metadata: Record<string, string>, index: number,
 *   state: InstanceStateName, pid: number | null, address: string | null, eni: string,
 *   stateReason: { Code: string, Message: string } | null, transitionReason: string,
 *   booting: Promise<void>, stopping: Promise<void> | null,
 * }} Instance
 * @typedef {{
 *   instanceId: string, state: InstanceStateName, index: number, address: string | null, pid: number | null,
 *   imageId: string, instanceType: string, clientToken: string, buckets: string[], dataGiB: number,
 *   userData: Buffer, reason: string | null, securityGroups: string[], iamInstanceProfileArn: string | null,
 * }} InstanceSummary
 * @typedef {{ name: string, id: string, arn: string, path: string, description: string | undefined,
 *   trustPolicy: string, maxSessionDuration: number, tags: Tag[], created: Date,
 *   policies: Map<string, string> }} IamRole  policies: inline policy name → document (as sent).
 * @typedef {{ name: string, id: string, arn: string, path: string, tags: Tag[], created: Date,
 *   role: string | null, roleAdded: Date | null }} IamInstanceProfile  role: the key of its role in `roles`.
 * @typedef {{
 *   roles: { roleName: string, roleId: string, arn: string, path: string, description: string | undefined,
 *     assumeRolePolicyDocument: unknown, maxSessionDuration: number, tags: Tag[], createDate: Date,
 *     policies: Record<string, unknown>, instanceProfiles: string[] }[],
 *   instanceProfiles: { instanceProfileName: string, instanceProfileId: string, arn: string, path: string,
 *     roles: string[], tags: Tag[], createDate: Date }[],
 * }} IamSummary
 * @typedef {{ params: URLSearchParams, region: string, accessKeyId: string, requestId: string }} Ctx
 */

/** An answer EC2/STS gives as an error document (HTTP 400 unless said otherwise). */
class ApiError extends Error {
  /** @param {string} code @param {string} message @param {number} [status] */
  constructor(code, message, status = 400) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

// ---- query parsing: EC2's flattened form (`Name.1`, `Filter.1.Value.2`, `A.1.B.1.C`) -------------

/** `prefix.1`, `prefix.2`, … as a list (stops at the first gap, as EC2 does). */
function list(/** @type {URLSearchParams} */ p, /** @type {string} */ prefix) {
  /** @type {string[]} */
  const out = [];
  for (let i = 1; p.has(`${prefix}.${i}`); i += 1) out.push(p.get(`${prefix}.${i}`) ?? '');
  return out;
}

/** `prefix.N.rest=value` → one URLSearchParams (keys `rest`) per N, in order. */
function members(/** @type {URLSearchParams} */ p, /** @type {string} */ prefix) {
  /** @type {Map<number, URLSearchParams>} */
  const byIndex = new Map();
  const head = `${prefix}.`;
  for (const [key, value] of p) {
    if (!key.startsWith(head)) continue;
    const rest = key.slice(head.length);
    const dot = rest.indexOf('.');
    const n = Number(dot < 0 ? rest : rest.slice(0, dot));
    if (!Number.isInteger(n) || n < 1 || dot < 0) continue;
    if (!byIndex.has(n)) byIndex.set(n, new URLSearchParams());
    byIndex.get(n)?.append(rest.slice(dot + 1), value);
  }
  return [...byIndex.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
}

/** `Filter.N.Name` / `Filter.N.Value.M`. */
function filtersOf(/** @type {URLSearchParams} */ p) {
  return members(p, 'Filter').map((f) => ({ name: f.get('Name') ?? '', values: list(f, 'Value') }));
}

/** `Tag.N.Key` / `Tag.N.Value`. @returns {Tag[]} */
function tagsOf(/** @type {URLSearchParams} */ p, prefix = 'Tag') {
  return members(p, prefix).map((t) => ({ Key: t.get('Key') ?? '', Value: t.get('Value') ?? '' }));
}

/** Tags of `TagSpecification.N` whose ResourceType is `type`. */
function specTags(/** @type {URLSearchParams} */ p, /** @type {string} */ type) {
  return members(p, 'TagSpecification')
    .filter((s) => s.get('ResourceType') === type)
    .flatMap((s) => tagsOf(s));
}

function int(/** @type {string | null} */ v, /** @type {string} */ name) {
  if (v === null || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n))
    throw new ApiError('InvalidParameterValue', `Value (${v}) for parameter ${name} is invalid.`);
  return n;
}

function required(/** @type {URLSearchParams} */ p, /** @type {string} */ name) {
  const v = p.get(name);
  if (!v) throw new ApiError('MissingParameter', `The request must contain the parameter ${name}`);
  return v;
}

/** EC2 filter values take `*` and `?` wildcards. */
function matches(/** @type {string[]} */ patterns, /** @type {string | undefined} */ value) {
  if (value === undefined) return false;
  return patterns.some((pattern) => {
    const re = pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.');
    return new RegExp(`^${re}$`).test(value);
  });
}

/**
 * Keeps the items every filter accepts. `fields` maps a filter name to the item's values for it;
 * `tag:<key>` and `tag-key` work on `tagsOf(item)`. An unknown filter is refused, as EC2 does.
 * @template T
 * @param {T[]} items @param {{ name: string, values: string[] }[]} filters
 * @param {Record<string, (item: T) => (string | undefined)[]>} fields @param {(item: T) => Tag[]} tags
 */
function applyFilters(items, filters, fields, tags) {
  for (const f of filters) {
    if (!f.name.startsWith('tag:') && f.name !== 'tag-key' && !fields[f.name]) {
      throw new ApiError('InvalidParameterValue', `The filter '${f.name}' is invalid`);
    }
  }
  return items.filter((item) =>
    filters.every((f) => {
      if (f.name.startsWith('tag:')) {
        const key = f.name.slice(4);
        return tags(item).some((t) => t.Key === key && matches(f.values, t.Value));
      }
      if (f.name === 'tag-key') return tags(item).some((t) => matches(f.values, t.Key));
      return (fields[f.name]?.(item) ?? []).some((v) => matches(f.values, v));
    }),
  );
}

// ---- XML rendering --------------------------------------------------------------------------------

/** Characters XML 1.0 allows: a script's stderr may carry others (terminal escapes). */
const xmlChar = (/** @type {number} */ c) =>
  c === 0x09 || c === 0x0a || c === 0x0d || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || c >= 0x10000;

/** XML-escaped text, characters XML cannot carry dropped. */
function esc(/** @type {string} */ s) {
  return [...s]
    .filter((ch) => xmlChar(ch.codePointAt(0) ?? 0))
    .join('')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * A plain value as XML children: object keys are element names (in order), arrays are lists whose
 * members are `<item>` (EC2) or `<member>` (awsQuery), undefined/null members are left out.
 * @param {unknown} value @param {string} itemName @returns {string}
 */
function xml(value, itemName) {
  if (value === undefined || value === null) return '';
  if (Array.isArray(value)) return value.map((v) => `<${itemName}>${xml(v, itemName)}</${itemName}>`).join('');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    return Object.entries(value)
      .filter(([, v]) => v !== undefined && v !== null)
      .map(([k, v]) => `<${k}>${xml(v, itemName)}</${k}>`)
      .join('');
  }
  return esc(String(value));
}

const ec2Document = (/** @type {string} */ action, /** @type {object} */ body, /** @type {string} */ requestId) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${action}Response xmlns="${EC2_NS}">` +
  `<requestId>${requestId}</requestId>${xml(body, 'item')}</${action}Response>`;

const ec2ErrorDocument = (/** @type {ApiError} */ e, /** @type {string} */ requestId) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${esc(e.code)}</Code>` +
  `<Message>${esc(e.message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`;

/** awsQuery (STS, IAM): `<XResponse><XResult>…</XResult>`, no Result element when there is no body. */
const queryDocument = (
  /** @type {string} */ ns,
  /** @type {string} */ action,
  /** @type {object | null} */ body,
  /** @type {string} */ requestId,
) =>
  `<${action}Response xmlns="${ns}">` +
  (body === null ? '' : `<${action}Result>${xml(body, 'member')}</${action}Result>`) +
  `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`;

const queryErrorDocument = (/** @type {string} */ ns, /** @type {ApiError} */ e, /** @type {string} */ requestId) =>
  `<ErrorResponse xmlns="${ns}"><Error><Type>Sender</Type><Code>${esc(e.code)}</Code>` +
  `<Message>${esc(e.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;

const tagXml = (/** @type {Tag[]} */ tags) => tags.map((t) => ({ key: t.Key, value: t.Value }));

// ---- IAM: names, policy documents, errors --------------------------------------------------------

/** IAM's HTTP status per error code (the SDK maps awsQuery errors by code; the status is AWS's). */
const IAM_STATUS = /** @type {Record<string, number>} */ ({
  NoSuchEntity: 404,
  EntityAlreadyExists: 409,
  DeleteConflict: 409,
  LimitExceeded: 409,
});
const iamError = (/** @type {string} */ code, /** @type {string} */ message) =>
  new ApiError(code, message, IAM_STATUS[code] ?? 400);

/** IAM's ValidationError: `1 validation error detected: Value 'x' at 'roleName' failed to satisfy constraint: …`. */
const invalid = (/** @type {string | null} */ value, /** @type {string} */ field, /** @type {string} */ constraint) =>
  iamError(
    'ValidationError',
    `1 validation error detected: Value ${value === null ? 'null' : `'${value}'`} at '${field}' failed to satisfy constraint: ${constraint}`,
  );

/** A required string parameter of at most `max` characters (`pattern`: [\w+=,.@-]+ for names). */
function iamString(
  /** @type {URLSearchParams} */ p,
  /** @type {string} */ param,
  /** @type {number} */ max,
  pattern = /^[\w+=,.@-]+$/,
) {
  const field = param.charAt(0).toLowerCase() + param.slice(1);
  const v = p.get(param);
  if (v === null) throw invalid(null, field, 'Member must not be null');
  if (v.length < 1) throw invalid(v, field, 'Member must have length greater than or equal to 1');
  if (v.length > max) throw invalid(v, field, `Member must have length less than or equal to ${max}`);
  if (!pattern.test(v)) {
    throw invalid(v, field, `Member must satisfy regular expression pattern: ${pattern.source.slice(1, -1)}`);
  }
  return v;
}

/** Path: `/` (default) or `/a/b/`. */
function iamPath(/** @type {URLSearchParams} */ p) {
  const v = p.get('Path') ?? '/';
  if (v.length > 512) throw invalid(v, 'path', 'Member must have length less than or equal to 512');
  if (!/^(\/|\/[\u0021-\u007e]+\/)$/.test(v)) {
    throw invalid(
      v,
      'path',
      'Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)',
    );
  }
  return v;
}

/** `Tags.member.N.Key/Value`: at most 50, keys unique regardless of case. */
function iamTags(/** @type {URLSearchParams} */ p) {
  const tags = tagsOf(p, 'Tags.member');
  if (tags.length > IAM_TAG_LIMIT) {
    throw invalid('[…]', 'tags', `Member must have length less than or equal to ${IAM_TAG_LIMIT}`);
  }
  const keys = new Set(tags.map((t) => t.Key.toLowerCase()));
  if (keys.size < tags.length) {
    throw iamError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
  }
  return tags;
}

/**
 * Why IAM refuses a policy document (MalformedPolicyDocument), or null. `trust`: a role's
 * AssumeRolePolicyDocument (needs a Principal, takes no Resource) rather than a permissions policy.
 */
function policyProblem(/** @type {string} */ text, /** @type {boolean} */ trust) {
  /** @type {unknown} */
  let doc;
  try {
    doc = JSON.parse(text);
  } catch {
    return 'This policy contains invalid Json';
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return 'This policy contains invalid Json';
  const { Version, Statement } = /** @type {{ Version?: unknown, Statement?: unknown }} */ (doc);
  if (Version === undefined || Statement === undefined) return 'Syntax errors in policy.';
  if (Version !== '2012-10-17' && Version !== '2008-10-17') return 'The policy failed legacy parsing';
  const statements = Array.isArray(Statement) ? Statement : [Statement];
  if (statements.length === 0) return 'Syntax errors in policy.';
  for (const st of statements) {
    if (!st || typeof st !== 'object' || Array.isArray(st)) return 'Syntax errors in policy.';
    const has = (/** @type {string} */ k) => Object.hasOwn(st, k);
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') return 'Syntax errors in policy.';
    if (!has('Action') && !has('NotAction')) return 'Policy statement must contain actions.';
    if (trust) {
      if (!has('Principal') && !has('NotPrincipal')) return 'Missing required field Principal';
      if (has('Resource') || has('NotResource')) return 'Has prohibited field Resource';
    } else {
      if (has('Principal') || has('NotPrincipal')) return 'Policy document should not specify a principal.';
      if (!has('Resource') && !has('NotResource')) return 'Policy statement must contain resources.';
    }
  }
  return null;
}

/** IAM counts a policy's size without whitespace. */
const policySize = (/** @type {string} */ text) => text.replace(/\s/g, '').length;

/** IAM answers policy documents URL-encoded (RFC 3986). */
const rfc3986 = (/** @type {string} */ s) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

// ---- ids, images, user data -----------------------------------------------------------------------

/** EC2's long ids: prefix + 17 hex digits (an instance id is 19 characters: a valid up.sh NAME). */
const newId = (/** @type {string} */ prefix) => `${prefix}-${randomBytes(9).toString('hex').slice(0, 17)}`;
const upperAlnum = (/** @type {number} */ n) =>
  Array.from(randomBytes(n), (b) => 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'[b % 32]).join('');
const gmt = (/** @type {Date} */ d) => `${d.toISOString().slice(0, 19).replace('T', ' ')} GMT`;

/**
 * The test host boots one root: Debian 12 for this machine's architecture. ImageId is what
 * aws-json passes (`resolve:ssm:/aws/service/debian/release/12/latest/<arch>`); anything else
 * would boot a system other than the one asked for, so it is refused.
 * @returns {string | null} why the image cannot boot here, or null
 */
function imageProblem(/** @type {string} */ imageId) {
  const only = 'the test host only boots Debian 12 (bookworm)';
  if (!imageId.startsWith('resolve:ssm:')) {
    return `The image id '[${imageId}]' does not exist: ${only}, named by its SSM parameter (resolve:ssm:/aws/service/debian/release/12/...)`;
  }
  const parameter = imageId.slice('resolve:ssm:'.length);
  if (!/debian/i.test(parameter) || !/(\/12\/|bookworm)/i.test(parameter)) {
    return `The image id '[${imageId}]' does not exist: ${only}, not ${parameter}`;
  }
  const arch = process.arch === 'arm64' ? 'arm64' : 'amd64';
  const asked = /arm64/.test(parameter) ? 'arm64' : 'amd64';
  if (asked !== arch) {
    return `The image id '[${imageId}]' does not exist: ${only} for this machine's architecture (${arch}), not ${asked}`;
  }
  return null;
}

const BUCKET = '[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]';
/**
 * Buckets the guest must resolve to the local S3 server (up.sh's TESTHOST_BUCKETS): URLs and host
 * names in the user data (`s3://b/`, `b.s3.`), plus the forms ElasticDash's user data carries them
 * in (the embedded desired config's `"bucket": "b"`, `s3tool.py get|put <region> … b`).
 */
function bucketsIn(/** @type {Buffer} */ userData) {
  let bytes = userData;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch {
      return []; // cloud-init would fail on it too: no buckets to name
    }
  }
  const text = bytes.toString('utf8');
  const patterns = [
    new RegExp(`s3://(${BUCKET})/`, 'g'),
    new RegExp(`(?<![a-z0-9.-])(${BUCKET})\\.s3[.-]`, 'g'),
    new RegExp(`"bucket"\\s*:\\s*"(${BUCKET})"`, 'g'),
    new RegExp(`s3tool\\.py\\s+get\\s+\\S+\\s+(${BUCKET})\\s`, 'g'),
    new RegExp(`s3tool\\.py\\s+put\\s+\\S+\\s+\\S+\\s+(${BUCKET})\\s`, 'g'),
  ];
  const found = new Set();
  for (const re of patterns) for (const m of text.matchAll(re)) if (m[1]) found.add(m[1]);
  return [...found].sort();
}

// ---- host lifecycle: the default launcher (up.sh / down.sh) and index allocation ------------------

/**
 * Runs a kit script without blocking the event loop (the local S3 server the guest talks to may
 * live in this process).
 * @param {string} file @param {string[]} args @param {Record<string, string>} env @param {number} timeoutMs
 * @returns {Promise<{ code: number, stdout: string, stderr: string }>}
 */
function runScript(file, args, env, timeoutMs) {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d.toString()));
    child.stderr.on('data', (d) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr });
    });
  });
}

const lastLines = (/** @type {string} */ text, n = 6) => text.trim().split('\n').slice(-n).join('\n');

/** @param {string | undefined} s3Target @returns {Launcher} */
export function scriptLauncher(s3Target) {
  return {
    async up({ name, index, userData, region, buckets, dataGiB }) {
      const dir = mkdtempSync(path.join(tmpdir(), 'ed-ec2-emulator-'));
      const file = path.join(dir, 'user-data');
      writeFileSync(file, userData, { mode: 0o600 });
      /** @type {Record<string, string>} */
      const env = {
        TESTHOST_REGION: region,
        TESTHOST_BUCKETS: buckets.join(' '),
        TESTHOST_DATA_GIB: String(dataGiB),
        TESTHOST_NODE: process.execPath,
        TESTHOST_INSTANCE_ID: name, // IMDS and the NoCloud meta-data report the EC2 id
      };
      if (s3Target) env.TESTHOST_S3_TARGET = s3Target;
      try {
        const r = await runScript(path.join(KIT, 'up.sh'), [name, String(index), file], env, 900_000);
        if (r.code !== 0) {
          await runScript(path.join(KIT, 'down.sh'), [name], {}, 120_000).catch(() => undefined);
          throw new Error(`up.sh exit ${r.code}: ${lastLines(r.stderr)}`);
        }
        const kv = Object.fromEntries(
          r.stdout
            .split('\n')
            .map((l) => /^([A-Z_]+)=(.*)$/.exec(l))
            .flatMap((m) => (m ? [[m[1], m[2]]] : [])),
        );
        return { pid: Number(kv.PID), address: String(kv.ADDRESS ?? '') };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async down(name) {
      const r = await runScript(path.join(KIT, 'down.sh'), [name], {}, 120_000);
      if (r.code !== 0) throw new Error(`down.sh exit ${r.code}: ${lastLines(r.stderr)}`);
    },
  };
}

/**
 * Third octets taken by hosts this emulator does not know (another test's up.sh, a stale host):
 * a run directory's `index` file, or an `edth<N>` veth on this machine.
 */
function indexTakenOnMachine(/** @type {number} */ n, /** @type {string} */ runDir) {
  if (existsSync(`/sys/class/net/edth${n}`)) return true;
  let names;
  try {
    names = readdirSync(runDir);
  } catch {
    return false;
  }
  return names.some((name) => {
    try {
      return readFileSync(path.join(runDir, name, 'index'), 'utf8').trim() === String(n);
    } catch {
      return false;
    }
  });
}

// ---- the emulator ---------------------------------------------------------------------------------

/**
 * @param {EmulatorOptions} [options]
 * @returns {Promise<{ url: string, close(): Promise<void>, instances(): InstanceSummary[], iam(): IamSummary }>}
 */
export async function startEc2Emulator(options = {}) {
  const accountId = options.accountId ?? '000000000000';
  const defaultRegion = options.region ?? 'us-east-1';
  const [firstIndex, lastIndex] = options.indexes ?? [100, 149];
  const launcher = options.launcher ?? scriptLauncher(options.s3Target);
  const log = options.log ?? (() => undefined);
  const runDir = options.runDir ?? process.env.TESTHOST_RUN ?? '/var/tmp/elasticdash-testhost';
  const iamPropagationMs = options.iamPropagationMs ?? IAM_PROPAGATION_MS;

  // One default VPC with one subnet and its `default` group, shared by every region asked for.
  const vpcId = newId('vpc');
  const subnetId = newId('subnet');
  /** @type {Map<string, Group>} */
  const groups = new Map();
  const defaultGroup = { id: newId('sg'), name: 'default', description: 'default VPC security group', vpcId };
  groups.set(defaultGroup.id, { ...defaultGroup, tags: [], rules: [], region: defaultRegion });
  /** @type {Map<string, Instance>} */
  const instances = new Map();
  /** @type {Map<string, Volume>} */
  const volumes = new Map();
  /** RunInstances client token → instance id (kept after termination, as EC2 does). */
  const tokens = new Map();
  /** AssumeRole's temporary access key ids → the assumed identity (GetCallerIdentity answers with it). */
  const sessions = new Map();
  const usedIndexes = new Set();
  // IAM is global (every region sees the same entities); names are unique regardless of case.
  /** @type {Map<string, IamRole>} lower-cased RoleName → role */
  const roles = new Map();
  /** @type {Map<string, IamInstanceProfile>} lower-cased InstanceProfileName → profile */
  const profiles = new Map();

  const zoneOf = (/** @type {string} */ region) => `${region}a`;

  // ---- host lifecycle -----------------------------------------------------------------------------

  function allocateIndex() {
    for (let n = firstIndex; n <= lastIndex; n += 1) {
      if (!usedIndexes.has(n) && !indexTakenOnMachine(n, runDir)) {
        usedIndexes.add(n);
        return n;
      }
    }
    return null;
  }

  /** Volumes after the instance is gone: DeleteOnTermination ones go away, others become available. */
  function releaseVolumes(/** @type {Instance} */ inst) {
    for (const { volumeId } of inst.volumes) {
      const v = volumes.get(volumeId);
      if (!v) continue;
      if (v.attachment?.deleteOnTermination) volumes.delete(volumeId);
      else Object.assign(v, { state: 'available', attachment: null });
    }
  }

  function setTerminated(/** @type {Instance} */ inst) {
    inst.state = 'terminated';
    releaseVolumes(inst);
    usedIndexes.delete(inst.index);
  }

  /** Boots the test host in the background; RunInstances has already answered `pending`. */
  async function boot(/** @type {Instance} */ inst) {
    const t = Date.now();
    log(`${inst.id}: booting a test host (index ${inst.index}, buckets ${inst.buckets.join(' ') || '-'})`);
    try {
      const host = await launcher.up({
        name: inst.id,
        index: inst.index,
        userData: inst.userData,
        region: inst.region,
        buckets: inst.buckets,
        dataGiB: inst.dataGiB,
      });
      if (inst.state !== 'pending') return; // terminated while booting: shutdown() runs down()
      Object.assign(inst, { state: 'running', pid: host.pid, address: host.address });
      log(`${inst.id}: running at ${host.address} (PID ${host.pid}) after ${Math.round((Date.now() - t) / 1000)} s`);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      log(`${inst.id}: the test host did not boot: ${why}`);
      if (inst.state !== 'pending') return;
      const message = `the test host did not boot: ${lastLines(why)}`;
      inst.stateReason = { Code: 'Server.InternalError', Message: message };
      inst.transitionReason = `Server.InternalError: ${message}`;
      setTerminated(inst);
    }
  }

  /** shutting-down → (boot settled) down() → terminated. */
  function shutdown(/** @type {Instance} */ inst, /** @type {string} */ why) {
    inst.state = 'shutting-down';
    inst.stateReason = {
      Code: 'Client.UserInitiatedShutdown',
      Message: 'Client.UserInitiatedShutdown: User initiated shutdown',
    };
    inst.transitionReason = why;
    inst.stopping = (async () => {
      await inst.booting;
      try {
        await launcher.down(inst.id);
        log(`${inst.id}: test host down`);
      } catch (error) {
        log(`${inst.id}: down failed: ${error instanceof Error ? error.message : String(error)}`);
      }
      setTerminated(inst);
    })();
    return inst.stopping;
  }

  // ---- rendering of resources ---------------------------------------------------------------------

  /** One ingress rule as Authorize/RevokeSecurityGroupIngress list it (SecurityGroupRule). */
  function ruleXml(/** @type {string} */ groupId, /** @type {Rule} */ r) {
    return {
      securityGroupRuleId: r.ruleId,
      groupId,
      isEgress: false,
      ipProtocol: r.protocol,
      fromPort: r.from ?? -1,
      toPort: r.to ?? -1,
      ...(r.v6 ? { cidrIpv6: r.cidr } : { cidrIpv4: r.cidr }),
      description: r.description,
    };
  }

  /** Rules grouped into IpPermissions (one per protocol/port range), as DescribeSecurityGroups shows them. */
  function permissionsXml(/** @type {Rule[]} */ rules) {
    /** @type {Map<string, { ipProtocol: string, fromPort?: number, toPort?: number, groups: never[],
     *   ipRanges: object[], ipv6Ranges: object[], prefixListIds: never[] }>} */
    const byRange = new Map();
    for (const r of rules) {
      const key = `${r.protocol}/${r.from}/${r.to}`;
      if (!byRange.has(key)) {
        byRange.set(key, {
          ipProtocol: r.protocol,
          ...(r.protocol === '-1' ? {} : { fromPort: r.from, toPort: r.to }),
          groups: [],
          ipRanges: [],
          ipv6Ranges: [],
          prefixListIds: [],
        });
      }
      const p = byRange.get(key);
      if (r.v6) p?.ipv6Ranges.push({ cidrIpv6: r.cidr, description: r.description });
      else p?.ipRanges.push({ cidrIp: r.cidr, description: r.description });
    }
    return [...byRange.values()];
  }

  function groupXml(/** @type {Group} */ g) {
    return {
      ownerId: accountId,
      groupId: g.id,
      groupName: g.name,
      groupDescription: g.description,
      ipPermissions: permissionsXml(g.rules),
      // What EC2 gives every new group: all egress allowed.
      ipPermissionsEgress: [
        { ipProtocol: '-1', groups: [], ipRanges: [{ cidrIp: '0.0.0.0/0' }], ipv6Ranges: [], prefixListIds: [] },
      ],
      vpcId: g.vpcId,
      securityGroupArn: `arn:aws:ec2:${g.region}:${accountId}:security-group/${g.id}`,
      tagSet: tagXml(g.tags),
    };
  }

  const stateXml = (/** @type {InstanceStateName} */ name) => ({ code: STATE_CODES[name], name });
  const groupRefs = (/** @type {Instance} */ inst) =>
    inst.groups.map((id) => ({ groupId: id, groupName: groups.get(id)?.name ?? '' }));

  function instanceXml(/** @type {Instance} */ inst) {
    const live = inst.state === 'running' || inst.state === 'shutting-down';
    const privateIp = live ? inst.address : null;
    const publicIp = live && inst.publicIp ? inst.address : null;
    return {
      instanceId: inst.id,
      imageId: inst.imageId,
      instanceState: stateXml(inst.state),
      // No DNS in the test host's network: names are empty, clients use the address.
      privateDnsName: '',
      dnsName: '',
      reason: inst.transitionReason,
      amiLaunchIndex: 0,
      productCodes: [],
      instanceType: inst.instanceType,
      launchTime: inst.launched,
      placement: { availabilityZone: inst.zone, groupName: '', tenancy: 'default' },
      monitoring: { state: 'disabled' },
      subnetId: inst.state === 'terminated' ? undefined : subnetId,
      vpcId: inst.state === 'terminated' ? undefined : vpcId,
      privateIpAddress: privateIp,
      ipAddress: publicIp,
      sourceDestCheck: true,
      groupSet: groupRefs(inst),
      stateReason: inst.stateReason ? { code: inst.stateReason.Code, message: inst.stateReason.Message } : undefined,
      architecture: process.arch === 'arm64' ? 'arm64' : 'x86_64',
      rootDeviceType: 'ebs',
      rootDeviceName: ROOT_DEVICE,
      blockDeviceMapping:
        inst.state === 'terminated'
          ? []
          : inst.volumes.map(({ device, volumeId }) => {
              const v = volumes.get(volumeId);
              return {
                deviceName: device,
                ebs: {
                  volumeId,
                  status: 'attached',
                  attachTime: v?.attachment?.time ?? inst.launched,
                  deleteOnTermination: v?.attachment?.deleteOnTermination ?? true,
                },
              };
            }),
      virtualizationType: 'hvm',
      clientToken: inst.clientToken,
      tagSet: tagXml(inst.tags),
      hypervisor: 'xen',
      networkInterfaceSet:
        inst.state === 'terminated'
          ? []
          : [
              {
                networkInterfaceId: inst.eni,
                subnetId,
                vpcId,
                ownerId: accountId,
                status: 'in-use',
                privateIpAddress: privateIp,
                sourceDestCheck: true,
                groupSet: groupRefs(inst),
                attachment: {
                  attachmentId: `eni-attach-${inst.eni.slice(4)}`,
                  deviceIndex: 0,
                  status: 'attached',
                  deleteOnTermination: true,
                },
              },
            ],
      iamInstanceProfile: inst.profile ?? undefined,
      ebsOptimized: false,
      enaSupport: true,
      metadataOptions: { state: 'applied', ...inst.metadata },
    };
  }

  const reservationXml = (/** @type {Instance[]} */ list) => ({
    reservationId: list[0]?.reservationId,
    ownerId: accountId,
    groupSet: [],
    instancesSet: list.map(instanceXml),
  });

  function volumeXml(/** @type {Volume} */ v) {
    return {
      volumeId: v.id,
      size: v.size,
      snapshotId: '',
      availabilityZone: v.zone,
      status: v.state,
      createTime: v.created,
      attachmentSet: v.attachment
        ? [
            {
              volumeId: v.id,
              instanceId: v.attachment.instanceId,
              device: v.attachment.device,
              status: 'attached',
              attachTime: v.attachment.time,
              deleteOnTermination: v.attachment.deleteOnTermination,
            },
          ]
        : [],
      tagSet: tagXml(v.tags),
      volumeType: v.type,
      iops: v.iops,
      throughput: v.throughput,
      encrypted: v.encrypted,
      multiAttachEnabled: false,
    };
  }

  // ---- lookups --------------------------------------------------------------------------------------

  function groupById(/** @type {string} */ id) {
    const g = groups.get(id);
    if (!g) throw new ApiError('InvalidGroup.NotFound', `The security group '${id}' does not exist`);
    return g;
  }
  function groupByName(/** @type {string} */ name) {
    const g = [...groups.values()].find((x) => x.name === name && x.vpcId === vpcId);
    if (!g)
      throw new ApiError(
        'InvalidGroup.NotFound',
        `The security group '${name}' does not exist in default VPC '${vpcId}'`,
      );
    return g;
  }
  /** GroupId, else GroupName (EC2 accepts either). */
  const targetGroup = (/** @type {URLSearchParams} */ p) =>
    p.get('GroupId') ? groupById(p.get('GroupId') ?? '') : groupByName(required(p, 'GroupId'));

  function instancesById(/** @type {string[]} */ ids) {
    const missing = ids.filter((id) => !instances.has(id));
    if (missing.length === 1) {
      throw new ApiError('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
    }
    if (missing.length > 1) {
      throw new ApiError('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
    }
    return ids.map((id) => /** @type {Instance} */ (instances.get(id)));
  }

  /** Rules named by `IpPermissions.N` (plus the old top-level CidrIp/IpProtocol/FromPort/ToPort form). */
  function rulesOf(/** @type {URLSearchParams} */ p) {
    /** @type {Omit<Rule, 'ruleId'>[]} */
    const rules = [];
    const perms = members(p, 'IpPermissions');
    if (p.get('CidrIp')) perms.push(p);
    for (const perm of perms) {
      const raw = (perm.get('IpProtocol') ?? '').toLowerCase();
      const protocol = { 6: 'tcp', 17: 'udp', 1: 'icmp', all: '-1' }[raw] ?? raw;
      if (!['tcp', 'udp', 'icmp', '-1'].includes(protocol)) {
        throw new ApiError('InvalidParameterValue', `Invalid value '${raw}' for IP protocol. Unknown protocol.`);
      }
      const from = protocol === '-1' ? undefined : int(perm.get('FromPort'), 'FromPort');
      const to = protocol === '-1' ? undefined : int(perm.get('ToPort'), 'ToPort');
      if (protocol !== '-1' && (from === undefined || to === undefined)) {
        throw new ApiError(
          'InvalidParameterValue',
          `Invalid value for portRange. Must specify both from and to ports with TCP/UDP.`,
        );
      }
      const ranges = [
        ...members(perm, 'IpRanges').map((r) => ({
          cidr: r.get('CidrIp') ?? '',
          v6: false,
          description: r.get('Description') ?? undefined,
        })),
        ...members(perm, 'Ipv6Ranges').map((r) => ({
          cidr: r.get('CidrIpv6') ?? '',
          v6: true,
          description: r.get('Description') ?? undefined,
        })),
      ];
      if (perm === p) ranges.push({ cidr: p.get('CidrIp') ?? '', v6: false, description: undefined });
      for (const r of ranges) {
        const ok = r.v6 ? /^[0-9a-f:]+\/\d{1,3}$/i.test(r.cidr) : /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(r.cidr);
        if (!ok) throw new ApiError('InvalidParameterValue', `CIDR block ${r.cidr} is malformed`);
        rules.push({ protocol, from, to, ...r });
      }
    }
    return rules;
  }
  const ruleKey = (/** @type {Omit<Rule, 'ruleId'>} */ r) => `${r.protocol}/${r.from}/${r.to}/${r.cidr.toLowerCase()}`;
  const ruleText = (/** @type {Omit<Rule, 'ruleId'>} */ r) =>
    `peer: ${r.cidr}, ${r.protocol === '-1' ? 'ALL' : r.protocol.toUpperCase()}, from port: ${r.from}, to port: ${r.to}, ALLOW`;

  // ---- IAM entities ---------------------------------------------------------------------------------

  function roleNamed(/** @type {string} */ name) {
    const r = roles.get(name.toLowerCase());
    if (!r) throw iamError('NoSuchEntity', `The role with name ${name} cannot be found.`);
    return r;
  }
  function profileNamed(/** @type {string} */ name) {
    const ip = profiles.get(name.toLowerCase());
    if (!ip) throw iamError('NoSuchEntity', `Instance Profile ${name} cannot be found.`);
    return ip;
  }
  const profilesOf = (/** @type {IamRole} */ r) =>
    [...profiles.values()].filter((ip) => ip.role === r.name.toLowerCase());

  /** A Role element; `full`: GetRole/CreateRole's (an instance profile's Roles list carries the short one). */
  function roleXml(/** @type {IamRole} */ r, full = true) {
    return {
      Path: r.path,
      RoleName: r.name,
      RoleId: r.id,
      Arn: r.arn,
      CreateDate: r.created,
      AssumeRolePolicyDocument: rfc3986(r.trustPolicy),
      ...(full
        ? {
            Description: r.description,
            MaxSessionDuration: r.maxSessionDuration,
            Tags: r.tags.length > 0 ? r.tags : undefined,
            RoleLastUsed: {},
          }
        : {}),
    };
  }

  function profileXml(/** @type {IamInstanceProfile} */ ip) {
    const role = ip.role ? roles.get(ip.role) : undefined;
    return {
      Path: ip.path,
      InstanceProfileName: ip.name,
      InstanceProfileId: ip.id,
      Arn: ip.arn,
      CreateDate: ip.created,
      Roles: role ? [roleXml(role, false)] : [],
      Tags: ip.tags.length > 0 ? ip.tags : undefined,
    };
  }

  /**
   * RunInstances' IamInstanceProfile (Name or Arn): a profile that exists, holds a role, and is
   * older than iamPropagationMs (as is the role's addition) — else EC2's InvalidParameterValue.
   * @returns {{ arn: string, id: string } | null}
   */
  function launchProfile(/** @type {URLSearchParams} */ p) {
    const name = p.get('IamInstanceProfile.Name');
    const arn = p.get('IamInstanceProfile.Arn');
    if (!name && !arn) return null;
    const refuse = (/** @type {'name' | 'arn'} */ field, /** @type {string} */ value) =>
      new ApiError(
        'InvalidParameterValue',
        `Value (${value}) for parameter iamInstanceProfile.${field} is invalid. Invalid IAM Instance Profile ${field === 'name' ? 'name' : 'ARN'}`,
      );
    const ip = name ? profiles.get(name.toLowerCase()) : [...profiles.values()].find((x) => x.arn === arn);
    const [field, value] = name ? /** @type {const} */ (['name', name]) : /** @type {const} */ (['arn', arn ?? '']);
    const visibleSince = ip ? Math.max(ip.created.getTime(), ip.roleAdded?.getTime() ?? 0) : 0;
    if (!ip || !ip.role || Date.now() - visibleSince < iamPropagationMs) throw refuse(field, value);
    if (name && arn && ip.arn !== arn) throw refuse('arn', arn);
    return { arn: ip.arn, id: ip.id };
  }

  // ---- actions --------------------------------------------------------------------------------------

  const unsupported = (/** @type {string} */ action) => () => {
    throw new ApiError(
      'UnsupportedOperation',
      `${action}: the test host cannot stop, start, resize or grow a volume (a namespace on this machine, ` +
        `not a VM): those paths are proven with recorded SDK calls only`,
    );
  };

  /** @type {Record<string, (c: Ctx) => object>} */
  const ec2Actions = {
    DescribeAvailabilityZones({ params, region }) {
      const zone = {
        zoneName: zoneOf(region),
        zoneId: `${region}-az1`,
        zoneState: 'available',
        regionName: region,
        optInStatus: 'opt-in-not-required',
        groupName: region,
        networkBorderGroup: region,
        zoneType: 'availability-zone',
        messageSet: [],
      };
      const names = list(params, 'ZoneName');
      let zones = names.length > 0 ? [zone].filter((z) => names.includes(z.zoneName)) : [zone];
      zones = applyFilters(
        zones,
        filtersOf(params),
        {
          'zone-type': (z) => [z.zoneType],
          'zone-name': (z) => [z.zoneName],
          'zone-id': (z) => [z.zoneId],
          'region-name': (z) => [z.regionName],
          state: (z) => [z.zoneState],
          'opt-in-status': (z) => [z.optInStatus],
        },
        () => [],
      );
      return { availabilityZoneInfo: zones };
    },

    DescribeVpcs({ params }) {
      const vpc = {
        vpcId,
        ownerId: accountId,
        state: 'available',
        cidrBlock: '172.31.0.0/16',
        dhcpOptionsId: newId('dopt'),
        instanceTenancy: 'default',
        isDefault: true,
        cidrBlockAssociationSet: [
          {
            associationId: `vpc-cidr-assoc-${vpcId.slice(4)}`,
            cidrBlock: '172.31.0.0/16',
            cidrBlockState: { state: 'associated' },
          },
        ],
        tagSet: [],
      };
      const ids = list(params, 'VpcId');
      const missing = ids.find((id) => id !== vpcId);
      if (missing) throw new ApiError('InvalidVpcID.NotFound', `The vpc ID '${missing}' does not exist`);
      const vpcs = applyFilters(
        [vpc],
        filtersOf(params),
        {
          'is-default': (v) => [String(v.isDefault)],
          'vpc-id': (v) => [v.vpcId],
          state: (v) => [v.state],
          'cidr-block': (v) => [v.cidrBlock],
          'owner-id': (v) => [v.ownerId],
        },
        () => [],
      );
      return { vpcSet: vpcs };
    },

    CreateSecurityGroup({ params, region }) {
      const name = required(params, 'GroupName');
      const description = required(params, 'GroupDescription');
      const inVpc = params.get('VpcId') ?? vpcId;
      if (inVpc !== vpcId) throw new ApiError('InvalidVpcID.NotFound', `The vpc ID '${inVpc}' does not exist`);
      if (/^sg-/i.test(name)) throw new ApiError('InvalidParameterValue', `Group names may not be in the format sg-*.`);
      if ([...groups.values()].some((g) => g.name === name && g.vpcId === inVpc)) {
        throw new ApiError('InvalidGroup.Duplicate', `The security group '${name}' already exists for VPC '${inVpc}'`);
      }
      const g = {
        id: newId('sg'),
        name,
        description,
        vpcId: inVpc,
        tags: specTags(params, 'security-group'),
        rules: [],
        region,
      };
      groups.set(g.id, g);
      return { return: true, groupId: g.id, securityGroupArn: groupXml(g).securityGroupArn, tagSet: tagXml(g.tags) };
    },

    DescribeSecurityGroups({ params }) {
      const ids = list(params, 'GroupId');
      const names = list(params, 'GroupName');
      let found = ids.length > 0 ? ids.map(groupById) : [...groups.values()];
      if (names.length > 0) {
        const named = names.map(groupByName);
        found = found.filter((g) => named.includes(g));
      }
      found = applyFilters(
        found,
        filtersOf(params),
        {
          'group-name': (g) => [g.name],
          'group-id': (g) => [g.id],
          'vpc-id': (g) => [g.vpcId],
          description: (g) => [g.description],
          'owner-id': () => [accountId],
          'ip-permission.cidr': (g) => g.rules.filter((r) => !r.v6).map((r) => r.cidr),
          'ip-permission.ipv6-cidr': (g) => g.rules.filter((r) => r.v6).map((r) => r.cidr),
          'ip-permission.from-port': (g) => g.rules.map((r) => String(r.from)),
          'ip-permission.to-port': (g) => g.rules.map((r) => String(r.to)),
          'ip-permission.protocol': (g) => g.rules.map((r) => r.protocol),
        },
        (g) => g.tags,
      );
      return { securityGroupInfo: found.map(groupXml) };
    },

    AuthorizeSecurityGroupIngress({ params }) {
      const g = targetGroup(params);
      const wanted = rulesOf(params);
      if (wanted.length === 0) throw new ApiError('MissingParameter', 'No IP permissions were given (IpPermissions)');
      const have = new Set(g.rules.map(ruleKey));
      // All or nothing, like EC2: one existing (or repeated) rule refuses the whole call.
      for (const r of wanted) {
        if (have.has(ruleKey(r))) {
          throw new ApiError('InvalidPermission.Duplicate', `the specified rule "${ruleText(r)}" already exists`);
        }
        have.add(ruleKey(r));
      }
      const added = wanted.map((r) => ({ ...r, ruleId: newId('sgr') }));
      g.rules.push(...added);
      return {
        return: true,
        securityGroupRuleSet: added.map((r) => ({ ...ruleXml(g.id, r), groupOwnerId: accountId })),
      };
    },

    RevokeSecurityGroupIngress({ params }) {
      const g = targetGroup(params);
      const asked = rulesOf(params);
      const keys = new Set(asked.map(ruleKey));
      const revoked = g.rules.filter((r) => keys.has(ruleKey(r)));
      g.rules = g.rules.filter((r) => !keys.has(ruleKey(r)));
      const revokedKeys = new Set(revoked.map(ruleKey));
      // In a VPC, rules that do not exist are not an error: the answer lists them as unknown.
      const unknown = asked.filter((r) => !revokedKeys.has(ruleKey(r)));
      return {
        return: true,
        unknownIpPermissionSet: unknown.length ? permissionsXml(unknown.map((r) => ({ ...r, ruleId: '' }))) : undefined,
        revokedSecurityGroupRuleSet: revoked.map((r) => ruleXml(g.id, r)),
      };
    },

    DeleteSecurityGroup({ params }) {
      const g = targetGroup(params);
      if (g.id === defaultGroup.id) {
        throw new ApiError(
          'CannotDelete',
          `the specified group: "${g.id}" name: "default" cannot be deleted by a user`,
        );
      }
      // An instance's network interface holds the group until the instance is terminated.
      const user = [...instances.values()].find((i) => i.state !== 'terminated' && i.groups.includes(g.id));
      if (user) throw new ApiError('DependencyViolation', `resource ${g.id} has a dependent object`);
      groups.delete(g.id);
      return { return: true, groupId: g.id };
    },

    RunInstances(ctx) {
      const { params, region } = ctx;
      const clientToken = params.get('ClientToken') ?? '';
      // Same token: the same instance (same parameters) or IdempotentParameterMismatch.
      const fingerprint = JSON.stringify(
        [...params]
          .filter(([k]) => !['Action', 'Version', 'ClientToken'].includes(k))
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
      );
      if (clientToken && tokens.has(clientToken)) {
        const earlier = /** @type {Instance} */ (instances.get(tokens.get(clientToken)));
        if (earlier.fingerprint !== fingerprint) {
          throw new ApiError(
            'IdempotentParameterMismatch',
            `Arguments on this idempotent request are inconsistent with arguments used in previous request(s) (client token ${clientToken}).`,
          );
        }
        return reservationXml([earlier]);
      }

      const min = int(required(params, 'MinCount'), 'MinCount') ?? 1;
      const max = int(required(params, 'MaxCount'), 'MaxCount') ?? 1;
      if (min < 1 || max < min) throw new ApiError('InvalidParameterValue', `Invalid MinCount/MaxCount: ${min}/${max}`);
      if (min > 1)
        throw new ApiError(
          'UnsupportedOperation',
          'the test host emulator launches one instance per RunInstances (MinCount 1)',
        );
      const imageId = required(params, 'ImageId');
      const refusal = imageProblem(imageId);
      if (refusal) throw new ApiError('InvalidAMIID.NotFound', refusal);
      const instanceType = params.get('InstanceType') ?? 'm1.small';

      const nics = members(params, 'NetworkInterface');
      const topGroups = [
        ...list(params, 'SecurityGroupId'),
        ...list(params, 'SecurityGroup').map((n) => groupByName(n).id),
      ];
      if (nics.length > 0 && topGroups.length > 0) {
        throw new ApiError(
          'InvalidParameterCombination',
          'Network interfaces and an instance-level security groups may not be specified on the same request',
        );
      }
      const nic = nics[0];
      let groupIds = nic ? list(nic, 'SecurityGroupId') : topGroups;
      groupIds.forEach(groupById);
      if (groupIds.length === 0) groupIds = [defaultGroup.id];
      const publicIp = nic?.get('AssociatePublicIpAddress') !== 'false'; // a default VPC's subnets assign one

      const userData = Buffer.from(params.get('UserData') ?? '', 'base64');
      if (params.get('UserData') && !/^[A-Za-z0-9+/]*={0,2}$/.test((params.get('UserData') ?? '').replace(/\s/g, ''))) {
        throw new ApiError('InvalidParameterValue', 'Invalid BASE64 encoding of user data.');
      }
      if (userData.length > USER_DATA_LIMIT) {
        throw new ApiError('InvalidParameterValue', `User data is limited to ${USER_DATA_LIMIT} bytes`);
      }

      const mappings = members(params, 'BlockDeviceMapping').map((m) => ({
        device: m.get('DeviceName') ?? '',
        size: int(m.get('Ebs.VolumeSize'), 'VolumeSize'),
        type: m.get('Ebs.VolumeType') ?? 'gp3',
        iops: int(m.get('Ebs.Iops'), 'Iops'),
        throughput: int(m.get('Ebs.Throughput'), 'Throughput'),
        deleteOnTermination: m.get('Ebs.DeleteOnTermination') !== 'false',
        encrypted: m.get('Ebs.Encrypted') === 'true',
      }));
      if (mappings.some((m) => !m.device))
        throw new ApiError('MissingParameter', 'The request must contain the parameter DeviceName');
      // The image's root volume exists whether or not it is mapped (8 GiB, deleted with the instance).
      if (!mappings.some((m) => m.device === ROOT_DEVICE)) {
        mappings.unshift({
          device: ROOT_DEVICE,
          size: 8,
          type: 'gp3',
          iops: undefined,
          throughput: undefined,
          deleteOnTermination: true,
          encrypted: false,
        });
      }
      const data = mappings.find((m) => m.device !== ROOT_DEVICE);
      const profile = launchProfile(params);

      const index = allocateIndex();
      if (index === null) {
        throw new ApiError(
          'InsufficientInstanceCapacity',
          `We currently do not have sufficient ${instanceType} capacity in the Availability Zone you requested (${zoneOf(region)}): ` +
            `every test host index ${firstIndex}-${lastIndex} is in use.`,
        );
      }

      const id = newId('i');
      const launched = new Date();
      const volumeTags = specTags(params, 'volume');
      const instVolumes = mappings.map((m) => {
        const v = {
          id: newId('vol'),
          size: m.size ?? 8,
          type: m.type,
          iops: m.iops ?? 3000,
          throughput: m.throughput ?? 125,
          encrypted: m.encrypted,
          zone: zoneOf(region),
          created: launched,
          tags: [...volumeTags],
          state: /** @type {'in-use'} */ ('in-use'),
          attachment: { instanceId: id, device: m.device, deleteOnTermination: m.deleteOnTermination, time: launched },
        };
        volumes.set(v.id, v);
        return { device: m.device, volumeId: v.id };
      });
      /** @type {Record<string, string>} */
      const metadata = {};
      for (const [k, v] of params) {
        if (k.startsWith('MetadataOptions.')) metadata[k.charAt(16).toLowerCase() + k.slice(17)] = v;
      }
      /** @type {Instance} */
      const inst = {
        id,
        reservationId: newId('r'),
        clientToken,
        fingerprint,
        imageId,
        instanceType,
        region,
        zone: zoneOf(region),
        launched,
        groups: groupIds,
        tags: specTags(params, 'instance'),
        volumes: instVolumes,
        userData,
        buckets: bucketsIn(userData),
        dataGiB: Math.max(1, Math.min(data?.size ?? 2, MAX_DATA_GIB)),
        publicIp,
        profile,
        metadata,
        index,
        state: 'pending',
        pid: null,
        address: null,
        eni: newId('eni'),
        stateReason: null,
        transitionReason: '',
        booting: Promise.resolve(),
        stopping: null,
      };
      instances.set(id, inst);
      if (clientToken) tokens.set(clientToken, id);
      inst.booting = boot(inst);
      return reservationXml([inst]);
    },

    DescribeInstances({ params }) {
      const ids = list(params, 'InstanceId');
      const chosen = ids.length > 0 ? instancesById(ids) : [...instances.values()];
      const found = applyFilters(
        chosen,
        filtersOf(params),
        {
          'instance-id': (i) => [i.id],
          'client-token': (i) => [i.clientToken],
          'instance-state-name': (i) => [i.state],
          'instance-state-code': (i) => [String(STATE_CODES[i.state])],
          'instance-type': (i) => [i.instanceType],
          'image-id': (i) => [i.imageId],
          'vpc-id': () => [vpcId],
          'subnet-id': () => [subnetId],
          'availability-zone': (i) => [i.zone],
          'private-ip-address': (i) => [i.address ?? undefined],
          'ip-address': (i) => [i.publicIp ? (i.address ?? undefined) : undefined],
          'instance.group-id': (i) => i.groups,
          'group-id': (i) => i.groups,
          'reservation-id': (i) => [i.reservationId],
        },
        (i) => i.tags,
      );
      return { reservationSet: found.map((i) => reservationXml([i])) };
    },

    TerminateInstances({ params }) {
      const ids = list(params, 'InstanceId');
      if (ids.length === 0) throw new ApiError('MissingParameter', 'The request must contain the parameter InstanceId');
      const changes = instancesById(ids).map((inst) => {
        const previous = inst.state;
        if (previous === 'pending' || previous === 'running') shutdown(inst, `User initiated (${gmt(new Date())})`);
        return { instanceId: inst.id, currentState: stateXml(inst.state), previousState: stateXml(previous) };
      });
      return { instancesSet: changes };
    },

    StopInstances: unsupported('StopInstances'),
    StartInstances: unsupported('StartInstances'),
    ModifyInstanceAttribute: unsupported('ModifyInstanceAttribute'),
    ModifyVolume: unsupported('ModifyVolume'),

    DescribeVolumes({ params }) {
      const ids = list(params, 'VolumeId');
      const missing = ids.filter((id) => !volumes.has(id));
      if (missing.length > 0) {
        throw new ApiError(
          'InvalidVolume.NotFound',
          `The volume${missing.length > 1 ? 's' : ''} '${missing.join(', ')}' does not exist.`,
        );
      }
      const chosen = ids.length > 0 ? ids.map((id) => /** @type {Volume} */ (volumes.get(id))) : [...volumes.values()];
      const found = applyFilters(
        chosen,
        filtersOf(params),
        {
          'volume-id': (v) => [v.id],
          status: (v) => [v.state],
          size: (v) => [String(v.size)],
          'volume-type': (v) => [v.type],
          'availability-zone': (v) => [v.zone],
          'attachment.instance-id': (v) => [v.attachment?.instanceId],
          'attachment.device': (v) => [v.attachment?.device],
          'attachment.status': (v) => [v.attachment ? 'attached' : undefined],
          'attachment.delete-on-termination': (v) => [
            v.attachment ? String(v.attachment.deleteOnTermination) : undefined,
          ],
        },
        (v) => v.tags,
      );
      return { volumeSet: found.map(volumeXml) };
    },

    DeleteVolume({ params }) {
      const id = required(params, 'VolumeId');
      const v = volumes.get(id);
      if (!v) throw new ApiError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
      if (v.state === 'in-use') {
        throw new ApiError('VolumeInUse', `Volume ${id} is currently attached to ${v.attachment?.instanceId}`);
      }
      volumes.delete(id);
      return { return: true };
    },

    CreateTags({ params }) {
      const ids = list(params, 'ResourceId');
      const tags = tagsOf(params);
      if (ids.length === 0) throw new ApiError('MissingParameter', 'The request must contain the parameter ResourceId');
      const holders = ids.map((id) => {
        const holder = instances.get(id) ?? volumes.get(id) ?? groups.get(id);
        if (holder) return holder;
        const code = id.startsWith('i-')
          ? 'InvalidInstanceID.NotFound'
          : id.startsWith('vol-')
            ? 'InvalidVolume.NotFound'
            : id.startsWith('sg-')
              ? 'InvalidGroup.NotFound'
              : 'InvalidID';
        throw new ApiError(code, `The ID '${id}' does not exist`);
      });
      for (const holder of holders) {
        for (const t of tags) {
          const existing = holder.tags.find((x) => x.Key === t.Key);
          if (existing) existing.Value = t.Value;
          else holder.tags.push({ ...t });
        }
      }
      return { return: true };
    },
  };

  /** @type {Record<string, (c: Ctx) => object>} */
  const stsActions = {
    GetCallerIdentity({ accessKeyId }) {
      const assumed = sessions.get(accessKeyId);
      if (assumed) return { UserId: assumed.id, Account: assumed.account, Arn: assumed.arn };
      return { UserId: `AIDA${upperAlnum(17)}`, Account: accountId, Arn: `arn:aws:iam::${accountId}:user/testhost` };
    },
    AssumeRole({ params }) {
      const roleArn = params.get('RoleArn') ?? '';
      const m = /^arn:aws[\w-]*:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]{1,64})$/.exec(roleArn);
      if (!m) throw new ApiError('ValidationError', `${roleArn || 'RoleArn'} is invalid`);
      const session = params.get('RoleSessionName') ?? '';
      if (!/^[\w+=,.@-]{2,64}$/.test(session)) {
        throw new ApiError(
          'ValidationError',
          `1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint`,
        );
      }
      const seconds = int(params.get('DurationSeconds'), 'DurationSeconds') ?? 3600;
      if (seconds < 900 || seconds > 43200) {
        throw new ApiError(
          'ValidationError',
          `The requested DurationSeconds exceeds the MaxSessionDuration set for this role.`,
        );
      }
      const accessKeyId = `ASIA${upperAlnum(16)}`;
      const id = `AROA${upperAlnum(17)}:${session}`;
      const arn = `arn:aws:sts::${m[1]}:assumed-role/${m[2]}/${session}`;
      sessions.set(accessKeyId, { id, arn, account: m[1] });
      return {
        Credentials: {
          AccessKeyId: accessKeyId,
          SecretAccessKey: randomBytes(30).toString('base64'),
          SessionToken: randomBytes(96).toString('base64'),
          Expiration: new Date(Date.now() + seconds * 1000),
        },
        AssumedRoleUser: { AssumedRoleId: id, Arn: arn },
      };
    },
  };

  /** IAM (awsQuery, Version 2010-05-08): the agent's role, its inline policy and its instance profile. */
  /** @type {Record<string, (c: Ctx) => object | null>} */
  const iamActions = {
    CreateRole({ params }) {
      const name = iamString(params, 'RoleName', 64);
      const path = iamPath(params);
      const trustPolicy = iamString(params, 'AssumeRolePolicyDocument', 131072, /^[\s\S]+$/);
      const description = params.get('Description') ?? undefined;
      if (description !== undefined && description.length > 1000) {
        throw invalid(description, 'description', 'Member must have length less than or equal to 1000');
      }
      const maxSessionDuration = Number(params.get('MaxSessionDuration') ?? 3600);
      if (!Number.isInteger(maxSessionDuration) || maxSessionDuration < 3600 || maxSessionDuration > 43200) {
        throw invalid(
          params.get('MaxSessionDuration'),
          'maxSessionDuration',
          maxSessionDuration < 3600
            ? 'Member must have value greater than or equal to 3600'
            : 'Member must have value less than or equal to 43200',
        );
      }
      if (params.get('PermissionsBoundary')) {
        throw iamError('InvalidInput', 'PermissionsBoundary is not emulated by the test-host IAM');
      }
      const tags = iamTags(params);
      if (roles.has(name.toLowerCase()))
        throw iamError('EntityAlreadyExists', `Role with name ${name} already exists.`);
      const problem = policyProblem(trustPolicy, true);
      if (problem) throw iamError('MalformedPolicyDocument', problem);
      if (policySize(trustPolicy) > TRUST_POLICY_LIMIT) {
        throw iamError('LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_LIMIT}`);
      }
      /** @type {IamRole} */
      const r = {
        name,
        id: `AROA${upperAlnum(17)}`,
        arn: `arn:aws:iam::${accountId}:role${path}${name}`,
        path,
        description,
        trustPolicy,
        maxSessionDuration,
        tags,
        created: new Date(),
        policies: new Map(),
      };
      roles.set(name.toLowerCase(), r);
      return { Role: roleXml(r) };
    },

    GetRole({ params }) {
      return { Role: roleXml(roleNamed(iamString(params, 'RoleName', 64))) };
    },

    DeleteRole({ params }) {
      const r = roleNamed(iamString(params, 'RoleName', 64));
      if (profilesOf(r).length > 0) {
        throw iamError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.');
      }
      if (r.policies.size > 0) throw iamError('DeleteConflict', 'Cannot delete entity, must delete policies first.');
      roles.delete(r.name.toLowerCase());
      return null;
    },

    PutRolePolicy({ params }) {
      const r = roleNamed(iamString(params, 'RoleName', 64));
      const policyName = iamString(params, 'PolicyName', 128);
      const document = iamString(params, 'PolicyDocument', 131072, /^[\s\S]+$/);
      const problem = policyProblem(document, false);
      if (problem) throw iamError('MalformedPolicyDocument', problem);
      let total = policySize(document);
      for (const [n, d] of r.policies) if (n !== policyName) total += policySize(d);
      if (total > ROLE_POLICY_LIMIT) {
        throw iamError(
          'LimitExceeded',
          `Maximum policy size of ${ROLE_POLICY_LIMIT} bytes exceeded for role ${r.name}`,
        );
      }
      r.policies.set(policyName, document);
      return null;
    },

    GetRolePolicy({ params }) {
      const r = roleNamed(iamString(params, 'RoleName', 64));
      const policyName = iamString(params, 'PolicyName', 128);
      const document = r.policies.get(policyName);
      if (document === undefined) {
        throw iamError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`);
      }
      return { RoleName: r.name, PolicyName: policyName, PolicyDocument: rfc3986(document) };
    },

    DeleteRolePolicy({ params }) {
      const r = roleNamed(iamString(params, 'RoleName', 64));
      const policyName = iamString(params, 'PolicyName', 128);
      if (!r.policies.delete(policyName)) {
        throw iamError('NoSuchEntity', `The role policy with name ${policyName} cannot be found.`);
      }
      return null;
    },

    ListRolePolicies({ params }) {
      const r = roleNamed(iamString(params, 'RoleName', 64));
      const maxItems = Number(params.get('MaxItems') ?? 100);
      if (!Number.isInteger(maxItems) || maxItems < 1 || maxItems > 1000) {
        throw invalid(params.get('MaxItems'), 'maxItems', 'Member must have value between 1 and 1000');
      }
      // The marker is opaque to clients: here, the last name of the previous page.
      const marker = params.get('Marker');
      const names = [...r.policies.keys()].sort().filter((n) => marker === null || n > marker);
      const page = names.slice(0, maxItems);
      const truncated = names.length > maxItems;
      return { PolicyNames: page, IsTruncated: truncated, Marker: truncated ? page.at(-1) : undefined };
    },

    CreateInstanceProfile({ params }) {
      const name = iamString(params, 'InstanceProfileName', 128);
      const path = iamPath(params);
      const tags = iamTags(params);
      if (profiles.has(name.toLowerCase())) {
        throw iamError('EntityAlreadyExists', `Instance Profile ${name} already exists.`);
      }
      /** @type {IamInstanceProfile} */
      const ip = {
        name,
        id: `AIPA${upperAlnum(17)}`,
        arn: `arn:aws:iam::${accountId}:instance-profile${path}${name}`,
        path,
        tags,
        created: new Date(),
        role: null,
        roleAdded: null,
      };
      profiles.set(name.toLowerCase(), ip);
      return { InstanceProfile: profileXml(ip) };
    },

    GetInstanceProfile({ params }) {
      return { InstanceProfile: profileXml(profileNamed(iamString(params, 'InstanceProfileName', 128))) };
    },

    AddRoleToInstanceProfile({ params }) {
      const ip = profileNamed(iamString(params, 'InstanceProfileName', 128));
      const r = roleNamed(iamString(params, 'RoleName', 64));
      // One role per profile, whichever it is (the same one again included).
      if (ip.role) throw iamError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1');
      ip.role = r.name.toLowerCase();
      ip.roleAdded = new Date();
      return null;
    },

    RemoveRoleFromInstanceProfile({ params }) {
      const ip = profileNamed(iamString(params, 'InstanceProfileName', 128));
      const r = roleNamed(iamString(params, 'RoleName', 64));
      if (ip.role !== r.name.toLowerCase()) {
        throw iamError('NoSuchEntity', `The role with name ${r.name} cannot be found in instance profile ${ip.name}.`);
      }
      ip.role = null;
      ip.roleAdded = null;
      return null;
    },

    DeleteInstanceProfile({ params }) {
      const ip = profileNamed(iamString(params, 'InstanceProfileName', 128));
      if (ip.role) {
        throw iamError('DeleteConflict', 'Cannot delete entity, must remove roles from instance profile first.');
      }
      profiles.delete(ip.name.toLowerCase());
      return null;
    },
  };

  // ---- HTTP -----------------------------------------------------------------------------------------

  const server = createServer((req, res) => {
    /** @type {Buffer[]} */
    const chunks = [];
    let size = 0;
    req.on('data', (/** @type {Buffer} */ d) => {
      size += d.length;
      if (size <= 1 << 20) chunks.push(d);
    });
    req.on('end', () => {
      const requestId = randomUUID();
      const url = new URL(req.url ?? '/', 'http://emulator');
      const params = new URLSearchParams(url.search);
      for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params.append(k, v);
      const action = params.get('Action') ?? '';
      // The three clients share this URL: STS and IAM are told apart by their API version (or actions).
      const version = params.get('Version');
      /** @type {'ec2' | 'sts' | 'iam'} */
      const service =
        version === STS_VERSION || (!version && Object.hasOwn(stsActions, action))
          ? 'sts'
          : version === IAM_VERSION || (!version && Object.hasOwn(iamActions, action))
            ? 'iam'
            : 'ec2';
      const auth = String(req.headers.authorization ?? '');
      // SigV4 "Credential=AKID/date/region/service/aws4_request": who is calling, and in which region.
      const scope =
        /Credential=([^/,\s]+)\/\d{8}\/([a-z0-9-]+)\//.exec(auth) ??
        /^([^/]+)\/\d{8}\/([a-z0-9-]+)\//.exec(params.get('X-Amz-Credential') ?? '');
      /** @type {Ctx} */
      const ctx = { params, region: scope?.[2] ?? defaultRegion, accessKeyId: scope?.[1] ?? '', requestId };
      /** @param {number} status @param {string} body */
      const send = (status, body) => {
        res.writeHead(status, {
          'content-type': 'text/xml;charset=UTF-8',
          'content-length': Buffer.byteLength(body),
          'x-amzn-requestid': requestId,
        });
        res.end(body);
      };
      try {
        if (size > 1 << 20) throw new ApiError('RequestEntityTooLarge', 'The request is larger than 1 MiB', 413);
        // Signatures are not verified (any key works), but an unsigned request is refused as by AWS.
        if (!auth && !params.get('X-Amz-Signature')) {
          throw new ApiError(
            service === 'ec2' ? 'AuthFailure' : 'MissingAuthenticationToken',
            'AWS was not able to validate the provided access credentials (the request is not signed)',
          );
        }
        /** @type {Record<string, (c: Ctx) => object | null>} */
        const actions = { ec2: ec2Actions, sts: stsActions, iam: iamActions }[service];
        const handler = Object.hasOwn(actions, action) ? actions[action] : undefined;
        if (!handler) {
          throw new ApiError(
            'InvalidAction',
            `The action ${action || '(none)'} is not valid for this web service (the test-host EC2 emulator).`,
          );
        }
        const body = handler(ctx);
        log(`${service}:${action} → 200`);
        send(
          200,
          service === 'ec2'
            ? ec2Document(action, body ?? {}, requestId)
            : queryDocument(service === 'sts' ? STS_NS : IAM_NS, action, body, requestId),
        );
      } catch (error) {
        const e =
          error instanceof ApiError
            ? error
            : new ApiError('InternalError', error instanceof Error ? error.message : String(error), 500);
        log(`${service}:${action || '-'} → ${e.status} ${e.code}: ${e.message}`);
        send(
          e.status,
          service === 'ec2'
            ? ec2ErrorDocument(e, requestId)
            : queryErrorDocument(service === 'sts' ? STS_NS : IAM_NS, e, requestId),
        );
      }
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const host = options.host ?? '127.0.0.1';
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log(`listening on ${url} (indexes ${firstIndex}-${lastIndex})`);

  let closing = /** @type {Promise<void> | null} */ (null);
  return {
    url,
    instances: () =>
      [...instances.values()].map((i) => ({
        instanceId: i.id,
        state: i.state,
        index: i.index,
        address: i.address,
        pid: i.pid,
        imageId: i.imageId,
        instanceType: i.instanceType,
        clientToken: i.clientToken,
        buckets: [...i.buckets],
        dataGiB: i.dataGiB,
        userData: i.userData,
        reason: i.stateReason?.Message ?? null,
        securityGroups: [...i.groups],
        iamInstanceProfileArn: i.profile?.arn ?? null,
      })),
    iam: () => ({
      roles: [...roles.values()].map((r) => ({
        roleName: r.name,
        roleId: r.id,
        arn: r.arn,
        path: r.path,
        description: r.description,
        assumeRolePolicyDocument: JSON.parse(r.trustPolicy),
        maxSessionDuration: r.maxSessionDuration,
        tags: r.tags.map((t) => ({ ...t })),
        createDate: r.created,
        policies: Object.fromEntries([...r.policies].map(([n, d]) => [n, JSON.parse(d)])),
        instanceProfiles: profilesOf(r).map((ip) => ip.name),
      })),
      instanceProfiles: [...profiles.values()].map((ip) => ({
        instanceProfileName: ip.name,
        instanceProfileId: ip.id,
        arn: ip.arn,
        path: ip.path,
        roles: ip.role ? [roles.get(ip.role)?.name ?? ip.role] : [],
        tags: ip.tags.map((t) => ({ ...t })),
        createDate: ip.created,
      })),
    }),
    close() {
      closing ??= (async () => {
        server.close();
        server.closeAllConnections();
        const live = [...instances.values()].filter((i) => i.state === 'pending' || i.state === 'running');
        await Promise.all([
          ...live.map((i) => shutdown(i, `User initiated (${gmt(new Date())}): emulator closed`)),
          ...[...instances.values()].map((i) => i.stopping ?? Promise.resolve()),
        ]);
      })();
      return closing;
    },
  };
}

// ---- CLI --------------------------------------------------------------------------------------------

async function main() {
  const { values: o } = parseArgs({
    options: {
      port: { type: 'string', default: '4566' },
      host: { type: 'string', default: '127.0.0.1' },
      s3: { type: 'string' },
      indexes: { type: 'string', default: '100-149' },
      region: { type: 'string', default: 'us-east-1' },
      account: { type: 'string', default: '000000000000' },
      'iam-propagation-ms': { type: 'string', default: String(IAM_PROPAGATION_MS) },
    },
  });
  const m = /^(\d+)-(\d+)$/.exec(o.indexes ?? '');
  if (!m) throw new Error(`--indexes must be FIRST-LAST (e.g. 100-149), not ${o.indexes}`);
  const emulator = await startEc2Emulator({
    port: Number(o.port),
    host: o.host,
    s3Target: o.s3,
    indexes: [Number(m[1]), Number(m[2])],
    region: o.region,
    accountId: o.account,
    iamPropagationMs: Number(o['iam-propagation-ms']),
    log: (line) => process.stderr.write(`ec2-emulator: ${line}\n`),
  });
  process.stdout.write(`EC2_EMULATOR_URL=${emulator.url}\n`);
  const stop = () => {
    process.stderr.write('ec2-emulator: tearing the test hosts down\n');
    emulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error) => {
    process.stderr.write(`ec2-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  });
}
