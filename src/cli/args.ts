/**
 * Command-line flags, derived from the config field table: `--kebab-case` of every field,
 * plus the runner's own options, read by Node's `util.parseArgs` (its tokens, in order: the
 * first bad flag is the one named). Errors name the flag and its allowed range.
 */
import { parseArgs as parseNodeArgs } from 'node:util';
import {
  FIELDS,
  FIELD_KEYS,
  METHODS,
  fieldTable,
  parseFieldText,
  rangeText,
  type FieldKey,
  type FieldSpec,
  type MethodCatalog,
} from '../config/fields';
import { ConfigError, buildConfig, type RunConfig, type ValidConfig } from '../config/schema';
import { PRESET_IDS, presetById } from '../config/presets';

export interface CliOptions {
  config: ValidConfig;
  preset: string;
  out: string | null;
  /** A NeuralGrok amplifier to start from (an amplifier file or a run file with one). */
  amplifier: string | null;
  stopWhenGrokked: boolean;
  /** The window (steps) whose median val accuracy must be ≥ 0.99 before --stop-when-grokked stops. */
  stopPatience: number;
  /** Stop at the first evaluation with val accuracy ≥ this (null: run on). */
  stopAt: number | null;
  quiet: boolean;
  help: boolean;
  /** Write the run's full state here every `checkpointEvery` steps and at exit (null: no checkpoints). */
  checkpoint: string | null;
  checkpointEvery: number;
  /** Continue the run checkpointed in this file. */
  resume: string | null;
  /** Resume a checkpoint written on another matmul/backend/adapter, recording the change (--allow-rounding-change). */
  allowRoundingChange: boolean;
}

/** Default checkpoint interval: ~8 minutes of a poly5 NeuralGrok run, seconds of a classroom one. */
export const DEFAULT_CHECKPOINT_EVERY = 500;

export class UsageError extends Error {
  override name = 'UsageError';
}

export const toFlag = (key: string): string => '--' + key.replace(/[A-Z]/g, (m) => '-' + m.toLowerCase());
const FLAG_TO_KEY = new Map(FIELD_KEYS.map((k) => [toFlag(k), k]));

/** Parses one flag's text into a typed value with the shared field parser; the error names the flag. */
export function parseFieldValue(key: FieldKey, text: string): unknown {
  const spec: FieldSpec = FIELDS[key];
  const r = parseFieldText(spec, text);
  if ('error' in r) throw new UsageError(`${toFlag(key)}: ${r.error} (allowed: ${rangeText(spec)})`);
  return r.value;
}

/** The runner's own options beside the fields: `util.parseArgs` option types. */
const RUNNER_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  preset: { type: 'string' },
  out: { type: 'string' },
  amplifier: { type: 'string' },
  'stop-when-grokked': { type: 'boolean' },
  'stop-patience': { type: 'string' },
  'stop-at': { type: 'string' },
  quiet: { type: 'boolean' },
  checkpoint: { type: 'string' },
  'checkpoint-every': { type: 'string' },
  resume: { type: 'string' },
  'allow-rounding-change': { type: 'boolean' },
} as const;

/** Every flag `util.parseArgs` knows: the runner's, then one per field of the table (a boolean field is a switch). */
const OPTIONS: Record<string, { type: 'string' | 'boolean'; short?: string }> = {
  ...RUNNER_OPTIONS,
  ...Object.fromEntries(FIELD_KEYS.map((k) => [toFlag(k).slice(2), { type: FIELDS[k].kind === 'boolean' ? 'boolean' : 'string' }])),
};

export function parseArgs(argv: readonly string[]): CliOptions {
  let preset = 'paper';
  let out: string | null = null;
  let amplifier: string | null = null;
  let stopWhenGrokked = false;
  let stopPatience = 200;
  let stopAt: number | null = null;
  let quiet = false;
  let help = false;
  let checkpoint: string | null = null;
  let checkpointEvery = DEFAULT_CHECKPOINT_EVERY;
  let resume: string | null = null;
  let allowRoundingChange = false;
  const overrides: Partial<Record<FieldKey, unknown>> = {};
  // Not strict: an unknown flag, a positional or a value starting with "-" is a token we name
  // ourselves, in the words the CLI has always used; a string option takes the next argument.
  const { tokens } = parseNodeArgs({ args: [...argv], options: OPTIONS, strict: false, allowPositionals: true, tokens: true });
  /** Arguments already read: a short group's other letters, a boolean field's value. */
  const read = new Set<number>();
  for (const token of tokens) {
    if (read.has(token.index)) continue;
    read.add(token.index);
    const arg = argv[token.index]!;
    const flag = arg.includes('=') ? arg.slice(0, arg.indexOf('=')) : arg;
    const given = token.kind === 'option' ? token.value : undefined;
    const value = (): string => {
      if (given === undefined) throw new UsageError(`${flag} needs a value`);
      return given;
    };
    switch (flag) {
      case '--help':
      case '-h':
        help = true;
        continue;
      case '--preset':
        preset = value();
        if (!presetById(preset)) throw new UsageError(`--preset: unknown preset "${preset}" (allowed: ${PRESET_IDS.join(' | ')})`);
        continue;
      case '--out':
        out = value();
        continue;
      case '--amplifier':
        amplifier = value();
        continue;
      case '--stop-when-grokked':
        stopWhenGrokked = true;
        continue;
      case '--stop-patience': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 0 || n > 1e7) throw new UsageError('--stop-patience: must be an integer 0 … 10000000');
        stopPatience = n;
        continue;
      }
      case '--stop-at': {
        const x = Number(value());
        if (!(x > 0 && x <= 1)) throw new UsageError('--stop-at: must be a validation accuracy in (0, 1], e.g. 0.95');
        stopAt = x;
        continue;
      }
      case '--quiet':
        quiet = true;
        continue;
      case '--checkpoint':
        checkpoint = value();
        continue;
      case '--checkpoint-every': {
        const n = Number(value());
        if (!Number.isInteger(n) || n < 1 || n > 1e7) throw new UsageError('--checkpoint-every: must be a number of steps 1 … 10000000');
        checkpointEvery = n;
        continue;
      }
      case '--resume':
        resume = value();
        continue;
      case '--allow-rounding-change':
        allowRoundingChange = true;
        continue;
    }
    const key = token.kind === 'option' ? FLAG_TO_KEY.get(flag) : undefined;
    if (!key) throw new UsageError(`unknown flag ${flag} (run with --help for the list)`);
    if (FIELDS[key].kind === 'boolean' && given === undefined) {
      // a switch alone is true; `--ng-frozen 0` gives it a value (the next argument, unless it is a flag)
      const next = argv[token.index + 1];
      if (next === undefined || next.startsWith('--')) {
        overrides[key] = true;
        continue;
      }
      read.add(token.index + 1);
      overrides[key] = parseFieldValue(key, next);
      continue;
    }
    overrides[key] = parseFieldValue(key, value());
  }
  let config: ValidConfig;
  try {
    config = buildConfig(presetById(preset)!.config, overrides as Partial<RunConfig>);
  } catch (e) {
    if (e instanceof ConfigError) {
      throw new UsageError(
        e.issues
          .map((i) => {
            const spec = (FIELDS as Record<string, FieldSpec>)[i.field];
            return spec ? `${toFlag(i.field)}: ${i.message} (allowed: ${rangeText(spec)})` : `${i.field}: ${i.message}`;
          })
          .join('\n'),
      );
    }
    throw e;
  }
  if (amplifier && config.method !== 'neuralgrok') throw new UsageError('--amplifier: only with --method neuralgrok');
  if (amplifier && resume) throw new UsageError('--amplifier: not with --resume (the checkpoint holds the amplifier)');
  // --resume alone keeps checkpointing to the same file
  if (resume && !checkpoint) checkpoint = resume;
  if (allowRoundingChange && !resume) throw new UsageError('--allow-rounding-change: only with --resume');
  return {
    config,
    preset,
    out,
    amplifier,
    stopWhenGrokked,
    stopPatience,
    stopAt,
    quiet,
    help,
    checkpoint,
    checkpointEvery,
    resume,
    allowRoundingChange,
  };
}

/** The --help text over a method catalog: every field of the table, and each method's reference decay. */
export function helpText(catalog: MethodCatalog = METHODS): string {
  const lines = [
    'GrokLab — train a transformer on modular arithmetic and watch it grok.',
    '',
    'Usage: npm run grok -- [--preset paper|classroom] [flags]',
    '',
    'Runner options:',
    `  --preset NAME           ${PRESET_IDS.join(' | ')} (default paper); flags override it`,
    '  --out FILE              write the whole run (config + metric series + amplifier) as JSON',
    '  --amplifier FILE        start NeuralGrok from this amplifier (a run file or an amplifier file);',
    '                          with --ng-frozen it is applied without meta-training (transfer)',
    '  --stop-when-grokked     stop once the median val accuracy over the last --stop-patience steps is ≥ 0.99 (slingshot dips do not reset it)',
    '  --stop-patience N       default 200',
    '  --stop-at ACC           stop at the first evaluation with val accuracy ≥ ACC (e.g. 0.95)',
    "  --checkpoint FILE       write the run's whole state (weights, Adam, the method's state, batch position,",
    '                          series) to FILE every --checkpoint-every steps and at exit (SIGINT/SIGTERM too)',
    `  --checkpoint-every N    default ${DEFAULT_CHECKPOINT_EVERY}`,
    '  --resume FILE           continue the run checkpointed in FILE, bit for bit as if never stopped (same flags;',
    '                          --steps may grow); keeps checkpointing to FILE unless --checkpoint says otherwise',
    '  --allow-rounding-change with --resume: continue a checkpoint written on another matmul (e.g. another',
    '                          OpenBLAS core) or GPU; no longer bit for bit, so the run records where it changed',
    '  --quiet                 no progress lines',
    '  --help                  this list',
    '',
    'Config fields (defaults are the field defaults; presets and the method change some):',
  ];
  let group = '';
  for (const [k, spec] of Object.entries(fieldTable(catalog))) {
    if (spec.group !== group) {
      group = spec.group;
      lines.push(`  [${group}]`);
    }
    const def = Array.isArray(spec.default) ? spec.default.join(',') : String(spec.default);
    lines.push(`  ${toFlag(k).padEnd(22)}  ${spec.help} Default ${def}; allowed ${rangeText(spec)}.${spec.live ? ' (live)' : ''}`);
  }
  lines.push('', "Weight decay by method (a preset's own value wins; --weight-decay 0 is plain Adam without decay):");
  for (const [method, { decay }] of Object.entries(catalog))
    lines.push(`  ${method.padEnd(14)} ${decay.weightDecay} ${decay.weightDecayMode}`);
  return lines.join('\n');
}
