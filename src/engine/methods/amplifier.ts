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
import { disposeMap, l2Norm, mapTensors, type TensorMap, type VariableMap } from '../tensors';
import { NORM_FLOOR } from './gradnorm';
import {
  buildPieceTable,
  HostPieces,
  pieceBreakpointCount,
  piecewiseMetaGradient,
  piecewiseScores,
  type PieceTable,
} from './amplifier-pieces';

/** Backends whose tensors live in this process's memory (reading one is a copy, not a transfer). */
const isHostBackend = () => tf.getBackend() === 'wasm' || tf.getBackend() === 'cpu';

/**
 * The largest activation buffer the amplifier allocates: half of WebGPU's default 128 MiB
 * storage-buffer limit, and never more than the device's own `maxStorageBufferBindingSize`.
 * One [422 656, 128] activation of the paper model unchunked is 216 MB: it ran the wasm heap out.
 */
export const MAX_BUFFER_BYTES = 64 * 1024 * 1024;

/** Rows per amplifier chunk on host backends when the budget allows more (see Amplifier.chunkRows). */
const PREFERRED_CHUNK_ROWS = 4096;

/**
 * Rows per chunk on a GPU backend: each chunk costs a few dispatches per layer and pass whatever
 * its size, so fewer, larger chunks (the paper model: 7 instead of 104), still far below the
 * buffer budget at the authors' widths ([65 536, 128] floats are 32 MiB).
 */
const DEVICE_CHUNK_ROWS = 65_536;

/** The buffer budget on the active backend (the WebGPU device's binding limit when lower). */
function amplifierBufferBudget(): number {
  const device = (tf.backend() as unknown as { device?: { limits?: { maxStorageBufferBindingSize?: number } } }).device;
  const limit = tf.getBackend() === 'webgpu' ? device?.limits?.maxStorageBufferBindingSize : undefined;
  return Math.min(MAX_BUFFER_BYTES, limit ?? Infinity);
}

export { amplifierMacsPerComponent } from '../../core/amplifier';

export class Amplifier {
  readonly vars: VariableMap = {};
  /** φ as a piecewise-linear function (amplifier-pieces.ts), built on first use after φ changed. */
  private pieces: PieceTable | null = null;
  private hostPieces: HostPieces | null = null;

  constructor(
    readonly hidden: readonly number[],
    seed: number,
    /** Largest number of components per chunk (tests force small chunks; default: the buffer budget). */
    private readonly chunkRowsOverride?: number,
    /** Where the table of pieces is evaluated: 'auto' = JavaScript on host backends, tensor ops elsewhere (tests force each). */
    private readonly piecePath: 'auto' | 'host' | 'device' = 'auto',
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

  /**
   * Components per chunk: on host backends at most PREFERRED_CHUNK_ROWS (measured on the paper
   * model at 128,128, wasm: the meta-gradient took 8–12 s in chunks of 4 096 against 12–29 s in
   * chunks of 131 072 on a loaded machine — [4 096, 128] activations stay in cache), on a GPU
   * DEVICE_CHUNK_ROWS (dispatches, not caches, set its cost), and never an activation
   * [rows, width] above the buffer budget.
   */
  get chunkRows(): number {
    const byBudget = Math.max(1, Math.floor(amplifierBufferBudget() / (4 * Math.max(1, ...this.hidden))));
    return this.chunkRowsOverride ?? Math.min(isHostBackend() ? PREFERRED_CHUNK_ROWS : DEVICE_CHUNK_ROWS, byBudget);
  }

  /**
   * Whether n components go through the table of pieces rather than the MLP: for at most two
   * hidden layers, unless a test forces chunks. On host backends only the occupied pieces are
   * evaluated, so always; as tensor ops every piece is, so only where the pieces are far fewer
   * than the components (129 × fewer at 128,128 on the paper model).
   */
  usesPieces(n: number): boolean {
    if (this.chunkRowsOverride !== undefined || this.hidden.length > 2) return false;
    return this.onHost() || 4 * (pieceBreakpointCount(this.hidden) + 1) <= n;
  }

  /** Call after φ was assigned (a meta step, a load): the table of pieces is rebuilt on next use. */
  changed(): void {
    this.hostPieces = null;
    if (!this.pieces) return;
    tf.dispose([this.pieces.breaks, this.pieces.slope, this.pieces.intercept]);
    this.pieces = null;
  }

  private onHost(): boolean {
    return this.piecePath === 'auto' ? isHostBackend() : this.piecePath === 'host';
  }

  private host(): HostPieces {
    return (this.hostPieces ??= new HostPieces(this.vars, this.hidden.length));
  }

  private pieceTable(): PieceTable {
    if (!this.pieces) {
      // Kept: built inside a step's tidy, used until φ changes.
      const t = tf.tidy(
        () => buildPieceTable(this.vars, this.hidden.length) as unknown as tf.TensorContainerObject,
      ) as unknown as PieceTable;
      this.pieces = { breaks: tf.keep(t.breaks), slope: tf.keep(t.slope), intercept: tf.keep(t.intercept) };
    }
    return this.pieces;
  }

  /** Scores s for a column of components x [n, 1] → [n]; differentiable (the autograd reference). */
  scores(x: tf.Tensor2D): tf.Tensor1D {
    const n = x.shape[0];
    const chunks: tf.Tensor2D[] = [];
    for (let start = 0; start < n; start += this.chunkRows) {
      const rows = Math.min(this.chunkRows, n - start);
      chunks.push(this.forwardChunk(tf.slice(x, [start, 0], [rows, 1])).out);
    }
    return tf.reshape(chunks.length === 1 ? chunks[0]! : tf.concat(chunks, 0), [n]);
  }

  /**
   * Scores of a flat gradient [N] → [N], chunk by chunk, each chunk in its own tidy: the peak
   * is a few [chunkRows, width] activations, whatever N. Not differentiable (see metaGradient).
   */
  scoresFlat(g: tf.Tensor1D): tf.Tensor1D {
    const n = g.shape[0];
    if (this.usesPieces(n)) {
      if (this.onHost()) return tf.tidy(() => this.host().scores(g));
      const table = this.pieceTable();
      return tf.tidy(() => piecewiseScores(table, g));
    }
    const parts: tf.Tensor[] = [];
    for (let start = 0; start < n; start += this.chunkRows) {
      const rows = Math.min(this.chunkRows, n - start);
      parts.push(tf.tidy(() => tf.reshape(this.forwardChunk(tf.reshape(tf.slice(g, start, rows), [rows, 1]), true).out, [rows])));
    }
    const out = (parts.length === 1 ? parts[0]! : tf.concat(parts)) as tf.Tensor1D;
    if (parts.length > 1) parts.forEach((t) => t.dispose());
    return out;
  }

  /**
   * ∂L/∂φ for a flat gradient g [N] and the loss's gradient with respect to the scores, dL/ds
   * [N]: the MLP's backward pass written out (Σ over components of ∂s_i/∂φ · dL/ds_i), chunk
   * by chunk, recomputing each chunk's activations and accumulating the sums. Exact: the same
   * sums autograd forms, in another order. Returns tensors shaped like `vars`.
   */
  metaGradient(g: tf.Tensor1D, dScores: tf.Tensor1D): TensorMap {
    const n = g.shape[0];
    if (this.usesPieces(n)) {
      if (this.onHost())
        return tf.tidy(() => this.host().metaGradient(g, dScores) as unknown as tf.TensorContainerObject) as unknown as TensorMap;
      const table = this.pieceTable();
      return tf.tidy(
        () => piecewiseMetaGradient(this.vars, this.hidden.length, table, g, dScores) as unknown as tf.TensorContainerObject,
      ) as unknown as TensorMap;
    }
    let total: TensorMap | null = null;
    for (let start = 0; start < n; start += this.chunkRows) {
      const rows = Math.min(this.chunkRows, n - start);
      const next: TensorMap = tf.tidy(() => {
        const part = this.backwardChunk(
          tf.reshape(tf.slice(g, start, rows), [rows, 1]),
          tf.reshape(tf.slice(dScores, start, rows), [rows, 1]),
        );
        return total ? mapTensors(part, (t, k) => tf.add(total![k]!, t)) : part;
      });
      disposeMap(total ?? undefined);
      total = next;
    }
    return total ?? mapTensors(this.vars, (v) => tf.zerosLike(v));
  }

  /**
   * One chunk's forward pass [rows, 1] → scores [rows, 1], keeping every layer's input (the
   * previous layer's ReLU output). `fused`: bias and ReLU inside the matmul (one XNNPACK kernel
   * instead of three passes over a [rows, width] buffer); the taped reference path keeps the
   * plain ops, whose gradients autograd knows.
   */
  private forwardChunk(x: tf.Tensor2D, fused = false): { inputs: tf.Tensor2D[]; out: tf.Tensor2D } {
    const inputs: tf.Tensor2D[] = [];
    let h = x;
    for (let l = 0; l < this.layerCount; l++) {
      inputs.push(h);
      const w = this.vars[`w${l}`] as tf.Tensor2D;
      const b = this.vars[`b${l}`]!;
      const hidden = l + 1 < this.layerCount;
      h = fused
        ? (tf.fused.matMul({ a: h, b: w, bias: b, activation: hidden ? 'relu' : 'linear' }) as tf.Tensor2D)
        : hidden
          ? tf.relu(tf.add(tf.matMul(h, w), b))
          : (tf.add(tf.matMul(h, w), b) as tf.Tensor2D);
    }
    return { inputs, out: h };
  }

  /**
   * One chunk's parameter gradients. Weight gradients avoid tfjs-wasm's slow transposed matmul:
   * a width-1 side is a free reshape to a row, otherwise an explicit transpose; bias gradients
   * are a ones-row matmul (a reduction over rows transposes first on wasm). Call inside a tidy.
   */
  private backwardChunk(x: tf.Tensor2D, dOut: tf.Tensor2D): TensorMap {
    const rows = x.shape[0];
    const { inputs } = this.forwardChunk(x, true);
    const ones = tf.ones([1, rows]) as tf.Tensor2D;
    const grads: TensorMap = {};
    let delta = dOut; // dL/dz of layer l, [rows, fanOut]
    for (let l = this.layerCount - 1; l >= 0; l--) {
      const input = inputs[l]!; // [rows, fanIn]
      const fanIn = input.shape[1];
      const fanOut = delta.shape[1];
      grads[`w${l}`] =
        fanIn === 1
          ? tf.matMul(tf.reshape(input, [1, rows]), delta)
          : fanOut === 1
            ? tf.reshape(tf.matMul(tf.reshape(delta, [1, rows]), input), [fanIn, 1])
            : tf.matMul(tf.transpose(input), delta);
      grads[`b${l}`] = fanOut === 1 ? tf.reshape(tf.sum(delta), [1]) : tf.reshape(tf.matMul(ones, delta), [fanOut]);
      if (l > 0) {
        const w = this.vars[`w${l}`] as tf.Tensor2D;
        const dInput = fanOut === 1 ? tf.mul(delta, tf.reshape(w, [1, fanIn])) : tf.matMul(delta, tf.transpose(w));
        // ReLU′ from the ReLU's output (its input to this layer): 1 where it was positive, 0 at 0 as torch.
        delta = tf.mul(dInput, tf.step(input)) as tf.Tensor2D;
      }
    }
    return grads;
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
      return tf.mul(wg, tf.div(c, tf.maximum(l2Norm(wg), NORM_FLOOR)));
    });
  }

  /** φ in its portable form, read without a synchronous device read (a stall on WebGPU/WebGL). */
  async exportJson(): Promise<AmplifierJson> {
    const layers = [];
    for (let l = 0; l < this.layerCount; l++) {
      const [weight, bias] = await Promise.all([this.vars[`w${l}`]!.data(), this.vars[`b${l}`]!.data()]);
      layers.push({ weight: Array.from(weight), bias: Array.from(bias) });
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
    this.changed();
  }

  dispose(): void {
    this.changed();
    for (const v of Object.values(this.vars)) v.dispose();
  }
}

let counter = 0;
function uniqueName(base: string): string {
  return `groklab/amplifier/${base}/${counter++}`;
}
