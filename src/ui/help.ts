/** Short help texts, reachable from chart titles and the method selector. */
import type { MethodId } from '../config/fields';

export const METRIC_HELP = {
  accuracy:
    'Accuracy on the training batch and on the held-out validation half of the table. Grokking is the late jump of validation accuracy long after training accuracy reached 100%. The dashed line marks the first step with val ≥ 0.95.',
  loss: 'Cross-entropy at the "=" position (log scale). During memorization the validation loss often rises while the training loss falls; it drops when the model generalizes.',
  weightNorm: 'The L2 norm of all weights, ‖θ‖₂. Weight decay shrinks it; grokking often coincides with the norm falling to a smaller, simpler solution.',
  age: 'Absolute Gradient Entropy: AGE(g) = −Σᵢ |gᵢ|·log(|gᵢ| + 1e-8) over every gradient component, for the raw gradient and for the one the optimizer receives after the method’s transform. The NeuralGrok paper reads lower AGE as lower model complexity.',
  amplifier:
    'Is NeuralGrok’s learned amplifier doing anything, or is it just normalization? Measured at every evaluation. ' +
    'N·w std: how far the amplifier’s softmax weights are from uniform (N·w = 1 for every component when uniform; 0 here means uniform; min and max are in the exported run). ' +
    '1 − cosine: the angle between the gradient NeuralGrok applies and plain per-tensor normalization of the same raw gradient (0: the same direction — then NeuralGrok is “matched gradient normalization” + clip). ' +
    'Meta-gradient RMS vs meta weight-decay RMS: how hard the outer loss pushes the amplifier, against how hard its weight decay (1e-3, as in the reference) pulls it back; when decay dominates, the amplifier stays near its initialization.',
} as const;

export const METHOD_HELP: Record<MethodId, string> = {
  standard: 'The NeuralGrok paper’s Standard: Adam with coupled weight decay 1e-3 (L2 in the gradient, as torch Adam). Under Adam this is a real regularizer: once the training gradient is small it shrinks weights by up to lr per step. Set weight decay to 0 for plain Adam, which takes tens of thousands of steps to grok.',
  adamw: 'AdamW: Adam with decoupled weight decay (default wd = 1, Power et al.). The classic grokking setup.',
  grokfast_ema: 'GrokFast-EMA: keeps an exponential moving average μ of each gradient and adds λ·μ, amplifying its slow component (coupled wd 0.005, as in both papers).',
  grokfast_ma: 'GrokFast-MA: adds λ × the mean of the last w gradients once the window is full (coupled wd 1e-3 as in the NeuralGrok paper; GrokFast’s own README uses 0.01).',
  gradnorm: 'Gradient normalization: rescales each parameter tensor’s gradient to norm c, without a learned transform (the paper’s ablation: c = 1, no clip, coupled wd 1e-3). “Matched to NeuralGrok” uses c = 1/√K and clip 1: exactly what NeuralGrok feeds Adam if its amplifier stays uniform.',
  neuralgrok:
    'NeuralGrok: a small MLP (the amplifier) scores every gradient component; per tensor the scores become softmax weights w, and the gradient becomes c·(w⊙g)/‖w⊙g‖. Every T steps the amplifier itself is trained so that one step with its gradient lowers the loss on a small held-out outer split.',
};
