#!/usr/bin/env node
// A stand-in for EC2's instance metadata service, IMDSv2 only (aws-json sets HttpTokens=required):
// PUT /latest/api/token, then GETs carrying X-aws-ec2-metadata-token. Serves what the user data
// and boto3 read on an instance: instance-id, placement/region, the instance profile's temporary
// credentials (static test keys the local S3 server accepts) and the user data itself.
// Run by up.sh inside the guest's network namespace, on 169.254.169.254:80 (an address of that
// namespace's loopback), so each guest has its own and nothing listens on the host's network.
//
//   node imds.mjs --address 169.254.169.254 --port 80 --instance-id i-… --region eu-west-1 \
//     --role elasticdash-testhost --user-data <file> [--access-key S3RVER --secret-key S3RVER]
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    address: { type: 'string', default: '169.254.169.254' },
    port: { type: 'string', default: '80' },
    'instance-id': { type: 'string', default: 'i-0123456789abcdef0' },
    region: { type: 'string', default: 'us-east-1' },
    role: { type: 'string', default: 'elasticdash-testhost' },
    'user-data': { type: 'string' },
    'access-key': { type: 'string', default: 'S3RVER' },
    'secret-key': { type: 'string', default: 'S3RVER' },
  },
});

const userData = o['user-data'] ? readFileSync(o['user-data']) : Buffer.alloc(0);
const tokens = new Map(); // token → expiry (ms)

function credentials() {
  const now = new Date();
  return JSON.stringify({
    Code: 'Success',
    LastUpdated: now.toISOString().replace(/\.\d+Z$/, 'Z'),
    Type: 'AWS-HMAC',
    AccessKeyId: o['access-key'],
    SecretAccessKey: o['secret-key'],
    Token: randomBytes(24).toString('base64'),
    Expiration: new Date(now.getTime() + 6 * 3600_000).toISOString().replace(/\.\d+Z$/, 'Z'),
  });
}

const paths = {
  '/latest/meta-data/instance-id': () => o['instance-id'],
  '/latest/meta-data/placement/region': () => o.region,
  '/latest/meta-data/placement/availability-zone': () => `${o.region}a`,
  '/latest/meta-data/iam/security-credentials/': () => o.role,
  [`/latest/meta-data/iam/security-credentials/${o.role}`]: credentials,
  '/latest/user-data': () => userData,
};

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://imds');
  const send = (code, body, type = 'text/plain') => {
    res.writeHead(code, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  if (req.method === 'PUT' && url.pathname === '/latest/api/token') {
    const ttl = Number(req.headers['x-aws-ec2-metadata-token-ttl-seconds']);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 21600) return send(400, 'Bad Request');
    const token = randomBytes(32).toString('base64');
    tokens.set(token, Date.now() + ttl * 1000);
    res.setHeader('x-aws-ec2-metadata-token-ttl-seconds', String(ttl));
    return send(200, token);
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, 'Method Not Allowed');
  // IMDSv2 required: a GET without a valid session token is refused, as on our instances.
  const token = req.headers['x-aws-ec2-metadata-token'];
  const expiry = typeof token === 'string' ? tokens.get(token) : undefined;
  if (!expiry || expiry < Date.now()) return send(401, 'Unauthorized');
  const handler = paths[url.pathname];
  if (!handler) return send(404, 'Not Found');
  const body = handler();
  return send(200, body, url.pathname.endsWith(o.role) ? 'application/json' : 'text/plain');
});

server.listen(Number(o.port), o.address, () => {
  process.stdout.write(`imds: listening on ${o.address}:${o.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
