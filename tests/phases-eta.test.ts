/** Issue 20: the "not learning" phase, the phase legend's meanings, and the ETA rule on recorded runs. */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NOT_LEARNING_AFTER, phaseBands, phaseSeries, type PhaseSeries } from '../src/core/inside-phases';
import { BAND_COLOURS, PHASE_MEANING } from '../src/ui/charts/phase-legend';
import { etaSeconds, etaTarget, stableRate, type ProgressSample } from '../src/ui/eta';

const steps = Array.from({ length: 40 }, (_, i) => 10 * (i + 1));
const curve = (f: (i: number) => number) => steps.map((_, i) => f(i));

describe('the "not learning" phase', () => {
  it('a run whose training accuracy stays at chance (the hardest task at mod 7) is not learning, not memorizing', () => {
    const s = {
      step: steps,
      trainAcc: curve((i) => 0.14 + 0.01 * Math.sin(i)),
      valAcc: curve(() => 0.14),
      weightNorm: curve(() => 20),
      chance: 1 / 7,
    };
    const phases = phaseSeries(s);
    expect(new Set(phases.slice(0, NOT_LEARNING_AFTER - 1))).toEqual(new Set(['memorizing'])); // too early to say
    expect(new Set(phases.slice(NOT_LEARNING_AFTER - 1))).toEqual(new Set(['not learning']));
    expect(phaseBands(s).map((b) => b.phase)).toEqual(['memorizing', 'not learning']);
  });

  it('the recorded classroom run, told its chance level, still goes memorizing → … → grokked', () => {
    const recorded = JSON.parse(readFileSync(new URL('./fixtures/inside-classroom-add.json', import.meta.url), 'utf8')) as PhaseSeries;
    expect(phaseBands({ ...recorded, chance: 1 / 31 }).map((b) => b.phase)).toEqual([
      'memorizing',
      'circuit formation',
      'cleanup',
      'grokked',
    ]);
  });

  it('a run that leaves chance late moves on from "not learning"', () => {
    const s = {
      step: steps,
      trainAcc: curve((i) => (i < 20 ? 0.03 : 0.5)),
      valAcc: curve(() => 0.03),
      weightNorm: curve(() => 20),
      chance: 1 / 31,
    };
    expect(phaseBands(s).map((b) => b.phase)).toEqual(['memorizing', 'not learning', 'memorizing']);
  });

  it('every phase has a colour and a meaning for the legend', () => {
    for (const phase of ['not learning', 'memorizing', 'circuit formation', 'cleanup', 'grokked'] as const) {
      expect(BAND_COLOURS[phase]).toMatch(/^#/);
      expect(PHASE_MEANING[phase].length).toBeGreaterThan(10);
    }
  });
});

/** ETA readings every time a sample arrives, as the toolbar would show them. */
function readings(trace: ProgressSample[], target: { step: number; kind: 'grokked' | 'budget' }) {
  return trace.map((_, i) => etaSeconds(trace.slice(0, i + 1), target));
}

describe('the ETA', () => {
  it('is hidden until the window is full and while the speed changes, then steady at the new speed', () => {
    // chunks of 100 ms: 400 steps/s for 15 s, then 100 steps/s (another program took the CPU)
    const trace: ProgressSample[] = [];
    let step = 0;
    for (let i = 1; i <= 300; i++) {
      step += i <= 150 ? 40 : 10;
      trace.push({ seconds: i / 10, step });
    }
    const at = (seconds: number) => etaSeconds(trace.slice(0, seconds * 10), { step: 100_000, kind: 'budget' });
    expect(at(9.9)).toBeNull(); // less than a window of training
    expect(at(12)).toBeCloseTo((100_000 - 4800) / 400, 0);
    expect(at(17)).toBeNull(); // the halves disagree: hidden rather than jumping
    expect(at(23)).toBeNull();
    expect(at(30)).toBeCloseTo((100_000 - 7500) / 100, 0);
    // the swings of single chunks (every other chunk 4× slower) average out
    const jittery = trace.map((s, i) => ({ seconds: s.seconds, step: 25 * (i + 1) + (i % 2 ? 15 : 0) }));
    expect(stableRate(jittery)).toBeCloseTo(250, 0);
  });

  it('counts to grokking when the run will pause there, to the budget otherwise', () => {
    expect(etaTarget({ step: 100, budget: 3000, pauseWhenGrokked: true, grokked: false, expectedGrokStep: 320 })).toEqual({
      step: 320,
      kind: 'grokked',
    });
    expect(etaTarget({ step: 100, budget: 3000, pauseWhenGrokked: false, grokked: false, expectedGrokStep: 320 })).toEqual({
      step: 3000,
      kind: 'budget',
    });
    expect(etaTarget({ step: 400, budget: 3000, pauseWhenGrokked: true, grokked: false, expectedGrokStep: 320 }).kind).toBe('budget'); // later than measured
    expect(etaTarget({ step: 100, budget: 100_000, pauseWhenGrokked: true, grokked: false, expectedGrokStep: null }).step).toBe(100_000);
  });

  for (const name of ['classroom', 'paper']) {
    const file = new URL(`./fixtures/eta-${name}.json`, import.meta.url);
    it.runIf(existsSync(file))(
      `on a recorded browser run (${name}): once shown it moves by less than a factor 1.5 between readings`,
      () => {
        const rec = JSON.parse(readFileSync(file, 'utf8')) as { trace: ProgressSample[] };
        const budget = name === 'paper' ? 100_000 : 3000;
        const eta = readings(rec.trace, { step: budget, kind: 'budget' });
        const shown = eta.map((e, i) => [e, rec.trace[i]!.step] as const).filter(([e]) => e !== null) as [number, number][];
        expect(shown.length).toBeGreaterThan(0);
        for (let i = 1; i < shown.length; i++) {
          const [a] = shown[i - 1]!;
          const [b] = shown[i]!;
          expect(Math.max(a, b) / Math.max(1, Math.min(a, b)), `reading ${i}: ${a.toFixed(0)} s → ${b.toFixed(0)} s`).toBeLessThan(1.5);
        }
      },
    );
  }
});
