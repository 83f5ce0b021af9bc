import { randomUUID } from 'node:crypto';
import type { TInternalContext } from '@elasticdash/contracts/platform/internal-context';
import { importJWK, SignJWT, type CryptoKey } from 'jose';
import { exampleEnv } from './env-file.js';

let keyPromise: Promise<{ key: CryptoKey; kid: string }> | undefined;

function devKey() {
  keyPromise ??= (async () => {
    const jwk = JSON.parse(exampleEnv().INTERNAL_TOKEN_PRIVATE_KEY ?? '') as { kid: string };
    return { key: (await importJWK({ ...jwk, alg: 'EdDSA' }, 'EdDSA')) as CryptoKey, kid: jwk.kid };
  })();
  return keyPromise;
}

/** Signs an internal context token exactly as the gateway does, with the dev key. */
export async function signInternalToken(
  audience: string,
  context: Partial<TInternalContext>,
  options: { expiresInSeconds?: number } = {},
): Promise<string> {
  const { key, kid } = await devKey();
  const ctx: TInternalContext = {
    requestId: context.requestId ?? `test-${randomUUID()}`,
    userId: context.userId ?? null,
    email: context.email ?? null,
    userName: context.userName ?? null,
    sessionId: context.sessionId ?? null,
    tenantId: context.tenantId ?? null,
    role: context.role ?? null,
  };
  return new SignJWT({ ctx })
    .setProtectedHeader({ alg: 'EdDSA', kid, typ: 'JWT' })
    .setIssuer('elasticdash-gateway')
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${options.expiresInSeconds ?? 30}s`)
    .sign(key);
}

/** Base environment every service needs in tests (keys, Redis, log level). */
export function devEnv(): Record<string, string> {
  const env = exampleEnv();
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    REDIS_URL: env.REDIS_URL ?? 'redis://127.0.0.1:6379/0',
    INTERNAL_TOKEN_PUBLIC_KEYS: env.INTERNAL_TOKEN_PUBLIC_KEYS ?? '',
    INTERNAL_TOKEN_PRIVATE_KEY: env.INTERNAL_TOKEN_PRIVATE_KEY ?? '',
  };
}
