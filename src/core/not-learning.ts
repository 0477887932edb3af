/**
 * A run that fails without NaN: the loss stays far above chance (ln p, a uniform guess over p
 * answers) or the weight norm keeps growing for many evaluations. Either means the run is not
 * memorizing but failing, and the page says so instead of naming a phase.
 */

/** Evaluations looked at: the verdict needs this many in a row. */
export const NOT_LEARNING_EVALUATIONS = 10;
/** "Far above chance": the full training loss above this multiple of ln p. */
export const LOSS_OVER_CHANCE = 2;
/** "Exploding": the weight norm grew at every one of the evaluations, by at least this factor overall. */
export const NORM_GROWTH = 3;

/** Why the run is not learning, or null while it looks like learning (or too early to say). */
export function notLearningReason(evals: { trainFullLoss: readonly number[]; weightNorm: readonly number[] }, p: number): string | null {
  const n = NOT_LEARNING_EVALUATIONS;
  const losses = evals.trainFullLoss.slice(-n);
  const norms = evals.weightNorm.slice(-n);
  const chance = Math.log(p);
  if (losses.length === n && losses.every((l) => l > LOSS_OVER_CHANCE * chance))
    return `its training loss has stayed above ${LOSS_OVER_CHANCE}× chance (ln ${p} = ${chance.toFixed(2)}) for ${n} evaluations`;
  if (norms.length === n && norms.every((w, i) => i === 0 || w > norms[i - 1]!) && norms[n - 1]! >= NORM_GROWTH * norms[0]!)
    return `its weight norm grew at each of the last ${n} evaluations (${norms[0]!.toFixed(1)} → ${norms[n - 1]!.toFixed(1)})`;
  return null;
}
