import type { TColumnType, TDatasetColumn } from '@elasticdash/contracts/datasets/dataset';
import { parseRecords } from './csv-records.js';
import type { Delimiter, TextEncodingName } from './csv-sniff.js';
import { IngestInputError, formatCount } from './ingest-errors.js';
import { columnKey } from './table-names.js';
import { inferTypes, looksLikeHeader } from './type-inference.js';

/** Everything decided from the start of the file; fixed across restarts except `types` (widened). */
export interface IngestPlan {
  encoding: TextEncodingName;
  bomLength: number;
  delimiter: Delimiter;
  hasHeader: boolean;
  names: string[];
  types: TColumnType[];
}

/** At most this many sampled cells are held as strings (rows × columns). */
export const MAX_SAMPLE_CELLS = 1_000_000;

export interface PlanLimits {
  maxColumns: number;
  sampleRows: number;
}

/**
 * Reads the sample (decoded to UTF-8 text) into header, column names and types. `final` says the
 * sample is the whole file. Bad input throws an IngestInputError with the user-facing reason.
 *
 * Blank header cells are named `column_<n>` (pandas and spreadsheet exports often leave the
 * index column unnamed); duplicate names (case-insensitive) are rejected, since charts and
 * filters refer to columns by name.
 */
export function planFromSample(
  text: string,
  final: boolean,
  base: Pick<IngestPlan, 'encoding' | 'bomLength' | 'delimiter'>,
  limits: PlanLimits,
): IngestPlan {
  // Bound the sample by cells too: 10,000 rows of a 1,000-column file would be 10 million strings.
  const firstWidth = parseRecords(text, base.delimiter, 1, final).records[0]?.length ?? 1;
  const sampleRows = Math.max(100, Math.min(limits.sampleRows, Math.floor(MAX_SAMPLE_CELLS / firstWidth)));
  const parsed = parseRecords(text, base.delimiter, sampleRows + 1, final);
  const records = parsed.records;
  const first = records[0];
  if (!first) {
    if (final && parsed.unterminatedQuote) {
      throw new IngestInputError('row 1: a quoted field is not closed before the end of the file');
    }
    if (final) throw new IngestInputError('The file is empty');
    throw new IngestInputError('The first row of the file is too long (more than 16 MiB)');
  }
  if (records.length === 1 && first.length === 1 && first[0]!.trim() === '' && final) {
    throw new IngestInputError('The file is empty');
  }
  if (first.length > limits.maxColumns) {
    throw new IngestInputError(
      `The file has ${formatCount(first.length)} columns; at most ${formatCount(limits.maxColumns)} are supported`,
    );
  }
  const sampleEnd = records.findIndex((record) => record.length !== first.length);
  // Ragged rows inside the sample are reported by the framer with their row number.
  const consistent = sampleEnd === -1 ? records : records.slice(0, sampleEnd);
  const hasHeader = looksLikeHeader(first, consistent.slice(1));
  const width = first.length;
  const rows = hasHeader ? consistent.slice(1) : consistent;
  if (hasHeader && records.length === 1 && final) throw new IngestInputError('The file has a header but no rows');
  const names = hasHeader ? headerNames(first) : first.map((_, index) => `column_${index + 1}`);
  return { ...base, hasHeader, names, types: inferTypes(rows.slice(0, sampleRows), width) };
}

export function headerNames(header: readonly string[]): string[] {
  const names = header.map((raw, index) => raw.trim() || `column_${index + 1}`);
  const seen = new Map<string, number>();
  names.forEach((name, index) => {
    const key = name.toLowerCase();
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      throw new IngestInputError(`Duplicate column name '${names[earlier]}' (columns ${earlier + 1} and ${index + 1})`);
    }
    seen.set(key, index);
  });
  return names;
}

export function datasetColumns(plan: IngestPlan): TDatasetColumn[] {
  return plan.names.map((name, index) => ({
    key: columnKey(index),
    name,
    type: plan.types[index] ?? 'text',
    position: index,
  }));
}
