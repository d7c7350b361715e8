import { DAY, HOUR, MINUTE, SECOND } from '@signet/common';
import type { TerminationReason } from '@signet/protocol';
import type { OperatorDatabase } from '../db';
import { answerTimes, countUndecided } from '../identification/request-store';
import { allNotices } from '../notices/notice-store';
import { formatInstant } from '../time';
import { type Bucket, histogram, share } from './histogram';

export interface NoticeReportItem {
  noticeId: string;
  messengerId: string;
  phoneNumber: string;
  reason: TerminationReason;
  userCodes: number;
  terminatedAt: string;
  deliveredAt: string | null;
  delayMs: number | null;
  /** True if delivered within the limit, false if delivered late or still undelivered past it, null while in time. */
  metLimit: boolean | null;
}

/** The operator's side of the service levels (spec 6): answer times and termination-notice delays. */
export interface ServiceReport {
  operatorId: string;
  generatedAt: string;
  answers: {
    targetMs: number;
    decided: number;
    pending: number;
    withinTarget: number;
    /** Of the decided requests; null when none was decided. */
    shareWithinTarget: number | null;
    late: number;
    histogram: Bucket[];
    byMessenger: Array<{
      messengerId: string;
      decided: number;
      withinTarget: number;
      shareWithinTarget: number | null;
    }>;
  };
  notices: {
    limitMs: number;
    total: number;
    delivered: number;
    undelivered: number;
    withinLimit: number;
    /** Of the notices whose outcome is known (delivered, or past the limit undelivered); null when none is. */
    shareWithinLimit: number | null;
    histogram: Bucket[];
    items: NoticeReportItem[];
  };
}

export interface ReportSettings {
  operatorId: string;
  answerTargetMs: number;
  noticeLimitMs: number;
  now: number;
}

export async function buildServiceReport(db: OperatorDatabase, s: ReportSettings): Promise<ServiceReport> {
  const [times, pending, notices] = await Promise.all([answerTimes(db.db), countUndecided(db.db), allNotices(db.db)]);
  // A messenger clock ahead of ours could make a time negative; it counts as instant.
  const answerMs = times.map((t) => Math.max(0, t.decided_at - t.requested_at_ms));
  const within = answerMs.filter((ms) => ms <= s.answerTargetMs).length;
  const perMessenger = new Map<string, { decided: number; withinTarget: number }>();
  times.forEach((t, i) => {
    const m = perMessenger.get(t.messenger_id) ?? { decided: 0, withinTarget: 0 };
    m.decided++;
    if ((answerMs[i] ?? 0) <= s.answerTargetMs) m.withinTarget++;
    perMessenger.set(t.messenger_id, m);
  });

  const items: NoticeReportItem[] = notices.map((n) => {
    const delayMs = n.delivered_at === null ? null : Math.max(0, n.delivered_at - n.terminated_at);
    const overdue = s.now - n.terminated_at > s.noticeLimitMs;
    return {
      noticeId: n.notice_id,
      messengerId: n.messenger_id,
      phoneNumber: n.phone_number,
      reason: n.reason,
      userCodes: (JSON.parse(n.user_codes) as string[]).length,
      terminatedAt: formatInstant(n.terminated_at),
      deliveredAt: n.delivered_at === null ? null : formatInstant(n.delivered_at),
      delayMs,
      metLimit: delayMs !== null ? delayMs <= s.noticeLimitMs : overdue ? false : null,
    };
  });
  const delays = items.flatMap((i) => (i.delayMs === null ? [] : [i.delayMs]));
  const withinLimit = items.filter((i) => i.metLimit === true).length;
  const known = items.filter((i) => i.metLimit !== null).length;

  return {
    operatorId: s.operatorId,
    generatedAt: formatInstant(s.now),
    answers: {
      targetMs: s.answerTargetMs,
      decided: answerMs.length,
      pending,
      withinTarget: within,
      shareWithinTarget: share(within, answerMs.length),
      late: answerMs.length - within,
      histogram: histogram(answerMs, [
        SECOND,
        5 * SECOND,
        30 * SECOND,
        MINUTE,
        5 * MINUTE,
        10 * MINUTE,
        s.answerTargetMs,
        HOUR,
      ]),
      byMessenger: [...perMessenger].map(([messengerId, m]) => ({
        messengerId,
        ...m,
        shareWithinTarget: share(m.withinTarget, m.decided),
      })),
    },
    notices: {
      limitMs: s.noticeLimitMs,
      total: items.length,
      delivered: delays.length,
      undelivered: items.length - delays.length,
      withinLimit,
      shareWithinLimit: share(withinLimit, known),
      histogram: histogram(delays, [MINUTE, 10 * MINUTE, HOUR, 6 * HOUR, 12 * HOUR, s.noticeLimitMs, 2 * DAY]),
      items,
    },
  };
}
