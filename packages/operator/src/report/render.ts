import { type Bucket, formatDuration } from './histogram';
import type { ServiceReport } from './service-report';

/** The report as Markdown, readable as plain text too. */
export function renderServiceReport(r: ServiceReport): string {
  const a = r.answers;
  const n = r.notices;
  const lines = [
    `# Service levels of operator ${r.operatorId}`,
    '',
    `Generated ${r.generatedAt}.`,
    '',
    '## Answer time (decidedAt − requestedAt)',
    '',
    `- decided: ${a.decided}, still pending: ${a.pending}`,
    `- within the target of ${formatDuration(a.targetMs)}: ${a.withinTarget} (${percent(a.shareWithinTarget)}); late: ${a.late}`,
    '',
    ...table(a.histogram),
  ];
  if (a.byMessenger.length > 0) {
    lines.push('', '| Messenger | Decided | Within target | Share |', '|---|---:|---:|---:|');
    for (const m of a.byMessenger) {
      lines.push(`| ${m.messengerId} | ${m.decided} | ${m.withinTarget} | ${percent(m.shareWithinTarget)} |`);
    }
  }
  lines.push(
    '',
    '## Termination notices (delivered − terminatedAt)',
    '',
    `- notices: ${n.total}, delivered: ${n.delivered}, undelivered: ${n.undelivered}`,
    `- delivered within ${formatDuration(n.limitMs)}: ${n.withinLimit} (${percent(n.shareWithinLimit)} of the notices past the limit or delivered)`,
    '',
    ...table(n.histogram),
  );
  if (n.items.length > 0) {
    lines.push(
      '',
      '| Notice | Messenger | Number | Reason | Terminated | Delivered | Delay | Within limit |',
      '|---|---|---|---|---|---|---:|---|',
    );
    for (const i of n.items) {
      const met = i.metLimit === null ? 'pending' : i.metLimit ? 'yes' : 'NO';
      const delay = i.delayMs === null ? '—' : formatDuration(i.delayMs);
      lines.push(
        `| ${i.noticeId} | ${i.messengerId} | ${i.phoneNumber} | ${i.reason} | ${i.terminatedAt} | ${i.deliveredAt ?? '—'} | ${delay} | ${met} |`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function table(buckets: Bucket[]): string[] {
  return ['| Time | Count |', '|---|---:|', ...buckets.map((b) => `| ${b.label} | ${b.count} |`)];
}

function percent(value: number | null): string {
  return value === null ? 'n/a' : `${(value * 100).toFixed(1)} %`;
}
