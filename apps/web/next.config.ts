import type { NextConfig } from 'next';

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Contracts are compiled ESM in packages/contracts/dist; transpiling keeps one zod instance.
  transpilePackages: ['@elasticdash/contracts'],
};

export default nextConfig;
