import { Injectable, Logger } from '@nestjs/common';
import { type TTableView, ZTableView } from '@elasticdash/contracts/data/rows';
import { toFieldIssues } from '@elasticdash/contracts/platform/errors';
import type { TTenantContext } from '@elasticdash/service-kit/access';
import { validationFailed } from '@elasticdash/service-kit/errors';
import { finished, type Readable } from 'node:stream';
import { invalid } from '../rows/invalid.js';
import { RowsService } from '../rows/rows.service.js';
import { exportStatement, planView } from '../rows/statements.js';
import { csvLine, csvRows } from './csv.js';
import { ExportRepository } from './export.repository.js';

export interface CsvExport {
  /** The `content-disposition` header value. */
  disposition: string;
  body: Readable;
}

/** `view` query parameter: base64url JSON of a ZTableView. */
export function decodeView(encoded: string): TTableView {
  let json: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+={0,2}$/.test(encoded)) throw new Error('not base64url');
    json = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
  } catch {
    throw invalid('view', 'must be base64url-encoded JSON of a table view');
  }
  const parsed = ZTableView.safeParse(json);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error.issues).map((issue) => ({ ...issue, path: `view.${issue.path}` }));
    throw validationFailed(issues, `${issues[0]?.path}: ${issues[0]?.message}`);
  }
  return parsed.data;
}

/** `content-disposition` for a table's CSV: an ASCII filename plus the exact one (RFC 6266/5987). */
export function attachment(table: string): string {
  const ascii = `${table.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100) || 'export'}.csv`;
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(`${table}.csv`)}`;
}

/** Streams every row of a view (same filter, search, sort and columns as the grid) as CSV. */
@Injectable()
export class ExportService {
  private readonly logger = new Logger(ExportService.name);

  constructor(
    private readonly rows: RowsService,
    private readonly repository: ExportRepository,
  ) {}

  async csv(ctx: TTenantContext, connectionId: string, encodedView: string): Promise<CsvExport> {
    const view = decodeView(encodedView);
    const { table, pool, connection } = await this.rows.target(ctx, connectionId, view.schema, view.table);
    const plan = planView(table, view);
    const booleans = plan.columns.flatMap((column, index) => (column.kind === 'boolean' ? [index] : []));
    let count = 0;
    const started = performance.now();
    let body: Readable;
    try {
      body = await this.repository.stream(
        pool,
        exportStatement(plan),
        csvLine(plan.columns.map((column) => column.name)),
        (rows) => {
          count += rows.length;
          return csvRows(rows, booleans);
        },
      );
    } catch (error) {
      // Errors of the query itself (bad value for a type, timeout) still get a proper answer.
      throw this.rows.readable(error, connection);
    }
    // An error after the first bytes ends the response early (the download fails visibly).
    finished(body, (error) => {
      const what = `${table.schema}.${table.name}`;
      if (error) this.logger.warn(`export of ${what} stopped after ${count} rows: ${error.message}`);
      else this.logger.log(`exported ${count} rows of ${what} in ${Math.round(performance.now() - started)} ms`);
    });
    return { disposition: attachment(table.name), body };
  }
}
