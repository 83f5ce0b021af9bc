import type { TUser } from '@elasticdash/contracts/auth/user';
import type { users } from '../db/schema.js';

export type UserRow = typeof users.$inferSelect;

/** The public shape of a user; never includes the password hash. */
export function toUser(row: Pick<UserRow, 'id' | 'email' | 'name' | 'createdAt'>): TUser {
  return { id: row.id, email: row.email, name: row.name, createdAt: row.createdAt.toISOString() };
}
