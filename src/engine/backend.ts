/**
 * Backend selection shared by the CLI and the worker. tfjs leaves getBackend() naming a
 * backend whose setBackend failed, so success is judged by setBackend's return value.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { installWasmKernelFixes } from './wasm-kernels';
import { installWebGpuKernels } from './webgpu-kernels';

// Before any backend starts: the registry is read when a backend initializes.
installWasmKernelFixes();
// GrokLab's own WebGPU kernels (the fused Adam update); a registry entry, inert until webgpu runs.
installWebGpuKernels();

export async function activateBackend(name: string): Promise<void> {
  let ok = false;
  try {
    ok = await tf.setBackend(name);
  } catch (e) {
    throw new Error(`backend ${name} failed to start: ${(e as Error).message}`);
  }
  if (!ok) throw new Error(`backend ${name} is not available here`);
  await tf.ready();
}
