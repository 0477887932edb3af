/**
 * The toolbar's backend badge: short ("WebGL", "WASM · 1 thread"), with the details — the
 * adapter or renderer string, the timings auto mode measured, skipped backends — in its tooltip.
 * A WebGL renderer string can be 80 characters; it must not push the toolbar apart.
 */
import type { BackendInfo } from '../protocol';
import { describeTimings } from '../core/backend-choice';

const NAMES = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WASM', cpu: 'CPU' } as const;
const MAX_BADGE = 24;

export function backendName(id: string): string {
  return id === 'auto' ? 'the fastest backend' : ((NAMES as Record<string, string>)[id] ?? id);
}

export function badgeText(info: BackendInfo): string {
  const label = info.label ?? NAMES[info.backend];
  return label.length <= MAX_BADGE ? label : NAMES[info.backend];
}

export function badgeTooltip(info: BackendInfo): string {
  const full = info.label ?? `${NAMES[info.backend]}${info.adapter ? ` · ${info.adapter}` : ''}`;
  const adapter = info.adapter && !full.includes(info.adapter) ? `${full} · ${info.adapter}` : full;
  return [adapter, ...describeTimings(info.timings ?? [], info.backend), ...info.skipped.map((x) => `${x.backend}: ${x.reason}`)].join(
    '\n',
  );
}
