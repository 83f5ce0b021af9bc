import { readFileSync } from 'node:fs';
import { z } from 'zod';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const KEY_HINT = 'base64 of exactly 32 random bytes, e.g. `openssl rand -base64 32`';

/** Decodes a base64 AES-256 key; null when it is not base64 of exactly 32 bytes. */
export function decodeMasterKey(value: string): Buffer | null {
  const trimmed = value.trim();
  if (!BASE64.test(trimmed)) return null;
  const key = Buffer.from(trimmed, 'base64');
  return key.length === 32 ? key : null;
}

export const zOptionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim()));

/** The master keys of the local secret store: the current one encrypts, every one decrypts. */
export interface TMasterKeyring {
  currentId: string;
  keys: ReadonlyMap<string, Buffer>;
}

/**
 * Master-key variables of a local (envelope-encrypted) secret store. Spread into an app's env
 * schema; `resolveKeyring` turns them into a keyring, naming the variable of every problem.
 */
export const ZSecretsKeyEnv = z.object({
  SECRETS_MASTER_KEY: zOptionalText,
  SECRETS_MASTER_KEY_FILE: zOptionalText,
  SECRETS_MASTER_KEY_ID: zOptionalText,
  /** JSON `{ "<key id>": "<base64 key>" }`: retired master keys that still decrypt older secrets. */
  SECRETS_PREVIOUS_KEYS: zOptionalText,
});
export type TSecretsKeyEnv = z.infer<typeof ZSecretsKeyEnv>;

function readKeyFile(path: string): { value?: string; error?: string } {
  try {
    return { value: readFileSync(path, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { error: `cannot read ${path} (${code})` };
  }
}

/**
 * Resolves the local store's keyring, reporting each problem against the variable that
 * causes it. Returns undefined when any problem was reported.
 */
export function resolveKeyring(env: TSecretsKeyEnv, ctx: z.RefinementCtx): TMasterKeyring | undefined {
  const issue = (variable: string, message: string) => ctx.addIssue({ code: 'custom', path: [variable], message });
  let ok = true;
  let current: Buffer | null = null;
  if (env.SECRETS_MASTER_KEY && env.SECRETS_MASTER_KEY_FILE) {
    issue('SECRETS_MASTER_KEY_FILE', 'set either SECRETS_MASTER_KEY or SECRETS_MASTER_KEY_FILE, not both');
    ok = false;
  } else if (env.SECRETS_MASTER_KEY) {
    current = decodeMasterKey(env.SECRETS_MASTER_KEY);
    if (!current) {
      issue('SECRETS_MASTER_KEY', `must be ${KEY_HINT}`);
      ok = false;
    }
  } else if (env.SECRETS_MASTER_KEY_FILE) {
    const file = readKeyFile(env.SECRETS_MASTER_KEY_FILE);
    current = file.value === undefined ? null : decodeMasterKey(file.value);
    if (!current) {
      issue('SECRETS_MASTER_KEY_FILE', file.error ?? `the file must hold ${KEY_HINT}`);
      ok = false;
    }
  } else {
    issue(
      'SECRETS_MASTER_KEY',
      `The local secret store needs a master key: set SECRETS_MASTER_KEY (${KEY_HINT}) or SECRETS_MASTER_KEY_FILE (a file holding it)`,
    );
    ok = false;
  }
  if (!env.SECRETS_MASTER_KEY_ID || !KEY_ID.test(env.SECRETS_MASTER_KEY_ID)) {
    issue(
      'SECRETS_MASTER_KEY_ID',
      env.SECRETS_MASTER_KEY_ID
        ? 'must be 1-64 letters, digits, dots, dashes or underscores'
        : 'The local secret store needs the id of the master key (e.g. "dev-1"); change it whenever the key changes',
    );
    ok = false;
  }
  const keys = new Map<string, Buffer>();
  if (env.SECRETS_PREVIOUS_KEYS) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(env.SECRETS_PREVIOUS_KEYS);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      issue('SECRETS_PREVIOUS_KEYS', 'must be a JSON object { "<key id>": "<base64 key>" }');
      ok = false;
    } else {
      for (const [id, value] of Object.entries(parsed)) {
        const key = typeof value === 'string' ? decodeMasterKey(value) : null;
        if (!KEY_ID.test(id)) {
          issue(
            'SECRETS_PREVIOUS_KEYS',
            `key id "${id.slice(0, 64)}" must be 1-64 letters, digits, dots, dashes or underscores`,
          );
          ok = false;
        } else if (!key) {
          issue('SECRETS_PREVIOUS_KEYS', `key "${id}" must be ${KEY_HINT}`);
          ok = false;
        } else if (id === env.SECRETS_MASTER_KEY_ID) {
          issue('SECRETS_PREVIOUS_KEYS', `key "${id}" has the id of the current key (SECRETS_MASTER_KEY_ID)`);
          ok = false;
        } else {
          keys.set(id, key);
        }
      }
    }
  }
  if (!ok || !current || !env.SECRETS_MASTER_KEY_ID) return undefined;
  keys.set(env.SECRETS_MASTER_KEY_ID, current);
  return { currentId: env.SECRETS_MASTER_KEY_ID, keys };
}
