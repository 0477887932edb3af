/**
 * The page's side runs in one pool, framework-free (xyflow's shape: the logic lives outside
 * React and the store, which only mirrors the pool's data): a comparison's runs and a paper
 * cell's seeds are runs of one pool, each a TrainingSession in its own worker. A group of runs
 * starts together, at most `parallel` of them training at once and the rest waiting; a run
 * that ends at its budget or at its stop rule (checked by its worker) is done, and with
 * `release` its worker is let go and the next waiting run starts. Every change is reported as
 * plain data (PoolRun), the sessions stay here.
 */
import type { RunConfig } from '../../config/schema';
import type { Checkpoint } from '../../core/checkpoint';
import type { InsideHistory } from '../../core/inside';
import type { RunSeries } from '../../core/metrics';
import type { StopRule } from '../../core/stop-rule';
import { initialSessionState, TrainingSession, type SessionState, type WorkerPort } from '../session/training-session';

/** What a run of the pool is for. */
export type RunKind = 'compare' | 'cell';

/** waiting: queued for a free worker; live: its worker holds it; done: at its budget or stop rule; failed: a fatal error; saved: read from a file. */
export type RunStatus = 'waiting' | 'live' | 'done' | 'failed' | 'saved';

/** A run as the store mirrors it: data only. */
export interface PoolRun {
  id: number;
  kind: RunKind;
  label: string;
  /** The validated config the run was started with (what the worker echoes is `state.workerConfig`). */
  config: RunConfig;
  stopWhen: StopRule | null;
  status: RunStatus;
  /** As its session last reported it (a waiting run: the initial state). */
  state: SessionState;
}

/** A run to start: its config, and where it continues from after a reload. */
export interface RunSpec {
  label: string;
  config: RunConfig;
  stopWhen?: StopRule | null;
  restore?: { series: RunSeries; insideHistory: InsideHistory; checkpoint: Checkpoint; elapsedSeconds: number };
}

export interface GroupOptions {
  /** Runs training at once; the others wait (default: all). */
  parallel?: number;
  /** Play as soon as started (a cell's seeds) rather than on `play` (a comparison). */
  autoPlay?: boolean;
  /** A done or failed run's worker is terminated and the next waiting run starts. */
  release?: boolean;
  /** WASM threads of each run's worker (default: the worker's own choice). */
  wasmThreads?: number;
  /** A released run reached its budget or its stop rule (its worker is gone). */
  onDone?(run: PoolRun): void;
  /** A run's worker sent a newer checkpoint (at most one every few seconds). */
  onCheckpoint?(run: PoolRun, checkpoint: Checkpoint): void;
}

interface Entry {
  run: PoolRun;
  spec: RunSpec;
  session: TrainingSession | null;
  group: GroupOptions & { parallel: number };
  /** Step of the last checkpoint reported to `onCheckpoint`. */
  checkpointStep: number;
}

export class RunPool {
  private readonly entries: Entry[] = [];
  private nextId = 1;

  constructor(
    /** A worker for a run; null: none can be made (no start-up yet), and the run waits. */
    private readonly createWorker: (wasmThreads?: number) => WorkerPort | null,
    /** The pool's runs after every change (a new array; a changed run is a new object). */
    private readonly onChange: (runs: PoolRun[]) => void,
  ) {}

  /** The runs, in the order they were started. */
  get runs(): PoolRun[] {
    return this.entries.map((e) => e.run);
  }

  /** Whether run `id` has a worker behind it. */
  isLive(id: number): boolean {
    return this.entry(id)?.session != null;
  }

  /** Starts a group of runs of one kind; returns their ids. */
  start(kind: RunKind, specs: RunSpec[], options: GroupOptions = {}): number[] {
    const group = { ...options, parallel: options.parallel ?? Infinity };
    const ids = specs.map((spec) => {
      const run: PoolRun = {
        id: this.nextId++,
        kind,
        label: spec.label,
        config: spec.config,
        stopWhen: spec.stopWhen ?? null,
        status: 'waiting',
        state: initialSessionState(),
      };
      this.entries.push({ run, spec, session: null, group, checkpointStep: -1 });
      return run.id;
    });
    this.emit();
    this.fill(kind);
    return ids;
  }

  /** Runs read from a file: data only, no worker behind them. */
  show(kind: RunKind, saved: { label: string; config: RunConfig; state: SessionState }[]): number[] {
    const ids = saved.map((s) => {
      const run: PoolRun = { id: this.nextId++, kind, label: s.label, config: s.config, stopWhen: null, status: 'saved', state: s.state };
      this.entries.push({ run, spec: { label: s.label, config: s.config }, session: null, group: { parallel: 0 }, checkpointStep: -1 });
      return run.id;
    });
    this.emit();
    return ids;
  }

  play(kind: RunKind): void {
    this.entries.filter((e) => e.run.kind === kind).forEach((e) => e.session?.play());
  }

  pause(kind: RunKind): void {
    this.entries.filter((e) => e.run.kind === kind).forEach((e) => e.session?.pause());
  }

  /** Terminates and forgets every run of a kind. */
  remove(kind: RunKind): void {
    const gone = this.entries.filter((e) => e.run.kind === kind);
    if (gone.length === 0) return;
    gone.forEach((e) => e.session?.terminate());
    this.entries.splice(0, this.entries.length, ...this.entries.filter((e) => e.run.kind !== kind));
    this.emit();
  }

  /** The session of a live run: for questions to its worker (Try it, the amplifier), never for its data. */
  sessionOf(id: number): TrainingSession | null {
    return this.entry(id)?.session ?? null;
  }

  private entry(id: number): Entry | undefined {
    return this.entries.find((e) => e.run.id === id);
  }

  /** Starts waiting runs of a kind while fewer than `parallel` train. */
  private fill(kind: RunKind): void {
    const ofKind = this.entries.filter((e) => e.run.kind === kind);
    for (const e of ofKind) {
      const training = ofKind.filter((x) => x.run.status === 'live').length;
      if (e.run.status === 'waiting' && training < e.group.parallel) this.launch(e);
    }
  }

  private launch(e: Entry): void {
    const { config, stopWhen } = e.run;
    const port = this.createWorker(e.group.wasmThreads);
    if (!port) return;
    const session: TrainingSession = new TrainingSession(port, {
      onChange: (state) => e.session === session && this.report(e, state),
      // a released run that failed gives its worker up; a comparison's row shows the error
      onError: (message, fatal) => e.session === session && fatal && e.group.release && this.end(e, 'failed', message),
    });
    e.session = session;
    this.patch(e, { status: 'live' });
    const saved = e.spec.restore;
    if (saved) session.restore(config, saved, stopWhen);
    else session.reset(config, stopWhen);
    if (e.group.autoPlay) session.play();
  }

  private report(e: Entry, state: SessionState): void {
    const atEnd = state.stoppedAt !== null || state.stepCount >= (state.workerConfig ?? e.run.config).steps;
    if (e.group.release && atEnd) {
      this.patch(e, { state });
      return this.end(e, 'done');
    }
    this.patch(e, { state });
    const c = e.session?.lastCheckpoint;
    if (c && e.group.onCheckpoint && c.step > e.checkpointStep) {
      e.checkpointStep = c.step;
      e.group.onCheckpoint(e.run, c);
    }
  }

  /** A released run ends: its worker goes, the next waiting run of its kind starts. */
  private end(e: Entry, status: 'done' | 'failed', error?: string): void {
    e.session?.terminate();
    e.session = null;
    this.patch(e, { status, ...(error !== undefined ? { state: { ...e.run.state, error } } : {}) });
    if (status === 'done') e.group.onDone?.(e.run);
    this.fill(e.run.kind);
  }

  private patch(e: Entry, patch: Partial<PoolRun>): void {
    e.run = { ...e.run, ...patch };
    this.emit();
  }

  private emit(): void {
    this.onChange(this.runs);
  }
}
