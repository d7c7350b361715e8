import type { ButtonHTMLAttributes, Ref } from 'react';

interface BusyButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  busy: boolean;
  busyLabel: string;
  variant?: 'primary' | 'secondary' | 'danger';
  ref?: Ref<HTMLButtonElement>;
}

/** A button that says what it is doing while its action runs, and cannot be pressed twice. */
export function BusyButton({ busy, busyLabel, variant = 'primary', children, disabled, ...rest }: BusyButtonProps) {
  return (
    <button
      type="submit"
      className={`button button-${variant}`}
      disabled={busy || disabled}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? busyLabel : children}
    </button>
  );
}
