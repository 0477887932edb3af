/**
 * Backend choice in the browser: WebGPU, then WebGL, then WASM, then CPU, each verified once
 * by a tiny numeric self-test against the CPU result (WebGPU drivers have shipped wrong
 * results). A WebGPU fallback adapter (software, e.g. SwiftShader) is skipped in `auto` mode:
 * it is correct but far slower than WASM.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendId } from '../config/fields';
import type { ValidConfig } from '../config/schema';
import { activateBackend } from '../engine/backend';
import { cpuSelfTestValues, selfTestValues, timeConfig } from '../engine/self-test';
import type { BackendInfo, BackendName } from '../protocol';
import {
  BACKEND_ORDER,
  describeAdapter,
  MAX_WASM_THREADS,
  pickFastest,
  SELF_TEST_TOLERANCE,
  selfTestError,
  shouldTimeCpu,
  type BackendTiming,
} from '../core/backend-choice';

setWasmPaths({
  'tfjs-backend-wasm.wasm': wasmPlain,
  'tfjs-backend-wasm-simd.wasm': wasmSimd,
  'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded,
});

export { BACKEND_ORDER };

/**
 * Threads for tfjs-wasm's threaded SIMD build, fixed when the wasm module starts: the page
 * names the count in the worker's name (`…;threads=N`, from `wasmThreadsFor` in
 * src/core/backend-choice.ts: one for small models, every logical core for large ones, and it
 * starts a new worker when a new config wants another count). The build needs
 * SharedArrayBuffer, i.e. a cross-origin isolated page (COOP same-origin + COEP require-corp,
 * set by vite.config.ts); without it tfjs falls back to single-threaded SIMD.
 */
export function wasmThreadsWanted(): number {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  if (!isolated) return 1;
  const asked = /;threads=(\d+)/.exec((globalThis as { name?: string }).name ?? '');
  return asked ? Math.max(1, Math.min(MAX_WASM_THREADS, Number(asked[1]))) : 1;
}

/**
 * tfjs-wasm's backend.cc caps its thread pool at half of `navigator.hardwareConcurrency`
 * (assuming two hyper-threads per core), read once when the wasm module starts. To get the
 * threads the page asked for (a 2-core machine would otherwise never get 2, which run the
 * paper model 1.6× faster here: docs/performance.md), the worker reports twice that many
 * cores to it. Nothing else in the worker reads the value.
 */
function liftTfjsThreadCap(threads: number): void {
  const reported = navigator.hardwareConcurrency || 1;
  if (Math.floor(reported / 2) >= threads) return;
  try {
    Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
  } catch {
    /* read-only here: tfjs's own cap stays */
  }
}

const threadsWanted = wasmThreadsWanted();
liftTfjsThreadCap(threadsWanted);
setThreadsCount(threadsWanted);

function badgeLabel(backend: BackendName, adapter: string | null): { label: string; threads?: number } {
  if (backend === 'wasm') {
    let threads = 1;
    try {
      threads = getThreadsCount();
    } catch {
      /* not initialised: single-threaded */
    }
    return { label: `WASM · ${threads} thread${threads === 1 ? '' : 's'}`, threads };
  }
  const name = { webgpu: 'WebGPU', webgl: 'WebGL', cpu: 'CPU' }[backend];
  return { label: adapter ? `${name} · ${adapter}` : name };
}

async function adapterInfo(): Promise<{ name: string | null; fallback: boolean } | null> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return null;
  const adapter = (await gpu.requestAdapter()) as {
    info?: { description?: string; vendor?: string; architecture?: string };
    isFallbackAdapter?: boolean;
  } | null;
  if (!adapter) return null;
  const { name, software } = describeAdapter(adapter.info ?? {}, adapter.isFallbackAdapter);
  return { name, fallback: software };
}

/** The WebGL renderer's name, to tell a software rasterizer from a GPU. */
function webglRenderer(): string | null {
  try {
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2') as WebGL2RenderingContext | null;
    if (!gl) return null;
    const ext = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(ext ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  } catch {
    return null;
  }
}

/** Why the backend could not be activated, or null when it is active. */
async function trySetBackend(name: BackendName): Promise<string | null> {
  try {
    await activateBackend(name);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

let cpuReference: number[] | null = null;

/** Activates the preferred backend (or the first that works) and says what was skipped. */
export async function chooseBackend(preference: BackendId, exclude: BackendName[] = [], config?: ValidConfig): Promise<BackendInfo> {
  if (!cpuReference) cpuReference = await cpuSelfTestValues();
  const skipped: BackendInfo['skipped'] = [];
  const verified: { backend: BackendName; adapter: string | null }[] = [];
  const candidates = preference === 'auto' ? BACKEND_ORDER : [preference as BackendName, ...BACKEND_ORDER.filter((b) => b !== preference)];
  for (const backend of candidates.filter((b) => !exclude.includes(b))) {
    let adapter: string | null = null;
    if (backend === 'webgpu') {
      const info = await adapterInfo();
      if (!info) {
        skipped.push({ backend, reason: 'no WebGPU adapter' });
        continue;
      }
      if (info.fallback && preference === 'auto') {
        skipped.push({ backend, reason: `only a software adapter (${info.name}), slower than WASM` });
        continue;
      }
      adapter = info.name;
    }
    if (backend === 'webgl') {
      const renderer = webglRenderer();
      if (renderer && /swiftshader|llvmpipe|software/i.test(renderer) && preference === 'auto') {
        skipped.push({ backend, reason: `only a software renderer (${renderer}), slower than WASM` });
        continue;
      }
      adapter = renderer ?? 'WebGL2';
    }
    const failure = await trySetBackend(backend);
    if (failure) {
      skipped.push({ backend, reason: failure });
      continue;
    }
    await tf.ready();
    const got = await selfTestValues();
    const worst = selfTestError(got, cpuReference);
    if (!(worst < SELF_TEST_TOLERANCE)) {
      skipped.push({ backend, reason: `self-test mismatch against CPU (relative error ${worst.toExponential(1)})` });
      continue;
    }
    if (preference !== 'auto' || !config) return { backend, adapter, skipped, ...badgeLabel(backend, adapter) };
    verified.push({ backend, adapter });
  }
  if (verified.length === 0) throw new Error('no backend works in this browser');
  // Auto: time the actual config on every verified backend and keep the fastest.
  const timings: BackendTiming[] = [];
  for (const v of verified) {
    if (v.backend === 'cpu' && verified.length > 1 && !shouldTimeCpu(timings)) {
      timings.push({ backend: 'cpu', msPerStep: null, note: 'not timed (plain JavaScript, far slower than WASM at this size)' });
      continue;
    }
    try {
      if (!(await tf.setBackend(v.backend))) throw new Error('could not switch back to it');
      timings.push({ backend: v.backend, msPerStep: await timeConfig(config as ValidConfig) }); // set: auto without a config returned above
    } catch (e) {
      timings.push({ backend: v.backend, msPerStep: null, note: `timing failed: ${(e as Error).message}` });
    }
  }
  const best = verified.find((v) => v.backend === pickFastest(timings)) ?? verified[0]!;
  await tf.setBackend(best.backend);
  await tf.ready();
  return { backend: best.backend, adapter: best.adapter, skipped, timings, ...badgeLabel(best.backend, best.adapter) };
}
