/**
 * The banners' rules, pure (issue 32): a notice belongs to a topic, and an information notice
 * to a state of the page (paused, restored, imported, a repaired link …) that ends it.
 *
 *   - one information banner at a time: a new one replaces the one on screen;
 *   - one notice per topic: the same error again counts up ("×5") instead of stacking;
 *   - a notice whose state has ended goes by itself (`endedNotices`), so a class never reads
 *     "Paused at step 470" while the run trains on to 3 000.
 */

/** What a notice is about; each topic names the state that ends it (NOTICE_ENDS). */
export type NoticeTopic =
  /** "Paused: validation reached 95 %": ends when the run plays again or a new run starts. */
  | 'paused'
  /** "Restored your run from this browser": ends when it plays on or another run starts. */
  | 'restored'
  /** Leaving a viewed file for a new run: ends with the next new run. */
  | 'left-run'
  /** Continuing after a divergence: ends with the next new run. */
  | 'resumed'
  /** The comparison restarted with an edited field: ends when compare mode ends. */
  | 'compare-edit'
  /** A method brought its own weight decay: ends with the next new run. */
  | 'method-decay'
  /** A share link's problems, repaired: ends when the config changes from the repaired one. */
  | 'link'
  /** An import that failed: ends when a file is shown. */
  | 'import-failed'
  /** "This run is not learning": ends with the next new run. */
  | 'not-learning'
  /** "Link copied": goes after a few seconds (the toolbar's timer). */
  | 'copied'
  /** Anything else: an information notice ends with the next new run, an error when dismissed. */
  | 'other';

export interface Notice {
  id: number;
  kind: 'error' | 'info';
  topic: NoticeTopic;
  message: string;
  /** How many times this message came (shown as "×N" when more than once). */
  count: number;
}

/** The page's state as far as the notices' lifecycles go. */
export interface NoticeWorld {
  runId: number;
  running: boolean;
  imported: boolean;
  comparing: boolean;
  /** The edited config (compared by value only when its reference changes). */
  config: object;
}

type Ends = (prev: NoticeWorld, next: NoticeWorld) => boolean;

const newRun: Ends = (prev, next) => next.runId !== prev.runId;
const playsOrNewRun: Ends = (prev, next) => newRun(prev, next) || (next.running && !prev.running);
const configChanged: Ends = (prev, next) => next.config !== prev.config && JSON.stringify(next.config) !== JSON.stringify(prev.config);

/** The state change that ends each topic's notices (null: only dismissing or a timer ends it). */
export const NOTICE_ENDS: Readonly<Record<NoticeTopic, { info: Ends | null; error: Ends | null }>> = {
  paused: { info: playsOrNewRun, error: playsOrNewRun },
  restored: { info: playsOrNewRun, error: playsOrNewRun },
  'left-run': { info: newRun, error: null },
  resumed: { info: newRun, error: null },
  'compare-edit': { info: (prev, next) => prev.comparing && !next.comparing, error: null },
  'method-decay': { info: newRun, error: null },
  link: { info: configChanged, error: configChanged },
  'import-failed': { info: null, error: (prev, next) => next.imported && !prev.imported },
  'not-learning': { info: newRun, error: newRun },
  copied: { info: null, error: null },
  other: { info: newRun, error: null },
};

/**
 * The notices after pushing one: an information notice replaces the one on screen; a message
 * already shown (same kind and text) counts up and moves last; an error of a topic that holds
 * one notice (everything but `other` and `link`, whose messages each name a different problem)
 * replaces the previous one of its topic.
 */
export function withNotice(list: readonly Notice[], notice: Omit<Notice, 'count'>): Notice[] {
  const same = list.find((n) => n.kind === notice.kind && n.message === notice.message);
  const replaces = (n: Notice) =>
    n === same ||
    (notice.kind === 'info' && n.kind === 'info') ||
    (notice.kind === 'error' && n.kind === 'error' && n.topic === notice.topic && notice.topic !== 'other' && notice.topic !== 'link');
  return [...list.filter((n) => !replaces(n)), { ...notice, count: (same?.count ?? 0) + 1 }];
}

/** The notices whose state ended between two moments of the page. */
export function endedNotices(list: readonly Notice[], prev: NoticeWorld, next: NoticeWorld): Notice[] {
  return list.filter((n) => NOTICE_ENDS[n.topic][n.kind]?.(prev, next) === true);
}

/** The text a banner shows for a notice: its message, and how often it came. */
export const noticeText = (n: Notice): string => (n.count > 1 ? `${n.message} (×${n.count})` : n.message);

/**
 * Repeated messages of one shape as one: those that differ only in quoted parts become
 * "N … ignored: "a", "b", …" — e.g. eight `seeds: "x" is not a seed; ignored` make one line.
 */
export function groupRepeated(messages: readonly string[]): string[] {
  const shape = (m: string) => m.replace(/"[^"]*"/g, '"…"');
  const groups = new Map<string, string[]>();
  for (const m of messages) groups.set(shape(m), [...(groups.get(shape(m)) ?? []), m]);
  return [...groups.entries()].map(([template, group]) => {
    if (group.length === 1) return group[0]!;
    const items = group.map((m) => /"[^"]*"/.exec(m)?.[0] ?? m);
    const shown = items.length > 6 ? [...items.slice(0, 5), '…', items.at(-1)!] : items;
    const prefix = /^([^:]+: )/.exec(template)?.[1] ?? '';
    const what = template
      .slice(prefix.length)
      .replace(/"…"/, '')
      .replace(/\s*(was )?ignored$/, '')
      .replace(/[;,\s]+$/, '')
      .trim();
    return `${prefix}${group.length} ignored (${what.replace(/\s+/g, ' ')}): ${shown.join(', ')}`;
  });
}
