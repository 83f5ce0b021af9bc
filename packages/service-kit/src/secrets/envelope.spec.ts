import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TMasterKeyring } from './keyring.js';
import { openSecret, rewrapSecret, type SealedSecret, sealSecret, SecretDecryptError } from './envelope.js';

const keyring = (currentId: string, keys: Record<string, Buffer>): TMasterKeyring => ({
  currentId,
  keys: new Map(Object.entries(keys)),
});

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const binding = { tenantId: randomUUID(), secretId: randomUUID() };

function flip(buffer: Buffer, index = 0): Buffer {
  const copy = Buffer.from(buffer);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}

describe('envelope encryption', () => {
  it('round-trips a value, with a fresh data key and IVs every time', () => {
    const ring = keyring('k1', { k1 });
    const a = sealSecret('s3cret-pässword', binding, ring);
    const b = sealSecret('s3cret-pässword', binding, ring);
    expect(openSecret(a, binding, ring)).toBe('s3cret-pässword');
    expect(a.masterKeyId).toBe('k1');
    expect(a.iv).toHaveLength(12);
    expect(a.wrapIv).toHaveLength(12);
    expect(a.authTag).toHaveLength(16);
    expect(a.wrappedKey).toHaveLength(32);
    expect(a.ciphertext.equals(b.ciphertext)).toBe(false);
    expect(a.wrappedKey.equals(b.wrappedKey)).toBe(false);
    expect(a.ciphertext.toString('utf8')).not.toContain('s3cret');
  });

  it.each<[string, (sealed: SealedSecret) => SealedSecret]>([
    ['a ciphertext byte', (sealed) => ({ ...sealed, ciphertext: flip(sealed.ciphertext) })],
    ['the value tag', (sealed) => ({ ...sealed, authTag: flip(sealed.authTag) })],
    ['the value IV', (sealed) => ({ ...sealed, iv: flip(sealed.iv) })],
    ['a wrapped-key byte', (sealed) => ({ ...sealed, wrappedKey: flip(sealed.wrappedKey, 5) })],
    ['the wrap tag', (sealed) => ({ ...sealed, wrapTag: flip(sealed.wrapTag) })],
  ])('refuses a secret whose %s was changed', (_what, tamper) => {
    const ring = keyring('k1', { k1 });
    const sealed = sealSecret('value', binding, ring);
    expect(() => openSecret(tamper(sealed), binding, ring)).toThrow(SecretDecryptError);
  });

  it('refuses a secret moved to another tenant or another row (AAD)', () => {
    const ring = keyring('k1', { k1 });
    const sealed = sealSecret('value', binding, ring);
    expect(() => openSecret(sealed, { ...binding, tenantId: randomUUID() }, ring)).toThrow(SecretDecryptError);
    expect(() => openSecret(sealed, { ...binding, secretId: randomUUID() }, ring)).toThrow(SecretDecryptError);
  });

  it('refuses a secret relabelled with another master key id', () => {
    const ring = keyring('k2', { k1, k2 });
    const sealed = sealSecret('value', binding, keyring('k1', { k1 }));
    expect(() => openSecret({ ...sealed, masterKeyId: 'k2' }, binding, ring)).toThrow(SecretDecryptError);
  });

  it('rotation: an old key id still decrypts, re-wrapping moves it to the new id, the value is unchanged', () => {
    const old = sealSecret('value', binding, keyring('k1', { k1 }));
    const rotated = keyring('k2', { k1, k2 });
    expect(openSecret(old, binding, rotated)).toBe('value');
    const rewrapped = rewrapSecret(old, binding, rotated);
    expect(rewrapped.masterKeyId).toBe('k2');
    expect(rewrapped.ciphertext.equals(old.ciphertext)).toBe(true);
    expect(openSecret(rewrapped, binding, keyring('k2', { k2 }))).toBe('value');
    expect(() => openSecret(old, binding, keyring('k2', { k2 }))).toThrow(/master key "k1".*not configured/);
  });

  it('refuses a master key that is not the one the secret was sealed with', () => {
    const sealed = sealSecret('value', binding, keyring('k1', { k1 }));
    expect(() => openSecret(sealed, binding, keyring('k1', { k1: k2 }))).toThrow(SecretDecryptError);
  });
});
