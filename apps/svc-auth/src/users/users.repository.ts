import { Inject, Injectable } from '@nestjs/common';
import { eq } from 'drizzle-orm';
import { DB, type Db, run } from '../db/database.js';
import { users } from '../db/schema.js';
import type { UserRow } from './users.mapper.js';

@Injectable()
export class UsersRepository {
  constructor(@Inject(DB) private readonly db: Db) {}

  /** Inserts a user; null when the (normalised) email is already taken. */
  async create(values: { email: string; name: string; passwordHash: string; now: Date }): Promise<UserRow | null> {
    const rows = await run(
      this.db
        .insert(users)
        .values({
          email: values.email,
          name: values.name,
          passwordHash: values.passwordHash,
          createdAt: values.now,
          updatedAt: values.now,
        })
        .onConflictDoNothing({ target: users.email })
        .returning(),
    );
    return rows[0] ?? null;
  }

  async findById(id: string): Promise<UserRow | null> {
    const rows = await run(this.db.select().from(users).where(eq(users.id, id)).limit(1));
    return rows[0] ?? null;
  }

  async findByEmail(email: string): Promise<UserRow | null> {
    const rows = await run(this.db.select().from(users).where(eq(users.email, email)).limit(1));
    return rows[0] ?? null;
  }

  async updateName(id: string, name: string, now: Date): Promise<UserRow | null> {
    const rows = await run(this.db.update(users).set({ name, updatedAt: now }).where(eq(users.id, id)).returning());
    return rows[0] ?? null;
  }

  async updatePasswordHash(id: string, passwordHash: string, now: Date): Promise<void> {
    await run(this.db.update(users).set({ passwordHash, updatedAt: now }).where(eq(users.id, id)));
  }
}
