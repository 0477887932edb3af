/**
 * Selectors and hooks over the store: derived data (the run story, compare status) computed
 * once per store update however many components read it, and re-renders throttled by a
 * subscription — no `getState()` during render and no polling.
 */
import { useEffect, useRef, useState } from 'react';
import { runStory, type RunStory } from '../run-story';
import { useGrokStore, type GrokStore } from '../store';
import { compareProgress, compareStatus, compareVerdict, type CompareStatus } from './compare-slice';

/**
 * A store value, re-rendering at most every `ms` however often it changes: the store is
 * subscribed to (nothing runs while nothing changes) and the last change always lands.
 *
 * @example const version = useThrottledSelector((s) => s.run.seriesVersion, 100);
 */
export function useThrottledSelector<T>(select: (s: GrokStore) => T, ms: number): T {
  const [value, setValue] = useState(() => select(useGrokStore.getState()));
  const selectRef = useRef(select);
  useEffect(() => {
    selectRef.current = select;
  });
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const flush = () => {
      timer = null;
      last = performance.now();
      setValue(() => selectRef.current(useGrokStore.getState()));
    };
    flush(); // a change between the render and this effect
    const unsubscribe = useGrokStore.subscribe((s, prev) => {
      if (timer !== null || Object.is(selectRef.current(s), selectRef.current(prev))) return;
      timer = setTimeout(flush, Math.max(0, last + ms - performance.now()));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [ms]);
  return value;
}

let storyMemo: { key: unknown[]; story: RunStory } | null = null;

/**
 * The displayed run's story (markers, phase bands, phase, delay), computed once per change of
 * its inputs: the series columns grow in place, so their length is part of the key.
 */
export function selectRunStory(s: GrokStore): RunStory {
  const evals = s.run.series.evals;
  const { evalEvery, p } = s.run.workerConfig ?? s.config;
  const key = [evals, evals.step.length, s.run.insideHistory, s.edits, evalEvery, p];
  if (storyMemo && storyMemo.key.every((k, i) => Object.is(k, key[i]))) return storyMemo.story;
  const story = runStory(evals, s.run.insideHistory, s.edits, evalEvery, evals.step.length, 1 / p);
  storyMemo = { key, story };
  return story;
}

const REDRAW_MS = 100;

/** The run's story, re-rendering at most 10×/s. */
export const useRunStory = (): RunStory => useThrottledSelector(selectRunStory, REDRAW_MS);

/** The comparison's status, re-rendering only when it changes. */
export const useCompareStatus = (): CompareStatus => useGrokStore((s) => compareStatus(s.compare));

export { compareProgress, compareVerdict };
