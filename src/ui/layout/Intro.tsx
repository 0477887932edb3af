/** A short, dismissible introduction: what grokking is, what to press, how long it takes here. */
import { TASK_LABELS } from '../../config/fields';
import { CLASSROOM_GROK_SECONDS } from '../help';
import { DEFAULT_UI_CONFIG } from '../state/config-slice';
import { useGrokStore } from '../store';

export function Intro() {
  const dismissed = useGrokStore((s) => s.introDismissed);
  const dismiss = useGrokStore((s) => s.dismissIntro);
  if (dismissed) return null;
  return (
    <section className="intro" data-testid="intro" aria-label="Introduction">
      <button className="intro-close" data-testid="intro-dismiss" aria-label="dismiss the introduction" onClick={dismiss}>
        ✕
      </button>
      <p>
        <strong>Grokking</strong> is a network that first memorizes its training examples and only much later — suddenly — learns the rule behind them. Here a small
        transformer learns the table of{' '}
        <em>
          {TASK_LABELS[DEFAULT_UI_CONFIG.task]} mod {DEFAULT_UI_CONFIG.p}
        </em>{' '}
        from part of its rows: watch <span className="intro-train">training accuracy</span> reach 100% first, then,
        hundreds of steps later, <span className="intro-val">validation accuracy</span> on the hidden half jump up.
      </p>
      <p>
        Press <strong>▶ Play</strong> (or Space). The default run groks in about {CLASSROOM_GROK_SECONDS} s on a laptop CPU. Then try another method or turn weight decay to 0 and
        press Reset; the <strong>?</strong> next to each chart explains it, and the preset menu has more experiments.
      </p>
    </section>
  );
}
