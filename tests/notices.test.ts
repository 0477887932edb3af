/** Issue 32: banners with a lifecycle — one info banner, one per topic, grouped repeats, and each goes when its state ends. */
import { beforeEach, describe, expect, it } from 'vitest';
import { endedNotices, groupRepeated, noticeText, withNotice, type Notice, type NoticeWorld } from '../src/ui/state/notices';
import { DEFAULT_UI_CONFIG, useGrokStore } from '../src/ui/store';
import { FakeWorker } from './fake-worker';

const world = (w: Partial<NoticeWorld> = {}): NoticeWorld => ({
  runId: 1,
  running: false,
  imported: false,
  comparing: false,
  config: DEFAULT_UI_CONFIG,
  ...w,
});
const info = (id: number, topic: Notice['topic'], message = `info ${id}`) => ({ id, kind: 'info' as const, topic, message });
const error = (id: number, topic: Notice['topic'], message = `error ${id}`) => ({ id, kind: 'error' as const, topic, message });

describe('notice rules', () => {
  it('keeps one information banner: a new one replaces the one on screen', () => {
    let list = withNotice([], info(1, 'paused'));
    list = withNotice(list, error(2, 'other'));
    list = withNotice(list, info(3, 'method-decay'));
    expect(list.filter((n) => n.kind === 'info').map((n) => n.id)).toEqual([3]);
    expect(list.filter((n) => n.kind === 'error')).toHaveLength(1);
  });

  it('counts the same message again instead of stacking it, and keeps one failed import', () => {
    let list: Notice[] = [];
    for (let i = 1; i <= 5; i++) list = withNotice(list, error(i, 'import-failed', `Import failed: reason ${i % 2}`));
    expect(list).toHaveLength(1);
    expect(list[0]!.message).toBe('Import failed: reason 1');
    list = withNotice([], error(1, 'other', 'The run diverged'));
    list = withNotice(list, error(2, 'other', 'The run diverged'));
    expect(list).toHaveLength(1);
    expect(noticeText(list[0]!)).toBe('The run diverged (×2)');
  });

  it('keeps each of a link’s different problems (each names its own field)', () => {
    let list = withNotice([], error(1, 'link', 'Link: lr: "abc" is not a number'));
    list = withNotice(list, error(2, 'link', 'Link: p: p = 91 is not prime'));
    expect(list).toHaveLength(2);
  });

  it('ends a notice when its state ends, and only then', () => {
    const paused = withNotice([], info(1, 'paused'))[0]!;
    expect(endedNotices([paused], world(), world({ config: { ...DEFAULT_UI_CONFIG } }))).toEqual([]);
    expect(endedNotices([paused], world(), world({ running: true }))).toEqual([paused]);
    expect(endedNotices([paused], world(), world({ runId: 2 }))).toEqual([paused]);
    const restored = withNotice([], info(1, 'restored'))[0]!;
    expect(endedNotices([restored], world(), world({ runId: 2 }))).toEqual([restored]); // the paper preset at step 0
    const left = withNotice([], info(1, 'left-run'))[0]!;
    expect(endedNotices([left], world(), world({ running: true }))).toEqual([]); // it plays at once: still its run
    expect(endedNotices([left], world(), world({ runId: 2 }))).toEqual([left]);
    const link = withNotice([], error(1, 'link'))[0]!;
    expect(endedNotices([link], world(), world({ config: { ...DEFAULT_UI_CONFIG } }))).toEqual([]); // equal by value
    expect(endedNotices([link], world(), world({ config: { ...DEFAULT_UI_CONFIG, lr: 0.002 } }))).toEqual([link]);
    const failed = withNotice([], error(1, 'import-failed'))[0]!;
    expect(endedNotices([failed], world(), world({ imported: true }))).toEqual([failed]);
    const plainError = withNotice([], error(1, 'other'))[0]!;
    expect(endedNotices([plainError], world(), world({ runId: 2, running: true }))).toEqual([]); // dismissed by hand
    const compareEdit = withNotice([], info(1, 'compare-edit'))[0]!;
    expect(endedNotices([compareEdit], world({ comparing: true }), world())).toEqual([compareEdit]);
  });

  it('groups repeated messages of one shape into one line', () => {
    const seeds = Array.from({ length: 8 }, (_, i) => `seeds: at most 4; "${i + 4}" was ignored`);
    const grouped = groupRepeated([...seeds, 'compare: unknown method "x" was ignored']);
    expect(grouped).toHaveLength(2);
    expect(grouped[0]).toMatch(/^seeds: 8 ignored \(at most 4\): "4", "5", "6", "7", "8", …, "11"$/);
    expect(grouped[1]).toBe('compare: unknown method "x" was ignored');
  });
});

describe('notices in the store', () => {
  let main: FakeWorker;
  beforeEach(() => {
    useGrokStore.setState({ config: DEFAULT_UI_CONFIG, notices: [], imported: null, pauseWhenGrokked: true });
    useGrokStore.getState().stopCompare();
    useGrokStore.getState().connect(() => (main = new FakeWorker()));
    useGrokStore.getState().reset();
    main.reply({ type: 'config', config: DEFAULT_UI_CONFIG });
  });
  const store = () => useGrokStore.getState();

  it('the paused banner goes when Play continues, and a reset clears the restored one', () => {
    store().pushInfo('Paused: validation accuracy reached 95 % at step 470', 'paused');
    main.reply({ type: 'state', running: true, stepCount: 470 });
    expect(store().notices).toEqual([]);
    store().pushInfo('Restored your run from this browser: step 360', 'restored');
    store().applyPreset('paper');
    expect(store().notices).toEqual([]);
  });

  it('a second information notice replaces the first; errors stay until dismissed', () => {
    store().pushError('Worker said no');
    store().pushInfo('first', 'method-decay');
    store().pushInfo('second', 'other');
    expect(store().notices.map((n) => n.message)).toEqual(['Worker said no', 'second']);
    store().reset({ lr: 0.002 });
    expect(store().notices.map((n) => n.message)).toEqual(['Worker said no']);
  });
});
