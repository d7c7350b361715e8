import type { NoticeRow } from '../../notices/notice-store';
import type { RegistrationRow } from '../../registrations/registration-store';
import type { SubscriberView } from '../../subscribers/subscriber-manager';
import type { SubscriberRow } from '../../subscribers/subscriber-store';
import { formatInstant } from '../../time';

const at = (ms: number | null) => (ms === null ? null : formatInstant(ms));

export function subscriberJson(s: SubscriberRow) {
  return {
    phoneNumber: s.phone_number,
    status: s.status,
    identityComplete: s.identity_complete === 1,
    createdAt: at(s.created_at),
    updatedAt: at(s.updated_at),
    contractEndedAt: at(s.contract_ended_at),
  };
}

export function registrationJson(r: RegistrationRow) {
  return {
    messengerId: r.messenger_id,
    userCode: r.user_code,
    requestId: r.request_id,
    status: r.status,
    decidedAt: at(r.decided_at),
    changedAt: at(r.changed_at),
    terminationReason: r.termination_reason,
  };
}

export function noticeJson(n: NoticeRow) {
  return {
    noticeId: n.notice_id,
    messengerId: n.messenger_id,
    phoneNumber: n.phone_number,
    userCodes: JSON.parse(n.user_codes) as string[],
    reason: n.reason,
    terminatedAt: at(n.terminated_at),
    eventId: n.event_id,
    deliveredAt: at(n.delivered_at),
  };
}

export function subscriberViewJson(v: SubscriberView) {
  return {
    ...subscriberJson(v.subscriber),
    registrations: v.registrations.map(registrationJson),
    notices: v.notices.map(noticeJson),
  };
}
