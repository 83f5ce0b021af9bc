import path from 'node:path';
import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Contracts are compiled ESM in packages/contracts/dist; transpiling keeps one zod instance.
  transpilePackages: ['@elasticdash/contracts'],
  // Next's build assets bypass proxy.ts (its matcher), so their one security header is set here.
  async headers() {
    return [{ source: '/_next/:path*', headers: [{ key: 'X-Content-Type-Options', value: 'nosniff' }] }];
  },
  // Only the container build (apps/web/Dockerfile) sets NEXT_OUTPUT=standalone: a self-contained
  // server.js with just the traced node_modules, traced from the monorepo root so workspace
  // packages are included. `npm start` keeps the default output and `next start`.
  ...(process.env.NEXT_OUTPUT === 'standalone'
    ? { output: 'standalone' as const, outputFileTracingRoot: path.join(import.meta.dirname, '../..') }
    : {}),
};

export default nextConfig;
