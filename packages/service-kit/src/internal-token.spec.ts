import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { InternalTokenSigner, InternalTokenVerifier } from './internal-token.js';

function keyPair(kid: string) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    privateJwk: {
      ...(privateKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string; d: string }),
      kid,
    },
    publicJwk: { ...(publicKey.export({ format: 'jwk' }) as { kty: 'OKP'; crv: 'Ed25519'; x: string }), kid },
  };
}

const context = {
  requestId: 'req-1234567890',
  userId: '7d1c4d7e-3a3c-4f73-9a0b-1c2d3e4f5a6b',
  email: 'a@example.test',
  userName: 'A',
  sessionId: null,
  tenantId: null,
  role: null,
};

describe('internal context token', () => {
  it('round-trips the context for the intended audience', async () => {
    const { privateJwk, publicJwk } = keyPair('k1');
    const signer = await InternalTokenSigner.create(privateJwk);
    const verifier = await InternalTokenVerifier.create([publicJwk], 'svc-tenants');
    expect(await verifier.verify(await signer.sign('svc-tenants', context))).toEqual(context);
  });

  it('a token for several audiences is valid for each of them and no other', async () => {
    const { privateJwk, publicJwk } = keyPair('k1');
    const signer = await InternalTokenSigner.create(privateJwk);
    const token = await signer.sign(['svc-deployer', 'svc-plans'], context);
    expect(await (await InternalTokenVerifier.create([publicJwk], 'svc-deployer')).verify(token)).toEqual(context);
    expect(await (await InternalTokenVerifier.create([publicJwk], 'svc-plans')).verify(token)).toEqual(context);
    expect(await (await InternalTokenVerifier.create([publicJwk], 'svc-tenants')).verify(token)).toBeNull();
  });

  it('rejects another audience, an unknown key, a tampered token, an expired token and no token', async () => {
    const { privateJwk, publicJwk } = keyPair('k1');
    const other = keyPair('k2');
    const signer = await InternalTokenSigner.create(privateJwk, 1);
    const verifier = await InternalTokenVerifier.create([publicJwk], 'svc-tenants');
    expect(await verifier.verify(await signer.sign('svc-auth', context))).toBeNull();
    const foreign = await InternalTokenSigner.create(other.privateJwk);
    expect(await verifier.verify(await foreign.sign('svc-tenants', context))).toBeNull();
    const token = await signer.sign('svc-tenants', context);
    const [header, payload, signature] = token.split('.');
    const forgedPayload = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload!, 'base64url').toString()),
        ctx: { ...context, role: 'owner' },
      }),
    ).toString('base64url');
    expect(await verifier.verify(`${header}.${forgedPayload}.${signature}`)).toBeNull();
    expect(await verifier.verify(undefined)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect(await verifier.verify(token)).toBeNull();
  });

  it('accepts tokens from any listed key (rotation) and refuses TTLs over 60 s', async () => {
    const oldPair = keyPair('old');
    const newPair = keyPair('new');
    const verifier = await InternalTokenVerifier.create([oldPair.publicJwk, newPair.publicJwk], 'svc-auth');
    for (const pair of [oldPair, newPair]) {
      const signer = await InternalTokenSigner.create(pair.privateJwk);
      expect(await verifier.verify(await signer.sign('svc-auth', context))).not.toBeNull();
    }
    await expect(InternalTokenSigner.create(newPair.privateJwk, 61)).rejects.toThrow('≤ 60 s');
  });
});
