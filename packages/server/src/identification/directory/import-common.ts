import type { OperatorConfig } from '../../config/config';
import type { OperatorDirectory } from './directory';

/** Called as an import advances, for a progress bar: input bytes consumed and data rows handled so far. */
export type ImportProgress = (bytesRead: number, rowsDone: number) => void;

export interface ImportOptions {
  onProgress?: ImportProgress | undefined;
}

export interface ImportSummary {
  kind: 'ranges' | 'prefixes' | 'ported';
  /** Data rows read: every non-blank line but the header. */
  rowsRead: number;
  /** Rows written (a later row for the same range, prefix or number replaces an earlier one). */
  imported: number;
  skipped: {
    /** Rows naming an operator the directory does not know: count per name as written in the file. */
    unknownOperator: Record<string, number>;
    unknownOperatorRows: number;
    malformed: { count: number; firstLines: number[] };
  };
  bytesRead: number;
}

const FIRST_LINES_KEPT = 10;

/** Tallies one import's rows. */
export class SummaryBuilder {
  readonly summary: ImportSummary;

  constructor(kind: ImportSummary['kind']) {
    this.summary = {
      kind,
      rowsRead: 0,
      imported: 0,
      skipped: { unknownOperator: {}, unknownOperatorRows: 0, malformed: { count: 0, firstLines: [] } },
      bytesRead: 0,
    };
  }

  malformed(line: number): void {
    const m = this.summary.skipped.malformed;
    m.count++;
    if (m.firstLines.length < FIRST_LINES_KEPT) m.firstLines.push(line);
  }

  unknownOperator(name: string): void {
    const s = this.summary.skipped;
    s.unknownOperatorRows++;
    s.unknownOperator[name] = (s.unknownOperator[name] ?? 0) + 1;
  }
}

/** The rows of one multi-row insert, a later row for a key replacing an earlier one. */
export class Batch<Row> {
  private rows = new Map<string, Row>();

  constructor(readonly limit: number) {}

  add(key: string, row: Row): void {
    this.rows.delete(key);
    this.rows.set(key, row);
  }

  get full(): boolean {
    return this.rows.size >= this.limit;
  }

  get size(): number {
    return this.rows.size;
  }

  take(): Row[] {
    const rows = [...this.rows.values()];
    this.rows = new Map();
    return rows;
  }
}

const RESOLVER_CACHE = 10_000;

/**
 * `directory.resolveAlias`, remembered: a registry names a few hundred operators over millions of
 * rows. The memory is bounded in case a file names a different one on every row.
 */
export function cachedResolver(directory: OperatorDirectory): (name: string) => OperatorConfig | undefined {
  const cache = new Map<string, OperatorConfig | null>();
  return (name) => {
    let op = cache.get(name);
    if (op === undefined) {
      op = directory.resolveAlias(name) ?? null;
      if (cache.size >= RESOLVER_CACHE) cache.clear();
      cache.set(name, op);
    }
    return op ?? undefined;
  };
}
