/**
 * The click-time charts on recharts, loaded as their own chunk (recharts is ~400 kB: the page's
 * main chunk stays under Vite's 500 kB limit, tests/e2e/bundle.test.ts). The inside view's
 * spectrum loads it soon after start-up, so a compare summary finds it ready.
 */
import { lazy, Suspense, type ComponentProps } from 'react';

const GrokStepsChartChunk = lazy(() => import('./GrokStepsChart'));

export function GrokStepsChart(props: ComponentProps<typeof GrokStepsChartChunk>) {
  return (
    <Suspense fallback={<div className="grok-steps-chart" style={{ height: 200 }} />}>
      <GrokStepsChartChunk {...props} />
    </Suspense>
  );
}
