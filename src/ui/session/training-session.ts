/**
 * One training worker and everything the page knows about its run: the worker's config,
 * state, backend, metric series and grokking tracker, and typed requests with ids. The main
 * run is one session; compare mode runs up to four. The page talks to a worker only here.
 */
import type { RunConfig } from '../../config/schema';
import type { AmplifierJson } from '../../core/amplifier';
import { GrokTracker } from '../../core/grokking';
import { appendRecords, emptySeries, type RunSeries } from '../../core/metrics';
import type { BackendInfo, FromWorker, ToWorker } from '../../protocol';

/** The part of a Worker a session uses (tests pass a fake). */
export interface WorkerPort {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: { data: FromWorker }) => void) | null;
  onerror: ((event: { message: string }) => void) | null;
}

/** What a session shows: replaced as a whole on every change, so subscribers can compare. */
export interface SessionState {
  workerConfig: RunConfig | null;
  running: boolean;
  stepCount: number;
  stepsPerSecond: number;
  backend: BackendInfo | null;
  /** Columns grow in place; `seriesVersion` says when (charts redraw from it). */
  series: RunSeries;
  seriesVersion: number;
  stepsTo95: number | null;
  stepsTo99: number | null;
  /** The last error the worker reported for this run. */
  error: string | null;
}

export interface SessionEvents {
  onChange(state: SessionState): void;
  onError(message: string, fatal: boolean): void;
}

export const initialSessionState = (): SessionState => ({
  workerConfig: null,
  running: false,
  stepCount: 0,
  stepsPerSecond: 0,
  backend: null,
  series: emptySeries(),
  seriesVersion: 0,
  stepsTo95: null,
  stepsTo99: null,
  error: null,
});

export class TrainingSession {
  private state = initialSessionState();
  private tracker = new GrokTracker();
  private nextRequestId = 1;
  private readonly pendingAmplifier = new Map<number, (a: AmplifierJson | null) => void>();

  constructor(
    private readonly port: WorkerPort,
    private readonly events: SessionEvents,
  ) {
    port.onmessage = (e) => this.receive(e.data);
    port.onerror = (e) => this.events.onError(`The training worker crashed: ${e.message}`, true);
  }

  get current(): SessionState {
    return this.state;
  }

  /** Builds the run from a config; the series start empty. */
  reset(config: RunConfig): void {
    this.tracker = new GrokTracker();
    this.update({ series: emptySeries(), seriesVersion: this.state.seriesVersion + 1, stepsTo95: null, stepsTo99: null, stepCount: 0, running: false, error: null });
    this.port.postMessage({ type: 'reset', config });
  }

  play(): void {
    this.port.postMessage({ type: 'play' });
  }

  pause(): void {
    this.port.postMessage({ type: 'pause' });
  }

  step(count = 1): void {
    this.port.postMessage({ type: 'step', count });
  }

  /** Live edits and method switches, applied at the next step. */
  edit(changes: Partial<RunConfig>): void {
    this.port.postMessage({ type: 'update', changes });
  }

  importAmplifier(amplifier: AmplifierJson): void {
    this.port.postMessage({ type: 'importAmplifier', amplifier });
  }

  /** The NeuralGrok amplifier's weights (null for other methods). */
  requestAmplifier(): Promise<AmplifierJson | null> {
    const id = this.nextRequestId++;
    return new Promise((resolve) => {
      this.pendingAmplifier.set(id, resolve);
      this.port.postMessage({ type: 'exportAmplifier', id });
    });
  }

  terminate(): void {
    this.port.terminate();
    this.pendingAmplifier.forEach((resolve) => resolve(null));
    this.pendingAmplifier.clear();
  }

  receive(m: FromWorker): void {
    switch (m.type) {
      case 'backend':
        this.update({ backend: m.info });
        return;
      case 'config':
        this.update({ workerConfig: m.config });
        return;
      case 'state':
        this.update({ running: m.running, stepCount: m.stepCount });
        return;
      case 'metrics':
        appendRecords(this.state.series, m.records);
        for (const r of m.records) this.tracker.observe(r);
        this.update({
          stepCount: m.stepCount,
          stepsPerSecond: m.stepsPerSecond,
          seriesVersion: this.state.seriesVersion + 1,
          stepsTo95: this.tracker.stepsTo95,
          stepsTo99: this.tracker.stepsTo99,
        });
        return;
      case 'amplifier':
        this.pendingAmplifier.get(m.id)?.(m.amplifier);
        this.pendingAmplifier.delete(m.id);
        return;
      case 'error':
        this.update({ error: m.message, ...(m.fatal ? { running: false } : {}) });
        this.events.onError(m.message, m.fatal);
        return;
    }
  }

  private update(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    this.events.onChange(this.state);
  }
}
