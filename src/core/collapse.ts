/**
 * Softmax collapse (Prieto, Barsbey, Mediano & Birdal, ICLR 2025): when, in a run's evaluation
 * series, it counts as having set in.
 */

/**
 * The fraction of training rows with an exactly-zero loss gradient at which a run is marked
 * "softmax collapse @ N": from half the training rows on, most of the training set no longer
 * pushes the weights at all — only the remaining rows (and weight decay, if any) do.
 */
export const SOFTMAX_COLLAPSE_THRESHOLD = 0.5;

/** The first evaluation step whose collapse fraction is ≥ the threshold, or null. */
export function softmaxCollapseStep(
  evals: { step: readonly number[]; collapseFraction: readonly number[] },
  threshold = SOFTMAX_COLLAPSE_THRESHOLD,
): number | null {
  const i = evals.collapseFraction.findIndex((f) => f >= threshold);
  return i < 0 ? null : evals.step[i]!;
}
