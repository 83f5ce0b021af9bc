import { randomBytes } from 'node:crypto';
import { Global, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { Algorithm, hash, type Options, parseOptions, verify } from '@node-rs/argon2';

/** argon2id with the OWASP-recommended minimum (19 MiB, 2 passes, 1 lane). */
export const ARGON2_OPTIONS = {
  algorithm: Algorithm.Argon2id,
  memoryCost: 19_456,
  timeCost: 2,
  parallelism: 1,
} as const satisfies Options;

/** Hashes and verifies passwords; the only place that sees a plaintext password besides the request. */
@Injectable()
export class PasswordHasher implements OnModuleInit {
  /** A hash of a random secret, verified against when no account exists so timing matches. */
  private dummyHash: Promise<string> | undefined;

  /** Computes the dummy hash at boot, so the first unknown-email login is not slower either. */
  async onModuleInit(): Promise<void> {
    await this.dummy();
  }

  hash(password: string): Promise<string> {
    return hash(password, ARGON2_OPTIONS);
  }

  /** False (never throws) when the hash is malformed. */
  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  /** Burns the same work as `verify` and always answers false. */
  async verifyAgainstDummy(password: string): Promise<false> {
    await this.verify(await this.dummy(), password);
    return false;
  }

  private dummy(): Promise<string> {
    this.dummyHash ??= this.hash(randomBytes(32).toString('base64url'));
    return this.dummyHash;
  }

  /** True when the stored hash was made with other parameters than today's. */
  needsRehash(passwordHash: string): boolean {
    try {
      const options = parseOptions(passwordHash);
      return (
        options.algorithm !== ARGON2_OPTIONS.algorithm ||
        options.memoryCost !== ARGON2_OPTIONS.memoryCost ||
        options.timeCost !== ARGON2_OPTIONS.timeCost ||
        options.parallelism !== ARGON2_OPTIONS.parallelism
      );
    } catch {
      return true;
    }
  }
}

@Global()
@Module({ providers: [PasswordHasher], exports: [PasswordHasher] })
export class PasswordsModule {}
