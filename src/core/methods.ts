/**
 * The method catalog (pure data, no tfjs), the way src/core/tasks.ts is the task catalog: one
 * entry per gradient method holds everything about it that is not its engine code — its label,
 * short label and colour, its help text, its reference weight decay, whether it holds the outer
 * split out of training, its own config fields, its hooks into the cost and memory models, and
 * the column of the paper's Table 1 it fills. The field table, the schema, the CLI, the URL
 * codec, the controls, the charts and the paper view read it; the engine's factories
 * (src/engine/methods/index.ts) are a `Record<MethodId, …>` over the same ids.
 *
 * A new method is its engine file, its entry here and its tests. Functions that list methods
 * take the catalog as a parameter (default `METHODS`), so a test can add a method with
 * `addMethod` and see it everywhere without touching this file.
 */
import type { FieldSpec } from './field-spec';
import type { ModelShape } from './memory';
import { amplifierMemoryHint, maWindowIssue, neuralGrokStepWork, type StepWorkBase } from './method-costs';
import type { StepCostConfig } from './step-cost';

export type { StepWorkBase } from './method-costs';

/** What a method's hooks read of a run config (a RunConfig has it all; core does not know its type). */
export type MethodConfigView = ModelShape & { readonly method: string; readonly [field: string]: unknown };

export interface MethodSpec {
  /** What the selector and the legends call it. */
  label: string;
  /** For narrow places (chart legends, table headers). */
  shortLabel: string;
  /** One colour per method, the same in every view and every compare set. */
  color: string;
  /** What it does, what to expect on screen, and the paper (with its arXiv id). */
  help: string;
  /**
   * The reference weight decay a config gets with this method: the NeuralGrok paper's
   * comparison (coupled 1e-3 for every method, GrokFast-EMA 0.005), Power et al.'s AdamW wd 1,
   * ⊥Grad's authors' AdamW without decay. A preset's own value wins (src/config/schema.ts).
   */
  decay: { readonly weightDecay: number; readonly weightDecayMode: 'coupled' | 'decoupled' };
  /** Whether the method trains without the outer split (always, never, or by its config). */
  holdsOutOuterSplit: boolean | ((c: MethodConfigView) => boolean);
  /** Its own config fields (group 'method'), in the order the controls and --help list them. */
  fields: Readonly<Record<string, FieldSpec>>;
  /** Multiply-adds it adds to a step beyond the model's forward and backward (the cost estimate before Play). */
  extraStepWork?(c: StepCostConfig, base: StepWorkBase): number;
  /** Its own state against the memory budget: the field to blame and why, or null when it fits. */
  memoryIssue?(c: MethodConfigView): { field: string; message: string } | null;
  /** What to lower first when a backend runs out of memory with this method. */
  outOfMemoryHint?(c: MethodConfigView, parameterCount: number): string;
  /** The column of the paper's Table 1 it runs, with the settings that make it that column. */
  paperRole?: { readonly column: string; readonly overrides?: Readonly<Record<string, unknown>> };
}

export type MethodCatalog = Readonly<Record<string, MethodSpec>>;

export const METHODS = {
  standard: {
    label: 'Adam (wd 1e-3, the paper’s Standard)',
    shortLabel: 'Adam',
    color: '#1f77b4',
    help:
      'Adam (Kingma & Ba, 2014, arXiv:1412.6980) with coupled weight decay 1e-3 — the “Standard” baseline of the NeuralGrok paper (Zhou et al., 2025, arXiv:2504.17243). ' +
      'What you will see: training accuracy reaches 100% quickly; validation accuracy stays low for a long time. The small decay (L2 added to the gradient) eventually shrinks the weights and lets it generalize, much later than AdamW at wd 1. Set weight decay to 0 for plain Adam: then expect no grokking within thousands of steps.',
    decay: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
    holdsOutOuterSplit: false,
    fields: {},
    paperRole: { column: 'standard' },
  },
  adamw: {
    label: 'AdamW (weight decay)',
    shortLabel: 'AdamW',
    color: '#2ca02c',
    help:
      'AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2017, arXiv:1711.05101), here at wd = 1 as in the paper that named grokking (Power et al., 2022, arXiv:2201.02177). Each step also shrinks every weight by lr × wd. ' +
      'What you will see: training accuracy reaches 100% first (“memorized”), the weight norm then falls, and validation accuracy jumps up much later (“grokked”). Set wd to 0 and the jump does not come.',
    decay: { weightDecay: 1.0, weightDecayMode: 'decoupled' },
    holdsOutOuterSplit: false,
    fields: {},
  },
  grokfast_ema: {
    label: 'GrokFast-EMA',
    shortLabel: 'GrokFast-EMA',
    color: '#ff7f0e',
    help:
      'GrokFast-EMA (Lee et al., 2024, arXiv:2405.20233): keeps an exponential moving average μ of each gradient (α = 0.98) and adds λ·μ (λ = 2), amplifying the gradient’s slow component, which the authors link to generalization. Coupled wd 0.005, as in both papers. ' +
      'What you will see: validation accuracy rises sooner after memorization than with plain Adam; the applied-gradient AGE differs from the raw one (the amplified gradient is larger). The algorithm: docs/algorithms.md.',
    decay: { weightDecay: 0.005, weightDecayMode: 'coupled' },
    holdsOutOuterSplit: false,
    fields: {
      emaAlpha: {
        kind: 'number',
        short: 'ea',
        group: 'method',
        label: 'EMA α',
        default: 0.98,
        min: 0,
        max: 0.9999,
        live: true,
        help: 'GrokFast-EMA: how slowly the average moves (0.98). Higher: a slower, smoother component is amplified.',
      },
      emaLambda: {
        kind: 'number',
        short: 'el',
        group: 'method',
        label: 'EMA λ',
        default: 2,
        min: 0,
        max: 100,
        live: true,
        help: 'GrokFast-EMA: how much of the slow component is added (2). 0 turns the method off.',
      },
    },
    paperRole: { column: 'grokfast_ema' },
  },
  grokfast_ma: {
    label: 'GrokFast-MA',
    shortLabel: 'GrokFast-MA',
    color: '#9467bd',
    help:
      'GrokFast-MA (Lee et al., 2024, arXiv:2405.20233): adds λ × the mean of the last w gradients (w = 100, λ = 5) once the window is full. Coupled wd 1e-3 as in the NeuralGrok paper (GrokFast’s own README uses 0.01). ' +
      'What you will see: the first w steps are plain Adam; after that the slow component is amplified and validation accuracy climbs earlier. It keeps w gradients in memory. The algorithm: docs/algorithms.md.',
    decay: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
    holdsOutOuterSplit: false,
    fields: {
      maWindow: {
        kind: 'number',
        short: 'mw',
        group: 'method',
        label: 'MA window',
        default: 100,
        min: 1,
        max: 1000,
        integer: true,
        help: 'GrokFast-MA: gradients averaged (100).',
      },
      maLambda: {
        kind: 'number',
        short: 'ml',
        group: 'method',
        label: 'MA λ',
        default: 5,
        min: 0,
        max: 100,
        live: true,
        help: 'GrokFast-MA: how much of the window mean is added (5).',
      },
    },
    memoryIssue: (c) => maWindowIssue(c as unknown as ModelShape & { maWindow: number }),
    paperRole: { column: 'grokfast_ma' },
  },
  gradnorm: {
    label: 'Gradient normalization',
    shortLabel: 'Grad. norm',
    color: '#7f7f7f',
    help:
      'Gradient normalization, the NeuralGrok paper’s ablation (Zhou et al., 2025, arXiv:2504.17243): rescales each parameter tensor’s gradient to norm c, without a learned transform (c = 1, no clip, coupled wd 1e-3). “Matched to NeuralGrok” uses c = 1/√K and clip 1: exactly what NeuralGrok feeds Adam if its amplifier stays uniform. ' +
      'What you will see: the applied-gradient AGE is flat (every tensor has the same norm); compare it with NeuralGrok to ask whether the learned amplifier matters (docs/results.md has the race’s answer).',
    decay: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
    holdsOutOuterSplit: (c) => c.normMatched === true,
    fields: {
      normC: {
        kind: 'number',
        short: 'nc',
        group: 'method',
        label: 'Norm c',
        default: 1,
        min: 1e-4,
        max: 100,
        live: true,
        help: 'Gradient normalization: each tensor’s gradient is rescaled to this norm (1).',
      },
      normClip: {
        kind: 'number',
        short: 'nclip',
        group: 'method',
        label: 'Clip',
        default: 0,
        min: 0,
        max: 1000,
        live: true,
        help: 'Gradient normalization: global gradient-norm clip after normalizing (0 = off, the paper’s ablation).',
      },
      normMatched: {
        kind: 'boolean',
        short: 'nmatch',
        group: 'method',
        label: 'Matched to NeuralGrok',
        default: false,
        live: true,
        help: 'c = 1/√K for K parameter tensors and clip 1 (overrides c and clip): exactly what NeuralGrok feeds Adam if its amplifier stays uniform.',
      },
    },
    paperRole: { column: 'matched', overrides: { normMatched: true } },
  },
  neuralgrok: {
    label: 'NeuralGrok',
    shortLabel: 'NeuralGrok',
    color: '#d62728',
    help:
      'NeuralGrok (Zhou et al., 2025, arXiv:2504.17243): a small MLP (the amplifier) scores every gradient component; per tensor the scores become softmax weights w, and the gradient becomes c·(w⊙g)/‖w⊙g‖. Every T steps the amplifier itself is trained so that one step with its gradient lowers the loss on a small held-out outer split. ' +
      'What you will see: steps are slower (the amplifier runs every step); the “Is the amplifier doing anything?” chart shows how far it is from plain normalization; the paper reports grokking sooner than Adam and GrokFast on its hard tasks (a² − b, a·c + b·d − e). How GrokLab computes it: docs/algorithms.md; where it deviates: docs/decisions.md; the paper’s Table 1 beside ours: docs/results.md.',
    decay: { weightDecay: 1e-3, weightDecayMode: 'coupled' },
    holdsOutOuterSplit: true,
    fields: {
      ngHidden: {
        kind: 'intList',
        short: 'ngh',
        group: 'method',
        label: 'Amplifier widths',
        default: [128, 128],
        min: 1,
        max: 2048,
        maxLength: 4,
        help: 'NeuralGrok amplifier hidden widths (the authors’ mod-97 runs: 128,128; a−b 576, a·b 320, a²−b 256, poly5 1152). Cost grows with their products.',
      },
      ngC: {
        kind: 'number',
        short: 'ngc',
        group: 'method',
        label: 'Amplifier c',
        default: 0.2,
        min: 1e-4,
        max: 100,
        live: true,
        help: 'NeuralGrok: norm of each transformed gradient tensor before the clip (the reference code’s default, “recommend c=0.2”). It also scales the meta step’s virtual update, which has no clip.',
      },
      ngEvery: {
        kind: 'number',
        short: 'ngT',
        group: 'method',
        label: 'Meta step every T',
        default: 4,
        min: 1,
        max: 1000,
        integer: true,
        live: true,
        help: 'NeuralGrok: the amplifier trains every T steps (paper: 4; 1 for a·c + b·d − e).',
      },
      ngMetaLr: {
        kind: 'number',
        short: 'nglr',
        group: 'method',
        label: 'Amplifier learning rate',
        default: 1e-4,
        min: 1e-7,
        max: 1,
        live: true,
        help: 'NeuralGrok: the amplifier’s Adam learning rate (1e-4).',
      },
      ngMetaWd: {
        kind: 'number',
        short: 'ngwd',
        group: 'method',
        label: 'Amplifier weight decay',
        default: 1e-3,
        min: 0,
        max: 1,
        live: true,
        help: 'NeuralGrok: the amplifier’s coupled weight decay (the reference uses the model’s, 1e-3). It can outweigh the meta-gradient and keep the amplifier near uniform.',
      },
      ngClip: {
        kind: 'number',
        short: 'ngclip',
        group: 'method',
        label: 'Gradient clip',
        default: 1,
        min: 0,
        max: 1000,
        live: true,
        help: 'NeuralGrok: global gradient-norm clip after the transform (1; 0 = off).',
      },
      ngFrozen: {
        kind: 'boolean',
        short: 'ngfrozen',
        group: 'method',
        label: 'Freeze the amplifier',
        default: false,
        live: true,
        help: 'NeuralGrok: apply the amplifier without training it (the transfer experiment).',
      },
    },
    extraStepWork: neuralGrokStepWork,
    outOfMemoryHint: (c, parameterCount) => amplifierMemoryHint(c as unknown as { ngHidden: readonly number[] }, parameterCount),
    paperRole: { column: 'neuralgrok' },
  },
  orthograd: {
    label: '⊥Grad (orthogonal gradient, AdamW wd 0)',
    shortLabel: '⊥Grad',
    color: '#17becf',
    help:
      '⊥Grad (Prieto, Barsbey, Mediano & Birdal, 2025, arXiv:2501.04697, “Grokking at the Edge of Numerical Stability”): per parameter tensor, the part of the gradient along the weights themselves is removed, g⊥ = g − (⟨θ,g⟩/⟨θ,θ⟩)·θ, and g⊥ is rescaled to the norm of g; then AdamW, without weight decay. Without decay, training keeps growing the weights along θ (“naïve loss minimization”: it only scales the logits) until float32 rounds the right answer’s probability to exactly 1 and its gradient to 0 (softmax collapse); ⊥Grad takes that direction out of every step. ' +
      'What you will see: grokking without weight decay; the “softmax collapse” chart stays near 0 and the update’s cosine with θ stays small, where plain Adam without decay drifts toward collapse. Choose the StableMax loss (training › Loss) for the paper’s other remedy. The algorithm: docs/algorithms.md; where GrokLab deviates from the authors’ code: docs/decisions.md.',
    decay: { weightDecay: 0, weightDecayMode: 'decoupled' },
    holdsOutOuterSplit: false,
    fields: {},
  },
} as const satisfies MethodCatalog;

export type MethodId = keyof typeof METHODS;
/** The methods in catalog order (the selector's order, and the CLI's). */
export const METHOD_IDS = Object.keys(METHODS) as MethodId[];

/** A catalog with one more method (or one replaced): how a test adds a method through the catalog alone. */
export function addMethod(catalog: MethodCatalog, id: string, spec: MethodSpec): MethodCatalog {
  return { ...catalog, [id]: spec };
}

/** The catalog entry of a method id (throws on an id the catalog does not hold). */
export function methodSpec(method: string, catalog: MethodCatalog = METHODS): MethodSpec {
  const spec = catalog[method];
  if (!spec) throw new Error(`unknown method "${method}"`);
  return spec;
}

/**
 * Whether a method trains on the outer split too. NeuralGrok holds it out to train its
 * amplifier; the matched-normalization ablation holds it out as well, so that both arms of
 * "does the learned amplifier matter?" see exactly the same training rows.
 */
export function outerSplitIsTraining(c: { method: string; [field: string]: unknown }, catalog: MethodCatalog = METHODS): boolean {
  const rule = catalog[c.method]?.holdsOutOuterSplit ?? false;
  return !(typeof rule === 'function' ? rule(c as MethodConfigView) : rule);
}

/** The paper table's roles: which method (and settings) runs each column of Table 1, in catalog order. */
export function paperRoles(
  catalog: MethodCatalog = METHODS,
): { column: string; method: string; overrides: Readonly<Record<string, unknown>> }[] {
  return Object.entries(catalog).flatMap(([method, spec]) =>
    spec.paperRole ? [{ column: spec.paperRole.column, method, overrides: spec.paperRole.overrides ?? {} }] : [],
  );
}
