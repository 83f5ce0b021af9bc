import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url: the value that goes into the cookie and nowhere else. */
export function newSessionToken(): { token: string; tokenHash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokenHash: hashSessionToken(token) };
}

/** What is stored and looked up: hex sha256 of the token (a DB leak yields no usable token). */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
