import { type ReactNode, useEffect, useRef } from 'react';

/**
 * The heading of a step or page. It takes the focus when it appears, so that keyboard and screen-reader users
 * start reading the new step from its top instead of staying on a button that is gone.
 */
export function StepHeading({ level = 1, children }: { level?: 1 | 2; children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, []);
  const Tag = level === 1 ? 'h1' : 'h2';
  return (
    <Tag ref={ref} tabIndex={-1} className="step-heading">
      {children}
    </Tag>
  );
}
