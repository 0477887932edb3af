/**
 * Epoch-based minibatches as in the references: each epoch shuffles the training rows
 * (seeded) and walks them in batches of `batchSize`; the last batch of an epoch is smaller.
 */
import { Rng } from './rng';

export class BatchSampler {
  private readonly rng: Rng;
  private order: Int32Array;
  private position: number;

  constructor(
    rows: Int32Array,
    private readonly batchSize: number,
    seed: number,
  ) {
    if (rows.length === 0) throw new Error('empty training split');
    this.rng = new Rng(seed, 'batches');
    this.order = Int32Array.from(rows);
    this.position = rows.length; // forces a shuffle on the first call
  }

  next(): Int32Array {
    if (this.position >= this.order.length) {
      this.rng.shuffle(this.order);
      this.position = 0;
    }
    const end = Math.min(this.position + this.batchSize, this.order.length);
    const batch = this.order.subarray(this.position, end);
    this.position = end;
    return batch;
  }
}
