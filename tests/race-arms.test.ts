import { describe, expect, it } from 'vitest';
import { armArgs, splitArms } from '../src/sweep/arms';

describe('race arms', () => {
  it('keeps a comma inside a flag value with its arm', () => {
    expect(splitArms('standard,neuralgrok+ng-hidden=32,32,gradnorm+norm-matched')).toEqual([
      'standard',
      'neuralgrok+ng-hidden=32,32',
      'gradnorm+norm-matched',
    ]);
  });

  it('turns flags into CLI arguments', () => {
    expect(armArgs('gradnorm+norm-matched+weight-decay=0.01')).toEqual([
      '--method',
      'gradnorm',
      '--norm-matched',
      '--weight-decay',
      '0.01',
    ]);
  });

  it("puts the run's seed into a per-seed file name", () => {
    const arm = 'neuralgrok+amplifier=runs/amplifiers/add_neuralgrok_{seed}.json+ng-frozen';
    expect(armArgs(arm, 2)).toEqual(['--method', 'neuralgrok', '--amplifier', 'runs/amplifiers/add_neuralgrok_2.json', '--ng-frozen']);
    expect(armArgs(arm, 0)[3]).toBe('runs/amplifiers/add_neuralgrok_0.json');
  });
});
