import { describe, expect, it } from 'vitest';
import { displayFileName, humanBytes, isAcceptedUploadType, partSizeFor, uploadContentType } from './upload-plan.js';

describe('upload plan', () => {
  it('keeps only the last path segment of a file name, without control characters', () => {
    expect(displayFileName('../../etc/passwd')).toBe('passwd');
    expect(displayFileName('C:\\Users\\me\\sales.csv')).toBe('sales.csv');
    expect(displayFileName('a\u0000b\n.csv')).toBe('ab.csv');
    expect(displayFileName('..')).toBe('upload.csv');
  });

  it('accepts well-formed content types only', () => {
    expect(uploadContentType('text/csv; charset=utf-8')).toBe('text/csv; charset=utf-8');
    expect(uploadContentType('text/csv\r\nx-amz-acl: public-read')).toBe('text/csv');
    expect(uploadContentType(undefined)).toBe('text/csv');
  });

  it('accepts only CSV-like content types (malformed ones are replaced by text/csv)', () => {
    for (const type of ['text/csv', 'TEXT/CSV; charset=utf-8', 'text/plain', 'application/vnd.ms-excel', undefined]) {
      expect(isAcceptedUploadType(type)).toBe(true);
    }
    for (const type of ['text/html', 'image/svg+xml', 'application/javascript', 'text/html; charset=utf-8']) {
      expect(isAcceptedUploadType(type)).toBe(false);
    }
    expect(isAcceptedUploadType('text/csv\r\nx-amz-acl: public-read')).toBe(true);
  });

  it('grows the part size so a file never needs more than 10,000 parts', () => {
    expect(partSizeFor(100 * 1024 ** 2, 64 * 1024 ** 2)).toBe(64 * 1024 ** 2);
    const size = 5 * 1024 ** 4;
    expect(Math.ceil(size / partSizeFor(size, 5 * 1024 ** 2))).toBeLessThanOrEqual(10_000);
  });

  it('prints sizes for people', () => {
    expect(humanBytes(5 * 1024 ** 3)).toBe('5 GiB');
    expect(humanBytes(1536)).toBe('1.5 KiB');
    expect(humanBytes(12)).toBe('12 bytes');
  });
});
