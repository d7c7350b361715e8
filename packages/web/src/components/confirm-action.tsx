import { type ReactNode, useEffect, useRef, useState } from 'react';
import { BusyButton } from './busy-button';

interface ConfirmActionProps {
  /** The first button, e.g. "Delete account". */
  label: string;
  /** What will happen, shown before the user confirms. */
  warning: ReactNode;
  confirmLabel: string;
  busyLabel: string;
  busy: boolean;
  onConfirm: () => void;
  variant?: 'secondary' | 'danger';
}

/** A destructive action in two steps: the button reveals what will happen, and a second button does it. */
export function ConfirmAction({
  label,
  warning,
  confirmLabel,
  busyLabel,
  busy,
  onConfirm,
  variant = 'danger',
}: ConfirmActionProps) {
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const openRef = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (wasAsking.current) openRef.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button ref={openRef} type="button" className={`button button-${variant}`} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <fieldset className="confirm">
      <legend className="visually-hidden">{label}</legend>
      <div className="confirm-warning">{warning}</div>
      <div className="actions">
        <BusyButton
          ref={confirmRef}
          type="button"
          variant={variant}
          busy={busy}
          busyLabel={busyLabel}
          onClick={onConfirm}
        >
          {confirmLabel}
        </BusyButton>
        <button type="button" className="button button-secondary" onClick={() => setAsking(false)} disabled={busy}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}
