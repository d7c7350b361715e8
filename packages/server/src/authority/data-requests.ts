import { type Clock, type Logger, sha256Hex, sortableId } from '@signet/common';
import type {
  CreateDataRequest,
  DataRequestAnswer,
  DataRequestTarget,
  DisclosedAccount,
  DisclosedIdentification,
} from '@signet/protocol';
import type { Kysely } from 'kysely';
import { getAccount } from '../accounts/account-store';
import type { AuditLog } from '../audit/audit-log';
import { canonicalJson } from '../audit/chain';
import { AuditKind } from '../audit/kinds';
import type { Schema, ServerDatabase } from '../db';
import { invalidArgument } from '../errors';
import type { Metrics } from '../metrics';
import * as store from './data-request-store';
import { parseLegalBasis } from './legal-basis';
import type { AuthenticatedAuthority } from './request-auth';

const E164 = /^\+[1-9][0-9]{4,14}$/;
const ACCOUNT_ID = /^acc_[A-Za-z0-9_-]{1,64}$/;

type Target = { type: 'phone_number'; value: string } | { type: 'account_id'; value: string };

/**
 * Lawful data requests: with a legal basis, for the identification record of a number or an account, and
 * nothing else (no message content, no contacts, no conversations). Each request and its answer are audited
 * together with the register entry; the answer itself is not kept, only its digest.
 */
export class DataRequests {
  constructor(
    private readonly db: ServerDatabase,
    private readonly clock: Clock,
    private readonly audit: AuditLog,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  async answer(authority: AuthenticatedAuthority, input: CreateDataRequest): Promise<DataRequestAnswer> {
    const legalBasis = parseLegalBasis(input.legalBasis);
    const target = parseTarget(input.target);
    const receivedAt = this.clock.now();
    const requestId = sortableId('dr', receivedAt, 12);

    const db = this.db.db;
    const ids = target.type === 'phone_number' ? await store.accountIdsOfNumber(db, target.value) : [target.value];
    const accounts: DisclosedAccount[] = [];
    for (const id of ids) {
      const account = await disclose(db, id);
      if (account) accounts.push(account);
    }
    const answer: DataRequestAnswer = {
      requestId,
      receivedAt,
      legalBasis,
      target: target.type === 'phone_number' ? { phoneNumber: target.value } : { accountId: target.value },
      accounts,
    };
    const digest = sha256Hex(canonicalJson(answer));
    const actor = { type: 'authority', id: authority.authorityId } as const;
    await this.db.transaction(async (tx) => {
      await store.insertDataRequest(tx, {
        id: requestId,
        authority_id: authority.authorityId,
        legal_reference: legalBasis.reference,
        legal_text: legalBasis.text,
        target_type: target.type,
        target: target.value,
        received_at: receivedAt,
        accounts_disclosed: accounts.length,
        answer_digest: digest,
      });
      await this.audit.append(tx, [
        {
          actor,
          kind: AuditKind.dataRequestReceived,
          subject: requestId,
          payload: { requestId, authorityName: authority.name, legalBasis, target: answer.target },
        },
        {
          actor: { type: 'system' },
          kind: AuditKind.dataRequestAnswered,
          subject: requestId,
          payload: {
            requestId,
            authorityId: authority.authorityId,
            accounts: accounts.map((a) => a.accountId),
            identifications: accounts.reduce((n, a) => n + a.identificationHistory.length, 0),
            events: accounts.reduce((n, a) => n + a.events.length, 0),
            answerDigest: digest,
          },
        },
      ]);
    });
    this.metrics.dataRequests.inc({ authority: authority.authorityId });
    this.log.info(
      { requestId, authorityId: authority.authorityId, accounts: accounts.length },
      'data request answered',
    );
    return answer;
  }
}

function parseTarget(target: DataRequestTarget): Target {
  const { phoneNumber, accountId } = target;
  if ((phoneNumber === undefined) === (accountId === undefined)) {
    throw invalidArgument('target must name exactly one of phoneNumber (E.164) or accountId');
  }
  if (phoneNumber !== undefined) {
    if (!E164.test(phoneNumber)) {
      throw invalidArgument(
        'target.phoneNumber must be an E.164 number: a plus and 5 to 15 digits, such as +79001234567',
        'INVALID_PHONE_NUMBER',
      );
    }
    return { type: 'phone_number', value: phoneNumber };
  }
  if (!ACCOUNT_ID.test(accountId ?? '')) {
    throw invalidArgument('target.accountId must be an account id such as acc_0Q3kX…');
  }
  return { type: 'account_id', value: accountId as string };
}

/** The identification record of one account, or nothing when no record of it is left. */
async function disclose(db: Kysely<Schema>, accountId: string): Promise<DisclosedAccount | undefined> {
  const account = await getAccount(db, accountId);
  const requests = await store.identificationsOf(db, accountId);
  const events = await store.eventsOf(db, accountId);
  if (!account && requests.length === 0 && events.length === 0) return undefined;
  const history: DisclosedIdentification[] = requests.map((r) => ({
    requestId: r.request_id,
    reason: r.reason,
    operatorId: r.operator_id,
    phoneNumber: r.phone_number,
    identificationCode: r.user_code,
    status: r.status,
    failure: r.failure,
    possessionVerifiedAt: r.possession_verified_at,
    requestedAt: r.requested_at,
    decidedAt: r.decided_at,
  }));
  const latest = requests[requests.length - 1];
  const current = requests.find((r) => r.request_id === account?.identification_request_id) ?? latest;
  const registered = events.find((e) => e.type === 'account.registered');
  return {
    accountId,
    phoneNumber: account?.phone_number ?? latest?.phone_number ?? phoneOf(registered?.detail) ?? '',
    identificationCode: account?.user_code ?? latest?.user_code ?? '',
    operatorId: current?.operator_id ?? null,
    state: account?.state ?? 'deleted',
    createdAt: account?.created_at ?? registered?.at ?? null,
    identifiedAt: account?.identified_at ?? null,
    retiredAt: account?.retired_at ?? null,
    identificationHistory: history,
    events: events.map((e) => ({ type: e.type, at: e.at, address: e.address, detail: parseDetail(e.detail) })),
  };
}

function parseDetail(detail: string | null): Record<string, unknown> | null {
  if (detail === null) return null;
  try {
    const value = JSON.parse(detail) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function phoneOf(detail: string | null | undefined): string | undefined {
  const phone = parseDetail(detail ?? null)?.phoneNumber;
  return typeof phone === 'string' ? phone : undefined;
}
