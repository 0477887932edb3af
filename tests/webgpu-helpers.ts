/**
 * What the WebGPU test files share: Node WebGPU started once per file (SwiftShader allowed), the
 * reason when no adapter is found (the file's tests then skip and say why), the backend and the
 * kernels put back after the file, and seeded inputs.
 */
import { afterAll } from 'vitest';
import { startNodeWebGpu } from '../src/cli/webgpu';
import { activateBackend } from '../src/engine/backend';
import { installWebGpuKernels } from '../src/engine/webgpu-kernels';

/** A software adapter compiles every shader on the CPU: a test that trains may take minutes. */
export const SLOW = 900_000;

/** Starts WebGPU for this test file; returns why it could not (the tests skip), or null. */
export async function webGpuForFile(file: string): Promise<string | null> {
  const noAdapter = await startNodeWebGpu({ allowSoftware: true }).then(
    () => null,
    (e: Error) => e.message,
  );
  if (noAdapter) console.warn(`${file} skipped: ${noAdapter}`);
  afterAll(async () => {
    installWebGpuKernels();
    await activateBackend('wasm');
  });
  return noAdapter;
}

/** Seeded values in [-scale, scale). */
export function seededValues(n: number, seed: number, scale: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 2 ** 32) * 2 - 1) * scale;
  });
}
