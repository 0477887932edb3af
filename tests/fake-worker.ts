/** A stand-in for the training worker: records what the page sends and lets a test answer. */
import type { FromWorker, ToWorker } from '../src/protocol';
import type { WorkerPort } from '../src/ui/session/training-session';

export class FakeWorker implements WorkerPort {
  sent: ToWorker[] = [];
  terminated = false;
  onmessage: ((event: { data: FromWorker }) => void) | null = null;
  onerror: ((event: { message: string }) => void) | null = null;
  postMessage(m: ToWorker): void {
    this.sent.push(m);
  }
  terminate(): void {
    this.terminated = true;
  }
  /** Delivers a message as the worker would. */
  reply(m: FromWorker): void {
    this.onmessage?.({ data: m });
  }
}
