// A local S3-compatible server (s3rver) for `npm start` and the tests, with the datasets bucket
// and browser CORS set up. s3rver does not verify signatures (ENVIRONMENT.md trap 6): it proves
// the flow, not the signing; production uses AWS S3, docker-compose MinIO.
import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

/** CORS rules for browser uploads: PUT from the web origins, ETag readable (multipart completion). */
export function corsXml(origins) {
  const allowed = origins.map((origin) => `<AllowedOrigin>${origin}</AllowedOrigin>`).join('');
  return [
    '<CORSConfiguration>',
    '<CORSRule>',
    allowed,
    '<AllowedMethod>PUT</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>',
    '<AllowedHeader>*</AllowedHeader>',
    '<ExposeHeader>ETag</ExposeHeader>',
    '<MaxAgeSeconds>3000</MaxAgeSeconds>',
    '</CORSRule>',
    '</CORSConfiguration>',
  ].join('');
}

/**
 * Starts s3rver on `port` (0 = any free port) storing objects under `directory`.
 * Resolves with `{ endpoint, port, stop }`.
 */
export async function startLocalS3({ port = 0, directory, bucket, origins = [], address = '127.0.0.1' }) {
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address,
    port,
    directory,
    silent: true,
    // Path-style URLs only: the endpoint is an IP address.
    vhostBuckets: false,
    configureBuckets: [{ name: bucket, configs: [corsXml(origins.length > 0 ? origins : ['*'])] }],
  });
  const { port: actualPort } = await server.run();
  return {
    endpoint: `http://${address}:${actualPort}`,
    port: actualPort,
    stop: () => server.close(),
  };
}
