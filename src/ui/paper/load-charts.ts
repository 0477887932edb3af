/**
 * recharts for "The paper, checked", loaded in steps. Evaluating its ~420 kB at once was one
 * main-thread task of 100–240 ms on the loaded 2-core machine; its heaviest dependencies are
 * imported first, each in its own task (a timeout between them), so no step is long. They are
 * recharts' own dependencies (hoisted by npm), imported only to be evaluated early: recharts
 * then finds them evaluated and the bundler shares their chunks.
 */
import type * as Charts from './PaperCharts';

const nextTask = () => new Promise((resolve) => setTimeout(resolve, 0));

const STEPS: (() => Promise<unknown>)[] = [
  () => import('victory-vendor/d3-scale'),
  () => import('victory-vendor/d3-shape'),
  () => import('@reduxjs/toolkit'),
  () => import('react-redux'),
  () => import('decimal.js-light'),
];

let loading: Promise<typeof Charts> | null = null;

export function loadCharts(): Promise<typeof Charts> {
  loading ??= (async () => {
    for (const step of STEPS) {
      await step();
      await nextTask();
    }
    return import('./PaperCharts');
  })();
  return loading;
}
