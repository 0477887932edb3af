/** The race arms moved to src/sweep/arms.ts (the sweeps use them too); re-exported for the race runner. */
export { armArgs, splitArms } from '../src/sweep/arms';
