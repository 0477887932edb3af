/**
 * A failed allocation in a backend surfaces as "memory access out of bounds", "Aborted()" or a
 * RangeError: words a student cannot act on. This turns it into a message that names the
 * settings to lower, with the figures that drive the memory.
 */
import type { RunConfig } from '../config/schema';
import { methodSpec, type MethodConfigView } from '../core/methods';

const ALLOCATION_FAILURE =
  /memory access out of bounds|Aborted\(|out of memory|Array buffer allocation failed|Failed to allocate|Invalid typed array length|allocation failed|OOM/i;

export function isAllocationFailure(e: unknown): boolean {
  return ALLOCATION_FAILURE.test(String((e as Error)?.message ?? e));
}

/** The error to report for `e`: an allocation failure explained, anything else unchanged. */
export function explainAllocationFailure(e: unknown, config: RunConfig, parameterCount: number): unknown {
  if (!isAllocationFailure(e)) return e;
  // the method's own memory, where it has a hint (NeuralGrok's amplifier)
  const hint = methodSpec(config.method).outOfMemoryHint?.(config as unknown as MethodConfigView, parameterCount);
  const amplifier = hint ? ` ${hint}` : '';
  return new Error(
    `Ran out of memory on this backend (${parameterCount} parameters, batch ${config.batchSize}, d = ${config.dModel}, ${config.layers} layers).${amplifier} ` +
      `Otherwise lower the model width (--d-model), the layers (--layers) or the batch size (--batch-size), then Reset.`,
    // The backend's own words, for a bug report (the CLI prints them under the message).
    { cause: e },
  );
}
