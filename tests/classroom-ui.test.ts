/** Issue 10's pure UI logic: tick labels, chart export, recent-run identity, link checks, badge, compare edits. */
import { beforeEach, describe, expect, it } from 'vitest';
import { chartHeight } from '../src/ui/charts/Charts';
import { chartExportSvg, EXPORT_LEGEND_H, EXPORT_TITLE_H } from '../src/ui/charts/export-markup';
import { niceTicks, tickLabels, yRange } from '../src/ui/charts/scales';
import { hasVisibleControls } from '../src/ui/controls/ConfigPanel';
import { runFingerprint } from '../src/ui/files/recent-runs';
import { badgeText, badgeTooltip } from '../src/ui/backend-badge';
import { isKnownHideEntry, weightDecayChange } from '../src/ui/state/config-slice';
import { DEFAULT_UI_CONFIG, useGrokStore } from '../src/ui/store';
import { METHOD_HELP } from '../src/ui/help';
import { METHOD_IDS } from '../src/config/fields';
import { emptySeries } from '../src/core/metrics';
import { FakeWorker } from './fake-worker';

describe('chart axes', () => {
  it('never repeats a tick label, even over a narrow range (bug 5)', () => {
    expect(tickLabels([1819.5, 1820, 1820.5])).toEqual(['1819.5', '1820', '1820.5']);
    expect(tickLabels([0, 0.5, 1])).toEqual(['0', '0.5', '1']);
    expect(tickLabels([1000, 2000, 3000])).toEqual(['1000', '2000', '3000']);
  });

  it('pads a one-value range so its ticks are distinct round numbers', () => {
    const [lo, hi] = yRange([1820], false);
    expect(hi).toBeGreaterThan(lo);
    const labels = tickLabels(niceTicks(lo, hi, 4));
    expect(labels.length).toBeGreaterThan(1);
    expect(new Set(labels).size).toBe(labels.length);
    expect(yRange([0], false)).toEqual([-1, 1]);
    expect(yRange([0.3, 0.9], false, [0, 1])).toEqual([0, 1]);
  });

  it('presentation height fits two rows of charts on a 1366×768 screen; a phone gets shorter charts', () => {
    const h = chartHeight(1366, 768, true);
    expect(150 + 2 * (h + 95)).toBeLessThanOrEqual(768);
    expect(h).toBeGreaterThanOrEqual(160);
    expect(chartHeight(390, 844, false)).toBeLessThan(chartHeight(1440, 900, false));
  });
});

describe('exported charts', () => {
  it('carry their title and legend, escaped, around the drawing', () => {
    const out = chartExportSvg('<svg width="500" height="200"></svg>', 500, 200, 'Loss <log>', [
      { label: 'train & co', color: '#1f77b4', dash: '5 4' },
      { label: 'validation', color: '#d62728' },
    ]);
    expect(out.height).toBe(200 + EXPORT_TITLE_H + EXPORT_LEGEND_H);
    expect(out.svg).toContain('Loss &lt;log&gt;');
    expect(out.svg).toContain('train &amp; co');
    expect(out.svg).toContain('validation');
    expect(out.svg).toContain('stroke-dasharray="5 4"');
    expect(out.svg).toContain(`translate(0 ${EXPORT_TITLE_H})`);
  });
});

describe('recent runs', () => {
  it('one run has one fingerprint however often it is saved; another run has another (bug 7)', () => {
    const series = { train: { step: [1, 2, 3], trainLoss: [3, 2, 1] } };
    expect(runFingerprint(DEFAULT_UI_CONFIG, series)).toBe(
      runFingerprint({ ...DEFAULT_UI_CONFIG }, { train: { step: [1, 2, 3], trainLoss: [3, 2, 1] } }),
    );
    expect(runFingerprint(DEFAULT_UI_CONFIG, series)).not.toBe(
      runFingerprint(DEFAULT_UI_CONFIG, { train: { step: [1, 2, 3], trainLoss: [3, 2, 1.5] } }),
    );
    expect(runFingerprint(DEFAULT_UI_CONFIG, series)).not.toBe(runFingerprint({ ...DEFAULT_UI_CONFIG, seed: 1 }, series));
  });
});

describe('links and controls', () => {
  it('knows which hide= entries exist (bug 13)', () => {
    for (const h of ['data', 'model', 'training', 'method', 'files', 'lr', 'weightDecay', 'wd']) expect(isKnownHideEntry(h), h).toBe(true);
    for (const h of ['modle', 'everything', 'backendz']) expect(isKnownHideEntry(h), h).toBe(false);
  });

  it('hiding every group and the files leaves no controls column (bug 14)', () => {
    expect(hasVisibleControls(['data', 'model', 'training', 'method', 'files'])).toBe(false);
    expect(hasVisibleControls(['data', 'model', 'training', 'method'])).toBe(true); // the files stay
    expect(hasVisibleControls([])).toBe(true);
  });

  it('names the weight-decay change of a method switch (bug 2)', () => {
    expect(
      weightDecayChange(
        { ...DEFAULT_UI_CONFIG, weightDecay: 1, weightDecayMode: 'decoupled' },
        { ...DEFAULT_UI_CONFIG, weightDecay: 0.001, weightDecayMode: 'coupled' },
      ),
    ).toBe('1 (decoupled) → 0.001 (coupled)');
    expect(weightDecayChange(DEFAULT_UI_CONFIG, DEFAULT_UI_CONFIG)).toBeNull();
  });
});

describe('backend badge (bug 16)', () => {
  it('stays short; the renderer string and the timings go to the tooltip', () => {
    const renderer = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
    const info = {
      backend: 'webgl' as const,
      adapter: renderer,
      skipped: [{ backend: 'webgpu' as const, reason: 'software adapter' }],
      label: `WebGL · ${renderer}`,
    };
    expect(badgeText(info)).toBe('WebGL');
    expect(badgeTooltip(info)).toContain(renderer);
    expect(badgeTooltip(info)).toContain('webgpu: software adapter');
    expect(badgeText({ backend: 'wasm', adapter: null, skipped: [], label: 'WASM · 1 thread' })).toBe('WASM · 1 thread');
  });
});

describe('method help', () => {
  it('says what each method does, what to expect, and cites its paper', () => {
    for (const m of METHOD_IDS) {
      expect(METHOD_HELP[m], m).toMatch(/arXiv:\d{4}\.\d{4,5}/);
      expect(METHOD_HELP[m], m).toMatch(/What you will see/);
      expect(METHOD_HELP[m], m).toMatch(/\(\D+, \d{4}/); // (Author et al., year
    }
  });
});

describe('UI store: classroom behaviour', () => {
  let workers: FakeWorker[] = [];
  const store = () => useGrokStore.getState();
  beforeEach(() => {
    workers = [];
    useGrokStore.setState({ config: DEFAULT_UI_CONFIG, pendingReset: [], fieldErrors: {}, notices: [], imported: null, edits: [] });
    store().stopCompare();
    store().connect(() => {
      const w = new FakeWorker();
      workers.push(w);
      return w;
    });
    store().reset();
    workers[0]!.reply({ type: 'config', config: DEFAULT_UI_CONFIG });
  });

  it('a field edited while comparing restarts every run with it; the method and its decay are refused with a message', () => {
    store().startCompare(store().config, [{ method: 'adamw' }, { method: 'standard' }]);
    expect(workers).toHaveLength(3);
    store().setField('lr', 0.004);
    // the old runs are gone, two new ones started with the new learning rate
    expect(workers[1]!.terminated && workers[2]!.terminated).toBe(true);
    expect(workers).toHaveLength(5);
    expect(workers[3]!.sent[0]).toMatchObject({ type: 'reset', config: { method: 'adamw', lr: 0.004 } });
    expect(workers[4]!.sent[0]).toMatchObject({ type: 'reset', config: { method: 'standard', lr: 0.004 } });
    expect(store().config.lr).toBe(0.004);
    expect(store().compare.runs.map((r) => r.config.lr)).toEqual([0.004, 0.004]);
    expect(store().notices.at(-1)).toMatchObject({ kind: 'info' });
    const before = store().config;
    store().setField('weightDecay', 0);
    expect(store().config).toBe(before); // nothing changes, not even the link
    expect(store().fieldErrors.weightDecay).toMatch(/exit compare/);
    expect(store().notices.at(-1)).toMatchObject({ kind: 'error' });
    store().setField('method', 'neuralgrok');
    expect(store().config.method).toBe(before.method);
    expect(workers).toHaveLength(5);
  });

  it('a saved comparison refuses edits instead of changing the link under it', () => {
    store().viewCompare([{ label: 'AdamW', config: DEFAULT_UI_CONFIG, series: emptySeries() }]);
    const before = store().config;
    store().setField('lr', 0.004);
    expect(store().config).toBe(before);
    expect(store().fieldErrors.lr).toMatch(/saved comparison/);
  });

  it('a method switch mid-run says how the weight decay changed (bug 2)', () => {
    workers[0]!.reply({ type: 'metrics', records: [{ step: 1, trainLoss: 3, trainAcc: 0.1 }], stepsPerSecond: 10, stepCount: 1 });
    store().switchMethod('neuralgrok');
    expect(store().notices.at(-1)!.message).toMatch(/weight decay: 1 \(decoupled\) → 0\.001 \(coupled\)/);
    expect(store().edits.at(-1)!.label).toMatch(/wd 1 \(decoupled\) → 0\.001 \(coupled\)/);
  });

  it('unknown hide= entries get a message and are dropped (bug 13)', () => {
    store().loadFromQuery('?v=1&hide=model,bogus');
    expect(store().hidden).toEqual(['model']);
    expect(
      store()
        .notices.map((n) => n.message)
        .join('\n'),
    ).toMatch(/hide: unknown entry "bogus"/);
    useGrokStore.setState({ hidden: [] });
  });

  it('Reset while comparing restarts the comparison, not the hidden run', () => {
    store().startCompare(store().config, [{ method: 'adamw' }]);
    const mainSent = workers[0]!.sent.length;
    store().restartCompare();
    expect(workers[1]!.terminated).toBe(true);
    expect(workers[2]!.sent[0]).toMatchObject({ type: 'reset' });
    expect(workers[0]!.sent.slice(mainSent).map((m) => m.type)).not.toContain('reset'); // the hidden run only pauses
  });

  it('says which backend is being prepared until the worker reports its config (bug 16)', () => {
    store().reset({ backend: 'webgl' });
    expect(store().run.preparing).toBe('webgl');
    workers[0]!.reply({ type: 'config', config: { ...DEFAULT_UI_CONFIG, backend: 'webgl' } });
    expect(store().run.preparing).toBeNull();
  });
});
