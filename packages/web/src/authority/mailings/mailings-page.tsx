import type { MailingSent } from '@signet/protocol';
import { useState } from 'react';
import { Notice } from '../../components/notice';
import { StepHeading } from '../../components/step-heading';
import { MailingForm } from './mailing-form';
import { MailingList } from './mailing-list';

/** Official mailings: send one, and follow each with how many received and read it. */
export function MailingsPage() {
  const [sent, setSent] = useState<MailingSent>();
  const [revision, setRevision] = useState(0);
  return (
    <div className="stack">
      <StepHeading>Mailings</StepHeading>
      {sent && (
        <Notice kind="success">
          {sent.duplicate
            ? `This signed notice had been sent already, as mailing ${sent.mailingId}.`
            : `Mailing ${sent.mailingId} sent to ${sent.counts.audience} identified account${sent.counts.audience === 1 ? '' : 's'}.`}
        </Notice>
      )}
      <div className="console-columns">
        <MailingForm
          onSent={(s) => {
            setSent(s);
            setRevision((r) => r + 1);
          }}
        />
        <MailingList revision={revision} />
      </div>
    </div>
  );
}
