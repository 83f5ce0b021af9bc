#!/usr/bin/env node
// The test host's way out to the Debian mirror: a plain HTTP forward proxy for apt (the guest's
// apt.conf points at it), listening on the host side of the guest's veth. The guest has no other
// route off its link: it reaches apt, the metadata stand-in and the local S3 server, nothing else.
// Package files (`/pool/…*.deb`, immutable: a new version is a new name) are cached under
// --cache, so boots after the first do not download them again; index files always go upstream.
// Only GET/HEAD of http:// URLs on --allow hosts are forwarded (no CONNECT).
//
//   node apt-proxy.mjs --address 10.213.1.1 --port 3142 --cache /var/cache/elasticdash-testhost/apt \
//     --allow deb.debian.org,security.debian.org
import { createReadStream, createWriteStream, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { request, createServer } from 'node:http';
import { dirname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    address: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '3142' },
    cache: { type: 'string', default: '/var/cache/elasticdash-testhost/apt' },
    allow: { type: 'string', default: 'deb.debian.org,security.debian.org' },
  },
});
const allowed = new Set(o.allow.split(',').filter(Boolean));
let served = 0;
let cached = 0;

const server = createServer((req, res) => {
  let url;
  try {
    url = new URL(req.url ?? '');
  } catch {
    res.writeHead(400).end('absolute http:// URLs only\n');
    return;
  }
  if ((req.method !== 'GET' && req.method !== 'HEAD') || url.protocol !== 'http:' || !allowed.has(url.hostname)) {
    res.writeHead(403).end(`not allowed: ${req.method} ${url.href}\n`);
    return;
  }
  const cacheable = /\/pool\/.+\.deb$/.test(url.pathname) && req.method === 'GET';
  const file = normalize(join(o.cache, url.hostname, url.pathname));
  if (cacheable && file.startsWith(normalize(o.cache) + '/')) {
    try {
      const st = statSync(file);
      cached += 1;
      res.writeHead(200, { 'content-type': 'application/vnd.debian.binary-package', 'content-length': st.size });
      createReadStream(file).pipe(res);
      return;
    } catch {
      // not cached yet
    }
  }
  const headers = { ...req.headers, host: url.host };
  delete headers['proxy-connection'];
  delete headers['proxy-authorization'];
  const up = request(url, { method: req.method, headers, timeout: 60_000 }, (ur) => {
    served += 1;
    res.writeHead(ur.statusCode ?? 502, ur.headers);
    if (cacheable && ur.statusCode === 200) {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      const out = createWriteStream(tmp);
      ur.pipe(out);
      ur.on('aborted', () => rmSync(tmp, { force: true }));
      out.on('finish', () => {
        if (ur.complete) renameSync(tmp, file);
        else rmSync(tmp, { force: true });
      });
    }
    ur.pipe(res);
  });
  up.on('timeout', () => up.destroy(new Error('upstream timeout')));
  up.on('error', (err) => {
    if (!res.headersSent) res.writeHead(502).end(`upstream error: ${err.message}\n`);
    else res.destroy(err);
  });
  req.pipe(up);
});
server.listen(Number(o.port), o.address, () =>
  process.stdout.write(`apt-proxy: listening on ${o.address}:${o.port}\n`),
);
process.on('SIGTERM', () => {
  process.stdout.write(`apt-proxy: ${served} upstream responses, ${cached} from cache\n`);
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
