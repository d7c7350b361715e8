import { canonicalPrefixes, type NoticeAudience } from '@signet/protocol';
import { type RawBuilder, sql } from 'kysely';

/** The audience as it is stored and signed: prefixes sorted and without repeats. */
export function canonicalAudience(audience: NoticeAudience): NoticeAudience {
  return 'all' in audience ? { all: true } : { prefixes: canonicalPrefixes(audience.prefixes) };
}

export function storedAudience(text: string): NoticeAudience {
  const value = JSON.parse(text) as NoticeAudience;
  return 'all' in value ? { all: true } : { prefixes: value.prefixes };
}

/**
 * SQL that holds when the number in `column` is in the audience, comparing the start of the number. It uses no
 * index, on purpose: it filters rows found otherwise (the accounts whose cursor reached a mailing), and a
 * planner offered an index for it would rather walk the whole audience.
 */
export function numberInAudience(audience: NoticeAudience, column: string): RawBuilder<boolean> {
  if ('all' in audience) return sql<boolean>`1 = 1`;
  const ref = sql.ref(column);
  // One comparison per length of prefix, against the list of that length: a hundred prefixes cost one lookup.
  const byLength = new Map<number, string[]>();
  for (const p of audience.prefixes) byLength.set(p.length, [...(byLength.get(p.length) ?? []), p]);
  const parts = [...byLength].map(
    ([length, list]) => sql`substr(${ref}, 1, ${sql.lit(length)}) in (${sql.join(list.map((p) => sql`${p}`))})`,
  );
  return sql<boolean>`(${sql.join(parts, sql` or `)})`;
}

/** The prefixes without those another one already covers (`+7900` goes when `+79` is there). */
export function disjointPrefixes(prefixes: readonly string[]): string[] {
  const out: string[] = [];
  for (const p of canonicalPrefixes(prefixes)) if (!out.some((q) => p.startsWith(q))) out.push(p);
  return out;
}

/**
 * The numbers that start with `prefix`, as a range of the number index (SQLite compares bytes): digits sort
 * before `:`, so every number that starts with `+7900` lies in [`+7900`, `+7900:`).
 */
export function prefixRange(prefix: string): [string, string] {
  return [prefix, `${prefix}:`];
}
