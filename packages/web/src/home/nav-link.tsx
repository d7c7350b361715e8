import type { MouseEvent, ReactNode } from 'react';
import { navigate, type Route, useRoute } from '../lib/router';

/** A real link (it opens in a new tab too) that changes page without reloading. */
export function NavLink({ to, children, className }: { to: Route; children: ReactNode; className?: string }) {
  const route = useRoute();
  const onClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} onClick={onClick} aria-current={route === to ? 'page' : undefined} className={className}>
      {children}
    </a>
  );
}
