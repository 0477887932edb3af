/** A stand-in for the training worker: records what the page sends and lets a test answer. */
import type { FromWorkerBody, ToWorker } from '../src/protocol';
import type { WorkerPort } from '../src/ui/session/training-session';

export class FakeWorker implements WorkerPort {
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((event: { data: FromWorkerBody & { runId: number } }) => void) | null = null;
  onerror: ((event: { message: string }) => void) | null = null;
  postMessage(m: ToWorker): void {
    this.sent.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** The run id of the last reset the page sent (what a real worker stamps its messages with). */
  get runId(): number {
    const reset = [...this.sent].reverse().find((m) => m.type === 'reset');
    return reset?.type === 'reset' ? reset.runId : 0;
  }
  /** The edit id of the last update the page sent. */
  get lastEditId(): number {
    const update = [...this.sent].reverse().find((m) => m.type === 'update');
    return update?.type === 'update' ? update.editId : 0;
  }
  /** Delivers a message as the worker would, stamped with the current run id unless told another. */
  reply(m: FromWorkerBody, runId = this.runId): void {
    this.onmessage?.({ data: { ...m, runId } });
  }
}
