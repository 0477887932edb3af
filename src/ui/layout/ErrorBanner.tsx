import { useGrokStore } from '../store';

export function ErrorBanner() {
  const errors = useGrokStore((s) => s.errors);
  const dismiss = useGrokStore((s) => s.dismissError);
  if (errors.length === 0) return null;
  return (
    <div className="error-banner" data-testid="error-banner" role="alert">
      {errors.map((e) => (
        <p key={e.id}>
          {e.message} <button onClick={() => dismiss(e.id)} aria-label="dismiss">✕</button>
        </p>
      ))}
    </div>
  );
}
