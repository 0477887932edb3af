import { describe, expect, it } from 'vitest';
import { fitAxisTitle } from '../src/ui/charts/MetricChart';

describe('rotated axis titles fit their chart', () => {
  it('keeps a title that fits, drops the parenthetical first, then shortens with an ellipsis', () => {
    expect(fitAxisTitle('cross-entropy (nats)', 200)).toBe('cross-entropy (nats)');
    // 20 characters at 7.2 px need 144 px: a 120 px plot gets the short form (13 characters, 94 px)
    expect(fitAxisTitle('cross-entropy (nats)', 120)).toBe('cross-entropy');
    const tiny = fitAxisTitle('cross-entropy (nats)', 50);
    expect(tiny.endsWith('…')).toBe(true);
    expect(tiny.length * 7.2).toBeLessThanOrEqual(50);
  });
});
