/**
 * The guided lesson "grokking" (`?lesson=grokking&chapter=N`): seven chapters over the class's
 * own live run. Each has one question for the class, what to watch, an action that sets up and
 * starts the run through the playground's own store (presets, fields, compare mode), and
 * optionally the event that ends it (memorized, grokked). Texts that state results take them
 * from the presets' measured watch lines, not from figures typed here.
 */
import { TASK_LABELS, type MethodId } from '../../config/fields';
import { METHODS } from '../../core/methods';
import { compareArms, presetById, presetConfig } from '../../config/presets';
import { PRESET_MEASUREMENTS, armName, thousands, type PresetMeasurement } from '../../config/preset-watch';
import { methodName, roughDuration } from '../class-texts';
import type { PageKeys } from '../../config/url';
import type { GrokStore } from '../state/types';

export type LessonEvent = 'memorized' | 'grokked';

export interface LessonAction {
  label: string;
  run(store: GrokStore): void;
}

export interface Chapter {
  title: string;
  question: string;
  watch: string;
  action: LessonAction;
  /** A second, smaller action (put weight decay back). */
  second?: LessonAction;
  /** The event that ends the chapter: the lesson moves on by itself when it happens. */
  advanceOn?: LessonEvent;
}

const CLASSROOM = presetById('classroom')!;
const COMPARE = presetById('neuralgrok-vs-baselines')!;
const C = presetConfig(CLASSROOM);
const TASK = `${TASK_LABELS[C.task]} mod ${C.p}`;
const CHANCE = `1/${C.p} ≈ ${((100 * 1) / C.p).toFixed(0)} %`;

/** Chapter 6's two runs: NeuralGrok and gradient normalization matched to its scale. */
const CHAPTER6_METHODS = ['neuralgrok', 'gradnorm'] as const;

/**
 * What chapter 6's button runs, as measured (seed 0, src/config/preset-measurements.json): the
 * two runs it starts and nothing else, named as the compare table names them.
 */
function compareLine(list = PRESET_MEASUREMENTS): string {
  const runs = CHAPTER6_METHODS.map((method) => list.find((m) => m.preset === COMPARE.id && m.method === method));
  const grok = (m: (typeof runs)[number]) =>
    !m ? 'not measured' : m.stepsTo95 !== null ? `step ~${thousands(m.stepsTo95)}` : `not within ${thousands(m.steps)} steps`;
  const seconds = Math.max(...runs.map((m) => m?.seconds ?? 0));
  // the compare table's names ("Matched normalization"), in the middle of a sentence
  const named = CHAPTER6_METHODS.map(
    (method, i) => `${methodName(method, { normMatched: true }).replace(/^Matched/, 'matched')} at ${grok(runs[i])}`,
  );
  return `The button runs NeuralGrok and matched normalization side by side (${roughDuration(2 * seconds)}: they share the CPU). Measured with seed 0: ${named.join(', ')}.`;
}

const NO_DECAY = presetById('no-weight-decay')!;

/**
 * Chapter 7's figures, as measured (seed 0, src/config/preset-measurements.json): when ⊥Grad
 * grokked, and what plain AdamW without decay did in the same budget — its update's cosine with
 * the weights and its share of collapsed training rows at the end.
 */
export function noDecayLine(list: readonly PresetMeasurement[] = PRESET_MEASUREMENTS): string {
  const C7 = presetConfig(NO_DECAY);
  const [ortho, plain] = compareArms(NO_DECAY).map((a) => list.find((m) => m.preset === NO_DECAY.id && m.method === a.method));
  if (!ortho || !plain) return 'Not measured yet.';
  // short names in a sentence: "⊥Grad", "AdamW, wd 0"
  const name = (m: PresetMeasurement) => armName(NO_DECAY, m.method, (id) => METHODS[id as MethodId]?.shortLabel ?? id);
  const grok = (m: PresetMeasurement) =>
    m.stepsTo95 !== null ? `grokked at step ~${thousands(m.stepsTo95)}` : `did not grok within ${thousands(m.steps)} steps`;
  const drift =
    plain.finalNlmCosine !== undefined
      ? ` At its last evaluation its update pointed along the weights (cos(Δθ, θ) ${plain.finalNlmCosine.toFixed(2)}: mostly scaling the logits up)`
      : '';
  const collapsed =
    plain.finalCollapseFraction !== undefined
      ? plain.finalCollapseFraction > 0
        ? ` and ${Math.round(100 * plain.finalCollapseFraction)}\u00a0% of its training rows had an exactly-zero gradient (collapsed).`
        : ', though no training row had collapsed to an exactly-zero gradient yet.'
      : '.';
  return (
    `The button runs ⊥Grad and AdamW side by side on Prieto et al.’s MLP, a + b mod ${C7.p}, no weight decay in either (${roughDuration(2 * Math.max(ortho.seconds, plain.seconds))} headless${plain.loadAverage > 2.5 ? ` under load ${plain.loadAverage} on 2 cores` : ''}: they share the CPU). ` +
    `Measured with seed 0: ${name(ortho)} ${grok(ortho)}; ${name(plain)} memorized${plain.memorizedAt !== null ? ` by step ~${thousands(plain.memorizedAt)}` : ''} and ${grok(plain)}.${drift}${collapsed}`
  );
}

/** The classroom run from step 0, paused when it groks. */
function startClassroom(store: GrokStore, overrides: Partial<typeof C> = {}): void {
  store.setPauseWhenGrokked(true);
  if (store.compare.entries) store.stopCompare();
  store.reset({ ...C, ...overrides });
  store.play();
}

/** Plays on from where the run is (starting it if it has not started). */
function playOn(store: GrokStore): void {
  if (store.compare.entries) store.stopCompare();
  if (store.run.stepCount === 0 || store.run.workerConfig?.weightDecay !== C.weightDecay) startClassroom(store);
  else store.play();
}

export const GROKKING_LESSON: readonly Chapter[] = [
  {
    title: 'Memorize',
    question: `The model sees half of the ${TASK} table. Will it answer the other half — rows it never saw?`,
    watch: `Training accuracy (blue) climbs to 100 %; validation accuracy (red, the hidden rows) stays near chance (${CHANCE}). The chapter ends when the model has memorized its training rows.`,
    action: { label: '▶ Start the run', run: (s) => startClassroom(s) },
    advanceOn: 'memorized',
  },
  {
    title: 'Wait',
    question: 'It gets every training row right. Has it learned addition, or a lookup table?',
    watch:
      'Validation stays low for a while although training is perfect. Meanwhile the weight norm falls: weight decay shrinks the memorizing solution. The chapter ends when validation reaches 95 % (the run pauses there).',
    action: { label: '▶ Keep training', run: playOn },
    advanceOn: 'grokked',
  },
  {
    title: 'Grok',
    question: 'Why did validation jump so suddenly, long after the model had memorized?',
    watch:
      'The “grokked @ N (delay D)” marker: D steps between memorizing and generalizing. The shaded bands are the phases (their legend is under the chart). Play on and you will see slingshot spikes: dips that recover by themselves.',
    action: { label: '▶ Play past grokking', run: (s) => (s.setPauseWhenGrokked(false), playOn(s)) },
  },
  {
    title: 'Look inside',
    question: 'What did the model learn, if not a lookup table?',
    watch:
      'The answer table turns green on the validation rows too. The Fourier spectrum of the number embeddings concentrates on a few frequencies, and the clock puts the numbers on a circle: the model adds by rotating.',
    action: {
      label: 'Show the inside view',
      run: () => document.querySelector('[aria-label="Inside the model"]')?.scrollIntoView({ behavior: 'smooth', block: 'start' }),
    },
  },
  {
    title: 'Take weight decay away',
    question: 'Is weight decay what makes it generalize?',
    watch:
      'Restart with weight decay 0: training accuracy still reaches 100 %, validation stays near chance for the whole run. Then put it back (weight decay 1) in the middle of the run: the marker shows where, and validation rises after it.',
    action: { label: '⟲ Restart with weight decay 0', run: (s) => startClassroom(s, { weightDecay: 0 }) },
    second: { label: 'Put weight decay back (1)', run: (s) => (s.setField('weightDecay', C.weightDecay), s.play()) },
  },
  {
    title: 'NeuralGrok against matched normalization',
    question:
      'The NeuralGrok paper says a learned “amplifier” of the gradient makes models grok sooner. Is it the learning, or just the normalization it does?',
    watch: `${compareLine()} One seed can go either way: over three seeds (docs/results.md) matched normalization grokked as often as NeuralGrok or more, and NeuralGrok’s learned amplifier stayed uniform.`,
    action: {
      label: '▶ Compare NeuralGrok and matched normalization',
      run: (s) => {
        const config = presetConfig(COMPARE);
        s.setPauseWhenGrokked(false);
        s.reset(config);
        s.startCompare(
          config,
          CHAPTER6_METHODS.map((method) => ({ method })),
        );
        s.playCompare();
      },
    },
  },
  {
    title: 'Grokking without weight decay',
    question:
      'Without weight decay the class’s run never generalized. Prieto et al. (2025) say plain training stalls on a float32 rounding — softmax collapse — and that removing one direction from each gradient (⊥Grad) makes it grok anyway. Does it?',
    watch: `${noDecayLine()} Watch the softmax-collapse chart: AdamW’s dashed cosine climbs towards +1 (naïve loss minimization, the road to collapse); ⊥Grad’s stays low.`,
    action: {
      label: '▶ Compare ⊥Grad and AdamW without decay',
      run: (s) => {
        const config = presetConfig(NO_DECAY);
        s.setPauseWhenGrokked(false);
        s.reset(config);
        s.startCompare(config, compareArms(NO_DECAY));
        s.playCompare();
      },
    },
  },
];

/** A link's `lesson=grokking&chapter=N` (N from 1, read by config/url.ts) → the chapter index, clamped; null when absent. */
export function lessonFromLink(
  page: Pick<PageKeys, 'lesson' | 'chapter'>,
): { id: 'grokking'; chapter: number; note?: string } | { error: string } | null {
  const { lesson, chapter: raw } = page;
  if (lesson === null) return null;
  if (lesson !== 'grokking') return { error: `lesson: unknown lesson "${lesson}" (known: grokking)` };
  const n = Number(raw ?? 1);
  const chapter = Number.isInteger(n) ? Math.min(GROKKING_LESSON.length, Math.max(1, n)) : 1;
  // a chapter the lesson does not have opens the nearest one, and says so (issue 32)
  const note =
    raw !== null && chapter !== n
      ? `chapter "${raw}": the lesson has chapters 1–${GROKKING_LESSON.length}; opened chapter ${chapter}`
      : undefined;
  return { id: 'grokking', chapter: chapter - 1, ...(note ? { note } : {}) };
}
