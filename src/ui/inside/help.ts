/** One-paragraph help texts of the "Inside the model" views: what it shows, what to look for, the source. */
import type { TaskId } from '../../core/tasks';

export const INSIDE_HELP = {
  answerTable:
    'The whole task table (a down, b across): each cell is one question, coloured by the model’s answer at this evaluation — dark when its most probable answer is right, pale when wrong (or, in probability mode, by the probability it gives the right answer). Blue cells are training rows, red validation rows, purple the small outer split NeuralGrok holds out (other methods train on it). Look for the training cells turning dark first, while the red ones stay pale (memorization), and then the red cells filling in within a few evaluations (grokking). For tasks with more operands or operators the table is a 2-D slice; the selectors choose it. Source: the answer-table view of Google PAIR’s “Do Machine Learning Models Memorize or Generalize?” explorable, drawn here live from your own run. How each view is computed: docs/inside.md.',
  fourierSpectrum:
    'For each frequency k = 1…(p−1)/2, how much of the number embeddings (the rows of the embedding matrix for 0…p−1) lies on the waves cos(2πkx/p) and sin(2πkx/p): the norm of the embedding matrix projected on them. The strongest frequencies are highlighted; the sparsity is the share of the energy in the top 5. A fresh model spreads its norm over every frequency; a model that has found the addition algorithm concentrates it in a few key frequencies, and the sparsity climbs before validation accuracy does. Source: Nanda et al. 2023, “Progress measures for grokking via mechanistic interpretability”, Fig. 3. How it is computed here: docs/inside.md.',
  embeddingClock:
    'The numbers 0…p−1 placed by their embeddings, projected on the plane of the strongest frequency k (the cos and sin directions the spectrum found). When the model has learned modular addition they sit on a circle, number x at angle 2πkx/p — a clock on which adding b is a rotation; before that they form a cloud. The spread figure is how far the radii differ (0 = a perfect circle). Source: Nanda et al. 2023; the “clock” of Zhong et al. 2023, “The clock and the pizza”.',
  attentionMap:
    'For each layer and head, where the `=` position looks: its attention weights over the positions of the question, averaged over the validation rows (each row of the map sums to 1). In the algorithm Nanda et al. describe, the heads read both operands (a and b) and mostly ignore the operator and `=` tokens. Source: Nanda et al. 2023, appendix on the attention pattern.',
  tryIt:
    'Ask the model one question: choose the operands (and the operator, for mix) and see its answer, its three most probable tokens with their probabilities, the true answer, and whether that row is one it trains on or a held-out validation row. A validation row answered right is generalization, not recall.',
  phase:
    'The phase of the run, shaded on the accuracy chart (legend under it): not learning (training accuracy still at chance after 10 evaluations), memorizing (the training set is being fit), circuit formation (after the fit, the weight norm falls or the embedding spectrum becomes sparse while validation accuracy is still low), cleanup (validation accuracy rising), grokked (validation ≥ 95%). The grokking delay is the step where validation reached 95% minus the step where training reached 99%. Source: the three phases of Nanda et al. 2023; the exact rules: docs/inside.md.',
  sparsity:
    'The Fourier sparsity of the number embeddings over the run: the share of their energy in the five strongest frequencies (a random embedding scores about 5/((p−1)/2)). It rises as the Fourier circuit forms, often well before validation accuracy moves. Source: Nanda et al. 2023.',
  progress:
    'Nanda et al.’s progress measures, on the training rows. Restricted loss: the loss when the logits keep only their key-frequency components along a+b (a−b for sub) plus their mean — it falls as the Fourier circuit forms. Excluded loss: the loss with those components removed — it rises once the model relies on the circuit instead of memorization. Both move during the apparent plateau, before validation accuracy jumps. Here the logits themselves are projected (the paper projects the MLP activations; our model has a final LayerNorm). Source: Nanda et al. 2023, §5; here: docs/inside.md.',
} as const;

/** Where the Fourier picture does not apply, what the views say instead (null: it applies). */
export function fourierNote(task: TaskId | string): string | null {
  switch (task) {
    case 'add':
    case 'sub':
      return null;
    case 'mul':
    case 'div':
      return 'The Fourier picture describes a + b and a − b. Multiplication and division mod p are cyclic only after a discrete logarithm (x = gⁿ turns a·b into n₁ + n₂), so the embeddings of 0…p−1 in their natural order need not look sparse or circular even when the model generalizes; the progress measures are not computed.';
    case 'mix':
      return 'mix trains +, − and · in one model: the Fourier picture applies to its + and − rows, not to ·, so expect a partly sparse spectrum. The progress measures are computed for add and sub only.';
    default:
      return 'The Fourier picture (key frequencies, clocks, progress measures) was found for modular addition; for this task the spectrum and the clock are shown as they are, without that interpretation, and the progress measures are not computed.';
  }
}
