/**
 * The chunked amplifier (issue 17): its scores and its hand-written meta-gradient equal the
 * unchunked, taped definition, with chunks that do not divide the parameter count; the MLP's
 * backward against finite differences; no buffer above the budget.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { crossEntropy } from '../src/engine/metrics';
import { forward, initParameters } from '../src/engine/model';
import { Amplifier, amplifierMacsPerComponent, MAX_BUFFER_BYTES } from '../src/engine/methods/amplifier';
import { NeuralGrokMethod } from '../src/engine/methods/neuralgrok';
import type { TensorMap } from '../src/engine/tensors';
import { buildConfig } from '../src/config/schema';
import { presetById } from '../src/config/presets';
import { maxRelativeError, TINY_MODEL, tinyBatch } from './helpers';

describe('chunked amplifier', () => {
  const P = initParameters(TINY_MODEL, 3);
  const inner = tinyBatch(12, 2);
  const outer = tinyBatch(9, 8);
  const outerLoss = (Q: TensorMap) => crossEntropy(forward(Q, outer.tokens, TINY_MODEL), outer.targets);
  const g: TensorMap = tf.tidy(() => {
    const { grads } = tf.variableGrads(() => crossEntropy(forward(P, inner.tokens, TINY_MODEL), inner.targets), Object.values(P));
    return Object.fromEntries(Object.entries(P).map(([n, v]) => [n, tf.keep(grads[v.name]!)]));
  });
  const N = Object.values(P).reduce((s, v) => s + v.size, 0);
  afterAll(() => [...Object.values(P), ...Object.values(g)].forEach((t) => t.dispose()));

  it('the parameter count is not a multiple of the forced chunk size', () => {
    expect(N % 37).not.toBe(0);
    expect(N).toBeGreaterThan(37 * 10);
  });

  it('scores chunk by chunk equal one unchunked pass', () => {
    const chunked = new Amplifier([6, 5], 1, 37);
    const whole = new Amplifier([6, 5], 1, N);
    const [a, b] = tf.tidy(() => {
      const flat = tf.concat(Object.values(g).map((t) => tf.reshape(t, [-1]))) as tf.Tensor1D;
      return [chunked.scoresFlat(flat).dataSync(), whole.scores(tf.reshape(flat, [-1, 1]) as tf.Tensor2D).dataSync()];
    });
    expect(a.length).toBe(N);
    expect(maxRelativeError(a, b)).toBeLessThan(1e-6);
    chunked.dispose();
    whole.dispose();
  });

  for (const [hidden, chunk] of [[6, 5], [7], []].flatMap((h) => [37, undefined].map((c) => [h, c] as const))) {
    const how = chunk ? `chunks of ${chunk}` : 'table of pieces';
    it(`the hand-written meta-gradient equals autograd of the taped virtual outer loss (hidden ${hidden.join(',') || 'none'}, ${how})`, () => {
      const method = new NeuralGrokMethod(hidden, 5, { outerLoss }, chunk);
      expect(method.amplifier.usesPieces(N)).toBe(chunk === undefined);
      const eta = 2; // a large virtual step: the outer loss depends measurably on φ
      const c = 0.2;
      const vars = method.amplifier.vars;
      const taped = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => method.virtualOuterLoss(g, P, eta, c), Object.values(vars));
        return {
          loss: value.dataSync()[0]!,
          grads: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, grads[v.name]!.dataSync()])),
        };
      });
      const written = tf.tidy(() => {
        const { loss, metaGrads } = method.metaGradient(g, P, eta, c);
        return { loss: loss.dataSync()[0]!, grads: Object.fromEntries(Object.entries(metaGrads).map(([k, t]) => [k, t.dataSync()])) };
      });
      expect(Math.abs(written.loss - taped.loss)).toBeLessThan(1e-6 * Math.abs(taped.loss));
      // Relative to the largest meta-gradient component: the last layer's bias has an exactly
      // zero gradient (a constant shift of every score leaves each softmax unchanged), so both
      // sides are rounding noise there.
      const scale = Math.max(...Object.values(taped.grads).flatMap((a) => Array.from(a, Math.abs)));
      let total = 0;
      for (const k of Object.keys(vars)) {
        expect(written.grads[k]!.length, k).toBe(taped.grads[k]!.length);
        const err = Math.max(...Array.from(written.grads[k]!, (x, i) => Math.abs(x - taped.grads[k]![i]!)));
        expect(err / scale, k).toBeLessThan(1e-3);
        total += Array.from(taped.grads[k]!).reduce((s, x) => s + Math.abs(x), 0);
      }
      expect(total).toBeGreaterThan(1e-6); // not trivially zero
      method.dispose();
    });
  }

  it('the MLP backward matches central finite differences of Σ rᵢ·sᵢ(φ)', () => {
    const amp = new Amplifier([4, 3], 9, 11);
    const x = tf.tensor1d(Array.from({ length: 29 }, (_, i) => Math.sin(i * 1.7) * 1.5));
    const r = tf.tensor1d(Array.from({ length: 29 }, (_, i) => Math.cos(i * 0.9)));
    const objective = () => tf.tidy(() => tf.sum(tf.mul(amp.scoresFlat(x), r)).dataSync()[0]!);
    const analytic = tf.tidy(() => Object.fromEntries(Object.entries(amp.metaGradient(x, r)).map(([k, t]) => [k, t.dataSync()])));
    let checked = 0;
    for (const [name, v] of Object.entries(amp.vars)) {
      const original = v.dataSync().slice() as Float32Array;
      for (let index = 0; index < original.length; index += Math.max(1, Math.floor(original.length / 3))) {
        const at = (h: number) => {
          const values = original.slice();
          values[index]! += h;
          tf.tidy(() => v.assign(tf.tensor(values, v.shape)));
          const f = objective();
          tf.tidy(() => v.assign(tf.tensor(original, v.shape)));
          return f;
        };
        const h = 1e-2;
        const fd = (at(h) - at(-h)) / (2 * h);
        const a = analytic[name]![index]!;
        expect(Math.abs(fd - a), `${name}[${index}] analytic ${a} fd ${fd}`).toBeLessThan(2e-3 + 2e-2 * Math.abs(a));
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(12);
    [x, r].forEach((t) => t.dispose());
    amp.dispose();
  });

  it('chunks keep every activation under the buffer budget, and the cost formula counts the widths', () => {
    const paper = new Amplifier([128, 128], 0);
    expect(paper.chunkRows * 128 * 4).toBeLessThanOrEqual(MAX_BUFFER_BYTES);
    const poly5 = new Amplifier([1152], 0);
    expect(poly5.chunkRows * 1152 * 4).toBeLessThanOrEqual(MAX_BUFFER_BYTES);
    expect(amplifierMacsPerComponent([128, 128])).toBe(128 + 128 * 128 + 128);
    expect(amplifierMacsPerComponent([1152])).toBe(2 * 1152);
    paper.dispose();
    poly5.dispose();
  });
});

describe("NeuralGrok's defaults are the authors'", () => {
  it('c = 0.2 by default; the poly5 preset has 4 layers, one hidden layer of 1152 and T = 1', () => {
    const defaults = buildConfig({}, { method: 'neuralgrok' });
    expect(defaults.ngC).toBe(0.2);
    expect(defaults.ngHidden).toEqual([128, 128]);
    expect(defaults.ngEvery).toBe(4);
    const poly5 = buildConfig(presetById('neuralgrok-poly5')!.config);
    expect(poly5).toMatchObject({
      task: 'poly5',
      p: 7,
      layers: 4,
      dModel: 128,
      method: 'neuralgrok',
      ngHidden: [1152],
      ngEvery: 1,
      ngC: 0.2,
    });
  });
});
