import { isUtf8 } from 'node:buffer';

/** How many bytes at the start of the object are looked at to choose encoding and delimiter. */
export const SNIFF_BYTES = 64 * 1024;

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DetectedEncoding {
  encoding: TextEncodingName;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

/**
 * UTF-8 with or without BOM, UTF-16 LE/BE when a BOM says so; otherwise a prefix that is not
 * valid UTF-8 is read as windows-1252 (the usual "Excel on Windows" export).
 */
export function detectEncoding(prefix: Buffer, complete: boolean): DetectedEncoding {
  if (prefix[0] === 0xef && prefix[1] === 0xbb && prefix[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (prefix[0] === 0xff && prefix[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (prefix[0] === 0xfe && prefix[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  const checked = complete ? prefix : trimIncompleteUtf8(prefix);
  return { encoding: isUtf8(checked) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/** Drops a multi-byte UTF-8 sequence cut by the end of the buffer (at most 3 bytes). */
export function trimIncompleteUtf8(buffer: Buffer): Buffer {
  const end = buffer.length;
  for (let back = 1; back <= Math.min(3, end); back++) {
    const byte = buffer[end - back]!;
    if ((byte & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    if (byte < 0x80) return buffer;
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
    return needed > back ? buffer.subarray(0, end - back) : buffer;
  }
  return buffer;
}

/**
 * A user-facing reason when the bytes are clearly not a text CSV (archives, NUL bytes), else
 * null. Only called for files without a UTF-16 BOM (UTF-16 text is full of NUL bytes).
 */
export function detectNotCsv(prefix: Buffer): string | null {
  const magic: Array<[number[], string]> = [
    [[0x50, 0x4b, 0x03, 0x04], 'a ZIP archive (an .xlsx workbook is one too)'],
    [[0x1f, 0x8b], 'a gzip archive'],
    [[0x25, 0x50, 0x44, 0x46], 'a PDF document'],
    [[0xd0, 0xcf, 0x11, 0xe0], 'an old Excel (.xls) workbook'],
    [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
    [[0x42, 0x5a, 0x68], 'a bzip2 archive'],
  ];
  for (const [bytes, what] of magic) {
    if (bytes.every((byte, index) => prefix[index] === byte)) return `The file is not a CSV: it looks like ${what}`;
  }
  if (prefix.includes(0)) return 'The file is not a CSV: it contains binary data (NUL bytes)';
  return null;
}

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export type Delimiter = (typeof DELIMITERS)[number];

/**
 * Picks the delimiter whose field count is the most consistent (and > 1) over the first lines
 * of the text, counting only delimiters outside double quotes. Ties go to the earlier candidate
 * in `DELIMITERS`; a file where no candidate splits anything is a one-column CSV (`,`).
 */
export function detectDelimiter(text: string, maxLines = 50): Delimiter {
  const counts = new Map<Delimiter, number[]>(DELIMITERS.map((d) => [d, []]));
  const current = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  let inQuote = false;
  let lines = 0;
  let lineHasContent = false;
  const endLine = () => {
    if (lineHasContent) {
      for (const d of DELIMITERS) counts.get(d)!.push(current.get(d)! + 1);
      lines += 1;
    }
    for (const d of DELIMITERS) current.set(d, 0);
    lineHasContent = false;
  };
  for (let i = 0; i < text.length && lines < maxLines; i++) {
    const ch = text[i]!;
    if (ch === '"') {
      inQuote = !inQuote;
      lineHasContent = true;
    } else if (inQuote) {
      continue;
    } else if (ch === '\n' || ch === '\r') {
      endLine();
    } else {
      lineHasContent = true;
      if (current.has(ch as Delimiter)) current.set(ch as Delimiter, current.get(ch as Delimiter)! + 1);
    }
  }
  // A last line without terminator counts only when the text is short (no more lines to come).
  if (lines === 0) endLine();
  let best: Delimiter = ',';
  let bestScore = 0;
  for (const d of DELIMITERS) {
    const perLine = counts.get(d)!;
    if (perLine.length === 0) continue;
    const first = perLine[0]!;
    if (first < 2) continue;
    const consistent = perLine.filter((n) => n === first).length / perLine.length;
    // Consistency dominates; more fields breaks near-ties (e.g. commas inside a ;-file's numbers).
    const score = consistent * 1000 + Math.min(first, 999);
    if (score > bestScore) {
      best = d;
      bestScore = score;
    }
  }
  return best;
}
