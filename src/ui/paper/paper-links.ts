/**
 * Each cell of "The paper, checked" as a share link: the playground on exactly the config and
 * seed the race ran (the row's own config; rows from before configs were recorded get the
 * paper preset with the cell's task and method), and a task's row as a multi-seed comparison.
 */
import { PAPER_CONFIG } from '../../config/presets';
import { buildConfig, parseStoredConfig, type RunConfig } from '../../config/schema';
import { encodeConfigQuery } from '../../config/url';
import { paperRoles, type MethodId } from '../../config/fields';
import type { PaperCell } from '../../paper/table';
import { PAPER_METHODS, paperSetup, type PaperMethod, type PaperTask } from '../../paper/table1';
import { DEFAULT_UI_CONFIG } from '../state/config-slice';
import { METHOD_COLORS } from '../method-colors';

/** The playground's method of a paper column, from the catalog's paper roles (matched normalization is gradnorm, matched). */
export const PAPER_METHOD_IDS = Object.fromEntries(paperRoles().map((r) => [r.column, r.method])) as Record<PaperMethod, MethodId>;
/** The settings that make a method its paper column (matched: normMatched). */
const PAPER_OVERRIDES = Object.fromEntries(paperRoles().map((r) => [r.column, r.overrides])) as Record<PaperMethod, Partial<RunConfig>>;

/** A paper column's colour: its playground method's. */
export const paperColor = (m: PaperMethod): string => METHOD_COLORS[PAPER_METHOD_IDS[m]];

/** The race's settings of a cell: the paper preset with its task's setup (src/paper/table1.ts) and its column's method settings. */
function presetFor(task: PaperTask, method: PaperMethod): Partial<RunConfig> {
  return { ...PAPER_CONFIG, task, evalEvery: 10, ...paperSetup(task, method), ...PAPER_OVERRIDES[method] };
}

/** The config a cell ran with, at `seed` (the first seed run, else 0). */
export function cellConfig(cell: PaperCell, seed = cell.seeds[0]?.seed ?? 0): RunConfig {
  if (cell.config) {
    try {
      return parseStoredConfig({ ...cell.config, seed, backend: 'auto' });
    } catch {
      /* a field's range changed since the row ran: fall back to the preset */
    }
  }
  const steps = Math.max(...cell.seeds.map((s) => s.steps), 3 * (cell.paper && 'steps' in cell.paper ? cell.paper.steps : 2000));
  return buildConfig(presetFor(cell.task, cell.method), { method: PAPER_METHOD_IDS[cell.method], seed, steps });
}

const base = () => import.meta.env.BASE_URL;

/** The playground on this cell's config and seed. */
export function cellLink(cell: PaperCell, seed?: number): string {
  return `${base()}?${encodeConfigQuery(cellConfig(cell, seed), DEFAULT_UI_CONFIG)}`;
}

/**
 * Compare mode on a task's four Table 1 methods (compare runs the playground's methods on one
 * base config: matched normalization is its own cell), over the seeds the race ran (0 if none).
 */
export function rowCompareLink(task: PaperTask, cells: PaperCell[]): string {
  const row = cells.filter((c) => c.task === task);
  const ng = row.find((c) => c.method === 'neuralgrok')!;
  const seeds = [...new Set(row.flatMap((c) => c.seeds.map((s) => s.seed)))].sort((a, b) => a - b).slice(0, 3);
  const config = cellConfig(ng, 0); // NeuralGrok's own settings ride along; the other methods ignore them
  const methods = PAPER_METHODS.filter((m) => m !== 'matched').map((m) => PAPER_METHOD_IDS[m]);
  return `${base()}?${encodeConfigQuery(config, DEFAULT_UI_CONFIG, [], methods.join(','), (seeds.length ? seeds : [0]).join(','))}`;
}
