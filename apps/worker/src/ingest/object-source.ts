import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import iconv from 'iconv-lite';
import type { Readable } from 'node:stream';
import type { TextEncodingName } from './csv-sniff.js';
import { IngestInputError, formatBytes } from './ingest-errors.js';

/** The uploaded object as a stream of raw chunks, counting bytes read (for progress). */
export interface ObjectSource {
  size: number;
  bytesRead: number;
  chunks(): AsyncGenerator<Buffer>;
  destroy(): void;
}

export interface OpenOptions {
  bucket: string;
  key: string;
  maxBytes: number;
  signal?: AbortSignal;
  /** Retries of GetObject itself (the SDK retries each request too). */
  retries?: number;
  onRetry?: (error: unknown, attempt: number) => void;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Opens the object with backoff on transient errors. A missing object or one over the size limit
 * is bad input (permanent); anything else is left to the caller to retry.
 */
export async function openObject(s3: S3Client, options: OpenOptions): Promise<ObjectSource> {
  const retries = options.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    try {
      const response = await s3.send(new GetObjectCommand({ Bucket: options.bucket, Key: options.key }), {
        abortSignal: options.signal,
      });
      const body = response.Body as Readable | undefined;
      const size = Number(response.ContentLength ?? 0);
      if (!body) throw new Error('S3 GetObject returned no body');
      if (size > options.maxBytes) {
        body.destroy();
        throw new IngestInputError(
          `The file is ${formatBytes(size)}, larger than the ${formatBytes(options.maxBytes)} limit`,
        );
      }
      const source: ObjectSource = {
        size,
        bytesRead: 0,
        async *chunks() {
          for await (const chunk of body) {
            source.bytesRead += (chunk as Buffer).length;
            yield chunk as Buffer;
          }
        },
        destroy: () => body.destroy(),
      };
      return source;
    } catch (error) {
      if (error instanceof IngestInputError) throw error;
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
        throw new IngestInputError('The uploaded file was not found; upload it again');
      }
      if (options.signal?.aborted || attempt >= retries) throw error;
      options.onRetry?.(error, attempt + 1);
      await sleep(500 * 2 ** attempt);
    }
  }
}

/** Skips the byte-order mark and re-encodes to UTF-8 on the fly (UTF-8 input passes through). */
export async function* decodeToUtf8(
  chunks: AsyncIterable<Buffer>,
  encoding: TextEncodingName,
  bomLength: number,
): AsyncGenerator<Buffer> {
  let skip = bomLength;
  const decoder = encoding === 'utf-8' ? null : iconv.getDecoder(encoding === 'windows-1252' ? 'win1252' : encoding);
  for await (let chunk of chunks) {
    if (skip > 0) {
      const cut = Math.min(skip, chunk.length);
      chunk = chunk.subarray(cut);
      skip -= cut;
    }
    if (chunk.length === 0) continue;
    if (!decoder) yield chunk;
    else {
      const text = decoder.write(chunk);
      if (text) yield checked(text, encoding);
    }
  }
  const tail = decoder?.end();
  if (tail) yield checked(tail, encoding);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Undecodable bytes come out as U+FFFD (or lone surrogates in UTF-16): that is a bad encoding. */
function checked(text: string, encoding: TextEncodingName): Buffer {
  if (text.includes('\uFFFD') || (encoding !== 'windows-1252' && LONE_SURROGATE.test(text))) {
    throw new IngestInputError(
      encoding === 'windows-1252'
        ? 'The file is neither UTF-8 nor windows-1252 text; save it as UTF-8 and upload it again'
        : `The file starts with a ${encoding === 'utf-16le' ? 'UTF-16 LE' : 'UTF-16 BE'} byte-order mark but is not valid UTF-16 text`,
    );
  }
  return Buffer.from(text, 'utf8');
}

/** Reads at least `bytes` (or to the end) and hands back that head plus an iterator over the rest. */
export async function readHead(
  chunks: AsyncGenerator<Buffer>,
  bytes: number,
): Promise<{ head: Buffer; done: boolean; rest: AsyncGenerator<Buffer> }> {
  const parts: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < bytes) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    parts.push(next.value);
    length += next.value.length;
  }
  const head = Buffer.concat(parts);
  async function* rest(): AsyncGenerator<Buffer> {
    if (head.length > 0) yield head;
    if (done) return;
    for (;;) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, done, rest: rest() };
}
