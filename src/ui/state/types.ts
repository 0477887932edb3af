/** The playground store's shape: one zustand store composed of slices (zustand's slices pattern). */
import type { StateCreator } from 'zustand';
import type { FieldKey, MethodId } from '../../config/fields';
import type { RunConfig, ValidConfig } from '../../config/schema';
import type { Checkpoint } from '../../core/checkpoint';
import type { PageKeys } from '../../config/url';
import type { AmplifierJson } from '../../core/amplifier';
import type { RunSeries } from '../../core/metrics';
import type { SessionState, WorkerPort } from '../session/training-session';
import type { GroupOptions, PoolRun, RunKind, RunSpec, RunStatus } from '../pool/run-pool';
import type { RecentRun } from '../files/recent-runs';
import type { SavedRun } from '../files/saved-run';
import type { EditMark } from '../run-story';
import type { TableSliceSpec, TryItQuery, TryItResult } from '../../core/inside';
import type { LessonSlice } from './lesson-slice';
import type { CellRunSlice } from './cell-run-slice';
import type { Notice, NoticeTopic } from './notices';

export interface ConfigSlice {
  /** What the user edits (the URL follows it): validated at every edit, sent as it is at Reset. */
  config: ValidConfig;
  fieldErrors: Partial<Record<FieldKey, string>>;
  /** Structural fields edited since the last reset: they apply on Reset. */
  pendingReset: FieldKey[];
  setField(key: FieldKey, value: unknown): void;
  /** A field's text from a control, parsed by the shared field parser. */
  setFieldText(key: FieldKey, text: string): void;
  switchMethod(method: MethodId): void;
  applyPreset(id: string): void;
  /** The worker refused a live edit: its fields go back to what the worker runs, with the reason at each. */
  refuseEdit(changes: Partial<RunConfig>, message: string): void;
  /** Reads a share link's query; bad fields fall back with a message each. Returns its compare list, seeds and page keys. */
  loadFromQuery(query: string): { compare: string | null; seeds: string | null; page: PageKeys };
}

/** A run read from a file or from Recent runs, shown instead of the live one until the user leaves it. */
export interface ViewedRun {
  source: 'file' | 'recent';
  /** The file's own config: export writes it back, the toolbar shows its steps. */
  config: ValidConfig;
  amplifier: AmplifierJson | null;
}

/**
 * The main run: a run of the run pool (kind 'main', ui/pool/run-pool.ts), which holds its worker
 * and session; the store keeps its state as data (`run`, mirrored from the pool) and the page's
 * own facts about it (a viewed file, edit markers, what is saved).
 */
export interface RunSlice {
  /** Creates the workers of every pool run (set once at start-up; tests pass a fake). */
  createWorker: ((wasmThreads?: number) => WorkerPort) | null;
  /** The main run as its worker last reported it (a view of the pool's main run; a viewed file's own numbers while `imported`). */
  run: SessionState;
  /** The run read from a file or Recent runs that is on screen; null while the live run is (Play leaves it explicitly). */
  imported: ViewedRun | null;
  importedAmplifier: AmplifierJson | null;
  /** Live edits of this run, drawn as chart markers. */
  edits: EditMark[];
  /** The model's answer for one row (Try it). */
  tryIt(query: TryItQuery): Promise<TryItResult>;
  /** The answer table's slice for the next snapshots (poly5, mix). */
  setInsideSlice(slice: TableSliceSpec): void;
  /** Sets the worker factory and gives the main run a new worker (opening the main run the first time). */
  connect(createWorker: (wasmThreads?: number) => WorkerPort, wasmThreads?: number): void;
  play(): void;
  pause(): void;
  step(count?: number): void;
  reset(overrides?: Partial<RunConfig>): void;
  /** The whole run as a JSON file: config, every metric series, the amplifier. */
  exportRunFile(): Promise<string>;
  /** Shows a run file; a bad file leaves everything as it was and says why. */
  importRunFile(text: string, source?: ViewedRun['source']): boolean;
  /** Leaves the viewed run for a new live run with its settings, and says so. */
  leaveImported(): void;
  /** The latest checkpoint the main run's worker sent (what a reload or a crashed worker continues from). */
  mainCheckpoint(): Checkpoint | null;
  /** The checkpoint of the current run last written to this browser's storage (a reload resumes from it). */
  savedRun: { step: number; savedAt: string } | null;
  /** Continues a run saved in this browser (on load), with a notice. */
  restoreSavedRun(saved: SavedRun): void;
  /** Reuses the imported amplifier, frozen, in the current run (switching to NeuralGrok). */
  applyImportedAmplifier(): void;
}

export type { Notice, NoticeTopic } from './notices';

export interface ViewSlice {
  /** Control groups or fields hidden by a classroom link (`hide=model,method`). */
  hidden: string[];
  presentation: boolean;
  /** The introduction was dismissed (remembered in this browser). */
  introDismissed: boolean;
  showShortcuts: boolean;
  presetId: string | null;
  notices: Notice[];
  lastNoticeId: number;
  /** The page on screen: the playground, or "The paper, checked" (`?view=paper`). */
  page: 'playground' | 'paper';
  setView(v: Partial<Pick<ViewSlice, 'presentation' | 'showShortcuts' | 'page'>>): void;
  dismissIntro(): void;
  /** An error banner; the same message again counts up, one notice per topic (notices.ts). */
  pushError(message: string, topic?: NoticeTopic): void;
  /** The one information banner, replacing the one on screen; its topic's state ends it (notices.ts). */
  pushInfo(message: string, topic?: NoticeTopic): void;
  dismissNotice(id: number): void;
  dismissTopic(topic: NoticeTopic): void;
}

export interface CompareEntry {
  method: MethodId;
  seed?: number;
  /** This run's weight decay instead of the method's reference one (`cmp=adamw.wd0`). */
  weightDecay?: number;
}

/** A comparison's run: a view of its pool run (data only). */
export interface CompareRun {
  /** The pool run's id. */
  id: number;
  label: string;
  color: string;
  config: ValidConfig;
  status: RunStatus;
  /** A worker trains it (false: read from a file, or not started). */
  live: boolean;
  state: SessionState;
}

export interface CompareSlice {
  /** `seeds`: the seed list of a multi-seed comparison (`cmp=…&seeds=0,1,2`), kept for its link. */
  compare: { entries: CompareEntry[] | null; seeds?: number[] | null; runs: CompareRun[]; running: boolean; version: number };
  startCompare(base: ValidConfig, entries: CompareEntry[], seeds?: number[] | null): void;
  /** Starts the live comparison over from step 0 (a saved comparison has nothing to restart). */
  restartCompare(): void;
  playCompare(): void;
  pauseCompare(): void;
  stopCompare(): void;
  viewCompare(saved: { label: string; config: ValidConfig; series: RunSeries }[]): void;
}

export interface HistorySlice {
  recent: RecentRun[];
  /** Keeps a finished or exported run among the recent runs in this browser, labelled from its own config. */
  rememberRun(run: { file: string; config: RunConfig; series: RunSeries; stepsTo95: number | null }): void;
}

/** The run pool (ui/pool/run-pool.ts), mirrored: its runs as data (the main run among them), its group actions by kind. */
export interface PoolSlice {
  runs: PoolRun[];
  startRuns(kind: RunKind, specs: RunSpec[], options?: GroupOptions): number[];
  showRuns(kind: RunKind, saved: { label: string; config: ValidConfig; state: SessionState }[]): number[];
  playRuns(kind: RunKind): void;
  pauseRuns(kind: RunKind): void;
  removeRuns(kind: RunKind): void;
}

export type GrokStore = ConfigSlice & RunSlice & ViewSlice & CompareSlice & HistorySlice & LessonSlice & CellRunSlice & PoolSlice;
export type Slice<T> = StateCreator<GrokStore, [], [], T>;
