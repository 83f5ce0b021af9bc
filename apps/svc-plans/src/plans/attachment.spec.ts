import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './attachment.js';

describe('attachmentDisposition', () => {
  it('quotes a plain name as is', () => {
    expect(attachmentDisposition('orders.cs.json')).toBe('attachment; filename="orders.cs.json"');
    expect(attachmentDisposition('orders db (prod).cs.json')).toBe('attachment; filename="orders db (prod).cs.json"');
  });

  it('adds an exact UTF-8 filename* and an ASCII fallback for other names', () => {
    expect(attachmentDisposition('Bestellungen-Größe.cs.json')).toBe(
      `attachment; filename="Bestellungen-Gr__e.cs.json"; filename*=UTF-8''Bestellungen-Gr%C3%B6%C3%9Fe.cs.json`,
    );
    expect(attachmentDisposition('say "hi"/\\.cs.json')).toBe(
      `attachment; filename="say _hi___.cs.json"; filename*=UTF-8''say%20%22hi%22__.cs.json`,
    );
  });
});
