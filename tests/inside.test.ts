/**
 * "Inside the model" (issue 9): the Fourier spectrum and clock on synthetic embeddings, the
 * answer table against the trainer's own evaluation, try-it and the attention forward against
 * model.ts `forward`, the progress-measure projection on synthetic logits, the phase rules on a
 * recorded run, no tensor leaks, and the views rendered (server-side) from a real snapshot.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presetById } from '../src/config/presets';
import { buildConfig } from '../src/config/schema';
import { SPLIT_OUTER, SPLIT_TRAIN, SPLIT_VAL, insideDue, insideTransferables, type InsideSnapshot } from '../src/core/inside';
import { grokkingDelay, phaseBands, phaseSeries, type PhaseSeries } from '../src/core/inside-phases';
import {
  computeInsideSnapshot,
  embeddingClock,
  embeddingSpectrum,
  forwardWithAttention,
  keyFrequencies,
  progressLosses,
  sliceGeometry,
  tryIt,
  type InsideInput,
} from '../src/engine/inside';
import { forward, initParameters, type ModelConfig } from '../src/engine/model';
import { buildDataset, splitDataset } from '../src/engine/tasks';
import { disposeMap } from '../src/engine/tensors';
import { Trainer } from '../src/engine/trainer';
import {
  AnswerTable,
  AttentionMap,
  EmbeddingClock,
  FourierSpectrum,
  InsideView,
  PhaseLabel,
  answerTablePaths,
  sliceAccuracy,
} from '../src/ui/inside';

const CLASSROOM = presetById('classroom')!.config;

/** A seeded generator for synthetic data. */
function lcg(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
}

/** E[x] = offset + Σ amplitude · (cos(2πkx/p)·u + sin(2πkx/p)·v) over the given components. */
function synthEmbedding(
  p: number,
  d: number,
  parts: { k: number; amplitude: number; u: number[]; v: number[] }[],
  offset: number[] = [],
): Float32Array {
  const E = new Float32Array(p * d);
  for (let x = 0; x < p; x++) {
    for (let j = 0; j < d; j++) {
      let e = offset[j] ?? 0;
      for (const { k, amplitude, u, v } of parts)
        e += amplitude * (Math.cos((2 * Math.PI * k * x) / p) * u[j]! + Math.sin((2 * Math.PI * k * x) / p) * v[j]!);
      E[x * d + j] = e;
    }
  }
  return E;
}

function randomVector(d: number, next: () => number): number[] {
  return Array.from({ length: d }, next);
}

const norm = (v: number[]) => Math.sqrt(v.reduce((a, b) => a + b * b, 0));

describe('Fourier spectrum of the number embeddings', () => {
  const p = 31;
  const d = 12;
  const next = lcg(7);
  const parts = [
    { k: 3, amplitude: 3, u: randomVector(d, next), v: randomVector(d, next) },
    { k: 7, amplitude: 2, u: randomVector(d, next), v: randomVector(d, next) },
    { k: 11, amplitude: 1.5, u: randomVector(d, next), v: randomVector(d, next) },
  ];
  const offset = randomVector(d, next);

  it('finds exactly the frequencies an embedding was built from, with their norms', () => {
    const s = embeddingSpectrum(synthEmbedding(p, d, parts, offset), p, d);
    expect(s.norms.length).toBe(15);
    const present = [...s.norms.keys()].filter((i) => s.norms[i]! > 1e-3).map((i) => i + 1);
    expect(present).toEqual([3, 7, 11]);
    expect([...s.top.slice(0, 3)]).toEqual([3, 7, 11]); // strongest first: amplitudes 3, 2, 1.5
    for (const { k, amplitude, u, v } of parts) {
      // ‖P_k E‖ = A·√(p/2)·√(‖u‖² + ‖v‖²): each of cos, sin has squared norm p/2 over x.
      expect(s.norms[k - 1]).toBeCloseTo(amplitude * Math.sqrt(p / 2) * Math.hypot(norm(u), norm(v)), 3);
    }
    expect(s.sparsity).toBeCloseTo(1, 5);
    expect(s.constantNorm).toBeCloseTo(norm(offset) * Math.sqrt(p), 3);
    expect(keyFrequencies(s)).toEqual([3, 7, 11]);
  });

  it('still finds them under noise, and a random embedding is not sparse', () => {
    const E = synthEmbedding(p, d, parts, offset);
    const noise = lcg(99);
    for (let i = 0; i < E.length; i++) E[i]! += 0.05 * noise();
    const s = embeddingSpectrum(E, p, d);
    expect([...s.top.slice(0, 3)].sort((a, b) => a - b)).toEqual([3, 7, 11]);
    expect(s.sparsity).toBeGreaterThan(0.99);
    const random = embeddingSpectrum(Float32Array.from({ length: p * d }, lcg(5)), p, d);
    expect(random.sparsity).toBeLessThan(0.6); // 5 of 15 frequencies: about 1/3
  });
});

describe('embedding clock', () => {
  const p = 31;
  const d = 8;
  const unit = (j: number) => Array.from({ length: d }, (_, i) => (i === j ? 1 : 0));

  it('puts a circle embedding on a circle, number x at angle 2πkx/p', () => {
    // Frequency 5 on the plane (e0, e1), a weaker frequency 9 on (e2, e3), a constant offset.
    const E = synthEmbedding(
      p,
      d,
      [
        { k: 5, amplitude: 2, u: unit(0), v: unit(1) },
        { k: 9, amplitude: 0.7, u: unit(2), v: unit(3) },
      ],
      [0.3, -0.2, 0.1, 0, 0.5, 0, 0, 0],
    );
    const s = embeddingSpectrum(E, p, d);
    const clock = embeddingClock(E, p, d, s.top[0]!);
    expect(clock.frequency).toBe(5);
    const radii = Array.from({ length: p }, (_, x) => Math.hypot(clock.x[x]!, clock.y[x]!));
    for (const r of radii) expect(r).toBeCloseTo(2, 4);
    expect(clock.radiusSpread).toBeLessThan(1e-4);
    const angle = (x: number) => Math.atan2(clock.y[x]!, clock.x[x]!);
    for (let x = 1; x < p; x++) {
      const step = (angle(x) - angle(x - 1) + 4 * Math.PI) % (2 * Math.PI);
      expect(Math.min(Math.abs(step - (2 * Math.PI * 5) / p), Math.abs(step - (2 * Math.PI - (2 * Math.PI * 5) / p)))).toBeLessThan(1e-4);
    }
  });

  it('shows an ellipse (unequal cos and sin directions) as not a circle', () => {
    const E = synthEmbedding(p, d, [{ k: 4, amplitude: 1, u: unit(0), v: unit(1).map((v) => v * 0.5) }]);
    const clock = embeddingClock(E, p, d, 4);
    expect(clock.radiusSpread).toBeGreaterThan(0.1);
  });
});

describe('progress measures (projection of the logits)', () => {
  // add mod 7 over the whole table; logits of a perfect Fourier circuit at frequency 2:
  // L(a, b, c) = 3·cos(2π·2(a + b − c)/p) for numbers c, −5 for `=` and `+`.
  const p = 7;
  const V = p + 2;
  const rows: { a: number; b: number }[] = [];
  for (let a = 0; a < p; a++) for (let b = 1; b < p; b++) rows.push({ a, b });
  const logits = new Float32Array(rows.length * V);
  rows.forEach(({ a, b }, r) => {
    for (let c = 0; c < V; c++) logits[r * V + c] = c < p ? 3 * Math.cos((2 * Math.PI * 2 * (a + b - c)) / p) : -5;
  });
  const chunk = () => ({
    logits: tf.tensor2d(logits, [rows.length, V]),
    targets: Int32Array.from(rows, ({ a, b }) => (a + b) % p),
    diagonal: Int32Array.from(rows, ({ a, b }) => (a + b) % p),
    train: Float32Array.from(rows, (_, r) => (r % 3 === 0 ? 0 : 1)),
  });
  const losses = (keys: number[]) => tf.tidy(() => progressLosses([chunk()], p, keys)).dataSync();
  const uniform = Math.log(p + 2 * Math.exp(-5)); // logits 0 for numbers, −5 for the rest

  it('keeping the key frequency keeps the loss; removing it leaves chance', () => {
    const [loss, restricted, excluded] = losses([2]);
    expect(restricted).toBeCloseTo(loss!, 5);
    expect(excluded).toBeCloseTo(uniform, 5);
    expect(loss!).toBeLessThan(uniform - 1);
  });

  it('keeping another frequency leaves chance; removing it changes nothing', () => {
    const [loss, restricted, excluded] = losses([3]);
    expect(restricted).toBeCloseTo(uniform, 5);
    expect(excluded).toBeCloseTo(loss!, 5);
  });
});

describe('on a trained classroom model', () => {
  let trainer: Trainer;
  let snap: InsideSnapshot;
  let evaluated: { valAcc: number; trainFullAcc: number; trainFullLoss: number };

  beforeAll(async () => {
    trainer = new Trainer(buildConfig(CLASSROOM, { steps: 3000 }));
    // Train to step 250 (val accuracy on its way up), ending on an evaluation step.
    let last = null;
    for (let i = 0; i < 25; i++) last = (await trainer.runSteps(10)).records.at(-1)!;
    evaluated = { valAcc: last!.valAcc!, trainFullAcc: last!.trainFullAcc!, trainFullLoss: last!.trainFullLoss! };
    snap = await computeInsideSnapshot(trainer, { step: trainer.stepCount });
  });

  afterAll(() => trainer.dispose());

  it('the answer table covers the whole table and its validation cells give the evaluated val accuracy', () => {
    const t = snap.table;
    expect([t.rows, t.cols, t.rowStart, t.colStart]).toEqual([31, 30, 0, 1]);
    expect(t.probCorrect.length).toBe(trainer.dataset.size);
    const count = (tag: number) => t.split.reduce((n, s) => n + (s === tag ? 1 : 0), 0);
    expect(count(SPLIT_VAL)).toBe(trainer.split.val.length);
    expect(count(SPLIT_TRAIN) + count(SPLIT_OUTER)).toBe(trainer.split.train.length + trainer.split.outer.length);
    const valRight = Math.round(sliceAccuracy(t, SPLIT_VAL) * trainer.split.val.length);
    expect(valRight).toBe(Math.round(evaluated.valAcc * trainer.split.val.length));
    expect(evaluated.valAcc).toBeGreaterThan(0.05); // a table with both right and wrong validation cells
    expect(evaluated.valAcc).toBeLessThan(0.95);
    // Baselines train on train ∪ outer: the trainer's full-training accuracy over those cells.
    let right = 0;
    let n = 0;
    t.split.forEach((s, i) => {
      if (s === SPLIT_VAL) return;
      n++;
      right += t.correct[i]!;
    });
    expect(right).toBe(Math.round(evaluated.trainFullAcc * n));
    for (let i = 0; i < t.probCorrect.length; i++) {
      expect(t.probCorrect[i]).toBeGreaterThanOrEqual(0);
      expect(t.probCorrect[i]).toBeLessThanOrEqual(1);
      expect(t.predicted[i] === trainer.dataset.targets[i]).toBe(t.correct[i] === 1); // cell i is table row i here (a down, b across)
    }
  });

  it('the progress measures use the training rows: their unmodified loss is the trainer’s training loss', () => {
    const pm = snap.progress!;
    expect(pm.direction).toBe('a+b');
    expect(pm.rows).toBe(trainer.split.train.length + trainer.split.outer.length);
    expect(pm.loss).toBeCloseTo(evaluated.trainFullLoss, 4);
    expect(pm.keyFrequencies.length).toBeGreaterThan(0);
    expect(Number.isFinite(pm.restrictedLoss) && Number.isFinite(pm.excludedLoss)).toBe(true);
  });

  it('attention from = is a distribution over the positions for every head', () => {
    const a = snap.attention;
    expect([a.layers, a.heads, a.positions]).toEqual([1, 4, 4]);
    expect(a.labels).toEqual(['a', 'b', '+', '=']);
    expect(a.rows).toBe(trainer.split.val.length);
    for (let h = 0; h < a.heads; h++) {
      const row = Array.from(a.weights.slice(h * a.positions, (h + 1) * a.positions));
      expect(row.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
      for (const w of row) expect(w).toBeGreaterThanOrEqual(0);
    }
  });

  it('try-it agrees with a forward pass of model.ts, and with the task and the split', async () => {
    const { dataset, split } = trainer;
    const T = dataset.seqLen;
    const train = new Set(split.train);
    const val = new Set(split.val);
    for (const [a, b] of [
      [0, 1],
      [3, 28],
      [17, 5],
      [30, 30],
      [12, 19],
    ] as const) {
      const r = await tryIt(trainer, { operands: [a, b] });
      const row = a * (dataset.p - 1) + (b - 1);
      const probs = tf.tidy(() =>
        tf
          .softmax(forward(trainer.params, tf.tensor2d(dataset.inputs.slice(row * T, row * T + T), [1, T], 'int32'), trainer.modelConfig))
          .dataSync(),
      );
      const order = [...probs.keys()].sort((i, j) => probs[j]! - probs[i]!);
      expect(r.answer).toBe(order[0]);
      expect(r.top.map((t) => t.token)).toEqual(order.slice(0, 3));
      r.top.forEach((t, i) => expect(t.prob).toBeCloseTo(probs[order[i]!]!, 6));
      expect(r.trueAnswer).toBe((a + b) % dataset.p);
      expect(r.correct).toBe(r.answer === r.trueAnswer);
      expect(r.split).toBe(train.has(row) ? 'train' : val.has(row) ? 'val' : 'outer');
      // The snapshot's table says the same about that cell.
      expect(snap.table.predicted[row]).toBe(r.answer);
    }
    await expect(tryIt(trainer, { operands: [3, 0] })).rejects.toThrow(/operand 2/);
    await expect(tryIt(trainer, { operands: [3] })).rejects.toThrow(/2 operands/);
  });

  it('leaks no tensors, and costs a fraction of the training it watches', async () => {
    const before = tf.memory().numTensors;
    const again = await computeInsideSnapshot(trainer);
    await tryIt(trainer, { operands: [1, 2] });
    expect(tf.memory().numTensors).toBe(before);
    expect(again.table.correct).toEqual(snap.table.correct); // no training in between: the same numbers
    // Loose bound (the figure is measured in docs/inside.md): a snapshot costs less than 10 classroom steps.
    const t0 = performance.now();
    await trainer.runSteps(10);
    const tenSteps = performance.now() - t0;
    const t1 = performance.now();
    await computeInsideSnapshot(trainer);
    expect(performance.now() - t1).toBeLessThan(tenSteps);
  });

  it('is plain data: every typed array owns its buffer, so the snapshot can be transferred', () => {
    const buffers = insideTransferables(snap);
    expect(buffers.length).toBe(10);
    const copy = structuredClone(snap, { transfer: [] });
    expect(copy.table.correct).toEqual(snap.table.correct);
    expect(copy.spectrum.top).toEqual(snap.spectrum.top);
  });

  it('the views render from the snapshot', () => {
    const paths = answerTablePaths(snap.table, 'correct');
    expect(paths.length).toBeLessThanOrEqual(6); // one path per colour: 3 splits × right/wrong
    const html = renderToStaticMarkup(
      createElement(InsideView, {
        snapshot: snap,
        history: { step: [10, 20], sparsity: [0.3, 0.4], restrictedLoss: [3, 2], excludedLoss: [3, 3.2], loss: [1, 0.5] },
        phase: 'circuit formation',
        delay: null,
        onTry: () => Promise.reject(new Error('not in this test')),
      }),
    );
    for (const id of [
      'inside-view',
      'answer-table',
      'fourier-spectrum',
      'embedding-clock',
      'attention-map',
      'try-it',
      'phase-label',
      'chart-sparsity',
      'chart-progress',
    ])
      expect(html).toContain(`data-testid="${id}"`);
    expect(html).toContain(`data-top="${[...snap.spectrum.top].join(',')}"`);
    expect(html).not.toContain('Multiplication and division'); // add: the Fourier picture applies, no caveat
  });
});

describe('other tasks and models', () => {
  const tiny = (task: 'mix' | 'poly5' | 'sub' | 'mul', p: number, layers: number): InsideInput => {
    const dataset = buildDataset(task, p);
    const modelConfig: ModelConfig = { vocabSize: dataset.vocabSize, seqLen: dataset.seqLen, layers, dModel: 16, heads: 2 };
    return { dataset, split: splitDataset(dataset.size, 3, 0.5, 0.02), modelConfig, params: initParameters(modelConfig, 3) };
  };

  it('the attention forward gives model.ts forward’s logits, through a two-layer model', () => {
    const input = tiny('sub', 11, 2);
    const T = input.dataset.seqLen;
    const [ours, theirs, attention] = tf.tidy(() => {
      const tokens = tf.tensor2d(input.dataset.inputs.slice(0, 40 * T), [40, T], 'int32');
      const out = forwardWithAttention(input.params, tokens, input.modelConfig);
      return [
        out.logits.dataSync(),
        forward(input.params, tokens, input.modelConfig).dataSync(),
        out.attention.map((a) => a.arraySync() as number[][][]),
      ];
    });
    expect(ours.length).toBe(theirs.length);
    let maxDiff = 0;
    for (let i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i]! - theirs[i]!));
    expect(maxDiff).toBeLessThan(1e-5);
    expect(attention.length).toBe(2);
    for (const layer of attention)
      for (const row of layer) for (const head of row) expect(head.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    disposeMap(input.params);
  });

  it('poly5: a 2-D slice with the other operands fixed, cells matching their rows', async () => {
    const input = tiny('poly5', 5, 1);
    const slice = { rowOperand: 2, colOperand: 4, fixed: [2, 3, 1, 4, 0], variant: 0 };
    const geo = sliceGeometry(input.dataset, slice);
    expect([geo.rows, geo.cols, geo.rowStart, geo.colStart]).toEqual([4, 5, 1, 0]); // c ∈ 1…4 down, e ∈ 0…4 across
    const T = input.dataset.seqLen;
    for (let i = 0; i < geo.rows; i++) {
      for (let j = 0; j < geo.cols; j++) {
        const r = geo.cells[i * geo.cols + j]!;
        expect(Array.from(input.dataset.inputs.slice(r * T, r * T + 5))).toEqual([2, 3, 1 + i, 4, j]);
        expect(input.dataset.targets[r]).toBe((((2 * (1 + i) + 3 * 4 - j) % 5) + 5) % 5);
      }
    }
    const before = tf.memory().numTensors;
    const snap = await computeInsideSnapshot(input, { slice });
    expect(tf.memory().numTensors).toBe(before);
    expect(snap.progress).toBeNull();
    expect(snap.fourierApplies).toBe(false);
    expect(snap.table.probCorrect.length).toBe(20);
    expect(snap.attention.rows).toBeGreaterThan(0); // validation rows outside the slice are added for the average
    expect(snap.attention.labels).toEqual(['a', 'b', 'c', 'd', 'e', '*', '+', '-', '=']);
    const r = await tryIt(input, { operands: [2, 3, 2, 4, 1] });
    expect(snap.table.predicted[1 * 5 + 1]).toBe(r.answer);
    expect(tf.memory().numTensors).toBe(before);
    disposeMap(input.params);
  });

  it('mix: one operator per slice; try-it takes the operator', async () => {
    const input = tiny('mix', 7, 1);
    const snap = await computeInsideSnapshot(input, { slice: { variant: 2 } });
    expect(snap.table.variant).toBe(2);
    expect(snap.attention.labels).toEqual(['a', 'b', 'op', '=']);
    const r = await tryIt(input, { operands: [3, 5], variant: 2 });
    expect(r.trueAnswer).toBe(1); // 3·5 mod 7
    expect(snap.table.predicted[3 * 6 + 4]).toBe(r.answer);
    await expect(tryIt(input, { operands: [3, 5], variant: 3 })).rejects.toThrow(/variant/);
    disposeMap(input.params);
  });

  it('the views say where the Fourier picture does not apply', async () => {
    const input = tiny('mul', 7, 1);
    const snap = await computeInsideSnapshot(input);
    const html = renderToStaticMarkup(
      createElement(InsideView, {
        snapshot: snap,
        history: { step: [], sparsity: [], restrictedLoss: [], excludedLoss: [], loss: [] },
        phase: null,
        delay: null,
        onTry: () => Promise.reject(new Error('unused')),
      }),
    );
    expect(html).toContain('discrete logarithm');
    expect(html).toContain('Computed for add and sub only');
    disposeMap(input.params);
  });
});

describe('phase rules', () => {
  const recorded = JSON.parse(readFileSync(new URL('./fixtures/inside-classroom-add.json', import.meta.url), 'utf8')) as PhaseSeries & {
    valAcc: number[];
    sparsity: number[];
  };

  it('a recorded classroom run (add, AdamW, seed 0) goes memorizing → circuit formation → cleanup → grokked', () => {
    // Recorded by `npx tsx bench/inside-cost.ts --steps 800 --record tests/fixtures/inside-classroom-add.json`.
    // Train accuracy first reaches 0.99 at step 90; the weight norm is 10 % below its peak since then
    // at step 120; val accuracy is a quarter of the way to 0.95 at step 250 and reaches 0.95 at 300.
    expect(phaseBands(recorded).map((b) => [b.phase, b.from])).toEqual([
      ['memorizing', 10],
      ['circuit formation', 120],
      ['cleanup', 250],
      ['grokked', 300],
    ]);
    expect(grokkingDelay(recorded)).toBe(300 - 90);
    // The label never moves back, though the slingshot spikes drop val accuracy after grokking.
    const phases = phaseSeries(recorded);
    expect(phases.at(-1)).toBe('grokked');
    expect(Math.min(...recorded.valAcc.slice(30))).toBeLessThan(0.5);
  });

  const steps = Array.from({ length: 50 }, (_, i) => 10 * (i + 1));
  const curve = (f: (i: number) => number) => steps.map((_, i) => f(i));

  it('without weight decay a fitted run that never generalizes stays memorizing', () => {
    const s = {
      step: steps,
      trainAcc: curve((i) => Math.min(1, i / 10)),
      valAcc: curve(() => 0.03),
      weightNorm: curve((i) => 30 + i * 0.2),
      sparsity: curve(() => 0.33),
    };
    expect(new Set(phaseSeries(s))).toEqual(new Set(['memorizing']));
    expect(grokkingDelay(s)).toBeNull();
  });

  it('a sparsifying embedding alone marks circuit formation; a run that generalizes with training skips to grokked', () => {
    const sparsifying = {
      step: steps,
      trainAcc: curve(() => 1),
      valAcc: curve(() => 0.05),
      weightNorm: curve(() => 20),
      sparsity: curve((i) => 0.3 + 0.012 * i),
    };
    // 0.3 + 0.25·0.7 = 0.475 is reached at i = 15 (step 160).
    expect(phaseBands(sparsifying).map((b) => [b.phase, b.from])).toEqual([
      ['memorizing', 10],
      ['circuit formation', 160],
    ]);
    const together = {
      step: steps,
      trainAcc: curve((i) => Math.min(1, i / 20)),
      valAcc: curve((i) => Math.min(1, i / 20)),
      weightNorm: curve(() => 20),
    };
    expect(phaseBands(together).map((b) => b.phase)).toEqual(['memorizing', 'grokked']);
    expect(grokkingDelay(together)).toBe(-10); // val passes 0.95 (step 200) before train passes 0.99 (step 210)
  });

  it('NaN (not measured) sparsity or weight norm is ignored', () => {
    const s = {
      step: steps,
      trainAcc: curve(() => 1),
      valAcc: curve(() => 0.05),
      weightNorm: curve(() => NaN),
      sparsity: curve(() => NaN),
    };
    expect(new Set(phaseSeries(s))).toEqual(new Set(['memorizing']));
  });

  it('the phase label shows the phase and the delay', () => {
    const html = renderToStaticMarkup(createElement(PhaseLabel, { phase: 'cleanup', delay: 210 }));
    expect(html).toContain('data-phase="cleanup"');
    expect(html).toContain('grokking delay 210 steps');
  });
});

describe('snapshot budget', () => {
  it('a snapshot is due once the training since the last one is ten times its cost', () => {
    expect(insideDue(null, 0)).toBe(true);
    expect(insideDue(15, 400)).toBe(true); // classroom: 15 ms against 10 steps of 40 ms
    expect(insideDue(5400, 12600)).toBe(false); // paper model at evalEvery 10: every ~5th evaluation
    expect(insideDue(5400, 54000)).toBe(true);
  });
});

describe('view render cost at p = 97', () => {
  // The 50 ms rule is checked in Chromium (e2e long-task test). Here, deterministically: the
  // drawing stays a handful of elements however many cells (9 312 at p = 97), and a render is
  // fast even on a loaded machine (idle figures in docs/inside.md: 1–16 ms).
  const elements = (html: string) => (html.match(/<(path|rect|circle|text|line|g)\b/g) ?? []).length;

  it('the answer table is one path per colour, the clock one dot and one label per number', () => {
    const p = 97;
    const n = p * (p - 1);
    const next = lcg(3);
    const table = {
      rowOperand: 0,
      colOperand: 1,
      fixed: [0, 1],
      variant: 0,
      rowStart: 0,
      rows: p,
      colStart: 1,
      cols: p - 1,
      probCorrect: Float32Array.from({ length: n }, () => (next() + 1) / 2),
      correct: Uint8Array.from({ length: n }, () => (next() > 0 ? 1 : 0)),
      predicted: new Uint16Array(n),
      split: Uint8Array.from({ length: n }, () => (next() > 0 ? 0 : 1)),
    };
    const E = Float32Array.from({ length: p * 16 }, next);
    const spectrum = embeddingSpectrum(E, p, 16);
    const clock = embeddingClock(E, p, 16, spectrum.top[0]!);
    const tableHtml = renderToStaticMarkup(createElement(AnswerTable, { table, colouring: 'probability' }));
    expect((tableHtml.match(/<path\b/g) ?? []).length).toBeLessThanOrEqual(15); // 3 splits × 5 probability bins
    expect(elements(tableHtml)).toBeLessThan(60);
    expect(elements(renderToStaticMarkup(createElement(FourierSpectrum, { spectrum })))).toBeLessThan(30);
    expect(elements(renderToStaticMarkup(createElement(EmbeddingClock, { clock })))).toBeLessThanOrEqual(3 * p + 5);
    for (const el of [
      createElement(AnswerTable, { table }),
      createElement(FourierSpectrum, { spectrum }),
      createElement(EmbeddingClock, { clock }),
    ]) {
      const times = [0, 1, 2].map(() => {
        const t = performance.now();
        renderToStaticMarkup(el);
        return performance.now() - t;
      });
      expect(times.sort((a, b) => a - b)[1]).toBeLessThan(250);
    }
  });
});

describe('on the MLP (no attention, embeddings = the first layer’s rows)', () => {
  it('reads the first operand’s first-layer rows as the number embeddings, and has no attention to show', async () => {
    const trainer = new Trainer(buildConfig(presetById('no-weight-decay')!.config, { p: 11, dModel: 16, steps: 10, evalEvery: 5 }));
    await trainer.runSteps(5);
    const snap = await computeInsideSnapshot(trainer, { step: trainer.stepCount });
    const p = 11;
    const d = 16;
    const E = (trainer.params['mlp.0.w']!.dataSync() as Float32Array).slice(0, p * d); // rows 0…p−1: position 0, tokens 0…p−1
    expect(Array.from(snap.spectrum.norms)).toEqual(Array.from(embeddingSpectrum(E, p, d).norms));
    expect(snap.attention.layers).toBe(0);
    expect(snap.attention.weights.length).toBe(0);
    expect(snap.table.probCorrect.length).toBe(trainer.dataset.size);
    expect(renderToStaticMarkup(createElement(AttentionMap, { attention: snap.attention }))).toContain('Not available for the MLP');
    trainer.dispose();
  });
});
