import { describe, expect, it } from 'vitest';
import { saneRequestId } from './request-id.js';

describe('saneRequestId', () => {
  it.each(['abc12345', 'e2e-3f1c:retry.2', 'a'.repeat(128)])('accepts %s', (id) => expect(saneRequestId(id)).toBe(id));
  it.each(['short', 'has space in it', 'line\nbreak-123', 'a'.repeat(129), '<script>alert(1)</script>', undefined, 42])(
    'rejects %s',
    (id) => expect(saneRequestId(id)).toBeUndefined(),
  );
});
