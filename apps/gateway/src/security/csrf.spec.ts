import { describe, expect, it } from 'vitest';
import { csrfMatches, csrfTokenFor } from './csrf.js';

describe('CSRF token', () => {
  it('is bound to the session and differs between sessions', () => {
    expect(csrfMatches('session-a', csrfTokenFor('session-a'))).toBe(true);
    expect(csrfMatches('session-b', csrfTokenFor('session-a'))).toBe(false);
    expect(csrfTokenFor('session-a')).not.toContain('session-a');
  });
  it.each([undefined, '', ['array'], 'x'])('rejects %s', (presented) => {
    expect(csrfMatches('session-a', presented)).toBe(false);
  });
});
