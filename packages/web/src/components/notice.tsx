import type { ReactNode } from 'react';
import { describeError } from '../lib/errors';

/** An error, said with what to do next; announced when it appears. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (error === undefined || error === null) return null;
  return (
    <p className="notice notice-error" role="alert">
      {typeof error === 'string' ? error : describeError(error)}
    </p>
  );
}

export function Notice({ kind = 'info', children }: { kind?: 'info' | 'success' | 'warning'; children: ReactNode }) {
  return (
    <p className={`notice notice-${kind}`} role="status">
      {children}
    </p>
  );
}
