/**
 * Epoch-based minibatches as in the references: each epoch shuffles the training rows
 * (seeded) and walks them in batches of `batchSize`; the last batch of an epoch is smaller.
 */
import type { SamplerState } from '../core/checkpoint';
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

  /** Where the order stands, for a checkpoint (copies). */
  exportState(): SamplerState {
    return { rngState: this.rng.snapshot, order: Int32Array.from(this.order), position: this.position };
  }

  /** Continues a checkpoint's order: the same rows, in its order, from its position. */
  importState(state: SamplerState): void {
    if (state.order.length !== this.order.length) throw new Error('the checkpoint’s batch order has another number of training rows');
    if (!(state.position >= 0 && state.position <= state.order.length)) throw new Error('the checkpoint’s batch position is out of range');
    this.rng.snapshot = state.rngState;
    this.order = Int32Array.from(state.order);
    this.position = state.position;
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
