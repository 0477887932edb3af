/** Short help texts, reachable from chart titles and the method selector. */
import type { MethodId } from '../config/fields';

export const METRIC_HELP = {
  accuracy:
    'Accuracy on the training batch and on the held-out validation half of the table. Grokking is the late jump of validation accuracy long after training accuracy reached 100%. The dashed line marks the first step with val ≥ 0.95.',
  loss: 'Cross-entropy at the "=" position (log scale). During memorization the validation loss often rises while the training loss falls; it drops when the model generalizes.',
  weightNorm: 'The L2 norm of all weights, ‖θ‖₂. Weight decay shrinks it; grokking often coincides with the norm falling to a smaller, simpler solution.',
  age: 'Absolute Gradient Entropy: AGE(g) = −Σᵢ |gᵢ|·log(|gᵢ| + 1e-8) over every gradient component, for the raw gradient and for the one the optimizer receives after the method’s transform. The NeuralGrok paper reads lower AGE as lower model complexity.',
} as const;

export const METHOD_HELP: Record<MethodId, string> = {
  standard: 'Plain Adam, no weight decay. Memorizes quickly; generalization comes very late or not at all.',
  adamw: 'AdamW: Adam with decoupled weight decay (default wd = 1, Power et al.). The classic grokking setup.',
  grokfast_ema: 'GrokFast-EMA: keeps an exponential moving average μ of each gradient and adds λ·μ, amplifying its slow component.',
  grokfast_ma: 'GrokFast-MA: adds λ × the mean of the last w gradients once the window is full.',
  gradnorm: 'Gradient normalization: rescales each parameter tensor’s gradient to norm c, without a learned transform.',
  neuralgrok:
    'NeuralGrok: a small MLP (the amplifier) scores every gradient component; per tensor the scores become softmax weights w, and the gradient becomes c·(w⊙g)/‖w⊙g‖. Every T steps the amplifier itself is trained so that one step with its gradient lowers the loss on a small held-out outer split.',
};
