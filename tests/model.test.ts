import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { forward, initParameters } from '../src/engine/model';
import { crossEntropy } from '../src/engine/metrics';
import type { TensorMap } from '../src/engine/tensors';
import { argMaxAbs, centralDifference, TINY_MODEL, tinyBatch } from './helpers';

const P = initParameters(TINY_MODEL, 7);
afterAll(() => Object.values(P).forEach((v) => v.dispose()));

describe('transformer', () => {
  it('returns [B, V] at the last position and [B, T, V] for all positions', () => {
    const { tokens } = tinyBatch(5);
    tf.tidy(() => {
      expect(forward(P, tokens, TINY_MODEL).shape).toEqual([5, 7]);
      expect(forward(P, tokens, TINY_MODEL, { allPositions: true }).shape).toEqual([5, 4, 7]);
    });
  });

  it('the last-position shortcut equals the full computation', () => {
    const { tokens } = tinyBatch(6);
    const [fast, full] = tf.tidy(() => [
      forward(P, tokens, TINY_MODEL).arraySync() as number[][],
      (forward(P, tokens, TINY_MODEL, { allPositions: true }).arraySync() as number[][][]).map((r) => r[3]!),
    ]);
    for (let i = 0; i < 6; i++) for (let v = 0; v < 7; v++) expect(fast![i]![v]).toBeCloseTo(full![i]![v]!, 4);
  });

  it('is causal: changing a later token never changes earlier positions', () => {
    const base = [[1, 2, 5, 6]];
    for (const changeAt of [1, 2, 3]) {
      const changed = base.map((r) => r.map((t, j) => (j === changeAt ? (t + 3) % 7 : t)));
      const [a, b] = tf.tidy(() =>
        [base, changed].map(
          (x) => forward(P, tf.tensor2d(x, [1, 4], 'int32'), TINY_MODEL, { allPositions: true }).arraySync() as number[][][],
        ),
      );
      for (let pos = 0; pos < 4; pos++) {
        const same = a![0]![pos]!.every((v, k) => v === b![0]![pos]![k]);
        expect(same).toBe(pos < changeAt); // earlier positions identical, the changed one and later differ
      }
    }
  });

  it('gradients of the whole loss match central finite differences', () => {
    const { tokens, targets } = tinyBatch(12, 3);
    const loss = (Q: TensorMap) => crossEntropy(forward(Q, tokens, TINY_MODEL), targets);
    const { grads } = tf.variableGrads(() => loss(P), Object.values(P));
    let checked = 0;
    for (const [name, v] of Object.entries(P)) {
      const g = grads[v.name]!.dataSync();
      // the largest-gradient entry and one fixed other entry of every parameter tensor
      for (const index of new Set([argMaxAbs(g), Math.floor(g.length / 3)])) {
        const fd = centralDifference(loss, P, name, index, 3e-3);
        expect(Math.abs(fd - g[index]!), `${name}[${index}] analytic ${g[index]} vs fd ${fd}`).toBeLessThan(
          2e-3 + 3e-2 * Math.abs(g[index]!),
        );
        checked++;
      }
    }
    Object.values(grads).forEach((g) => g.dispose());
    expect(checked).toBeGreaterThan(40);
  });

  it('initialises deterministically per seed (PyTorch-default scales)', () => {
    const again = initParameters(TINY_MODEL, 7);
    const other = initParameters(TINY_MODEL, 8);
    expect(Array.from(again.head!.dataSync())).toEqual(Array.from(P.head!.dataSync()));
    expect(Array.from(other.head!.dataSync())).not.toEqual(Array.from(P.head!.dataSync()));
    // uniform(±1/√fan_in) for linear layers; LayerNorm gain 1, bias 0
    const d = TINY_MODEL.dModel;
    const maxAbs = (name: string) => Math.max(...Array.from(P[name]!.dataSync(), Math.abs));
    expect(maxAbs('blocks.0.mlp.wIn')).toBeLessThanOrEqual(1 / Math.sqrt(d));
    expect(maxAbs('blocks.0.mlp.wIn')).toBeGreaterThan(0.8 / Math.sqrt(d));
    // torch.nn.MultiheadAttention: packed in-projection xavier-uniform ±√(6/(d+3d)), biases 0
    expect(maxAbs('blocks.0.attn.wQKV')).toBeLessThanOrEqual(Math.sqrt(6 / (4 * d)));
    expect(maxAbs('blocks.0.attn.wQKV')).toBeGreaterThan(0.9 * Math.sqrt(6 / (4 * d)));
    expect(maxAbs('blocks.0.attn.bQKV')).toBe(0);
    expect(maxAbs('blocks.1.attn.bOut')).toBe(0);
    expect(Array.from(P['blocks.1.ln2.gain']!.dataSync())).toEqual(new Array(8).fill(1));
    [again, other].forEach((m) => Object.values(m).forEach((v) => v.dispose()));
  });
});
