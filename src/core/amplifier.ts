/** The NeuralGrok amplifier's portable form (export, import, run files): a JSON type and its schema. */
import { z } from 'zod';

export interface AmplifierJson {
  format: 'groklab-amplifier';
  version: 1;
  hidden: number[];
  /** Per layer: weight [in, out] row-major and bias [out]. */
  layers: { weight: number[]; bias: number[] }[];
}

/** Shape-level validation; whether the widths fit a given amplifier is checked where it is loaded. */
export const amplifierSchema = z.object({
  format: z.literal('groklab-amplifier'),
  version: z.literal(1),
  hidden: z.array(z.number().int().min(1).max(4096)).min(1).max(8),
  layers: z.array(z.object({ weight: z.array(z.number()), bias: z.array(z.number()) })).max(9),
}) satisfies z.ZodType<AmplifierJson>;

/** Multiply-adds of one amplifier pass over one component: Σ of consecutive width products. */
export function amplifierMacsPerComponent(hidden: readonly number[]): number {
  const widths = [1, ...hidden, 1];
  let macs = 0;
  for (let l = 0; l + 1 < widths.length; l++) macs += widths[l]! * widths[l + 1]!;
  return macs;
}
