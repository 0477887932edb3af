/**
 * WebGPU in Node for the CLI, the races and `bench:gpu`: Dawn (the `webgpu` npm package, a
 * prebuilt `dawn.node`) under `@tensorflow/tfjs-backend-webgpu`. The engine stays
 * backend-agnostic; this module only finds an adapter, puts `navigator.gpu` where tfjs looks
 * for it, and verifies the backend with the browser's self-test (src/engine/self-test.ts).
 *
 * Finding an adapter on Linux: Dawn needs the Vulkan loader (`libvulkan.so.1`) and a Vulkan
 * driver (ICD). A machine with a GPU has both. Without one, the SwiftShader ICD that Debian's
 * `chromium` ships (a software Vulkan on the CPU; `vk_swiftshader_icd.json` with its own
 * loader beside it) gives a correct but slow *software* adapter, used for tests and CI
 * (Debian 12's lavapipe is refused by Dawn). Only where no other adapter is found.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { activateBackend } from '../engine/backend';
import { cpuSelfTestValues, selfTestValues, timeConfig } from '../engine/self-test';
import type { ValidConfig } from '../config/schema';
import { withEnvironment } from './process-env';
import {
  describeAdapter,
  describeTimings,
  pickFastest,
  SELF_TEST_TOLERANCE,
  selfTestError,
  type AdapterFacts,
  type BackendTiming,
} from '../core/backend-choice';

export interface NodeWebGpu {
  /** vendor, architecture and description, as the browser shows them */
  adapter: string;
  /** a software adapter (SwiftShader): correct, and slower than WASM */
  software: boolean;
  /** the ICD file this module pointed the Vulkan loader at while finding the adapter, or null when the system's was used */
  icd: string | null;
}

/** The folder of the running script: the packed CLI's own (dist-gpu), where its extra libraries lie. */
const bundleDir = () => dirname(process.argv[1] ?? '.');

/** Where a SwiftShader ICD may lie: GROKLAB_SWIFTSHADER_DIR, beside the packed CLI, then Debian's chromium. */
export function swiftShaderDirs(): string[] {
  const dirs = [process.env.GROKLAB_SWIFTSHADER_DIR, join(bundleDir(), 'swiftshader'), '/usr/lib/chromium'];
  return dirs.filter((d): d is string => Boolean(d));
}

// glibc's RTLD_NODELETE (Node's os.constants.dlopen omits it): keeps a library loaded after
// process.dlopen gives up on it for not being a Node addon.
const RTLD_NOW = 2;
const RTLD_GLOBAL = 0x100;
const RTLD_NODELETE = 0x1000;

/**
 * Loads the Vulkan loader `file` (a path, or a name for the system's search) into the process,
 * so that Dawn's later `dlopen("libvulkan.so.1")` finds it by its soname. True when loaded.
 */
function preloadVulkan(file: string): boolean {
  try {
    process.dlopen({ exports: {} } as NodeJS.Module, file, RTLD_NOW | RTLD_GLOBAL | RTLD_NODELETE);
    return true;
  } catch (e) {
    // a library that is not a Node addon loads and then fails registration: it is loaded
    return /did not self-register|Module did not|napi/i.test((e as Error).message);
  }
}

interface Gpu {
  requestAdapter(o?: { powerPreference?: string }): Promise<(AdapterLike & object) | null>;
}
interface AdapterLike {
  info?: AdapterFacts;
  isFallbackAdapter?: boolean;
}

let started: NodeWebGpu | null = null;

/**
 * Finds a WebGPU adapter and registers tfjs's webgpu backend on it (not yet active).
 * `allowSoftware: false` (auto): look only for a real GPU, never load SwiftShader.
 * Throws an Error saying what is missing when there is no adapter.
 */
export async function startNodeWebGpu(opts: { allowSoftware: boolean }): Promise<NodeWebGpu> {
  if (started) return started;
  let icd: string | null = null;
  const linux = process.platform === 'linux';
  const swiftShader = swiftShaderDirs().find((d) => existsSync(join(d, 'vk_swiftshader_icd.json')));
  const userIcd = Boolean(process.env.VK_ICD_FILENAMES);
  // the system's loader, else the one packed beside the CLI (scripts/pack-gpu.ts), for a GPU driver without it
  let systemLoader = !linux || preloadVulkan('libvulkan.so.1') || preloadVulkan(join(bundleDir(), 'vulkan', 'libvulkan.so.1'));
  if (linux && !systemLoader && !opts.allowSoftware)
    throw new Error('no WebGPU adapter: no Vulkan loader (libvulkan.so.1) on this machine, so no GPU driver to use');
  let webgpu: { create(flags: string[]): Gpu; globals: Record<string, unknown> };
  try {
    webgpu = (await import('webgpu')) as unknown as typeof webgpu;
  } catch (e) {
    throw new Error(`the webgpu package (Dawn for Node) did not load: ${(e as Error).message}`);
  }
  Object.assign(globalThis, webgpu.globals);
  const request = (gpu: Gpu) => gpu.requestAdapter({ powerPreference: 'high-performance' });
  let gpu: Gpu | null = null;
  let adapter: AdapterLike | null = null;
  if (systemLoader) {
    gpu = webgpu.create([]);
    adapter = await request(gpu);
  }
  if (!adapter && opts.allowSoftware && linux && !userIcd && swiftShader) {
    // no adapter on the system's drivers: the software one, with its own loader where none is installed
    if (!systemLoader) systemLoader = preloadVulkan(join(swiftShader, 'libvulkan.so.1'));
    icd = join(swiftShader, 'vk_swiftshader_icd.json');
    // the loader reads the ICD list from the environment when Dawn creates its Vulkan instance
    // (creating the GPU, finding the adapter); it is put back afterwards
    [gpu, adapter] = await withEnvironment({ VK_ICD_FILENAMES: icd }, async () => {
      const software = webgpu.create([]);
      return [software, await request(software)] as const;
    });
  }
  if (!adapter || !gpu) {
    const why = !systemLoader
      ? 'no Vulkan loader (libvulkan.so.1): install the GPU driver, or Debian’s chromium for the SwiftShader software adapter'
      : opts.allowSoftware && !swiftShader && !userIcd
        ? 'the Vulkan drivers offer none that Dawn accepts, and no SwiftShader ICD was found (install Debian’s chromium)'
        : 'the Vulkan drivers offer none that Dawn accepts';
    throw new Error(`no WebGPU adapter: ${why}`);
  }
  const { name, software } = describeAdapter(adapter.info ?? {}, adapter.isFallbackAdapter);
  if (software && !opts.allowSoftware) throw new Error(`only a software adapter (${name}), slower than WASM`);
  // tfjs-webgpu registers its backend at import time only if navigator.gpu exists then.
  const nav = (globalThis as { navigator?: object }).navigator;
  if (nav) Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true });
  else Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!tf.findBackendFactory('webgpu')) throw new Error('tfjs-backend-webgpu did not register (navigator.gpu was not seen)');
  started = { adapter: name, software, icd };
  return started;
}

/**
 * The browser's start-up self-test, in Node: two steps of a tiny model on `backend` against the
 * CPU backend. Leaves `backend` active when it agrees; throws, saying by how much, when not.
 */
export async function verifyBackend(backend: string): Promise<void> {
  const reference = await cpuSelfTestValues();
  await activateBackend(backend);
  const got = await selfTestValues();
  const worst = selfTestError(got, reference);
  if (!(worst < SELF_TEST_TOLERANCE))
    throw new Error(
      `backend ${backend} failed the start-up self-test: two steps of a tiny model differ from the CPU backend by ${worst.toExponential(1)} relative (allowed ${SELF_TEST_TOLERANCE}); refusing to train on it`,
    );
}

/** The label printed and recorded for a run's adapter, e.g. "google swiftshader SwiftShader driver 5.0.0 (software adapter)". */
export const adapterLabel = (w: NodeWebGpu): string => `${w.adapter}${w.software ? ' (software adapter)' : ''}`;

/** A backend the CLI can train on, with its WebGPU adapter when it is WebGPU. */
export interface CliBackend {
  backend: 'webgpu' | 'wasm' | 'cpu';
  webgpu: NodeWebGpu | null;
}

/** A backend the user asked for that cannot be used here (the CLI exits 2 with the message). */
export class BackendUnavailable extends Error {
  override name = 'BackendUnavailable';
}

/**
 * The CLI's backend, activated: `webgpu` on any adapter (software included, said so) after the
 * self-test; `auto` as the browser chooses: WebGPU only on a real GPU that passes the self-test
 * and is measured faster than WASM on this very config; else WASM.
 */
export async function chooseCliBackend(requested: string, config: ValidConfig, log: (s: string) => void): Promise<CliBackend> {
  if (requested === 'wasm' || requested === 'cpu') {
    await activateBackend(requested);
    return { backend: requested, webgpu: null };
  }
  if (requested === 'webgpu') {
    let w: NodeWebGpu;
    try {
      w = await startNodeWebGpu({ allowSoftware: true });
    } catch (e) {
      throw new BackendUnavailable(`--backend webgpu: ${(e as Error).message}`);
    }
    log(`WebGPU adapter: ${adapterLabel(w)}${w.icd ? ` (VK_ICD_FILENAMES=${w.icd})` : ''}`);
    try {
      await verifyBackend('webgpu');
    } catch (e) {
      throw new BackendUnavailable(`--backend webgpu: ${(e as Error).message}`);
    }
    return { backend: 'webgpu', webgpu: w };
  }
  if (requested !== 'auto')
    throw new BackendUnavailable(`--backend ${requested} exists only in the browser; in Node use webgpu, wasm or cpu`);
  let w: NodeWebGpu | null = null;
  try {
    w = await startNodeWebGpu({ allowSoftware: false });
    await verifyBackend('webgpu');
  } catch (e) {
    // no GPU here (the common case): WASM, as before; say why only when there was an adapter
    if (w) log(`auto: WebGPU (${adapterLabel(w)}) skipped: ${(e as Error).message}`);
    await activateBackend('wasm');
    return { backend: 'wasm', webgpu: null };
  }
  const timings: BackendTiming[] = [];
  for (const backend of ['webgpu', 'wasm'] as const) {
    await activateBackend(backend);
    try {
      timings.push({ backend, msPerStep: await timeConfig(config) });
    } catch (e) {
      timings.push({ backend, msPerStep: null, note: `timing failed: ${(e as Error).message}` });
    }
  }
  const best = pickFastest(timings) === 'webgpu' ? 'webgpu' : 'wasm';
  log(`auto: ${describeTimings(timings, best).join('; ')} (WebGPU adapter: ${adapterLabel(w)})`);
  await activateBackend(best);
  return { backend: best, webgpu: best === 'webgpu' ? w : null };
}
