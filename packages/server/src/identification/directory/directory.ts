import type { OperatorConfig } from '../../config/config';
import type { ServerDatabase } from '../../db';
import { findLongestPrefix, findPorted, findPortedMany, findRange, loadPrefixes, tableHasRows } from './store';

const E164 = /^\+[1-9][0-9]{1,14}$/;

/** Where a number's operator comes from: the portability table, a numbering-plan range or a prefix. */
export interface Route {
  source: 'ported' | 'range' | 'prefix';
  operatorId: string;
}

/**
 * The key a name is matched by: case, surrounding and repeated spaces and the kind of quotes do not
 * count, so `ПАО "Мобильные ТелеСистемы"`, `пао «Мобильные  ТелеСистемы»` and `ПАО Мобильные
 * ТелеСистемы` are one name.
 */
export function aliasKey(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/["'`«»„“”‘’‚‹›]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The configured operators, the names that refer to them in imported files, and which one serves a number (spec section 5). */
export class OperatorDirectory {
  private readonly byId = new Map<string, OperatorConfig>();
  private readonly byAlias = new Map<string, OperatorConfig>();
  /** Aliases that name more than one operator: they resolve to none rather than to a guess. */
  readonly ambiguousAliases: string[] = [];

  constructor(
    private readonly db: ServerDatabase,
    operators: OperatorConfig[],
  ) {
    const claims = new Map<string, Set<OperatorConfig>>();
    for (const op of operators) {
      this.byId.set(op.id, op);
      for (const name of [op.id, op.name, ...op.aliases]) {
        const key = aliasKey(name);
        if (!key) continue;
        const set = claims.get(key) ?? new Set();
        set.add(op);
        claims.set(key, set);
      }
    }
    for (const [key, set] of claims) {
      if (set.size === 1) this.byAlias.set(key, [...set][0]!);
      else this.ambiguousAliases.push(key);
    }
  }

  operator(id: string): OperatorConfig | undefined {
    return this.byId.get(id);
  }

  all(): OperatorConfig[] {
    return [...this.byId.values()];
  }

  /** The operator an id, name, INN, portability owner id or MNC refers to. An exact id always wins. */
  resolveAlias(nameOrInnOrId: string): OperatorConfig | undefined {
    return this.byId.get(nameOrInnOrId.trim()) ?? this.byAlias.get(aliasKey(nameOrInnOrId));
  }

  /**
   * The configured operator that serves an E.164 number: the portability table first, then the
   * numbering plan's ranges, then its prefixes (the longest that matches). The first source that knows
   * the number decides: a number it gives to an operator no longer configured has none.
   */
  async lookup(e164: string): Promise<OperatorConfig | undefined> {
    const route = await this.route(e164);
    return route && this.byId.get(route.operatorId);
  }

  /**
   * `lookup` for many numbers at once (backfill pages): the portability table in one query, and the
   * plan tables only when they hold anything.
   */
  async lookupMany(numbers: string[]): Promise<(OperatorConfig | undefined)[]> {
    const db = this.db.db;
    const valid = numbers.filter((n) => E164.test(n));
    const ported = await findPortedMany(db, valid);
    const hasRanges = await tableHasRows(db, 'number_ranges');
    // A prefix plan is usually small: match it in memory rather than probing per number.
    const prefixMap = await loadPrefixes(db, 20_000);
    const out: (OperatorConfig | undefined)[] = [];
    for (const e164 of numbers) {
      if (!E164.test(e164)) {
        out.push(undefined);
        continue;
      }
      let operatorId = ported.get(e164);
      if (operatorId === undefined && hasRanges) operatorId = await findRange(db, Number(e164.slice(1)));
      if (operatorId === undefined) {
        const prefixes: string[] = [];
        for (let i = 2; i <= e164.length; i++) prefixes.push(e164.slice(0, i));
        if (prefixMap) {
          for (let i = prefixes.length - 1; i >= 0 && operatorId === undefined; i--) {
            operatorId = prefixMap.get(prefixes[i] as string);
          }
        } else {
          operatorId = await findLongestPrefix(db, prefixes);
        }
      }
      out.push(operatorId === undefined ? undefined : this.byId.get(operatorId));
    }
    return out;
  }

  /** Which table decides the number's operator and the id it gives, configured or not (for diagnostics). */
  async route(e164: string): Promise<Route | undefined> {
    if (!E164.test(e164)) return undefined;
    const db = this.db.db;
    const ported = await findPorted(db, e164);
    if (ported !== undefined) return { source: 'ported', operatorId: ported };
    const ranged = await findRange(db, Number(e164.slice(1)));
    if (ranged !== undefined) return { source: 'range', operatorId: ranged };
    const prefixes: string[] = [];
    for (let i = 2; i <= e164.length; i++) prefixes.push(e164.slice(0, i));
    const prefixed = await findLongestPrefix(db, prefixes);
    return prefixed === undefined ? undefined : { source: 'prefix', operatorId: prefixed };
  }
}
