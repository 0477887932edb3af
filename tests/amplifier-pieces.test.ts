/**
 * The amplifier as a table of linear pieces (amplifier-pieces.ts) against the MLP itself:
 * the same scores and the same meta-gradient, on components that cross many breakpoints and
 * on gradient-sized ones, for one and two hidden layers and none.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { maxRelativeError } from './helpers';
import { Amplifier } from '../src/engine/methods/amplifier';
import { pieceBreakpointCount } from '../src/engine/methods/amplifier-pieces';
import { Rng } from '../src/engine/rng';

/** Components: a third spread over ±3 (crossing most breakpoints), the rest gradient-sized, and a few exact zeros. */
function components(n: number, seed: number): Float32Array {
  const rng = new Rng(seed, 'test');
  return Float32Array.from({ length: n }, (_, i) =>
    i % 97 === 0 ? 0 : i % 3 === 0 ? 6 * rng.next() - 3 : (rng.next() - 0.5) * 1e-2 * 10 ** (-3 * rng.next()),
  );
}

describe('amplifier as a table of pieces', () => {
  const N = 5003;
  const cases = [[64], [16, 16], [6, 5], [], [128, 128]].flatMap((h) => (['host', 'device'] as const).map((path) => [h, path] as const));
  for (const [hidden, path] of cases) {
    const label = hidden.join(',') || 'none';
    it(`hidden ${label}, ${path === 'host' ? 'in JavaScript (wasm, cpu)' : 'as tensor ops (GPU backends)'}: scores and meta-gradient equal the MLP's`, async () => {
      const before = tf.memory().numTensors;
      const pieces = new Amplifier(hidden, 7, undefined, path);
      const mlp = new Amplifier(hidden, 7, 1024); // a forced chunk size: the MLP, component by component
      expect(pieces.usesPieces(N)).toBe(path === 'host' || 4 * (pieceBreakpointCount(hidden) + 1) <= N);
      const n = Math.max(N, 4 * (pieceBreakpointCount(hidden) + 1)); // enough rows to use the table
      expect(pieces.usesPieces(n)).toBe(true);
      expect(mlp.usesPieces(n)).toBe(false);
      const rng = new Rng(3, 'dS');
      const [sP, sM, gP, gM] = tf.tidy(() => {
        const g = tf.tensor1d(components(n, 11));
        const dS = tf.tensor1d(Float32Array.from({ length: n }, () => rng.next() - 0.5));
        const a = pieces.metaGradient(g, dS);
        const b = mlp.metaGradient(g, dS);
        const names = Object.keys(b).sort();
        expect(Object.keys(a).sort()).toEqual(names);
        for (const k of names) expect(a[k]!.shape).toEqual(b[k]!.shape);
        const flat = (m: Record<string, tf.Tensor>) => tf.concat(names.map((k) => tf.reshape(m[k]!, [-1]))).dataSync();
        const scores = pieces.scoresFlat(g);
        expect(scores.shape).toEqual([n]);
        return [scores.dataSync(), mlp.scoresFlat(g).dataSync(), flat(a), flat(b)];
      });
      expect(maxRelativeError(sP, sM)).toBeLessThan(2e-6);
      expect(maxRelativeError(gP, gM)).toBeLessThan(2e-5);
      pieces.dispose();
      mlp.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }

  for (const hidden of [[64], [128, 128]]) {
    it(`hidden ${hidden.join(',')}: components on one piece (a gradient's narrow range) take the two-kernel path, equal to the MLP`, async () => {
      const amp = new Amplifier(hidden, 4);
      const mlp = new Amplifier(hidden, 4, 1024);
      const n = Math.max(5003, 4 * (pieceBreakpointCount(hidden) + 1));
      const rng = new Rng(8, 'narrow');
      const g = tf.tensor1d(Float32Array.from({ length: n }, () => (rng.next() - 0.5) * 2e-4));
      const dS = tf.tensor1d(Float32Array.from({ length: n }, () => rng.next() - 0.5));
      const names = Object.keys(amp.vars).sort();
      const read = (t: () => tf.Tensor) => tf.tidy(() => t().dataSync());
      const flat = (m: () => Record<string, tf.Tensor>) => read(() => tf.concat(names.map((k) => tf.reshape(m()[k]!, [-1]))));
      const host = (amp as unknown as { host(): { singlePiece(x: tf.Tensor1D): number | null } }).host();
      const single = host.singlePiece(g);
      const [a, b] = [read(() => amp.scoresFlat(g)), read(() => mlp.scoresFlat(g))];
      const [ga, gb] = [flat(() => amp.metaGradient(g, dS)), flat(() => mlp.metaGradient(g, dS))];
      g.dispose();
      dS.dispose();
      expect(single).not.toBeNull(); // this case is the one-piece path
      // Near-constant scores here (s ≈ the piece's intercept): both sides round 128-term sums
      // whose terms are ~10× the result, so the relative error is larger than above.
      expect(maxRelativeError(a, b)).toBeLessThan(5e-5);
      expect(maxRelativeError(ga, gb)).toBeLessThan(2e-5);
      amp.dispose();
      mlp.dispose();
    });
  }

  it('follows φ when it changes (a meta step or a load), and not before changed()', async () => {
    const amp = new Amplifier([32], 2);
    const other = new Amplifier([32], 9);
    const g = tf.tensor1d(components(400, 5));
    const read = () => tf.tidy(() => amp.scoresFlat(g).dataSync());
    const first = read();
    amp.load(await other.exportJson()); // load() calls changed()
    const loaded = read();
    const expected = tf.tidy(() => new Amplifier([32], 9, 64).scoresFlat(g).dataSync());
    expect(maxRelativeError(loaded, expected)).toBeLessThan(2e-6);
    expect(maxRelativeError(loaded, first)).toBeGreaterThan(1e-2);
    g.dispose();
    amp.dispose();
    other.dispose();
  });

  it('counts breakpoints as the widths bound them, and leaves deeper amplifiers to the MLP', async () => {
    expect(pieceBreakpointCount([1152])).toBe(1152);
    expect(pieceBreakpointCount([128, 128])).toBe(128 + 129 * 128);
    expect(pieceBreakpointCount([])).toBe(0);
    expect(new Amplifier([4, 4, 4], 1).usesPieces(10 ** 7)).toBe(false);
  });
});
