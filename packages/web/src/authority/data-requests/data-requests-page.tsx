import type { DataRequestAnswer } from '@signet/protocol';
import { useState } from 'react';
import { StepHeading } from '../../components/step-heading';
import { DataRequestAnswerView } from './data-request-answer';
import { DataRequestForm } from './data-request-form';

/** Data requests: ask for a number's or an account's identification record, and read the answers of this sitting. */
export function DataRequestsPage() {
  const [answers, setAnswers] = useState<DataRequestAnswer[]>([]);
  return (
    <div className="stack">
      <StepHeading>Data requests</StepHeading>
      <div className="console-columns">
        <DataRequestForm onAnswered={(a) => setAnswers((list) => [a, ...list])} />
        <div className="stack">
          {answers.length === 0 && (
            <p className="chat-placeholder">
              Answers appear here. They hold identification data only (never message content), stay in this page only,
              and are gone when you sign out.
            </p>
          )}
          {answers.map((a) => (
            <DataRequestAnswerView key={a.requestId} answer={a} />
          ))}
        </div>
      </div>
    </div>
  );
}
