import { randomUUID } from 'node:crypto';
import type { TMasterKeyring } from '@elasticdash/service-kit/secrets/keyring';
import { openSecret, rewrapSecret, sealSecret, SecretDecryptError } from '@elasticdash/service-kit/secrets/envelope';
import { SecretNotFoundError, type SecretStore } from './secret-store.js';
import type { SecretRecords } from './secrets.repository.js';

const REF_PREFIX = 'local:';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `local:<secret id>` → the id; SecretNotFoundError for anything else. */
function secretIdOf(ref: string): string {
  const id = ref.startsWith(REF_PREFIX) ? ref.slice(REF_PREFIX.length) : '';
  if (!UUID.test(id)) throw new SecretNotFoundError('not a local secret reference');
  return id;
}

/**
 * The default secret store: values encrypted with envelope encryption (see envelope.ts) in
 * `connections.secrets`. The master keys come from the environment, never from the database.
 */
export class LocalSecretStore implements SecretStore {
  constructor(
    private readonly records: SecretRecords,
    private readonly keyring: TMasterKeyring,
  ) {}

  async put(input: { tenantId: string; connectionId: string; value: string }): Promise<string> {
    const id = randomUUID();
    const sealed = sealSecret(input.value, { tenantId: input.tenantId, secretId: id }, this.keyring);
    await this.records.insert({ id, tenantId: input.tenantId, ...sealed });
    return `${REF_PREFIX}${id}`;
  }

  async get(ref: string): Promise<string> {
    const id = secretIdOf(ref);
    const row = await this.records.find(id);
    if (!row) throw new SecretNotFoundError();
    return openSecret(row, { tenantId: row.tenantId, secretId: row.id }, this.keyring);
  }

  async rotate(ref: string, value: string): Promise<void> {
    const id = secretIdOf(ref);
    const row = await this.records.find(id);
    if (!row) throw new SecretNotFoundError();
    const sealed = sealSecret(value, { tenantId: row.tenantId, secretId: row.id }, this.keyring);
    if (!(await this.records.replace(id, sealed))) throw new SecretNotFoundError();
  }

  async delete(ref: string): Promise<void> {
    let id: string;
    try {
      id = secretIdOf(ref);
    } catch {
      return;
    }
    await this.records.remove(id);
  }

  /**
   * After a master-key rotation: re-wraps every data key still under an older master key with
   * the current one. Returns how many secrets were re-wrapped and which could not be
   * (their key is not configured any more).
   */
  async rewrapAll(batchSize = 200): Promise<{ rewrapped: number; failed: string[] }> {
    let rewrapped = 0;
    const failed = new Set<string>();
    for (;;) {
      const rows = (await this.records.listNotUnder(this.keyring.currentId, batchSize + failed.size)).filter(
        (row) => !failed.has(row.id),
      );
      if (rows.length === 0) break;
      for (const row of rows) {
        try {
          const sealed = rewrapSecret(row, { tenantId: row.tenantId, secretId: row.id }, this.keyring);
          if (await this.records.rewrap(row.id, row.masterKeyId, sealed)) rewrapped += 1;
        } catch (error) {
          if (!(error instanceof SecretDecryptError)) throw error;
          failed.add(row.id);
        }
      }
    }
    return { rewrapped, failed: [...failed] };
  }
}
