/**
 * Errors (red, `error-banner`) and the one information banner (`info-banner`), each dismissible;
 * notices go by themselves when their state ends (state/notices.ts).
 */
import { useGrokStore } from '../store';
import { noticeText } from '../state/notices';
import type { Notice } from '../state/types';

function Notices({ kind, items, dismiss }: { kind: Notice['kind']; items: Notice[]; dismiss: (id: number) => void }) {
  if (items.length === 0) return null;
  return (
    <div
      className={kind === 'error' ? 'error-banner' : 'info-banner'}
      data-testid={`${kind}-banner`}
      role={kind === 'error' ? 'alert' : 'status'}
    >
      {items.map((n) => (
        <p key={n.id}>
          {noticeText(n)}{' '}
          <button onClick={() => dismiss(n.id)} aria-label="dismiss">
            ✕
          </button>
        </p>
      ))}
    </div>
  );
}

export function NoticeBanner() {
  const notices = useGrokStore((s) => s.notices);
  const dismiss = useGrokStore((s) => s.dismissNotice);
  return (
    <>
      <Notices kind="error" items={notices.filter((n) => n.kind === 'error')} dismiss={dismiss} />
      <Notices kind="info" items={notices.filter((n) => n.kind === 'info')} dismiss={dismiss} />
    </>
  );
}
