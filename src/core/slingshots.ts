/**
 * Instability after grokking, counted (the paper's claim that weight decay "introduces
 * substantial instability"): a drop is validation accuracy falling more than `depth` below its
 * best so far, after the run first reached `grokked`; it ends when accuracy climbs back within
 * `recovery` of that best. Null when the run never grokked (nothing to be unstable after).
 */
export function dropsAfterGrokking(valAcc: readonly (number | null)[], grokked = 0.95, depth = 0.1, recovery = 0.02): number | null {
  let best = 0;
  let reached = false;
  let inDrop = false;
  let drops = 0;
  for (const x of valAcc) {
    if (x === null || !Number.isFinite(x)) continue;
    if (x >= grokked) reached = true;
    best = Math.max(best, x);
    if (reached && !inDrop && x < best - depth) {
      inDrop = true;
      drops++;
    }
    if (inDrop && x >= best - recovery) inDrop = false;
  }
  return reached ? drops : null;
}
