/**
 * The worker's host of the run loop (engine/run-loop.ts, the one the CLI runs too), free of
 * `self`/postMessage so it can be reasoned about on its own: it owns one Trainer, runs it in
 * chunks of about 100 ms (one readback each), and reacts to play / pause / step / reset /
 * update between chunks; the run's stop rule pauses it. A backend that throws mid-run is
 * replaced by the next one, continuing from the last checkpointed weights.
 */
import { outerSplitIsTraining } from '../config/fields';
import { validateConfig, type RunConfig, type ValidConfig } from '../config/schema';
import { INSIDE_MIN_INTERVAL_MS, insideDue, insideTransferables, type TableSliceSpec } from '../core/inside';
import { computeInsideSnapshot, tryIt } from '../engine/inside';
import { RunLoop } from '../engine/run-loop';
import { Trainer } from '../engine/trainer';
import type { StopRule } from '../core/stop-rule';
import type { BackendInfo, BackendName, FromWorker, FromWorkerBody, ToWorker } from '../protocol';
import { timingKey } from '../core/backend-choice';
import { checkpointTransferables, copyCheckpoint, isFiniteCheckpoint, type Checkpoint } from '../core/checkpoint';

/** At most one checkpoint is sent to the page this often (weights and moments cross by transfer). */
const CHECKPOINT_POST_MS = 3000;

const CHUNK_BUDGET_MS = 100;
/** Table rows × width × layers up to which a step-0 snapshot is sent at reset (the classroom model: 30 k; the paper model: 2.4 M). */
const RESET_SNAPSHOT_WORK = 500_000;

export interface ControllerDeps {
  /** Sends a message; `transfer` lists buffers to move instead of copy. */
  post(message: FromWorker, transfer?: ArrayBuffer[]): void;
  /** With a config, auto mode times it on each verified backend and picks the fastest. */
  chooseBackend(preference: RunConfig['backend'], exclude: BackendName[], config?: ValidConfig): Promise<BackendInfo>;
}

export class RunController {
  private loop: RunLoop | null = null;
  /** The run loop of a trainer just disposed (a recovery continues it on a new one). */
  private stoppedLoop: RunLoop | null = null;
  /** The run's stop rule (set with the reset, changed by `stopWhen`). */
  private stopWhen: StopRule | null = null;
  private config: ValidConfig | null = null;
  private running = false;
  private stepsRequested = 0;
  private busy: Promise<void> = Promise.resolve();
  private msPerStep = 20;
  private backend: BackendInfo | null = null;
  /** timingKey of the config the backend choice was measured on. */
  private timedKey: string | null = null;
  private failedBackends: BackendName[] = [];
  /** The last good checkpoint: weights and Adam's moments at an evaluation with a finite loss. */
  private checkpoint: Checkpoint | null = null;
  /** When a checkpoint was last sent to the page (it keeps one to survive a worker's death or a reload). */
  private checkpointPostedAt = -Infinity;
  private checkpointPostedStep = -1;
  /** "Inside the model": the slice to draw, and the cost bookkeeping that holds it within its budget. */
  private insideSlice: TableSliceSpec | null = null;
  private insideLastMillis: number | null = null;
  private trainingMillisSinceInside = 0;
  private lastInsideAt = -Infinity;
  private lastInsideStep = -1;
  /** The run the page named at the last reset: every message carries it. */
  private runId = 0;
  /** The weights went NaN: nothing trains on them until a reset or a resume from the checkpoint. */
  private diverged = false;

  constructor(private readonly deps: ControllerDeps) {}

  private get trainer(): Trainer | null {
    return this.loop?.trainer ?? null;
  }

  /** Messages are handled one at a time, never in the middle of a chunk of steps. */
  handle(message: ToWorker): Promise<void> {
    this.busy = this.busy.then(() => this.apply(message)).catch((e) => this.report(e, true));
    return this.busy;
  }

  private async apply(m: ToWorker): Promise<void> {
    switch (m.type) {
      case 'reset':
        this.runId = m.runId;
        this.stopWhen = m.stopWhen ?? null;
        await this.reset(m.config, m.resume ?? null);
        return;
      case 'stopWhen':
        this.stopWhen = m.rule;
        if (this.loop) this.loop.stopWhen = m.rule;
        return;
      case 'resumeFromCheckpoint':
        await this.resumeFromCheckpoint(m.lrFactor);
        return;
      case 'play':
        if (!this.trainer || this.refuseDiverged()) return;
        this.running = true;
        this.postState();
        this.schedule();
        return;
      case 'pause':
        await this.halt();
        return;
      case 'step':
        if (!this.trainer || this.refuseDiverged()) return;
        this.stepsRequested += m.count;
        this.schedule();
        return;
      case 'exportAmplifier':
        void (this.trainer?.exportAmplifier() ?? Promise.resolve(null)).then((amplifier) =>
          this.send({ type: 'amplifier', id: m.id, amplifier }),
        );
        return;
      case 'importAmplifier': {
        try {
          if (!this.trainer) throw new Error('the run has not started');
          this.trainer.importAmplifier(m.amplifier);
        } catch (e) {
          this.report(new Error(`The amplifier was not loaded: ${(e as Error).message}`), false);
        }
        return;
      }
      case 'tryIt':
        try {
          if (!this.trainer) throw new Error('the run has not started');
          this.send({
            type: 'tryIt',
            id: m.id,
            result: await tryIt(this.trainer, m.query, outerSplitIsTraining(this.trainer.currentConfig)),
            error: null,
          });
        } catch (e) {
          this.send({ type: 'tryIt', id: m.id, result: null, error: (e as Error).message });
        }
        return;
      case 'insideSlice':
        this.insideSlice = m.slice;
        this.insideLastMillis = null; // the next evaluation draws the new slice
        if (this.trainer && !this.running) await this.postInside(this.trainer);
        return;
      case 'update':
        // never dropped in silence: applied (echoed with its id) or refused (an error with its id)
        if (!this.trainer) {
          this.send({ type: 'error', fatal: false, editId: m.editId, message: 'The change was not applied: the run has not started.' });
          return;
        }
        try {
          this.trainer.updateConfig(m.changes);
          this.config = this.trainer.currentConfig;
          this.send({ type: 'config', config: this.config, editId: m.editId });
        } catch (e) {
          this.send({ type: 'error', fatal: false, editId: m.editId, message: (e as Error)?.message ?? String(e) });
        }
        return;
    }
  }

  /** Pauses (asked by the page, or by the run's stop rule at `stoppedAt`). */
  private async halt(stoppedAt?: number): Promise<void> {
    this.running = false;
    this.stepsRequested = 0;
    this.postState(stoppedAt);
    this.postCheckpoint(); // a paused run's page holds its latest checkpoint (a reload resumes there)
    // the views show the weights the run stopped at
    if (this.trainer && this.trainer.stepCount > 0 && this.lastInsideStep !== this.trainer.stepCount) await this.postInside(this.trainer);
  }

  private async reset(config: ValidConfig, resume: Checkpoint | null): Promise<void> {
    this.running = false;
    this.stepsRequested = 0;
    this.disposeTrainer();
    this.stoppedLoop = null;
    this.diverged = false;
    this.checkpoint = null;
    this.checkpointPostedAt = -Infinity;
    this.checkpointPostedStep = -1;
    // Auto measures the actual config, so a change of the step's shape (timingKey) measures again.
    const key = timingKey(config);
    if (!this.backend || config.backend !== this.config?.backend || (config.backend === 'auto' && key !== this.timedKey)) {
      this.failedBackends = [];
      this.timedKey = key;
      this.backend = await this.deps.chooseBackend(config.backend, [], config);
      this.send({ type: 'backend', info: this.backend });
    }
    if (config.task !== this.config?.task || config.p !== this.config?.p) this.insideSlice = null;
    this.config = config;
    this.loop = new RunLoop(new Trainer(config), this.stopWhen);
    // a run continued from the page's checkpoint (a worker that died, a reload)
    if (resume) {
      this.restoreCheckpoint(this.loop.trainer, resume);
      this.checkpoint = resume;
    }
    this.insideLastMillis = null;
    this.trainingMillisSinceInside = 0;
    this.lastInsideAt = -Infinity;
    this.send({ type: 'config', config });
    this.postState();
    // The untrained model's views right away on small models (cheap there): the page builds them
    // before Play, so the first snapshot of a run only updates them.
    const t = this.loop.trainer;
    if (t.dataset.size * config.dModel * config.layers <= RESET_SNAPSHOT_WORK) await this.postInside(t);
  }

  private scheduled = false;
  /**
   * The next chunk runs as a message to itself: a macrotask, so incoming messages (pause, edits)
   * run between chunks, without setTimeout's 4 ms clamp on nested timers (one chunk schedules
   * the next: ~3 % of the classroom run's time to grok went to it).
   */
  private readonly nextChunk = (() => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      this.scheduled = false;
      this.busy = this.busy.then(() => this.runChunk()).catch((e) => this.report(e, true));
    };
    // Node (tests): an open port would keep the process alive; browsers have no unref
    (channel.port1 as { unref?: () => void }).unref?.();
    return channel;
  })();
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    this.nextChunk.port2.postMessage(null);
  }

  private async runChunk(): Promise<void> {
    const loop = this.loop;
    if (!loop || (!this.running && this.stepsRequested === 0)) return;
    const t = loop.trainer;
    const c = t.currentConfig;
    if (loop.finished) {
      this.running = false;
      this.postState();
      return;
    }
    const byTime = Math.max(1, Math.floor(CHUNK_BUDGET_MS / Math.max(this.msPerStep, 0.1)));
    const n = loop.nextChunk(this.running ? byTime : Math.min(byTime, this.stepsRequested));
    const start = performance.now();
    let result;
    try {
      result = await loop.advance(n);
    } catch (e) {
      await this.recoverFromBackendFailure(e);
      this.schedule();
      return;
    }
    const chunkMillis = performance.now() - start;
    this.msPerStep = 0.7 * this.msPerStep + 0.3 * (chunkMillis / n);
    this.trainingMillisSinceInside += chunkMillis;
    if (!this.running) this.stepsRequested -= n;
    this.send({ type: 'metrics', records: result.records, stepsPerSecond: result.stepsPerSecond, stepCount: t.stepCount });
    // Divergence first: a diverged chunk's weights are never checkpointed.
    if (result.divergedAt !== null) {
      this.running = false;
      this.stepsRequested = 0;
      this.diverged = true;
      const from = this.checkpoint?.step ?? 0;
      this.send({
        type: 'error',
        fatal: true,
        resumableFrom: from,
        message: `The run diverged at step ${result.divergedAt}: the loss became NaN or infinite. Play continues from the last good checkpoint (step ${from}) at half the learning rate; or lower it and press Reset.`,
      });
      this.postState();
      return;
    }
    // asynchronous reads: no synchronous GPU stall at every evaluation
    if (t.stepCount % c.evalEvery === 0) {
      await this.takeCheckpoint(t);
      const spaced = performance.now() - this.lastInsideAt >= INSIDE_MIN_INTERVAL_MS || t.stepCount >= c.steps;
      if (spaced && insideDue(this.insideLastMillis, this.trainingMillisSinceInside)) await this.postInside(t);
    }
    // the run's stop rule met at this evaluation: it pauses as if the page had asked
    if (result.stoppedAt !== null) await this.halt(result.stoppedAt);
    else if (this.running || this.stepsRequested > 0) this.schedule();
    else this.postState();
  }

  /** Computes and sends one "inside the model" snapshot (its buffers transferred). */
  private async postInside(t: Trainer): Promise<void> {
    const snapshot = await computeInsideSnapshot(t, {
      step: t.stepCount,
      slice: this.insideSlice ?? undefined,
      outerIsTraining: outerSplitIsTraining(t.currentConfig),
    });
    this.insideLastMillis = snapshot.millis;
    this.trainingMillisSinceInside = 0;
    this.lastInsideAt = performance.now();
    this.lastInsideStep = t.stepCount;
    this.send({ type: 'inside', snapshot }, insideTransferables(snapshot));
  }

  /** Weights and Adam's moments at an evaluation; kept only when every value is finite. */
  private async takeCheckpoint(t: Trainer): Promise<void> {
    const checkpoint = await t.exportCheckpoint({ skipWindow: true });
    if (!isFiniteCheckpoint(checkpoint)) return; // the previous good one stays
    this.checkpoint = checkpoint;
    if (performance.now() - this.checkpointPostedAt >= CHECKPOINT_POST_MS || t.stepCount >= t.currentConfig.steps) this.postCheckpoint();
  }

  /** Sends a copy of the last good checkpoint to the page (transferred: the worker's own stays usable). */
  private postCheckpoint(): void {
    const c = this.checkpoint;
    if (!c || c.step === this.checkpointPostedStep) return;
    this.checkpointPostedAt = performance.now();
    this.checkpointPostedStep = c.step;
    const copy = copyCheckpoint(c);
    this.send({ type: 'checkpoint', checkpoint: copy }, checkpointTransferables(copy));
  }

  private restoreCheckpoint(t: Trainer, c: Checkpoint): void {
    t.restoreCheckpoint(c);
  }

  /** Disposes the trainer; a lost device may throw here, which must not stop the recovery. */
  private disposeTrainer(): void {
    try {
      this.trainer?.dispose();
    } catch {
      /* its memory went with the device */
    }
    // the run loop keeps the run's evaluations for a continuation on a new trainer
    if (this.loop) this.stoppedLoop = this.loop;
    this.loop = null;
  }

  /** The run loop on a new trainer restored to `step` (its evaluations after it will come again). */
  private continueOn(trainer: Trainer, step: number): RunLoop {
    const loop = this.stoppedLoop ?? new RunLoop(trainer, this.stopWhen);
    loop.rewind(trainer, step);
    loop.stopWhen = this.stopWhen;
    this.stoppedLoop = null;
    return loop;
  }

  /** After a divergence: back to the last good checkpoint (or the start) with the learning rate scaled. */
  private async resumeFromCheckpoint(lrFactor: number): Promise<void> {
    const config = this.config;
    if (!config) return;
    const lr = config.lr * lrFactor;
    // a new config, made here: validated once, here
    const next = validateConfig({ ...config, lr });
    this.running = false;
    this.stepsRequested = 0;
    this.diverged = false;
    this.disposeTrainer();
    const trainer = new Trainer(next);
    const from = this.checkpoint?.step ?? 0;
    if (this.checkpoint) this.restoreCheckpoint(trainer, this.checkpoint);
    this.loop = this.continueOn(trainer, from);
    this.config = trainer.currentConfig;
    this.send({ type: 'rewind', step: from });
    this.send({ type: 'config', config: this.config });
    this.postState();
  }

  /** Moves to the next backend, continuing from the last checkpoint; the page cuts its series back to it. */
  private async recoverFromBackendFailure(error: unknown): Promise<void> {
    const failed = this.backend!.backend;
    this.failedBackends.push(failed);
    const config = this.config!;
    this.disposeTrainer();
    this.backend = await this.deps.chooseBackend(config.backend === failed ? 'auto' : config.backend, this.failedBackends, config);
    this.send({ type: 'backend', info: this.backend });
    const trainer = new Trainer(config);
    const from = this.checkpoint?.step ?? 0;
    if (this.checkpoint) this.restoreCheckpoint(trainer, this.checkpoint);
    this.loop = this.continueOn(trainer, from);
    // the steps after the checkpoint will be computed again: the page drops its copies of them
    this.send({ type: 'rewind', step: from });
    this.send({
      type: 'error',
      fatal: false,
      message: `The ${failed} backend failed (${(error as Error).message}); switched to ${this.backend.backend} and continued from the checkpoint at step ${from} (weights and Adam's moments). The metrics up to it are kept.`,
    });
  }

  private refuseDiverged(): boolean {
    if (!this.diverged) return false;
    this.send({
      type: 'error',
      fatal: true,
      resumableFrom: this.checkpoint?.step ?? 0,
      message: 'The run diverged: its weights are not finite. Continue from the last good checkpoint, or press Reset.',
    });
    this.postState();
    return true;
  }

  /** Posts a message stamped with the current run's id. */
  private send(body: FromWorkerBody, transfer?: ArrayBuffer[]): void {
    this.deps.post({ ...body, runId: this.runId } as FromWorker, transfer);
  }

  private postState(stoppedAt?: number): void {
    this.send({
      type: 'state',
      running: this.running,
      stepCount: this.trainer?.stepCount ?? 0,
      ...(stoppedAt !== undefined ? { stoppedAt } : {}),
    });
  }

  private report(e: unknown, fatal: boolean): void {
    this.running = fatal ? false : this.running;
    this.send({ type: 'error', message: (e as Error)?.message ?? String(e), fatal });
    if (fatal) this.postState();
  }
}
