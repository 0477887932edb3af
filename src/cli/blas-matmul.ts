/**
 * OpenBLAS's sgemm as the wasm backend's matrix multiply, in Node only (native/README.md).
 *
 * tfjs-wasm's matmuls run in XNNPACK at ≈ 17 GMAC/s on one core (4-wide wasm SIMD, no FMA);
 * OpenBLAS's kernels run on the same heap memory, with no copy, several times faster
 * (measured: bench/results/blas-speed.md, docs/performance.md), which is what lets the paper's
 * long poly5 runs fit working sessions. Opt-in (`GROKLAB_BLAS=1`), because its
 * float rounding differs from XNNPACK's: a CLI run stays bit-identical to the browser's unless
 * asked otherwise, and a race row records which matmul produced it.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setWasmMatMul, type HeapMatMul } from '../engine/wasm-kernels';

interface BlasAddon {
  matmul: HeapMatMul;
  describe(): { core: string; threads: number };
  setThreads(n: number): void;
}

/** Where `bash scripts/build-blas.sh` puts the compiled addon. */
export const BLAS_ADDON_PATH = fileURLToPath(new URL('../../native/build/blas-matmul.node', import.meta.url));

export interface BlasMatMulInfo {
  /** e.g. "openblas Cooperlake ×1": what a race row records as its matmul. */
  label: string;
  core: string;
  threads: number;
}

let loaded: BlasAddon | null = null;

/**
 * Variables that pin OpenBLAS's kernel choice. This machine's environment sets them to its
 * Haswell (AVX2) kernels for an old build; OpenBLAS reads them once, when it loads, and picks
 * the AVX-512 ones without them (up to 2× on the model's sgemm shapes here: native/README.md).
 * A program's entry point (the CLI, a benchmark) may clear them before the first matmul; no
 * library function changes the process's environment. The kernel in use is in the label.
 */
export const BLAS_PINNING_VARIABLES = ['OPENBLAS_CORETYPE', 'OPENBLAS_L2_SIZE'] as const;

/**
 * The process's kernel choice, made before OpenBLAS loads: clears the pinning variables, so
 * OpenBLAS picks its kernels for this CPU, or, when `GROKLAB_BLAS_CORE` names a core
 * ("Cooperlake", "SkylakeX", "Haswell"), pins that one. A checkpoint records the core it was
 * written on and a resumed run must round the same way: OpenBLAS 0.3.21 names a CPU newer
 * than it knows "Prescott" (SSE3 kernels; seen here on a model-207 Xeon, 2026-12-07), so a run
 * parked on one machine resumes on another by pinning the core it was written on.
 * Entry points call it (the CLI, benchmarks); no library function changes the environment.
 */
export function chooseBlasKernels(env: NodeJS.ProcessEnv = process.env): void {
  for (const v of BLAS_PINNING_VARIABLES) delete env[v];
  const core = env.GROKLAB_BLAS_CORE?.trim();
  if (core) env.OPENBLAS_CORETYPE = core;
}

/** Loads the addon (null when it has not been built). */
export function loadBlasAddon(): BlasAddon | null {
  if (loaded) return loaded;
  if (!existsSync(BLAS_ADDON_PATH)) return null;
  loaded = createRequire(import.meta.url)(BLAS_ADDON_PATH) as BlasAddon;
  return loaded;
}

/**
 * Routes the wasm backend's matmuls through OpenBLAS with `threads` threads (one per process
 * when two runs share the cores). Throws with the build command when the addon is missing.
 */
export function installBlasMatMul(threads = 1): BlasMatMulInfo {
  const addon = loadBlasAddon();
  if (!addon) throw new Error(`the OpenBLAS matmul is not built (${BLAS_ADDON_PATH}): run npm run build:blas`);
  addon.setThreads(Math.max(1, Math.floor(threads)));
  setWasmMatMul(addon.matmul);
  const { core, threads: n } = addon.describe();
  const asked = process.env.GROKLAB_BLAS_CORE?.trim();
  // OpenBLAS silently falls back to its detected core on a name it does not know
  if (asked && asked.toLowerCase() !== core.toLowerCase())
    throw new Error(
      `GROKLAB_BLAS_CORE=${asked} was not taken: OpenBLAS chose ${core} (a core name it knows, e.g. Cooperlake, SkylakeX, Haswell)`,
    );
  return { label: `openblas ${core} ×${n}`, core, threads: n };
}

/** The CLI's switch: `GROKLAB_BLAS=1` (threads from `GROKLAB_BLAS_THREADS`, default 1); null when off. */
export function blasFromEnvironment(env: NodeJS.ProcessEnv = process.env): BlasMatMulInfo | null {
  if (!env.GROKLAB_BLAS || env.GROKLAB_BLAS === '0') return null;
  return installBlasMatMul(Number(env.GROKLAB_BLAS_THREADS ?? 1) || 1);
}
