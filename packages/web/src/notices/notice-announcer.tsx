import { useNotices } from './notice-store';

/** Says aloud (to screen readers) that an official notice arrived, unless the notices are muted. */
export function NoticeAnnouncer() {
  const { arrived, muted } = useNotices();
  return (
    <p className="visually-hidden" role="status">
      {arrived && !muted ? `New official notice from ${arrived.authority.name}: ${arrived.notice.title}` : ''}
    </p>
  );
}
