/**
 * Backend choice in the browser: WebGPU, then WebGL, then WASM, then CPU, each verified once
 * by a tiny numeric self-test against the CPU result (WebGPU drivers have shipped wrong
 * results). A WebGPU fallback adapter (software, e.g. SwiftShader) is skipped in `auto` mode:
 * it is correct but far slower than WASM.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendId } from '../config/fields';
import { buildConfig } from '../config/schema';
import { CLASSROOM_CONFIG } from '../config/presets';
import { Trainer } from '../engine/trainer';
import type { BackendInfo, BackendName } from '../protocol';

setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

export const BACKEND_ORDER: BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/**
 * Two training steps of a tiny model (every kernel a real step uses: one-hot matmuls,
 * attention, LayerNorm, GELU, gradients, the flat Adam update, the metrics) whose numbers
 * must match the CPU backend's. Read back with `await data()`, as training does.
 */
async function selfTestValues(): Promise<number[]> {
  const trainer = new Trainer(buildConfig(CLASSROOM_CONFIG, { p: 5, dModel: 8, heads: 2, batchSize: 8, evalEvery: 2, method: 'adamw' }));
  try {
    const { records } = await trainer.runSteps(2);
    return records.flatMap((r) => [r.trainLoss!, r.valLoss ?? 0, r.weightNorm ?? 0, r.ageApplied ?? 0]);
  } finally {
    trainer.dispose();
  }
}

async function adapterInfo(): Promise<{ name: string | null; fallback: boolean } | null> {
  const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
  if (!gpu) return null;
  const adapter = (await gpu.requestAdapter()) as { info?: { description?: string; vendor?: string; architecture?: string }; isFallbackAdapter?: boolean } | null;
  if (!adapter) return null;
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.description].filter(Boolean).join(' ') || 'WebGPU adapter';
  return { name, fallback: Boolean(adapter.isFallbackAdapter) || /swiftshader/i.test(name) };
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

async function trySetBackend(name: BackendName): Promise<string | null> {
  try {
    return (await tf.setBackend(name)) ? null : 'not available in this browser';
  } catch (e) {
    return (e as Error).message;
  }
}

let cpuReference: number[] | null = null;

/** Activates the preferred backend (or the first that works) and says what was skipped. */
export async function chooseBackend(preference: BackendId, exclude: BackendName[] = []): Promise<BackendInfo> {
  if (!cpuReference) {
    await tf.setBackend('cpu');
    cpuReference = await selfTestValues();
  }
  const skipped: BackendInfo['skipped'] = [];
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
    const worst = Math.max(...got.map((v, i) => Math.abs(v - cpuReference![i]!) / (1e-3 + Math.abs(cpuReference![i]!))));
    if (!(worst < 1e-3)) {
      skipped.push({ backend, reason: `self-test mismatch against CPU (relative error ${worst.toExponential(1)})` });
      continue;
    }
    return { backend, adapter, skipped };
  }
  throw new Error('no backend works in this browser');
}
