#!/usr/bin/env node
// TLS front of the local S3 server for the guest: the guest's /etc/hosts maps the real S3 host
// names (s3.<region>.amazonaws.com, <bucket>.s3.<region>.amazonaws.com, …) to this address, its
// trust store holds the test host's CA, so boto3 on the guest talks HTTPS to "S3" exactly as on
// EC2 (no endpoint override in the user data). Bytes are passed through untouched; s3rver reads
// the bucket from the virtual-hosted Host header itself.
//
//   node s3-front.mjs --address 10.213.1.1 --port 443 --cert c.pem --key k.pem --target 127.0.0.1:4569
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { createServer } from 'node:tls';
import { parseArgs } from 'node:util';

const { values: o } = parseArgs({
  options: {
    address: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '443' },
    cert: { type: 'string' },
    key: { type: 'string' },
    target: { type: 'string' },
  },
});
if (!o.cert || !o.key || !o.target) {
  process.stderr.write('s3-front: --cert, --key and --target are required\n');
  process.exit(2);
}
const [targetHost, targetPort] = o.target.split(':');
const server = createServer({ cert: readFileSync(o.cert), key: readFileSync(o.key) }, (tlsSocket) => {
  const upstream = connect(Number(targetPort), targetHost);
  tlsSocket.pipe(upstream).pipe(tlsSocket);
  const end = () => {
    tlsSocket.destroy();
    upstream.destroy();
  };
  tlsSocket.on('error', end);
  upstream.on('error', end);
});
server.on('tlsClientError', () => {});
server.listen(Number(o.port), o.address, () => process.stdout.write(`s3-front: listening on ${o.address}:${o.port}\n`));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
});
