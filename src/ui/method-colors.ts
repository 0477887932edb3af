/** One colour per method, the same in every view and every compare set. */
import type { MethodId } from '../config/fields';

export const METHOD_COLORS: Readonly<Record<MethodId, string>> = {
  standard: '#1f77b4',
  adamw: '#2ca02c',
  grokfast_ema: '#ff7f0e',
  grokfast_ma: '#9467bd',
  gradnorm: '#7f7f7f',
  neuralgrok: '#d62728',
};

export const methodColor = (method: MethodId): string => METHOD_COLORS[method];
