/**
 * One training worker and everything the page knows about its run: the worker's config,
 * state, backend, metric series and grokking tracker, and typed requests with ids. Every run of
 * the page is one session, held by the run pool (ui/pool/run-pool.ts). The page talks to a
 * worker only here.
 */
import { receivedConfig, type RunConfig, type ValidConfig } from '../../config/schema';
import type { AmplifierJson } from '../../core/amplifier';
import { GrokTracker, trackerOf } from '../../core/grokking';
import { thresholdReached, type StopRule } from '../../core/stop-rule';
import { appendRecords, emptySeries, isEvaluation, type RunSeries } from '../../core/metrics';
import { notLearningReason } from '../../core/not-learning';
import { truncateColumns, truncateSeries, type Checkpoint } from '../../core/checkpoint';
import type { InsideSnapshot, TableSliceSpec, TryItQuery, TryItResult } from '../../core/inside';
import type { BackendInfo, FromWorker, ToWorker } from '../../protocol';
import type { BackendName } from '../../core/backend-choice';
import { speedFrom } from '../../core/step-cost';
import type { InsideHistory } from '../../core/inside';

/** The part of a Worker a session uses (tests pass a fake). */
export interface WorkerPort {
  postMessage(message: ToWorker): void;
  terminate(): void;
  onmessage: ((event: { data: FromWorker }) => void) | null;
  onerror: ((event: { message: string }) => void) | null;
}

/** What a session shows: replaced as a whole on every change, so subscribers can compare. */
export interface SessionState {
  /** The run these numbers belong to (set at each reset; the worker stamps its messages with it). */
  runId: number;
  /** The config the worker echoed for this run; null from a reset until the worker confirms it. */
  workerConfig: ValidConfig | null;
  /** Fields sent as live edits and not yet echoed by the worker (shown as pending at the field). */
  pendingEdits: string[];
  /** Step of the latest checkpoint the worker sent (the page keeps it for a restart or a reload). */
  checkpointStep: number | null;
  /** After a divergence: the last good checkpoint's step, from which Play continues at half the learning rate. */
  resumableFrom: number | null;
  /** Why the run fails without NaN (loss far above chance, exploding weights), or null. */
  notLearning: string | null;
  running: boolean;
  /** The run's stop rule paused it at this evaluation step (null until then, and once it plays on). */
  stoppedAt: number | null;
  stepCount: number;
  stepsPerSecond: number;
  backend: BackendInfo | null;
  /** Columns grow in place; `seriesVersion` says when (charts redraw from it). */
  series: RunSeries;
  seriesVersion: number;
  stepsTo95: number | null;
  stepsTo99: number | null;
  /** Training time so far (seconds of the worker's chunks, pauses excluded). */
  elapsedSeconds: number;
  /** Training time when validation first reached 0.95. */
  secondsTo95: number | null;
  /** Steps per second, smoothed over the last few seconds; 0 while not running. */
  smoothStepsPerSecond: number;
  /** The last error the worker reported for this run. */
  error: string | null;
  /** The backend the worker is preparing (starting, verifying, timing) for a reset; null once ready. */
  preparing: RunConfig['backend'] | null;
  /**
   * Measured speed per backend, in step-work units per ms (core/step-cost.ts), from this
   * session's runs and start-up timings: kept across resets, it prices a config before Play.
   */
  speed: Partial<Record<BackendName, number>>;
  /** "Inside the model": the latest snapshot, and its scalars over the evaluations that had one. */
  inside: InsideSnapshot | null;
  insideHistory: InsideHistory;
}

const emptyInsideHistory = (): InsideHistory => ({ step: [], sparsity: [], restrictedLoss: [], excludedLoss: [], loss: [] });

export interface SessionEvents {
  onChange(state: SessionState): void;
  onError(message: string, fatal: boolean): void;
  /** The worker refused a live edit: `changes` were not applied, `message` says why. */
  onEditRefused?(changes: Partial<RunConfig>, message: string): void;
  /** The worker died (an uncaught error, out of memory): the page can restart it from the checkpoint. */
  onCrash?(message: string): void;
}

export const initialSessionState = (): SessionState => ({
  runId: 0,
  workerConfig: null,
  pendingEdits: [],
  checkpointStep: null,
  resumableFrom: null,
  notLearning: null,
  running: false,
  stoppedAt: null,
  stepCount: 0,
  stepsPerSecond: 0,
  backend: null,
  series: emptySeries(),
  seriesVersion: 0,
  stepsTo95: null,
  stepsTo99: null,
  elapsedSeconds: 0,
  secondsTo95: null,
  smoothStepsPerSecond: 0,
  error: null,
  preparing: null,
  speed: {},
  inside: null,
  insideHistory: emptyInsideHistory(),
});

/** A run's stop rule without the threshold its series already met (it fires once per run). */
function armed(rule: StopRule | null, series: RunSeries): StopRule | null {
  if (!rule || !thresholdReached(rule, series.evals.valAcc)) return rule;
  const { valAccuracy: _met, ...rest } = rule;
  return Object.keys(rest).length > 0 ? rest : null;
}

export class TrainingSession {
  private state = initialSessionState();
  /** The config of the latest reset (what the worker's start-up timings measured). */
  private resetConfig: ValidConfig | null = null;
  private tracker = new GrokTracker();
  /** The run's stop rule, checked by the worker's run loop. */
  private stopWhen: StopRule | null = null;
  private nextRequestId = 1;
  private nextEditId = 1;
  /** Live edits sent and not yet answered, by edit id. */
  private readonly unconfirmedEdits = new Map<number, Partial<RunConfig>>();
  /** Set by terminate: a replaced session's worker can no longer reach its subscriber. */
  private disposed = false;
  /** The latest checkpoint the worker sent for this run. */
  private checkpoint: Checkpoint | null = null;
  private readonly pendingAmplifier = new Map<number, (a: AmplifierJson | null) => void>();
  private readonly pendingTryIt = new Map<number, { resolve: (r: TryItResult) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly port: WorkerPort,
    private readonly events: SessionEvents,
  ) {
    port.onmessage = (e) => this.receive(e.data);
    port.onerror = (e) => {
      if (this.disposed) return;
      const message = `The training worker crashed: ${e.message}`;
      if (this.events.onCrash) return this.events.onCrash(message);
      // no restart offered (compare runs): the run stopped, and its row says why
      this.update({ error: message, running: false, preparing: null });
      this.events.onError(message, true);
    };
  }

  get current(): SessionState {
    return this.state;
  }

  /** The latest checkpoint of this run (weights and Adam's moments), if the worker sent one. */
  get lastCheckpoint(): Checkpoint | null {
    return this.checkpoint;
  }

  /**
   * Continues a run in this (fresh) worker: its series cut back to the checkpoint (or empty
   * without one) and the worker restored from it — after a worker died, or on reload.
   */
  restore(
    config: ValidConfig,
    saved: { series: RunSeries; insideHistory: InsideHistory; checkpoint: Checkpoint | null; elapsedSeconds?: number },
    stopWhen: StopRule | null = null,
  ): void {
    const step = saved.checkpoint?.step ?? 0;
    const series = saved.series;
    truncateSeries(series, step);
    const insideHistory = { ...saved.insideHistory };
    truncateColumns(insideHistory as never, step);
    this.tracker = trackerOf(series.evals);
    this.unconfirmedEdits.clear();
    this.checkpoint = saved.checkpoint;
    const runId = this.state.runId + 1;
    this.update({
      ...initialSessionState(),
      runId,
      backend: this.state.backend,
      speed: this.state.speed,
      series,
      seriesVersion: this.state.seriesVersion + 1,
      stepCount: step,
      stepsTo95: this.tracker.stepsTo95,
      stepsTo99: this.tracker.stepsTo99,
      elapsedSeconds: saved.elapsedSeconds ?? 0,
      checkpointStep: saved.checkpoint?.step ?? null,
      preparing: config.backend,
      insideHistory,
    });
    this.resetConfig = config;
    this.stopWhen = stopWhen;
    const resume = saved.checkpoint ? { resume: saved.checkpoint } : {};
    this.port.postMessage({ type: 'reset', runId, config, ...resume, stopWhen: armed(stopWhen, series) });
  }

  /** After a divergence: back to the last good checkpoint with the learning rate scaled. */
  resumeFromCheckpoint(lrFactor: number): void {
    this.update({ resumableFrom: null, error: null });
    this.port.postMessage({ type: 'resumeFromCheckpoint', lrFactor });
  }

  /**
   * Builds the run from a config under a new run id; the series start empty, and whatever the
   * worker still sends for the previous run is dropped. `stopWhen`: the run's stop rule.
   */
  reset(config: ValidConfig, stopWhen: StopRule | null = null): void {
    this.tracker = new GrokTracker();
    this.unconfirmedEdits.clear();
    this.checkpoint = null;
    const runId = this.state.runId + 1;
    this.update({
      runId,
      workerConfig: null,
      pendingEdits: [],
      checkpointStep: null,
      resumableFrom: null,
      notLearning: null,
      series: emptySeries(),
      seriesVersion: this.state.seriesVersion + 1,
      stepsTo95: null,
      stepsTo99: null,
      stepCount: 0,
      running: false,
      stoppedAt: null,
      elapsedSeconds: 0,
      secondsTo95: null,
      smoothStepsPerSecond: 0,
      error: null,
      // a new backend (or auto re-timing) can take seconds on a software renderer: say so
      preparing: config.backend,
      inside: null,
      insideHistory: emptyInsideHistory(),
    });
    this.resetConfig = config;
    this.stopWhen = stopWhen;
    this.port.postMessage({ type: 'reset', runId, config, stopWhen });
  }

  /** The run's stop rule from now on (a threshold the run has already met does not fire again). */
  setStopRule(rule: StopRule | null): void {
    this.stopWhen = rule;
    this.port.postMessage({ type: 'stopWhen', rule: armed(rule, this.state.series) });
  }

  get stopRule(): StopRule | null {
    return this.stopWhen;
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

  /**
   * Live edits and method switches, applied at the next step. The worker handles messages in
   * order, so an edit sent while it starts or re-times backends applies once the run is built;
   * until the worker echoes it, its fields are listed in `pendingEdits`.
   */
  edit(changes: Partial<RunConfig>): void {
    const editId = this.nextEditId++;
    this.unconfirmedEdits.set(editId, changes);
    this.update({ pendingEdits: this.pendingFields() });
    this.port.postMessage({ type: 'update', editId, changes });
  }

  private pendingFields(): string[] {
    return [...new Set([...this.unconfirmedEdits.values()].flatMap((c) => Object.keys(c)))];
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

  /** The model's answer for one row. */
  tryIt(query: TryItQuery): Promise<TryItResult> {
    const id = this.nextRequestId++;
    return new Promise((resolve, reject) => {
      this.pendingTryIt.set(id, { resolve, reject });
      this.port.postMessage({ type: 'tryIt', id, query });
    });
  }

  setInsideSlice(slice: TableSliceSpec): void {
    this.port.postMessage({ type: 'insideSlice', slice });
  }

  terminate(): void {
    this.disposed = true;
    this.port.onmessage = null;
    this.port.onerror = null;
    this.port.terminate();
    this.pendingAmplifier.forEach((resolve) => resolve(null));
    this.pendingAmplifier.clear();
    // a worker replaced mid-question (a new config with another thread count) never answers
    this.pendingTryIt.forEach(({ reject }) => reject(new Error('the run was restarted; ask again')));
    this.pendingTryIt.clear();
  }

  receive(m: FromWorker): void {
    if (this.disposed) return;
    if (m.runId !== this.state.runId) {
      // a message of a run this session replaced: only answers to questions still waiting are settled
      if (m.type === 'amplifier') this.settleAmplifier(m.id, null);
      if (m.type === 'tryIt') this.settleTryIt(m.id, null, 'the run was restarted; ask again');
      return;
    }
    switch (m.type) {
      case 'backend': {
        // auto mode timed the actual config on each backend: that is a measured speed too
        const config = this.state.workerConfig ?? this.resetConfig;
        const speed = { ...this.state.speed };
        for (const t of m.info.timings ?? []) {
          const measured = config && t.msPerStep ? speedFrom(config, 1000 / t.msPerStep) : null;
          if (measured) speed[t.backend] = measured;
        }
        this.update({ backend: m.info, speed });
        return;
      }
      case 'config':
        if (m.editId !== undefined) this.unconfirmedEdits.delete(m.editId);
        // the worker validated it (at its reset or edit): kept as it came, not validated again
        this.update({ workerConfig: receivedConfig(m.config), preparing: null, pendingEdits: this.pendingFields() });
        return;
      case 'state':
        this.update({
          running: m.running,
          stepCount: m.stepCount,
          stoppedAt: m.stoppedAt ?? null,
          ...(m.running ? {} : { smoothStepsPerSecond: 0 }),
        });
        return;
      case 'metrics': {
        appendRecords(this.state.series, m.records);
        for (const r of m.records) this.tracker.observe(r);
        // Chunks last ~100 ms; smoothing over ~1 s keeps the readout steady.
        const seconds = m.records.length / Math.max(m.stepsPerSecond, 1e-9);
        const elapsedSeconds = this.state.elapsedSeconds + seconds;
        const previous = this.state.smoothStepsPerSecond;
        const weight = Math.min(1, seconds / 1);
        const smoothStepsPerSecond = previous === 0 ? m.stepsPerSecond : (1 - weight) * previous + weight * m.stepsPerSecond;
        const p = this.state.workerConfig?.p;
        const measured =
          this.state.workerConfig && this.state.backend && m.records.length >= 3
            ? speedFrom(this.state.workerConfig, m.stepsPerSecond)
            : null;
        const speed = measured ? { ...this.state.speed, [this.state.backend!.backend]: measured } : this.state.speed;
        const notLearning = p && m.records.some(isEvaluation) ? notLearningReason(this.state.series.evals, p) : this.state.notLearning;
        this.update({
          notLearning,
          speed,
          stepCount: m.stepCount,
          stepsPerSecond: m.stepsPerSecond,
          smoothStepsPerSecond,
          elapsedSeconds,
          secondsTo95: this.state.secondsTo95 ?? (this.tracker.stepsTo95 !== null ? elapsedSeconds : null),
          seriesVersion: this.state.seriesVersion + 1,
          stepsTo95: this.tracker.stepsTo95,
          stepsTo99: this.tracker.stepsTo99,
        });
        return;
      }
      case 'amplifier':
        this.settleAmplifier(m.id, m.amplifier);
        return;
      case 'inside': {
        const h = this.state.insideHistory;
        const p = m.snapshot.progress;
        const insideHistory = {
          step: [...h.step, m.snapshot.step],
          sparsity: [...h.sparsity, m.snapshot.spectrum.sparsity],
          restrictedLoss: [...h.restrictedLoss, p?.restrictedLoss ?? NaN],
          excludedLoss: [...h.excludedLoss, p?.excludedLoss ?? NaN],
          loss: [...h.loss, p?.loss ?? NaN],
        };
        this.update({ inside: m.snapshot, insideHistory });
        return;
      }
      case 'tryIt':
        this.settleTryIt(m.id, m.result, m.error);
        return;
      case 'checkpoint':
        this.checkpoint = m.checkpoint;
        this.update({ checkpointStep: m.checkpoint.step });
        return;
      case 'rewind': {
        // the worker continues from a checkpoint: the steps after it will come again
        truncateSeries(this.state.series, m.step);
        const insideHistory = { ...this.state.insideHistory };
        truncateColumns(insideHistory as never, m.step);
        this.tracker = trackerOf(this.state.series.evals);
        if (this.checkpoint && this.checkpoint.step > m.step) this.checkpoint = null;
        this.update({
          stepCount: m.step,
          seriesVersion: this.state.seriesVersion + 1,
          stepsTo95: this.tracker.stepsTo95,
          stepsTo99: this.tracker.stepsTo99,
          insideHistory: { ...insideHistory },
          resumableFrom: null,
          notLearning: null,
        });
        return;
      }
      case 'error': {
        const refused = m.editId !== undefined ? this.unconfirmedEdits.get(m.editId) : undefined;
        if (m.editId !== undefined) this.unconfirmedEdits.delete(m.editId);
        this.update({
          error: m.message,
          pendingEdits: this.pendingFields(),
          ...(m.fatal ? { running: false, preparing: null } : {}),
          ...(m.resumableFrom !== undefined ? { resumableFrom: m.resumableFrom } : {}),
        });
        if (refused && this.events.onEditRefused) this.events.onEditRefused(refused, m.message);
        else this.events.onError(m.message, m.fatal);
        return;
      }
    }
  }

  private settleAmplifier(id: number, amplifier: AmplifierJson | null): void {
    this.pendingAmplifier.get(id)?.(amplifier);
    this.pendingAmplifier.delete(id);
  }

  private settleTryIt(id: number, result: TryItResult | null, error: string | null): void {
    const pending = this.pendingTryIt.get(id);
    this.pendingTryIt.delete(id);
    if (result) pending?.resolve(result);
    else pending?.reject(new Error(error ?? 'no answer'));
  }

  private update(patch: Partial<SessionState>): void {
    this.state = { ...this.state, ...patch };
    this.events.onChange(this.state);
  }
}
