/** The toolbar's ETA to the run's stop condition, smoothed and shown only when stable (src/ui/eta.ts). */
import { useEffect, useRef, useState } from 'react';
import { measuredGrokStep } from '../class-texts';
import { ETA_WINDOW_SECONDS, etaSeconds, etaTarget, type ProgressSample } from '../eta';
import { useGrokStore } from '../store';

export const clock = (seconds: number) => {
  const s = Math.max(0, Math.round(seconds));
  return s >= 3600
    ? `${Math.floor(s / 3600)}\u00a0h ${Math.floor((s % 3600) / 60)}\u00a0min`
    : s >= 60
      ? `${Math.floor(s / 60)}\u00a0min ${s % 60}\u00a0s`
      : `${s}\u00a0s`;
};

export function Eta() {
  const samples = useRef<ProgressSample[]>([]);
  const [text, setText] = useState<string | null>(null);
  useEffect(() => {
    const update = (s: ReturnType<typeof useGrokStore.getState>) => {
      const run = s.run;
      const list = samples.current;
      const last = list.at(-1);
      // a new run (the counter went back) starts a new window
      if (last && (run.stepCount < last.step || run.elapsedSeconds < last.seconds)) list.length = 0;
      if (!last || run.elapsedSeconds > last.seconds) list.push({ seconds: run.elapsedSeconds, step: run.stepCount });
      while (list.length > 2 && list[1]!.seconds < run.elapsedSeconds - 3 * ETA_WINDOW_SECONDS) list.shift();
      const config = run.workerConfig ?? s.config;
      const target = etaTarget({
        step: run.stepCount,
        budget: config.steps,
        pauseWhenGrokked: s.pauseWhenGrokked,
        grokked: run.stepsTo95 !== null,
        expectedGrokStep: measuredGrokStep(config),
      });
      const eta = run.running ? etaSeconds(list, target) : null;
      setText(
        eta === null
          ? null
          : target.kind === 'grokked'
            ? `about ${clock(eta)} to grokking (measured at step ${target.step})`
            : `about ${clock(eta)} left`,
      );
    };
    update(useGrokStore.getState());
    return useGrokStore.subscribe((s, prev) => {
      if (s.run.elapsedSeconds !== prev.run.elapsedSeconds || s.run.running !== prev.run.running) update(s);
    });
  }, []);
  return text ? <span data-testid="eta"> · {text}</span> : null;
}
