import { createHash, randomBytes } from 'node:crypto';

/** A fresh invitation token: 32 random bytes, base64url (43 characters). Shown once, never stored. */
export function newInvitationToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What is stored and looked up instead of the token. */
export function hashInvitationToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}
