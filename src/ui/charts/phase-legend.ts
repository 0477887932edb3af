/** The accuracy chart's phase bands: their colours and the legend that names them. */
import type { RunPhase } from '../../core/inside-phases';
import { PHASE_COLOURS } from '../inside/PhaseLabel';

export const BAND_COLOURS: Record<RunPhase, string> = { 'not learning': '#f6d0d0', ...PHASE_COLOURS };

/** What each band means, for the legend's tooltips (the rules of src/core/inside-phases.ts, in words). */
export const PHASE_MEANING: Record<RunPhase, string> = {
  'not learning': 'training accuracy has not left chance after 10 evaluations',
  memorizing: 'fitting the training rows (until training accuracy reaches 99 %, and after it while nothing below holds)',
  'circuit formation': 'after the fit: the weight norm fell 10 % below its peak, or the embedding spectrum became sparser',
  cleanup: 'validation accuracy has risen a quarter of the way to 95 %',
  grokked: 'validation accuracy reached 95 %',
};
