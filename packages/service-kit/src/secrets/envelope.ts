import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { TMasterKeyring } from './keyring.js';

/** The secret exists but cannot be decrypted: tampered with, moved, or its master key is gone. */
export class SecretDecryptError extends Error {
  override readonly name = 'SecretDecryptError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Envelope encryption for the local secret store (pure functions, no I/O).
 *
 * - A fresh random 256-bit data key encrypts the value with AES-256-GCM (random 12-byte IV,
 *   16-byte tag).
 * - The data key is encrypted ("wrapped") with the current master key, also AES-256-GCM;
 *   the master key's id is stored next to it so older keys keep decrypting after a rotation.
 * - Both encryptions authenticate the tenant id and the secret id as additional data, so a
 *   ciphertext copied to another row, or a row moved to another tenant, fails to decrypt.
 */
export interface SealedSecret {
  masterKeyId: string;
  wrappedKey: Buffer;
  wrapIv: Buffer;
  wrapTag: Buffer;
  iv: Buffer;
  ciphertext: Buffer;
  authTag: Buffer;
}

/** What a sealed secret is bound to. */
export interface SecretBinding {
  tenantId: string;
  secretId: string;
}

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

function valueAad(binding: SecretBinding): Buffer {
  return Buffer.from(`elasticdash:secret:v1:value:${binding.tenantId}:${binding.secretId}`, 'utf8');
}

function dataKeyAad(binding: SecretBinding, masterKeyId: string): Buffer {
  return Buffer.from(`elasticdash:secret:v1:data-key:${binding.tenantId}:${binding.secretId}:${masterKeyId}`, 'utf8');
}

function encrypt(key: Buffer, plaintext: Buffer, aad: Buffer): { iv: Buffer; ciphertext: Buffer; tag: Buffer } {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { iv, ciphertext, tag: cipher.getAuthTag() };
}

function decrypt(key: Buffer, iv: Buffer, ciphertext: Buffer, tag: Buffer, aad: Buffer): Buffer {
  const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(tag);
  return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
}

function masterKey(keyring: TMasterKeyring, id: string): Buffer {
  const key = keyring.keys.get(id);
  if (!key) {
    throw new SecretDecryptError(
      `secret was encrypted with master key "${id}", which is not configured (add it to SECRETS_PREVIOUS_KEYS)`,
    );
  }
  return key;
}

function wrapDataKey(dataKey: Buffer, binding: SecretBinding, keyring: TMasterKeyring) {
  const wrapped = encrypt(masterKey(keyring, keyring.currentId), dataKey, dataKeyAad(binding, keyring.currentId));
  return { masterKeyId: keyring.currentId, wrappedKey: wrapped.ciphertext, wrapIv: wrapped.iv, wrapTag: wrapped.tag };
}

function unwrapDataKey(sealed: SealedSecret, binding: SecretBinding, keyring: TMasterKeyring): Buffer {
  const key = masterKey(keyring, sealed.masterKeyId);
  try {
    return decrypt(key, sealed.wrapIv, sealed.wrappedKey, sealed.wrapTag, dataKeyAad(binding, sealed.masterKeyId));
  } catch (error) {
    throw new SecretDecryptError('secret data key failed authentication (tampered, moved or wrong master key)', {
      cause: error,
    });
  }
}

/** Encrypts `value` under a new data key wrapped with the keyring's current master key. */
export function sealSecret(value: string, binding: SecretBinding, keyring: TMasterKeyring): SealedSecret {
  const dataKey = randomBytes(32);
  try {
    const body = encrypt(dataKey, Buffer.from(value, 'utf8'), valueAad(binding));
    return { ...wrapDataKey(dataKey, binding, keyring), iv: body.iv, ciphertext: body.ciphertext, authTag: body.tag };
  } finally {
    dataKey.fill(0);
  }
}

/** Decrypts a sealed secret; throws SecretDecryptError on any mismatch or tampering. */
export function openSecret(sealed: SealedSecret, binding: SecretBinding, keyring: TMasterKeyring): string {
  const dataKey = unwrapDataKey(sealed, binding, keyring);
  try {
    return decrypt(dataKey, sealed.iv, sealed.ciphertext, sealed.authTag, valueAad(binding)).toString('utf8');
  } catch (error) {
    throw new SecretDecryptError('secret value failed authentication (tampered or moved)', { cause: error });
  } finally {
    dataKey.fill(0);
  }
}

/**
 * Re-wraps the data key with the current master key (after a master-key rotation). The value
 * ciphertext is unchanged; only the small wrapped key and its id change.
 */
export function rewrapSecret(sealed: SealedSecret, binding: SecretBinding, keyring: TMasterKeyring): SealedSecret {
  if (sealed.masterKeyId === keyring.currentId) return sealed;
  const dataKey = unwrapDataKey(sealed, binding, keyring);
  try {
    return { ...sealed, ...wrapDataKey(dataKey, binding, keyring) };
  } finally {
    dataKey.fill(0);
  }
}
