/**
 * NeuralGrok's amplifier G_φ: one small MLP (1 → hidden… → 1, ReLU between layers) applied
 * to every scalar gradient component independently. Its scores s become, per parameter
 * tensor, weights w = softmax(s) over all that tensor's components, and the transformed
 * gradient is g' = c · (w ⊙ g) / ‖w ⊙ g‖₂ (the paper's formula; not the size-1-axis softmax of
 * one reference version, which makes w ≡ 1 and reduces the method to normalization).
 */
import * as tf from '@tensorflow/tfjs';
import type { AmplifierJson } from '../../core/amplifier';
import { Rng } from '../rng';
import { mapTensors, type TensorMap, type VariableMap } from '../tensors';
import { NORM_FLOOR } from './gradnorm';

/** WebGPU's default storage-buffer limit; no amplifier activation buffer may exceed it. */
export const MAX_BUFFER_BYTES = 128 * 1024 * 1024;

export class Amplifier {
  readonly vars: VariableMap = {};

  constructor(
    readonly hidden: readonly number[],
    seed: number,
    /** Largest number of components per chunk (tests use small chunks). */
    readonly maxChunkRows = Math.floor(MAX_BUFFER_BYTES / (4 * Math.max(1, ...hidden))),
  ) {
    const rng = new Rng(seed, 'amplifier');
    const widths = [1, ...hidden, 1];
    for (let l = 0; l + 1 < widths.length; l++) {
      const fanIn = widths[l]!;
      const fanOut = widths[l + 1]!;
      // PyTorch's nn.Linear default, as in the reference: weights and biases uniform ±1/√fan_in.
      const bound = 1 / Math.sqrt(fanIn);
      const uniform = (n: number) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * bound);
      const w = uniform(fanIn * fanOut);
      const b = uniform(fanOut);
      this.vars[`w${l}`] = tf.tidy(() => tf.variable(tf.tensor2d(w, [fanIn, fanOut]), true, uniqueName(`w${l}`)));
      this.vars[`b${l}`] = tf.tidy(() => tf.variable(tf.tensor1d(b), true, uniqueName(`b${l}`)));
    }
  }

  get layerCount(): number {
    return this.hidden.length + 1;
  }

  /** Scores s for a column of components x [n, 1] → [n], evaluated in bounded chunks. */
  scores(x: tf.Tensor2D): tf.Tensor1D {
    const n = x.shape[0];
    const chunks: tf.Tensor2D[] = [];
    for (let start = 0; start < n; start += this.maxChunkRows) {
      let h = tf.slice(x, [start, 0], [Math.min(this.maxChunkRows, n - start), 1]) as tf.Tensor2D;
      for (let l = 0; l < this.layerCount; l++) {
        h = tf.add(tf.matMul(h, this.vars[`w${l}`] as tf.Tensor2D), this.vars[`b${l}`]!);
        if (l + 1 < this.layerCount) h = tf.relu(h);
      }
      chunks.push(h);
    }
    return tf.reshape(chunks.length === 1 ? chunks[0]! : tf.concat(chunks, 0), [n]);
  }

  /**
   * The softmax weights w = softmax(G_φ(g)) of each tensor, over that tensor's components,
   * shaped like it. One MLP pass over all components of all tensors at once (fewer, larger
   * kernels). Differentiable with respect to φ; call inside tf.tidy.
   */
  weights(grads: TensorMap): TensorMap {
    const names = Object.keys(grads);
    const sizes = names.map((n) => grads[n]!.size);
    const flat = tf.concat(
      names.map((n) => tf.reshape(grads[n]!, [-1])),
      0,
    );
    const allScores = this.scores(tf.reshape(flat, [-1, 1]) as tf.Tensor2D);
    const parts = tf.split(allScores, sizes, 0);
    return Object.fromEntries(names.map((name, i) => [name, tf.reshape(tf.softmax(parts[i]!), grads[name]!.shape)]));
  }

  /** g' = c · (w ⊙ g)/‖w ⊙ g‖ per tensor. Differentiable with respect to φ; call inside tf.tidy. */
  transform(grads: TensorMap, c: number): TensorMap {
    const w = this.weights(grads);
    return mapTensors(grads, (g, name) => {
      const wg = tf.mul(w[name]!, g);
      return tf.mul(wg, tf.div(c, tf.maximum(tf.norm(wg), NORM_FLOOR)));
    });
  }

  toJSON(): AmplifierJson {
    const layers = [];
    for (let l = 0; l < this.layerCount; l++) {
      layers.push({ weight: Array.from(this.vars[`w${l}`]!.dataSync()), bias: Array.from(this.vars[`b${l}`]!.dataSync()) });
    }
    return { format: 'groklab-amplifier', version: 1, hidden: [...this.hidden], layers };
  }

  /** Replaces φ with exported weights; throws, changing nothing, if the shapes do not match. */
  load(json: AmplifierJson): void {
    if (json?.format !== 'groklab-amplifier' || json.version !== 1) throw new Error('not a GrokLab amplifier file (format/version)');
    const widths = [1, ...this.hidden, 1];
    if (json.hidden.join(',') !== this.hidden.join(',') || json.layers.length !== this.layerCount) {
      throw new Error(`amplifier widths ${json.hidden.join(',')} do not match ${this.hidden.join(',')}`);
    }
    json.layers.forEach((layer, l) => {
      if (layer.weight.length !== widths[l]! * widths[l + 1]! || layer.bias.length !== widths[l + 1]!)
        throw new Error(`amplifier layer ${l} has the wrong size`);
      if (![...layer.weight, ...layer.bias].every(Number.isFinite)) throw new Error(`amplifier layer ${l} has non-finite values`);
    });
    tf.tidy(() =>
      json.layers.forEach((layer, l) => {
        this.vars[`w${l}`]!.assign(tf.tensor2d(layer.weight, [widths[l]!, widths[l + 1]!]));
        this.vars[`b${l}`]!.assign(tf.tensor1d(layer.bias));
      }),
    );
  }

  dispose(): void {
    for (const v of Object.values(this.vars)) v.dispose();
  }
}

let counter = 0;
function uniqueName(base: string): string {
  return `groklab/amplifier/${base}/${counter++}`;
}
