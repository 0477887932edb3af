import type { AmplifierJson } from '../src/core/amplifier';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type RunConfig } from '../src/config/schema';
import { createGrokFastEmaMethod } from '../src/engine/methods/grokfast-ema';
import { createGrokFastMaMethod } from '../src/engine/methods/grokfast-ma';
import { createGradNormMethod } from '../src/engine/methods/gradnorm';
import { createIdentityMethod } from '../src/engine/methods/standard';
import { Amplifier } from '../src/engine/methods/amplifier';
import type { GradientMethod } from '../src/engine/methods/types';
import { disposeMap, type TensorMap } from '../src/engine/tensors';

function applySequence(method: GradientMethod, config: Partial<RunConfig>, gradients: number[][]): number[][] {
  const out: number[][] = [];
  gradients.forEach((g, i) => {
    const grads = { w: tf.tensor1d(g) };
    const r = method.transform(grads, { step: i + 1, lr: 1e-3, params: {}, config: { ...DEFAULT_CONFIG, ...config } });
    out.push(Array.from(r.grads.w!.dataSync()));
    disposeMap(grads);
    disposeMap(r.grads);
  });
  method.dispose();
  return out;
}

describe('gradient transforms', () => {
  it('standard and adamw pass the gradient through unchanged', async () => {
    expect(applySequence(createIdentityMethod('standard'), {}, [[1, -2]])).toEqual([[1, -2]]);
  });

  it('GrokFast-EMA: μ starts at the first gradient, then μ ← αμ + (1−α)g, g ← g + λμ', async () => {
    // α = 0.5, λ = 2: step 1 μ = [1, 2] → [3, 6]; step 2 μ = [2, 1] → [3, 0] + [4, 2] = [7, 2]
    const out = applySequence(createGrokFastEmaMethod(), { emaAlpha: 0.5, emaLambda: 2 }, [
      [1, 2],
      [3, 0],
    ]);
    expect(out).toEqual([
      [3, 6],
      [7, 2],
    ]);
  });

  it('GrokFast-MA: unchanged until the window is full, then g + λ·mean(window incl. g)', async () => {
    // w = 3, λ = 3: steps 1–2 unchanged; step 3 mean(1,2,6) = 3 → 6 + 9; step 4 mean(2,6,0) = 8/3 → 8
    const out = applySequence(createGrokFastMaMethod(3), { maLambda: 3 }, [[1], [2], [6], [0], [4]]);
    expect(out[0]).toEqual([1]);
    expect(out[1]).toEqual([2]);
    expect(out[2]![0]).toBeCloseTo(15, 5);
    expect(out[3]![0]).toBeCloseTo(8, 5);
    expect(out[4]![0]).toBeCloseTo(4 + 3 * (10 / 3), 5); // window (6, 0, 4)
  });

  it('gradient normalization rescales each tensor to norm c; zero stays zero', async () => {
    const m = createGradNormMethod();
    const grads: TensorMap = { a: tf.tensor1d([3, 4]), b: tf.tensor1d([0, 0, 5]), z: tf.zeros([2]) };
    const r = m.transform(grads, { step: 1, lr: 1e-3, params: {}, config: { ...DEFAULT_CONFIG, normC: 2 } });
    expect(Array.from(r.grads.a!.dataSync())).toEqual([1.2000000476837158, 1.600000023841858]);
    expect(Array.from(r.grads.b!.dataSync())).toEqual([0, 0, 2]);
    expect(Array.from(r.grads.z!.dataSync())).toEqual([0, 0]);
    disposeMap(grads);
    disposeMap(r.grads);
  });
});

/** The amplifier MLP evaluated by hand in double precision from its exported weights. */
function amplifierByHand(json: AmplifierJson, x: number): number {
  let h = [x];
  const widths = [1, ...json.hidden, 1];
  json.layers.forEach((layer, l) => {
    const next = layer.bias.slice();
    for (let j = 0; j < widths[l + 1]!; j++) for (let i = 0; i < widths[l]!; i++) next[j]! += h[i]! * layer.weight[i * widths[l + 1]! + j]!;
    h = l + 1 < json.layers.length ? next.map((v) => Math.max(0, v)) : next;
  });
  return h[0]!;
}

describe('NeuralGrok amplifier', () => {
  const grads = (): TensorMap => ({
    a: tf.tensor2d([
      [0.5, -1],
      [2, 0.25],
    ]),
    b: tf.tensor1d([-0.3, 0.1, 0.7]),
  });

  it('is g′ = c·(w⊙g)/‖w⊙g‖ with w = softmax over each tensor’s components', async () => {
    const amp = new Amplifier([4, 3], 5);
    const json = await amp.exportJson();
    const g = grads();
    const out = tf.tidy(() => amp.transform(g, 1.5));
    for (const name of ['a', 'b']) {
      const gv = Array.from(g[name]!.dataSync());
      const s = gv.map((x) => amplifierByHand(json, x));
      const z = s.map((v) => Math.exp(v - Math.max(...s)));
      const w = z.map((v) => v / z.reduce((p, q) => p + q, 0));
      const wg = gv.map((x, i) => w[i]! * x);
      const norm = Math.hypot(...wg);
      const want = wg.map((v) => (1.5 * v) / norm);
      const got = Array.from(out[name]!.dataSync());
      got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
      expect(Math.hypot(...got)).toBeCloseTo(1.5, 5); // norm equals c
      // the weights are not all equal: this is not plain normalization
      expect(Math.max(...w) - Math.min(...w)).toBeGreaterThan(1e-3);
    }
    disposeMap(g);
    disposeMap(out);
    amp.dispose();
  });

  it('gives the same result however it is chunked', async () => {
    const whole = new Amplifier([8], 2);
    const chunked = new Amplifier([8], 2, 3); // 3 components per chunk
    const g = grads();
    const [a, b] = tf.tidy(() => [whole, chunked].map((m) => Array.from(m.transform(g, 1).b!.dataSync())));
    expect(b).toEqual(a);
    expect(chunked.chunkRows).toBe(3);
    expect(whole.chunkRows * 4 * 8).toBeLessThanOrEqual(64 * 1024 * 1024);
    [whole, chunked].forEach((m) => m.dispose());
    disposeMap(g);
  });

  it('exports and imports its weights; a mismatched file changes nothing', async () => {
    const a = new Amplifier([4], 1);
    const b = new Amplifier([4], 2);
    b.load(JSON.parse(JSON.stringify(await a.exportJson())));
    expect(await b.exportJson()).toEqual(await a.exportJson());
    const before = JSON.stringify(await b.exportJson());
    const exported = await a.exportJson();
    expect(() => b.load({ ...exported, hidden: [5] })).toThrow(/widths/);
    const broken = await a.exportJson();
    broken.layers[1]!.bias = [NaN];
    expect(() => b.load(broken)).toThrow(/non-finite/);
    expect(JSON.stringify(await b.exportJson())).toBe(before);
    [a, b].forEach((m) => m.dispose());
  });
});
