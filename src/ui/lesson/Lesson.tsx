/**
 * The guided lesson's card above the charts: chapter N of M, its question, what to watch, its
 * action, previous / next. The chapter moves on by itself when its event happens while it is
 * shown (memorized, grokked); the views below are the playground's own.
 */
import { useEffect, useRef } from 'react';
import { useRunStory } from '../charts/Charts';
import { useGrokStore } from '../store';
import { GROKKING_LESSON, type LessonEvent } from './chapters';

/** Whether each lesson event has happened in the main run so far. */
function useLessonEvents(): Record<LessonEvent, number | null> {
  const story = useRunStory();
  const grokked = useGrokStore((s) => s.run.stepsTo95);
  return { memorized: story.memorizedAt, grokked };
}

export function Lesson() {
  const lesson = useGrokStore((s) => s.lesson);
  const setChapter = useGrokStore((s) => s.setLessonChapter);
  const close = useGrokStore((s) => s.closeLesson);
  const events = useLessonEvents();
  const index = lesson?.chapter ?? 0;
  const chapter = GROKKING_LESSON[index]!;
  const event = chapter.advanceOn;
  const at = event ? events[event] : null;
  // the event's state when the chapter opened: only a change while it is shown moves on
  const seen = useRef<{ index: number; happened: boolean } | null>(null);
  useEffect(() => {
    if (!lesson) return;
    if (seen.current?.index !== index) seen.current = { index, happened: at !== null };
    else if (at === null)
      seen.current.happened = false; // a new run (the chapter's action resets it)
    else if (!seen.current.happened && index < GROKKING_LESSON.length - 1) {
      seen.current = { index: index + 1, happened: false };
      setChapter(index + 1);
    }
  }, [lesson, index, at, setChapter]);
  if (!lesson) return null;
  const store = () => useGrokStore.getState();
  const last = GROKKING_LESSON.length - 1;
  const previous = index > 0 ? GROKKING_LESSON[index - 1] : undefined;
  const arrived = previous?.advanceOn ? events[previous.advanceOn] : null;
  return (
    <section className="lesson" data-testid="lesson" data-chapter={index + 1} aria-label="Guided lesson">
      <div className="lesson-head">
        <span className="lesson-count">
          Lesson · chapter {index + 1} of {GROKKING_LESSON.length}
        </span>
        <h2 data-testid="lesson-chapter">{chapter.title}</h2>
        <button className="lesson-close" aria-label="close the lesson" data-testid="lesson-close" onClick={close}>
          ✕
        </button>
      </div>
      {arrived !== null && previous && (
        <p className="lesson-event" data-testid="lesson-event">
          ✓ {previous.advanceOn === 'memorized' ? 'Memorized' : 'Grokked'} at step {arrived}.
        </p>
      )}
      <p className="lesson-question">
        <strong>Question:</strong> {chapter.question}
      </p>
      <p className="lesson-watch">
        <strong>Watch:</strong> {chapter.watch}
      </p>
      <div className="lesson-buttons">
        <button data-testid="lesson-prev" disabled={index === 0} onClick={() => setChapter(index - 1)}>
          ← Previous
        </button>
        <button className="lesson-action" data-testid="lesson-action" onClick={() => chapter.action.run(store())}>
          {chapter.action.label}
        </button>
        {chapter.second && (
          <button data-testid="lesson-second" onClick={() => chapter.second!.run(store())}>
            {chapter.second.label}
          </button>
        )}
        <button data-testid="lesson-next" disabled={index === last} onClick={() => setChapter(index + 1)}>
          Next →
        </button>
        {event && at === null && <span className="lesson-waiting">moves on by itself once the model has {event}</span>}
      </div>
    </section>
  );
}
