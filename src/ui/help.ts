/** Short help texts, reachable from chart titles and the method selector, and the introduction. */
import { METHODS, METHOD_IDS, type MethodId } from '../config/fields';
import GROK_TIME from './classroom-grok-time.json';

/** What `npm run bench:browser` measured for the default run (bench/browser.ts writes the file). */
export const CLASSROOM_GROK_TIME = GROK_TIME;

/**
 * How long the default classroom run (a + b mod 31, AdamW, press Play) takes to grok in the
 * browser, in whole seconds: the median of the runs `npm run bench:browser` timed from the Play
 * click to val ≥ 0.95 (src/ui/classroom-grok-time.json, which that command writes; a test checks
 * that it was measured on the classroom preset's current config).
 */
export const CLASSROOM_GROK_SECONDS = Math.max(1, Math.round(GROK_TIME.medianSeconds));

export const METRIC_HELP = {
  accuracy:
    'Accuracy on the training batch and on the held-out validation half of the table. Grokking is the late jump of validation accuracy long after training accuracy reached 100%. Dashed lines mark when the model memorized (train ≥ 99%) and generalized (val ≥ 95%). A "spike" marker after that is a slingshot, not forgetting: with weight decay at a high learning rate, Adam keeps taking full-size steps when the gradient is tiny, overshoots, and the accuracy dips for a few dozen steps before it recovers on its own (in the classroom run, every variant of learning rate, β₂ and ε we measured showed them; see docs/decisions.md).',
  loss: 'Cross-entropy at the "=" position (log scale). During memorization the validation loss often rises while the training loss falls; it drops when the model generalizes.',
  weightNorm:
    'The L2 norm of all weights, ‖θ‖₂. Weight decay shrinks it; grokking often coincides with the norm falling to a smaller, simpler solution.',
  age:
    'Absolute Gradient Entropy: AGE(g) = −Σᵢ |gᵢ|·log(|gᵢ| + 1e-8), summed over every gradient component, for the raw gradient (dashed) and for the one the optimizer receives after the method’s transform (solid; for methods that do not change the gradient the two coincide). The NeuralGrok paper reads lower AGE as lower model complexity. ' +
    'Why it can be negative: a component with |g| < 1 adds a positive amount (at most 1/e ≈ 0.37), one with |g| > 1 adds a negative one (−|g|·log|g|, unbounded), so a few large components — early in training, or a gradient amplified by GrokFast — pull the sum below zero. ' +
    'Why the numbers are large: it is a sum, not a mean, so it grows in proportion to the number of parameters; compare AGE only between runs of the same model size. The formula and its source: docs/algorithms.md.',
  collapse:
    'Softmax collapse (Prieto, Barsbey, Mediano & Birdal, 2025, arXiv:2501.04697), measured at every evaluation. ' +
    'Zero-gradient fraction: the share of training rows whose loss gradient is exactly 0 in float32 — softmax rounded the right answer’s probability to 1 and every other to 0, so the row no longer teaches anything. ' +
    'cos(Δθ, θ): the cosine between the evaluation step’s update and the weights. Near +1 the step only grows the weights along themselves (“naïve loss minimization”: it scales the logits, lowering the training loss without learning anything new), the drift that leads to collapse; weight decay pulls it negative; ⊥Grad removes that direction from every step. ' +
    'The marker “softmax collapse @ N” is the first evaluation where at least half the training rows have a zero gradient (src/core/collapse.ts). The StableMax loss (training › Loss) cannot collapse this way.',
  amplifier:
    'Is NeuralGrok’s learned amplifier doing anything, or is it just normalization? Measured at every evaluation. ' +
    'N·w std: how far the amplifier’s softmax weights are from uniform (N·w = 1 for every component when uniform; 0 here means uniform; min and max are in the exported run). ' +
    '1 − cosine: the angle between the gradient NeuralGrok applies and plain per-tensor normalization of the same raw gradient (0: the same direction — then NeuralGrok is “matched gradient normalization” + clip). ' +
    'Meta-gradient RMS vs meta weight-decay RMS: how hard the outer loss pushes the amplifier, against how hard its weight decay (1e-3, as in the reference) pulls it back; when decay dominates, the amplifier stays near its initialization. What the race measured: docs/results.md (and “The paper, checked” in the toolbar).',
} as const;

/** What each method does, what to expect on screen, and the paper: the method catalog's help (src/core/methods.ts). */
export const METHOD_HELP = Object.fromEntries(METHOD_IDS.map((m) => [m, METHODS[m].help])) as Readonly<Record<MethodId, string>>;
