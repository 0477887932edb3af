/** A long run's checkpoint parked in the repository (bench/checkpoints/) is picked up by the next working stretch, never over a newer one. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { adoptParkedCheckpoint, dropParkedCheckpoint, parkedCheckpointOf, PARKED_CHECKPOINTS } from '../src/sweep/race';

describe('parked checkpoints', () => {
  const key = 'paper|poly5|neuralgrok+ng-hidden=1152+ng-every=1|p=7;layers=4|0|15000|50|0.95';
  it('are copied to the run’s own checkpoint when only the parked one exists, and dropped once the run finished', () => {
    const root = mkdtempSync(join(tmpdir(), 'groklab-parked-'));
    mkdirSync(join(root, PARKED_CHECKPOINTS), { recursive: true });
    writeFileSync(parkedCheckpointOf(key, root), 'parked');
    const own = join(root, 'runs/race/run.ckpt');
    expect(adoptParkedCheckpoint(own, key, root)).toBe(true);
    expect(readFileSync(own, 'utf8')).toBe('parked');
    // a newer checkpoint of the run itself is never overwritten by the parked one
    writeFileSync(own, 'newer');
    expect(adoptParkedCheckpoint(own, key, root)).toBe(false);
    expect(readFileSync(own, 'utf8')).toBe('newer');
    dropParkedCheckpoint(key, root);
    expect(existsSync(parkedCheckpointOf(key, root))).toBe(false);
    expect(adoptParkedCheckpoint(join(root, 'runs/race/other.ckpt'), key, root)).toBe(false);
  });
});
