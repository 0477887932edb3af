/** Short help texts, reachable from chart titles and the method selector, and the introduction. */
import type { MethodId } from '../config/fields';

/**
 * How long the default classroom run (a + b mod 31, AdamW, press Play) takes to grok in the
 * browser, rounded: the measured figures live in the README (tests/e2e/app.test.ts logs them).
 */
export const CLASSROOM_GROK_SECONDS = 10;

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
  amplifier:
    'Is NeuralGrok’s learned amplifier doing anything, or is it just normalization? Measured at every evaluation. ' +
    'N·w std: how far the amplifier’s softmax weights are from uniform (N·w = 1 for every component when uniform; 0 here means uniform; min and max are in the exported run). ' +
    '1 − cosine: the angle between the gradient NeuralGrok applies and plain per-tensor normalization of the same raw gradient (0: the same direction — then NeuralGrok is “matched gradient normalization” + clip). ' +
    'Meta-gradient RMS vs meta weight-decay RMS: how hard the outer loss pushes the amplifier, against how hard its weight decay (1e-3, as in the reference) pulls it back; when decay dominates, the amplifier stays near its initialization. What the race measured: docs/results.md (and “The paper, checked” in the toolbar).',
} as const;

/** What each method does, what to expect on screen, and the paper. */
export const METHOD_HELP: Record<MethodId, string> = {
  standard:
    'Adam (Kingma & Ba, 2014, arXiv:1412.6980) with coupled weight decay 1e-3 — the “Standard” baseline of the NeuralGrok paper (Zhou et al., 2025, arXiv:2504.17243). ' +
    'What you will see: training accuracy reaches 100% quickly; validation accuracy stays low for a long time. The small decay (L2 added to the gradient) eventually shrinks the weights and lets it generalize, much later than AdamW at wd 1. Set weight decay to 0 for plain Adam: then expect no grokking within thousands of steps.',
  adamw:
    'AdamW: Adam with decoupled weight decay (Loshchilov & Hutter, 2017, arXiv:1711.05101), here at wd = 1 as in the paper that named grokking (Power et al., 2022, arXiv:2201.02177). Each step also shrinks every weight by lr × wd. ' +
    'What you will see: training accuracy reaches 100% first (“memorized”), the weight norm then falls, and validation accuracy jumps up much later (“grokked”). Set wd to 0 and the jump does not come.',
  grokfast_ema:
    'GrokFast-EMA (Lee et al., 2024, arXiv:2405.20233): keeps an exponential moving average μ of each gradient (α = 0.98) and adds λ·μ (λ = 2), amplifying the gradient’s slow component, which the authors link to generalization. Coupled wd 0.005, as in both papers. ' +
    'What you will see: validation accuracy rises sooner after memorization than with plain Adam; the applied-gradient AGE differs from the raw one (the amplified gradient is larger). The algorithm: docs/algorithms.md.',
  grokfast_ma:
    'GrokFast-MA (Lee et al., 2024, arXiv:2405.20233): adds λ × the mean of the last w gradients (w = 100, λ = 5) once the window is full. Coupled wd 1e-3 as in the NeuralGrok paper (GrokFast’s own README uses 0.01). ' +
    'What you will see: the first w steps are plain Adam; after that the slow component is amplified and validation accuracy climbs earlier. It keeps w gradients in memory. The algorithm: docs/algorithms.md.',
  gradnorm:
    'Gradient normalization, the NeuralGrok paper’s ablation (Zhou et al., 2025, arXiv:2504.17243): rescales each parameter tensor’s gradient to norm c, without a learned transform (c = 1, no clip, coupled wd 1e-3). “Matched to NeuralGrok” uses c = 1/√K and clip 1: exactly what NeuralGrok feeds Adam if its amplifier stays uniform. ' +
    'What you will see: the applied-gradient AGE is flat (every tensor has the same norm); compare it with NeuralGrok to ask whether the learned amplifier matters (docs/results.md has the race’s answer).',
  neuralgrok:
    'NeuralGrok (Zhou et al., 2025, arXiv:2504.17243): a small MLP (the amplifier) scores every gradient component; per tensor the scores become softmax weights w, and the gradient becomes c·(w⊙g)/‖w⊙g‖. Every T steps the amplifier itself is trained so that one step with its gradient lowers the loss on a small held-out outer split. ' +
    'What you will see: steps are slower (the amplifier runs every step); the “Is the amplifier doing anything?” chart shows how far it is from plain normalization; the paper reports grokking sooner than Adam and GrokFast on its hard tasks (a² − b, a·c + b·d − e). How GrokLab computes it: docs/algorithms.md; where it deviates: docs/decisions.md; the paper’s Table 1 beside ours: docs/results.md.',
};
