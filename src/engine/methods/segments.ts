/**
 * Per-tensor reductions over a flat vector in a constant number of kernels: the flat gradient
 * is K parameter tensors end to end, and NeuralGrok needs a softmax, a norm and a dot product
 * per tensor. Split into K parts, that is ~10 kernels per tensor and op (≈ 300 a step on the
 * paper model); here a per-tensor sum is one segment-sum kernel and its broadcast back one
 * gather, whatever K.
 */
import * as tf from '@tensorflow/tfjs';

/**
 * Σ of values by an unsorted index in [0, count): [N] → [count]. UnsortedSegmentSum where the
 * backend has it; tfjs-wasm has none, so there the sums are taken in JavaScript (the tensors
 * live in the same memory: reading them is a copy, not a device transfer).
 */
export function sumByIndex(values: tf.Tensor1D, ids: tf.Tensor1D, count: number): tf.Tensor1D {
  if (tf.getBackend() !== 'wasm') return tf.unsortedSegmentSum(values, ids, count) as tf.Tensor1D;
  const v = values.dataSync();
  const k = ids.dataSync();
  const out = new Float64Array(count); // float64 sums, rounded once
  for (let i = 0; i < v.length; i++) out[k[i]!]! += v[i]!;
  return tf.tensor1d(Float32Array.from(out));
}

export class Segments {
  readonly count: number;
  readonly total: number;
  /** [N] int32: the tensor each component belongs to. */
  private readonly ids: tf.Tensor1D;
  /** [N] int32: 0…N−1 (the rows SparseSegmentSum reads). */
  private readonly indices: tf.Tensor1D;
  /** [K] sizes, as floats. */
  readonly sizes: tf.Tensor1D;
  /** [N] the size of each component's tensor. */
  readonly sizePerComponent: tf.Tensor1D;
  /** [K + 1] int32: where each tensor starts, then N (the fused per-tensor kernels' layout). */
  readonly offsets: tf.Tensor1D;

  constructor(readonly sizeList: readonly number[]) {
    this.count = sizeList.length;
    this.total = sizeList.reduce((a, b) => a + b, 0);
    const ids = new Int32Array(this.total);
    const perComponent = new Float32Array(this.total);
    let at = 0;
    sizeList.forEach((n, k) => {
      ids.fill(k, at, at + n);
      perComponent.fill(n, at, at + n);
      at += n;
    });
    // Kept: the layout is built inside a step's tidy and outlives it.
    this.ids = tf.keep(tf.tensor1d(ids, 'int32'));
    this.indices = tf.keep(
      tf.tensor1d(
        Int32Array.from({ length: this.total }, (_, i) => i),
        'int32',
      ),
    );
    this.sizes = tf.keep(tf.tensor1d(Float32Array.from(sizeList)));
    this.sizePerComponent = tf.keep(tf.tensor1d(perComponent));
    const offsets = new Int32Array(this.count + 1);
    sizeList.forEach((n, k) => (offsets[k + 1] = offsets[k]! + n));
    this.offsets = tf.keep(tf.tensor1d(offsets, 'int32'));
  }

  /** Σ over each tensor's components: [N] → [K]. */
  sum(x: tf.Tensor1D): tf.Tensor1D {
    // SparseSegmentSum runs natively on wasm and cpu; the GPU backends have UnsortedSegmentSum as a shader.
    const gpu = tf.getBackend() === 'webgl' || tf.getBackend() === 'webgpu';
    return (gpu ? tf.unsortedSegmentSum(x, this.ids, this.count) : tf.sparse.sparseSegmentSum(x, this.indices, this.ids)) as tf.Tensor1D;
  }

  /** Each tensor's value on every one of its components: [K] → [N]. */
  expand(perSegment: tf.Tensor1D): tf.Tensor1D {
    if (tf.getBackend() === 'wasm') {
      // tfjs-wasm's Gather took 32 ms for the paper model's 422 656 components; K fills take < 1 ms.
      const v = perSegment.dataSync();
      const out = new Float32Array(this.total);
      let at = 0;
      this.sizeList.forEach((n, k) => {
        out.fill(v[k]!, at, at + n);
        at += n;
      });
      return tf.tensor1d(out);
    }
    return tf.gather(perSegment, this.ids) as tf.Tensor1D;
  }

  matches(sizes: readonly number[]): boolean {
    return sizes.length === this.sizeList.length && sizes.every((n, i) => n === this.sizeList[i]);
  }

  dispose(): void {
    for (const t of [this.ids, this.indices, this.sizes, this.sizePerComponent, this.offsets]) t.dispose();
  }
}
