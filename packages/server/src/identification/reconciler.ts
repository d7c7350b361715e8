import { type Clock, type Logger, MINUTE } from '@signet/common';
import { IdentificationResult, PendingResult, RegistrationPage } from '@signet/protocol';
import { Value } from 'typebox/value';
import type { IdentificationConfig, OperatorConfig } from '../config/config';
import type { ServerDatabase } from '../db';
import type { OperatorDirectory } from './directory/directory';
import type { IdentificationManager, StateChange } from './identification-manager';
import type { OperatorClient } from './operator-client';

export interface ReconcileSummary {
  operatorId: string;
  registrations: number;
  suspended: number;
  error?: string;
}

/**
 * Repairs what missed events left behind: reconciliation of registrations (section 4.5) catches
 * termination notices that never arrived, and polling (section 4.2) fetches results whose event did not.
 */
export class Reconciler {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly config: IdentificationConfig,
    private readonly directory: OperatorDirectory,
    private readonly client: OperatorClient,
    private readonly manager: IdentificationManager,
    private readonly log: Logger,
  ) {}

  async reconcileAll(): Promise<ReconcileSummary[]> {
    const out: ReconcileSummary[] = [];
    for (const operator of this.directory.all()) out.push(await this.reconcile(operator));
    return out;
  }

  async reconcile(operator: OperatorConfig): Promise<ReconcileSummary> {
    const summary: ReconcileSummary = { operatorId: operator.id, registrations: 0, suspended: 0 };
    const sync = await this.db.db
      .selectFrom('operator_sync')
      .selectAll()
      .where('operator_id', '=', operator.id)
      .executeTakeFirst();
    let changedSince = sync?.changed_since ?? null;
    let cursor: string | null = null;
    let newest = changedSince;
    do {
      const query = new URLSearchParams({ messengerId: this.config.messengerId, limit: '1000' });
      if (changedSince) query.set('changedSince', changedSince);
      if (cursor) query.set('cursor', cursor);
      const outcome = await this.client.get(operator, `/v1/registrations?${query}`);
      if (outcome.kind !== 'ok' || !Value.Check(RegistrationPage, outcome.body)) {
        summary.error = outcome.kind === 'ok' ? 'malformed registration page' : `${outcome.kind}`;
        return summary;
      }
      const page = outcome.body;
      const changes = await this.db.transaction(async (tx) => {
        const out: StateChange[] = [];
        for (const reg of page.registrations) {
          if (reg.status !== 'terminated') continue;
          const change = await this.manager.suspend(
            tx,
            reg.userCode,
            'contract_terminated',
            Date.parse(reg.changedAt),
            this.clock.now(),
          );
          if (change) out.push(change);
        }
        await this.manager.auditMissedNotices(tx, operator.id, out);
        return out;
      });
      summary.registrations += page.registrations.length;
      summary.suspended += changes.length;
      await this.manager.announce(changes);
      for (const reg of page.registrations)
        if (!newest || Date.parse(reg.changedAt) > Date.parse(newest)) newest = reg.changedAt;
      cursor = page.nextCursor;
    } while (cursor);
    changedSince = newest;
    await this.db.db
      .insertInto('operator_sync')
      .values({ operator_id: operator.id, changed_since: changedSince, last_run_at: this.clock.now() })
      .onConflict((oc) =>
        oc.column('operator_id').doUpdateSet({ changed_since: changedSince, last_run_at: this.clock.now() }),
      )
      .execute();
    if (summary.suspended > 0) this.log.warn(summary, 'reconciliation suspended accounts whose notice was missed');
    return summary;
  }

  /** Polls accepted requests whose result is overdue by `pollAfterMs`, once a minute each. */
  async pollOverdue(): Promise<void> {
    const now = this.clock.now();
    const overdue = await this.db.db
      .selectFrom('identification_requests')
      .selectAll()
      .where('status', '=', 'pending')
      .where('accepted_at', '<=', now - this.config.pollAfterMs)
      .where((eb) => eb.or([eb('next_poll_at', 'is', null), eb('next_poll_at', '<=', now)]))
      .limit(100)
      .execute();
    for (const req of overdue) {
      const operator = req.operator_id ? this.directory.operator(req.operator_id) : undefined;
      if (!operator) continue;
      await this.db.db
        .updateTable('identification_requests')
        .set({ next_poll_at: now + MINUTE })
        .where('request_id', '=', req.request_id)
        .execute();
      const query = new URLSearchParams({ messengerId: this.config.messengerId });
      const outcome = await this.client.get(
        operator,
        `/v1/identifications/${encodeURIComponent(req.request_id)}?${query}`,
      );
      if (outcome.kind !== 'ok' || Value.Check(PendingResult, outcome.body)) continue;
      if (!Value.Check(IdentificationResult, outcome.body)) continue;
      const result = outcome.body;
      const changes = await this.db.transaction((tx) => this.manager.applyResults(tx, operator.id, [result]));
      await this.manager.announce(changes);
    }
  }
}
