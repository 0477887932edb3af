/**
 * The paper's per-task setups, defined once in src/paper/table1.ts (issue 30, item 2): the race
 * arm and `--set` derived from them are the strings the committed rows' keys hold; the CLI reads
 * them back to the setup; the share link of a cell, the preset and the race budgets read the
 * same data.
 */
import { describe, expect, it } from 'vitest';
import { parseArgs } from '../src/cli/args';
import { presetById } from '../src/config/presets';
import { POLY5_PAPER_SPEEDUP } from '../src/paper/poly5';
import type { PaperCell } from '../src/paper/table';
import { PAPER_METHODS, PAPER_TASKS, paperArm, paperModulus, paperSet, paperSetup } from '../src/paper/table1';
import { referencesOf, runArgs } from '../src/sweep/race';
import { cellConfig } from '../src/ui/paper/paper-links';

describe('the paper setups', () => {
  it('derive the arms and sets the committed race rows were keyed by', () => {
    expect(paperArm('poly5', 'neuralgrok')).toBe('neuralgrok+ng-hidden=1152+ng-every=1');
    expect(paperSet('poly5')).toBe('p=7;layers=4');
    for (const task of ['add', 'sub', 'mul', 'sq_sub'] as const) {
      expect(paperSet(task)).toBe('');
      expect(PAPER_METHODS.map((m) => paperArm(task, m))).toEqual([
        'standard',
        'grokfast_ma',
        'grokfast_ema',
        'neuralgrok',
        'gradnorm+norm-matched',
      ]);
    }
    expect(paperArm('poly5', 'matched')).toBe('gradnorm+norm-matched');
    expect(PAPER_TASKS.map(paperModulus)).toEqual([97, 97, 97, 97, 7]);
  });

  it("the CLI reads a poly5 NeuralGrok race run back to the authors' setup (p 7, 4 layers, [1152], T 1)", () => {
    const rule = { preset: 'paper', set: paperSet('poly5'), steps: 5000, budgetX: 3, evalEvery: 50, stopAt: '0.95', full: false };
    const ng = parseArgs(runArgs(rule, 'poly5', paperArm('poly5', 'neuralgrok'), 1)).config;
    expect([ng.task, ng.method, ng.p, ng.layers, ng.ngHidden, ng.ngEvery, ng.seed]).toEqual(['poly5', 'neuralgrok', 7, 4, [1152], 1, 1]);
    // its budget: 3 × the paper's 1 896
    expect(ng.steps).toBe(5688);
    const standard = parseArgs(runArgs(rule, 'poly5', paperArm('poly5', 'standard'), 0)).config;
    expect([standard.p, standard.layers, standard.method]).toEqual([7, 4, 'standard']);
    // the amplifier settings are NeuralGrok's only: Standard keeps the preset's
    expect(standard.ngHidden).toEqual(parseArgs(['--preset', 'paper']).config.ngHidden);
  });

  it("a cell's share link without a recorded config, and the poly5 preset, carry the same setup", () => {
    const cell = { task: 'poly5', method: 'neuralgrok', seeds: [], paper: { steps: 1896 }, config: null } as unknown as PaperCell;
    const c = cellConfig(cell);
    expect([c.task, c.method, c.p, c.layers, c.ngHidden, c.ngEvery, c.steps]).toEqual(['poly5', 'neuralgrok', 7, 4, [1152], 1, 5688]);
    const ma = cellConfig({ ...cell, method: 'grokfast_ma', paper: { steps: 8853 } } as PaperCell);
    expect([ma.p, ma.layers, ma.method]).toEqual([7, 4, 'grokfast_ma']);
    expect(ma.ngEvery).not.toBe(1);
    expect(presetById('neuralgrok-poly5')!.config).toMatchObject({ task: 'poly5', ...paperSetup('poly5', 'neuralgrok') });
  });

  it('the race budgets read Table 1 and the GrokFast README figures', () => {
    expect(referencesOf('paper', 'mul', 'grokfast_ema')).toEqual([
      { steps: 1400, source: 'NeuralGrok Table 1' },
      { steps: 910, source: 'GrokFast README' },
    ]);
    expect(referencesOf('paper', 'mul', 'grokfast_ma+weight-decay=0.01')).toEqual([{ steps: 790, source: 'GrokFast README' }]);
    expect(referencesOf('paper', 'poly5', 'standard')).toEqual([]);
    expect(referencesOf('classroom', 'add', 'neuralgrok')).toEqual([]);
    // the poly5 claim's ratio, from Table 1's two figures
    expect(POLY5_PAPER_SPEEDUP).toBeCloseTo(8853 / 1896, 12);
  });
});
