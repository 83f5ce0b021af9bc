import { describe, expect, it } from 'vitest';
import { decodeAuditCursor, encodeAuditCursor, primaryKeyText } from './audit-cursor.js';

describe('audit cursors', () => {
  it('round-trips and refuses anything else', () => {
    expect(decodeAuditCursor(encodeAuditCursor(42))).toBe(42);
    expect(decodeAuditCursor('garbage')).toBeNull();
    expect(decodeAuditCursor(Buffer.from('a1:-1').toString('base64url'))).toBeNull();
    expect(decodeAuditCursor(Buffer.from('a1:1 or 1=1').toString('base64url'))).toBeNull();
  });

  it('stores primary keys as text', () => {
    expect([primaryKeyText(1), primaryKeyText('9007199254740993'), primaryKeyText(true), primaryKeyText(null)]).toEqual(
      ['1', '9007199254740993', 'true', ''],
    );
    expect(primaryKeyText({ a: 1 })).toBe('{"a":1}');
  });
});
