/** A short, dismissible introduction: what grokking is, what to press, how long it takes here. */
import { expectedOutcome, taskText } from '../class-texts';
import { useGrokStore } from '../store';

export function Intro() {
  const dismissed = useGrokStore((s) => s.introDismissed);
  const dismiss = useGrokStore((s) => s.dismissIntro);
  const openLesson = useGrokStore((s) => s.openLesson);
  const config = useGrokStore((s) => s.run.workerConfig ?? s.config);
  const outcome = expectedOutcome(config);
  if (dismissed) return null;
  return (
    <section className="intro" data-testid="intro" aria-label="Introduction">
      <button className="intro-close" data-testid="intro-dismiss" aria-label="dismiss the introduction" onClick={dismiss}>
        ✕
      </button>
      <p>
        <strong>Grokking</strong>: a network first memorizes its training examples, then — often much later, and suddenly — learns the rule
        behind them. Here a small transformer learns <em>{taskText(config)}</em> from part of the table:{' '}
        <span className="intro-train">training accuracy</span> reaches 100% first, <span className="intro-val">validation accuracy</span>{' '}
        (the hidden rows) jumps up later.
      </p>
      <p>
        Press <strong>▶ Play</strong> (or Space){outcome ? `: ${outcome.long}` : ''}. Then set weight decay to 0, try another method or a
        preset; each chart’s <strong>?</strong> explains it.{' '}
        <button className="intro-lesson" data-testid="lesson-open" onClick={() => openLesson(0)}>
          Guided lesson for a class →
        </button>
      </p>
    </section>
  );
}
