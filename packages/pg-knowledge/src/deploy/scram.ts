import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/*
 * SCRAM-SHA-256 password verifier in PostgreSQL's stored format (RFC 5802 / RFC 7677):
 *   SCRAM-SHA-256$<iterations>:<base64 salt>$<base64 StoredKey>:<base64 ServerKey>
 * `CREATE ROLE … PASSWORD '<verifier>'` stores it as is, so the plaintext password never reaches
 * the instance: the deployer keeps the password in its SecretStore and only the verifier travels
 * in the user data (where EC2 exposes it to anything that can read instance metadata).
 * PostgreSQL normalises passwords with SASLprep; for the ASCII passwords the deployer generates
 * that is the identity, so `password` is used as UTF-8 bytes.
 */

export const SCRAM_VERIFIER_PATTERN = /^SCRAM-SHA-256\$\d+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/;

export function scramSha256Verifier(password: string, options: { salt?: Buffer; iterations?: number } = {}): string {
  const salt = options.salt ?? randomBytes(16);
  const iterations = options.iterations ?? 4096;
  const salted = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

export function isScramVerifier(value: string): boolean {
  return SCRAM_VERIFIER_PATTERN.test(value);
}
