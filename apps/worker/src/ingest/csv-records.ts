/**
 * Parses CSV text into records the way PostgreSQL's COPY (FORMAT csv) reads it: a double quote
 * anywhere opens or closes a quoted section, `""` inside quotes is a literal quote, CR, LF and
 * CRLF end a record outside quotes. Blank lines are skipped (the framer skips them too).
 *
 * Used only on the sample at the start of the file; the bulk of the file goes through
 * `CopyFramer`, which never builds strings.
 */
export interface ParsedRecords {
  records: string[][];
  /** Characters consumed by complete records (the rest is a record cut by the end of `text`). */
  consumed: number;
  /** The text ended inside a quoted field (only meaningful when `final`). */
  unterminatedQuote: boolean;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export function parseRecords(text: string, delimiter: string, maxRecords: number, final: boolean): ParsedRecords {
  const records: string[][] = [];
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  let fields: string[] = [];
  // The current field is `pending` + text[start, i) (slices, so unquoted fields are one slice).
  let pending = '';
  let start = 0;
  let inQuote = false;
  let inRecord = false;
  let consumed = 0;
  let i = 0;
  while (i < n && records.length < maxRecords) {
    const c = text.charCodeAt(i);
    if (!inRecord) {
      if (c === LF || c === CR) {
        i += 1;
        consumed = i;
        continue;
      }
      inRecord = true;
      start = i;
      pending = '';
    }
    if (inQuote) {
      if (c === QUOTE) {
        pending += text.slice(start, i);
        if (text.charCodeAt(i + 1) === QUOTE) {
          pending += '"';
          i += 2;
          start = i;
          continue;
        }
        inQuote = false;
        start = i + 1;
      }
      i += 1;
      continue;
    }
    if (c === QUOTE) {
      pending += text.slice(start, i);
      inQuote = true;
      start = i + 1;
    } else if (c === delim) {
      fields.push(pending + text.slice(start, i));
      pending = '';
      start = i + 1;
    } else if (c === LF || c === CR) {
      fields.push(pending + text.slice(start, i));
      records.push(fields);
      fields = [];
      pending = '';
      inRecord = false;
      consumed = i + 1;
    }
    i += 1;
  }
  let unterminatedQuote = false;
  if (final && inRecord && i >= n && records.length < maxRecords) {
    if (inQuote) unterminatedQuote = true;
    else {
      fields.push(pending + text.slice(start, n));
      records.push(fields);
      consumed = n;
    }
  }
  return { records, consumed, unterminatedQuote };
}
