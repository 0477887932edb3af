/**
 * Every run of the page lives in one pool, framework-free (xyflow's shape: the logic lives
 * outside React and the store, which only mirrors the pool's data): the main run, a
 * comparison's runs and a paper cell's seeds, each a TrainingSession in its own worker. One
 * lifecycle for all of them: a run is started (at once, or waiting for a free worker), reset,
 * restored from a checkpoint, played, paused, stepped, edited, given another stop rule, moved to
 * a new worker (another WASM thread count, or after its worker crashed) and removed; its
 * progress and errors come back as plain data (PoolRun) and callbacks. A group of runs starts
 * together, at most `parallel` of them training at once and the rest waiting; a run that ends
 * at its budget or at its stop rule (checked by its worker) is done, and with `release` its
 * worker is let go and the next waiting run starts. The sessions stay here: only questions to
 * a worker (Try it, the amplifier) reach one, through `sessionOf`.
 *
 * Configs are validated values (ValidConfig, config/schema.ts): made once where a config is made
 * (an edit, a reset, a link, a file) and sent as they are. The pool refuses any other object
 * (`assertValidConfig`), so an unvalidated config cannot reach a worker.
 */
import { assertValidConfig, type RunConfig, type ValidConfig } from '../../config/schema';
import type { Checkpoint } from '../../core/checkpoint';
import type { InsideHistory } from '../../core/inside';
import type { RunSeries } from '../../core/metrics';
import type { StopRule } from '../../core/stop-rule';
import { initialSessionState, TrainingSession, type SessionState, type WorkerPort } from '../session/training-session';

/** What a run of the pool is for: the page's own run, a comparison's run, a paper cell's seed. */
export type RunKind = 'main' | 'compare' | 'cell';

/** waiting: queued for a free worker; live: its worker holds it; done: at its budget or stop rule; failed: a fatal error; saved: read from a file. */
export type RunStatus = 'waiting' | 'live' | 'done' | 'failed' | 'saved';

/** A run as the store mirrors it: data only. */
export interface PoolRun {
  id: number;
  kind: RunKind;
  label: string;
  /** The validated config of its latest start, reset or restore (what the worker echoes is `state.workerConfig`). */
  config: ValidConfig;
  stopWhen: StopRule | null;
  status: RunStatus;
  /** WASM threads of its worker (undefined: the worker's own choice). */
  wasmThreads: number | undefined;
  /** As its session last reported it (a waiting run: the initial state). */
  state: SessionState;
}

/** Where a run continues from: after a reload, or in a new worker after its worker died. */
export interface RestorePoint {
  series: RunSeries;
  insideHistory: InsideHistory;
  checkpoint: Checkpoint | null;
  elapsedSeconds?: number;
}

/** A run to start: its config, and where it continues from after a reload. */
export interface RunSpec {
  label: string;
  config: ValidConfig;
  stopWhen?: StopRule | null;
  restore?: RestorePoint;
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
  /** Every error its worker reported (the run's state says it too). */
  onError?(run: PoolRun, message: string, fatal: boolean): void;
  /** The worker refused a live edit: `changes` were not applied, `message` says why. */
  onEditRefused?(run: PoolRun, changes: Partial<RunConfig>, message: string): void;
  /**
   * With it, a run whose worker died goes on in a new worker from its last checkpoint (the
   * steps after it dropped), paused, and this says so; without it the run stops with the error.
   */
  onCrash?(run: PoolRun, message: string, fromStep: number): void;
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

  /** The id of the first run of a kind (the main run is the only one of its kind), or undefined. */
  idOf(kind: RunKind): number | undefined {
    return this.entries.find((e) => e.run.kind === kind)?.run.id;
  }

  /** Starts a group of runs of one kind; returns their ids. */
  start(kind: RunKind, specs: RunSpec[], options: GroupOptions = {}): number[] {
    specs.forEach((s) => assertValidConfig(s.config));
    const group = { ...options, parallel: options.parallel ?? Infinity };
    const ids = specs.map((spec) => {
      const run = this.newRun(kind, spec, options.wasmThreads);
      this.entries.push({ run, spec, session: null, group, checkpointStep: -1 });
      return run.id;
    });
    this.emit();
    this.fill(kind);
    return ids;
  }

  /** A new run of `kind`, waiting, with no state yet: what `start` and `open` both create. */
  private newRun(kind: RunKind, spec: RunSpec, wasmThreads: GroupOptions['wasmThreads']): PoolRun {
    return {
      id: this.nextId++,
      kind,
      label: spec.label,
      config: spec.config,
      stopWhen: spec.stopWhen ?? null,
      status: 'waiting',
      wasmThreads,
      state: initialSessionState(),
    };
  }

  /**
   * Opens a run whose worker starts now (backend start-up takes a while) and which trains
   * nothing until its first `reset` or `restore`: the page's main run.
   */
  open(kind: RunKind, spec: RunSpec, options: GroupOptions = {}): number {
    assertValidConfig(spec.config);
    const run = this.newRun(kind, spec, options.wasmThreads);
    const e: Entry = { run, spec, session: null, group: { ...options, parallel: 1 }, checkpointStep: -1 };
    this.entries.push(e);
    this.attach(e);
    if (!e.session) this.emit();
    return run.id;
  }

  /** Runs read from a file: data only, no worker behind them. */
  show(kind: RunKind, saved: { label: string; config: ValidConfig; state: SessionState }[]): number[] {
    const ids = saved.map((s) => {
      const run: PoolRun = {
        id: this.nextId++,
        kind,
        label: s.label,
        config: s.config,
        stopWhen: null,
        status: 'saved',
        wasmThreads: undefined,
        state: s.state,
      };
      this.entries.push({ run, spec: { label: s.label, config: s.config }, session: null, group: { parallel: 0 }, checkpointStep: -1 });
      return run.id;
    });
    this.emit();
    return ids;
  }

  /** Plays every run of a kind. */
  play(kind: RunKind): void {
    this.ofKind(kind).forEach((e) => e.session?.play());
  }

  /** Pauses every run of a kind. */
  pause(kind: RunKind): void {
    this.ofKind(kind).forEach((e) => e.session?.pause());
  }

  playRun(id: number): void {
    this.entry(id)?.session?.play();
  }

  pauseRun(id: number): void {
    this.entry(id)?.session?.pause();
  }

  stepRun(id: number, count = 1): void {
    this.entry(id)?.session?.step(count);
  }

  /**
   * A new run in run `id`'s place, from step 0 under a new run id (whatever its worker still
   * sends for the run before is dropped). With `wasmThreads` other than its worker's, a new
   * worker takes over (the thread count is fixed when a worker starts).
   */
  reset(id: number, config: ValidConfig, stopWhen: StopRule | null, wasmThreads?: number): void {
    assertValidConfig(config);
    const e = this.entry(id);
    if (!e) return;
    this.moveIfThreads(e, wasmThreads);
    e.run = { ...e.run, config, stopWhen }; // reported with the new run's first state (one change, not two)
    if (e.session) e.session.reset(config, stopWhen);
    else this.emit();
  }

  /** Run `id` continues from a checkpoint (a run saved in this browser), in a new worker if `wasmThreads` differ. */
  restore(id: number, config: ValidConfig, from: RestorePoint, stopWhen: StopRule | null, wasmThreads?: number): void {
    assertValidConfig(config);
    const e = this.entry(id);
    if (!e) return;
    this.moveIfThreads(e, wasmThreads);
    e.run = { ...e.run, config, stopWhen };
    if (e.session) e.session.restore(config, from, stopWhen);
    else this.emit();
  }

  /** Live edits of run `id` (applied at its next step; the worker echoes or refuses them). */
  edit(id: number, changes: Partial<RunConfig>): void {
    this.entry(id)?.session?.edit(changes);
  }

  /** Run `id`'s stop rule from now on (a threshold it has already met does not fire again). */
  setStopRule(id: number, rule: StopRule | null): void {
    const e = this.entry(id);
    if (!e) return;
    this.patch(e, { stopWhen: rule });
    e.session?.setStopRule(rule);
  }

  /** After a divergence: run `id` goes back to its last good checkpoint with the learning rate scaled. */
  resumeFromCheckpoint(id: number, lrFactor: number): void {
    this.entry(id)?.session?.resumeFromCheckpoint(lrFactor);
  }

  /** The latest checkpoint run `id`'s worker sent (weights and Adam's moments). */
  checkpointOf(id: number): Checkpoint | null {
    return this.entry(id)?.session?.lastCheckpoint ?? null;
  }

  /**
   * Run `id` in a new worker (the old one is terminated): a fresh start-up that waits for the
   * next reset. With `wasmThreads`, the new worker's thread count.
   */
  replaceWorker(id: number, wasmThreads?: number): void {
    const e = this.entry(id);
    if (!e) return;
    e.run = { ...e.run, wasmThreads: wasmThreads ?? e.run.wasmThreads };
    this.attach(e);
  }

  /** Terminates and forgets every run of a kind. */
  remove(kind: RunKind): void {
    const gone = this.ofKind(kind);
    if (gone.length === 0) return;
    gone.forEach((e) => e.session?.terminate());
    gone.forEach((e) => (e.session = null));
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

  private ofKind(kind: RunKind): Entry[] {
    return this.entries.filter((e) => e.run.kind === kind);
  }

  private moveIfThreads(e: Entry, wasmThreads: number | undefined): void {
    if (wasmThreads !== undefined && wasmThreads !== e.run.wasmThreads) this.replaceWorker(e.run.id, wasmThreads);
  }

  /** Starts waiting runs of a kind while fewer than `parallel` train. */
  private fill(kind: RunKind): void {
    const ofKind = this.ofKind(kind);
    for (const e of ofKind) {
      const training = ofKind.filter((x) => x.run.status === 'live').length;
      if (e.run.status === 'waiting' && training < e.group.parallel) this.launch(e);
    }
  }

  /** A waiting run gets its worker and starts (from its restore point, if it has one). */
  private launch(e: Entry): void {
    const session = this.attach(e);
    if (!session) return;
    const { config, stopWhen } = e.run;
    const saved = e.spec.restore;
    if (saved) session.restore(config, saved, stopWhen);
    else session.reset(config, stopWhen);
    if (e.group.autoPlay) session.play();
  }

  /**
   * A new session (and worker) for a run, replacing any it had: every callback checks that it
   * still belongs to the run, so a replaced or removed worker can no longer change anything.
   */
  private attach(e: Entry): TrainingSession | null {
    const port = this.createWorker(e.run.wasmThreads);
    if (!port) return null;
    e.session?.terminate();
    const mine = () => e.session === session && this.entries.includes(e);
    const session: TrainingSession = new TrainingSession(port, {
      onChange: (state) => mine() && this.report(e, state),
      onError: (message, fatal) => {
        if (!mine()) return;
        e.group.onError?.(e.run, message, fatal);
        // a released run that failed gives its worker up; a comparison's row shows the error
        if (fatal && e.group.release) this.end(e, 'failed', message);
      },
      onEditRefused: (changes, message) => mine() && e.group.onEditRefused?.(e.run, changes, message),
      ...(e.group.onCrash ? { onCrash: (message: string) => mine() && this.recover(e, message) } : {}),
    });
    e.session = session;
    this.patch(e, { status: 'live', state: session.current });
    return session;
  }

  /** The run's worker died: a new one continues from the last checkpoint, paused. */
  private recover(e: Entry, message: string): void {
    const dead = e.session!;
    const checkpoint = dead.lastCheckpoint;
    const { state } = e.run;
    const config = state.workerConfig ?? e.run.config;
    const session = this.attach(e); // terminates the dead one
    if (!session) return;
    session.restore(
      config,
      { series: state.series, insideHistory: state.insideHistory, checkpoint, elapsedSeconds: state.elapsedSeconds },
      e.run.stopWhen,
    );
    e.group.onCrash?.(e.run, message, checkpoint?.step ?? 0);
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
