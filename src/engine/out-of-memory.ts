/**
 * A failed allocation in a backend surfaces as "memory access out of bounds", "Aborted()" or a
 * RangeError: words a student cannot act on. This turns it into a message that names the
 * settings to lower, with the figures that drive the memory.
 */
import type { RunConfig } from '../config/schema';

const ALLOCATION_FAILURE =
  /memory access out of bounds|Aborted\(|out of memory|Array buffer allocation failed|Failed to allocate|Invalid typed array length|allocation failed|OOM/i;

export function isAllocationFailure(e: unknown): boolean {
  return ALLOCATION_FAILURE.test(String((e as Error)?.message ?? e));
}

/** The error to report for `e`: an allocation failure explained, anything else unchanged. */
export function explainAllocationFailure(e: unknown, config: RunConfig, parameterCount: number): unknown {
  if (!isAllocationFailure(e)) return e;
  const widest = config.method === 'neuralgrok' ? Math.max(1, ...config.ngHidden) : 0;
  const amplifier =
    config.method === 'neuralgrok'
      ? ` NeuralGrok's amplifier (widths ${config.ngHidden.join(',')}) needs ${((parameterCount * widest * 4) / 2 ** 20).toFixed(0)} MB per activation over all ${parameterCount} components (computed in chunks of at most 64 MB): lower "Amplifier widths" (--ng-hidden) first.`
      : '';
  return new Error(
    `Ran out of memory on this backend (${parameterCount} parameters, batch ${config.batchSize}, d = ${config.dModel}, ${config.layers} layers).${amplifier} ` +
      `Otherwise lower the model width (--d-model), the layers (--layers) or the batch size (--batch-size), then Reset.`,
    // The backend's own words, for a bug report (the CLI prints them under the message).
    { cause: e },
  );
}
