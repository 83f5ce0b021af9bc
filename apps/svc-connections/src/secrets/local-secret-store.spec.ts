import { randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { TMasterKeyring } from '@elasticdash/service-kit/secrets/keyring';
import { type SealedSecret, SecretDecryptError } from '@elasticdash/service-kit/secrets/envelope';
import { LocalSecretStore } from './local-secret-store.js';
import { SecretNotFoundError } from './secret-store.js';
import type { SecretRecords, SecretRow } from './secrets.repository.js';

/** The store's table as a map (the SQL itself is covered by the integration tests). */
class MemoryRecords implements SecretRecords {
  readonly rows = new Map<string, SecretRow>();
  insert(row: SecretRow) {
    this.rows.set(row.id, { ...row });
    return Promise.resolve();
  }
  find(id: string) {
    const row = this.rows.get(id);
    return Promise.resolve(row ? { ...row } : undefined);
  }
  replace(id: string, sealed: SealedSecret) {
    const row = this.rows.get(id);
    if (row) this.rows.set(id, { ...row, ...sealed });
    return Promise.resolve(!!row);
  }
  rewrap(id: string, fromKeyId: string, sealed: SealedSecret) {
    const row = this.rows.get(id);
    if (!row || row.masterKeyId !== fromKeyId) return Promise.resolve(false);
    this.rows.set(id, { ...row, ...sealed });
    return Promise.resolve(true);
  }
  remove(id: string) {
    this.rows.delete(id);
    return Promise.resolve();
  }
  listNotUnder(currentKeyId: string, limit: number) {
    return Promise.resolve([...this.rows.values()].filter((row) => row.masterKeyId !== currentKeyId).slice(0, limit));
  }
}

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const ring = (currentId: string, keys: Record<string, Buffer>): TMasterKeyring => ({
  currentId,
  keys: new Map(Object.entries(keys)),
});
const idOf = (ref: string) => ref.slice('local:'.length);

describe('LocalSecretStore', () => {
  it('puts, gets, rotates and deletes; the table never holds the value', async () => {
    const records = new MemoryRecords();
    const store = new LocalSecretStore(records, ring('k1', { k1 }));
    const tenantId = randomUUID();
    const ref = await store.put({ tenantId, connectionId: randomUUID(), value: 'first-password' });
    expect(ref).toMatch(/^local:[0-9a-f-]{36}$/);
    expect(await store.get(ref)).toBe('first-password');
    const row = records.rows.get(idOf(ref));
    expect(row?.tenantId).toBe(tenantId);
    expect(JSON.stringify(row)).not.toContain('first-password');
    expect(Buffer.concat([row!.ciphertext, row!.wrappedKey]).includes('first-password')).toBe(false);

    await store.rotate(ref, 'second-password');
    expect(await store.get(ref)).toBe('second-password');

    await store.delete(ref);
    await expect(store.get(ref)).rejects.toBeInstanceOf(SecretNotFoundError);
    await expect(store.delete(ref)).resolves.toBeUndefined();
    await expect(store.rotate(ref, 'x')).rejects.toBeInstanceOf(SecretNotFoundError);
    await expect(store.get('aws:arn')).rejects.toBeInstanceOf(SecretNotFoundError);
  });

  it('a ciphertext byte flipped in the table fails to decrypt', async () => {
    const records = new MemoryRecords();
    const store = new LocalSecretStore(records, ring('k1', { k1 }));
    const ref = await store.put({ tenantId: randomUUID(), connectionId: randomUUID(), value: 'pw' });
    const row = records.rows.get(idOf(ref))!;
    row.ciphertext = Buffer.from(row.ciphertext);
    row.ciphertext[0] = (row.ciphertext[0] ?? 0) ^ 0xff;
    await expect(store.get(ref)).rejects.toBeInstanceOf(SecretDecryptError);
  });

  it('a row moved to another tenant, or a ciphertext copied into another row, fails to decrypt', async () => {
    const records = new MemoryRecords();
    const store = new LocalSecretStore(records, ring('k1', { k1 }));
    const a = await store.put({ tenantId: randomUUID(), connectionId: randomUUID(), value: 'tenant-a-pw' });
    const b = await store.put({ tenantId: randomUUID(), connectionId: randomUUID(), value: 'tenant-b-pw' });
    const rowA = records.rows.get(idOf(a))!;
    const rowB = records.rows.get(idOf(b))!;
    records.rows.set(rowA.id, { ...rowA, tenantId: rowB.tenantId });
    await expect(store.get(a)).rejects.toBeInstanceOf(SecretDecryptError);
    const { id: _id, tenantId: _tenant, ...sealedA } = rowA;
    records.rows.set(rowB.id, { ...rowB, ...sealedA });
    await expect(store.get(b)).rejects.toBeInstanceOf(SecretDecryptError);
  });

  it('master-key rotation: old secrets still decrypt, rewrapAll moves them to the new key id', async () => {
    const records = new MemoryRecords();
    const before = new LocalSecretStore(records, ring('k1', { k1 }));
    const refs = await Promise.all(
      ['one', 'two', 'three'].map((value) => before.put({ tenantId: randomUUID(), connectionId: randomUUID(), value })),
    );
    const after = new LocalSecretStore(records, ring('k2', { k1, k2 }));
    expect(await after.get(refs[0]!)).toBe('one');
    const added = await after.put({ tenantId: randomUUID(), connectionId: randomUUID(), value: 'four' });
    expect(records.rows.get(idOf(added))?.masterKeyId).toBe('k2');

    expect(await after.rewrapAll(2)).toEqual({ rewrapped: 3, failed: [] });
    expect([...records.rows.values()].map((row) => row.masterKeyId)).toEqual(['k2', 'k2', 'k2', 'k2']);
    const onlyNew = new LocalSecretStore(records, ring('k2', { k2 }));
    expect(await Promise.all([...refs, added].map((ref) => onlyNew.get(ref)))).toEqual(['one', 'two', 'three', 'four']);
  });

  it('rewrapAll reports secrets whose master key is gone and keeps going', async () => {
    const records = new MemoryRecords();
    const k0 = randomBytes(32);
    const ancient = await new LocalSecretStore(records, ring('k0', { k0 })).put({
      tenantId: randomUUID(),
      connectionId: randomUUID(),
      value: 'x',
    });
    await new LocalSecretStore(records, ring('k1', { k1 })).put({
      tenantId: randomUUID(),
      connectionId: randomUUID(),
      value: 'y',
    });
    const store = new LocalSecretStore(records, ring('k2', { k1, k2 }));
    expect(await store.rewrapAll()).toEqual({ rewrapped: 1, failed: [idOf(ancient)] });
  });
});
