import type { MouseEvent, ReactNode } from 'react';
import { navigate, type Route, useRoute } from '../lib/router';

interface NavLinkProps {
  to: Route;
  children: ReactNode;
  className?: string | undefined;
  /** Whether the link is the current page; by default when the address is exactly `to`. */
  current?: boolean | undefined;
}

/** A real link (it opens in a new tab too) that changes page without reloading. */
export function NavLink({ to, children, className, current }: NavLinkProps) {
  const route = useRoute();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  const isCurrent = current ?? route === to;
  return (
    <a href={to} onClick={onClick} aria-current={isCurrent ? 'page' : undefined} className={className}>
      {children}
    </a>
  );
}
