import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isScramVerifier, scramSha256Verifier } from './scram.js';

describe('scramSha256Verifier', () => {
  it('produces PostgreSQL stored verifiers, deterministic for a given salt', () => {
    const salt = Buffer.from('0123456789abcdef');
    const v = scramSha256Verifier('pencil', { salt });
    expect(isScramVerifier(v)).toBe(true);
    expect(v.startsWith(`SCRAM-SHA-256$4096:${salt.toString('base64')}$`)).toBe(true);
    expect(scramSha256Verifier('pencil', { salt })).toBe(v);
    expect(scramSha256Verifier('pencil')).not.toBe(v);
    expect(v).not.toContain('pencil');
  });

  it('matches the RFC 7677 example (ServerSignature from the verifier ServerKey)', () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const v = scramSha256Verifier('pencil', { salt, iterations: 4096 });
    const serverKey = Buffer.from(v.split(':').at(-1)!, 'base64');
    const nonce = 'rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
    const authMessage = `n=user,r=rOprNGfwEbeRWgbNEkqO,r=${nonce},s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=${nonce}`;
    expect(createHmac('sha256', serverKey).update(authMessage).digest('base64')).toBe(
      '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=',
    );
  });

  it('rejects plaintext as a verifier', () => {
    expect(isScramVerifier('pencil')).toBe(false);
    expect(isScramVerifier('md5abc')).toBe(false);
  });
});
