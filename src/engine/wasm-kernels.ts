/**
 * Faster replacements for three tfjs-wasm 4.22 kernels that are slow for reasons unrelated to
 * arithmetic (measured in Node on the paper model's shapes; docs/performance.md):
 *
 * - **Slice / SplitV** read their input through `backend.readSync`, which copies the *whole*
 *   input out of the wasm heap for every slice. Splitting Adam's flat 422 656-float parameter
 *   vector into 26 tensors copied 44 MB per step (17–25 ms); the copies of the pieces take
 *   under 1 ms. These read a view of the heap instead.
 * - **Transpose** of a 2-D tensor is a generic strided loop in C++: 2.3 ms for [2048, 128] and
 *   10.5 ms for [2048, 512]. A JavaScript transpose in 8×8 tiles over heap views takes 0.4 and
 *   2.1 ms (the weight gradients need one per linear layer). Other ranks keep the original.
 *
 * Each replacement does the same copy the original does, so results are bit-identical
 * (tests/wasm-kernels.test.ts compares them with the cpu backend). The views are taken after the
 * output is allocated, because an allocation can grow (and so detach) the wasm heap.
 *
 * BatchMatMul can also be handed to a matmul from outside (`setWasmMatMul`): in Node, the CLI
 * passes OpenBLAS's when asked to (GROKLAB_BLAS=1), for the paper's long runs.
 */
import * as tf from '@tensorflow/tfjs';

/** The part of tfjs-wasm's BackendWasm these kernels use. */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
}

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: WasmBackendLike; attrs: Record<string, unknown> };

const TILE = 8; // 8×8 tiles: a power-of-two row stride makes larger tiles thrash L1 (32: 1.8 ms, 8: 0.4 ms)

/** Copies x[begin : begin + size] into a new tensor, row by contiguous row. */
function sliceInto(backend: WasmBackendLike, x: tf.TensorInfo, begin: number[], size: number[]): tf.TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (size.some((s) => s === 0)) return out;
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const rank = x.shape.length;
  const strides = [...tf.util.computeStrides(x.shape), 1]; // tfjs leaves out the last axis's 1
  // Merge the trailing axes the slice takes whole: they form one contiguous run.
  let inner = rank - 1;
  while (inner > 0 && size[inner] === x.shape[inner]) inner--;
  const run = tf.util.sizeFromShape(size.slice(inner));
  const outer = size.slice(0, inner);
  const count = tf.util.sizeFromShape(outer);
  const idx = new Array<number>(inner).fill(0);
  for (let r = 0; r < count; r++) {
    let offset = begin[inner]! * strides[inner]!;
    for (let a = 0; a < inner; a++) offset += (begin[a]! + idx[a]!) * strides[a]!;
    dst.set(src.subarray(offset, offset + run), r * run);
    for (let a = inner - 1; a >= 0; a--) {
      if (++idx[a]! < outer[a]!) break;
      idx[a] = 0;
    }
  }
  return out;
}

function slice({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const x = inputs.x!;
  const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
  return sliceInto(backend, x, begin!, size!);
}

function splitV({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] {
  const x = inputs.x!;
  const axis = tf.util.parseAxisParam(attrs.axis as number, x.shape)[0]!;
  const sizes = tf.backend_util.prepareSplitSize(x as tf.Tensor, attrs.numOrSizeSplits as number[] | number, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[axis] = s;
    const out = sliceInto(backend, x, [...begin], size);
    begin[axis]! += s;
    return out;
  });
}

function makeTranspose(original: tf.KernelFunc) {
  return (args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
    const { inputs, backend, attrs } = args;
    const x = inputs.x!;
    const perm = attrs.perm as number[];
    if (x.shape.length !== 2 || perm[0] !== 1 || x.dtype === 'string') return original(args as unknown as Parameters<tf.KernelFunc>[0]);
    const [R, C] = x.shape as [number, number];
    const out = backend.makeOutput([C, R], x.dtype);
    const src = backend.typedArrayFromHeap(x);
    const dst = backend.typedArrayFromHeap(out);
    for (let i0 = 0; i0 < R; i0 += TILE) {
      const i1 = Math.min(i0 + TILE, R);
      for (let j0 = 0; j0 < C; j0 += TILE) {
        const j1 = Math.min(j0 + TILE, C);
        for (let i = i0; i < i1; i++) {
          const row = i * C;
          for (let j = j0; j < j1; j++) dst[j * R + i] = src[row + j]!;
        }
      }
    }
    return out;
  };
}

/**
 * A matrix multiply that writes `out = op(a) · op(b)` for `batch` matrices, given views of the
 * wasm heap (no copy): a holds batchA matrices of M×K (K×M when transA), b batchB of K×N (N×K
 * when transB), row-major; a batch count of 1 is broadcast. Node's OpenBLAS addon is one
 * (src/cli/blas-matmul.ts); the engine only knows this signature, so it stays free of Node.
 */
export type HeapMatMul = (
  a: Float32Array,
  b: Float32Array,
  out: Float32Array,
  batchA: number,
  batchB: number,
  M: number,
  N: number,
  K: number,
  transA: boolean,
  transB: boolean,
) => void;

/**
 * BatchMatMul through `impl` for float32 inputs whose batch dimensions are equal or one of
 * them 1 (every matmul the engine runs); anything else goes to tfjs's own kernel, which also
 * raises tfjs's errors for mismatched shapes.
 */
function makeBatchMatMul(impl: HeapMatMul) {
  return (original: tf.KernelFunc) =>
    (args: KernelArgs): tf.TensorInfo | tf.TensorInfo[] => {
      const { inputs, backend, attrs } = args;
      const a = inputs.a!;
      const b = inputs.b!;
      const transA = Boolean(attrs.transposeA);
      const transB = Boolean(attrs.transposeB);
      const ra = a.shape.length;
      const rb = b.shape.length;
      const M = a.shape[transA ? ra - 1 : ra - 2]!;
      const K = a.shape[transA ? ra - 2 : ra - 1]!;
      const N = b.shape[transB ? rb - 2 : rb - 1]!;
      const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
      const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
      const batch = Math.max(batchA, batchB);
      const fallback = () => original(args as unknown as Parameters<tf.KernelFunc>[0]);
      if (a.dtype !== 'float32' || b.dtype !== 'float32' || ra < 2 || rb < 2) return fallback();
      if (K !== b.shape[transB ? rb - 1 : rb - 2] || (batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1))
        return fallback();
      let outer: number[];
      try {
        outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
      } catch {
        return fallback();
      }
      if (tf.util.sizeFromShape(outer) !== batch) return fallback(); // [2,1]×[1,2]-style broadcasts
      const out = backend.makeOutput([...outer, M, N], 'float32');
      if (batch * M * N === 0) return out;
      // Views after the output is allocated: an allocation can grow (and detach) the heap.
      impl(
        backend.typedArrayFromHeap(a) as Float32Array,
        backend.typedArrayFromHeap(b) as Float32Array,
        backend.typedArrayFromHeap(out) as Float32Array,
        batchA,
        batchB,
        M,
        N,
        K,
        transA,
        transB,
      );
      return out;
    };
}

let installed = false;
let heapMatMul: HeapMatMul | null = null;
const replaced = new Map<string, tf.KernelFunc>();
const originals = new Map<string, tf.KernelConfig>();

/** The kernel names whose wasm kernel is currently one of these replacements. */
export function replacedWasmKernels(): string[] {
  return [...replaced].filter(([name, f]) => tf.getKernel(name, 'wasm')?.kernelFunc === f).map(([name]) => name);
}

/** Puts `make(original)` in tfjs's registry as the wasm kernel `name` (the original is kept for restoring). */
function swap(name: string, make: (original: tf.KernelFunc) => (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]): void {
  const original = originals.get(name) ?? tf.getKernel(name, 'wasm');
  if (!original) return; // wasm backend not loaded
  originals.set(name, original);
  tf.unregisterKernel(name, 'wasm');
  const kernelFunc = make(original.kernelFunc) as unknown as tf.KernelFunc;
  tf.registerKernel({ ...original, kernelFunc });
  replaced.set(name, kernelFunc);
}

/** Swaps the three kernels in tfjs's registry for the wasm backend (once; harmless to repeat). */
export function installWasmKernelFixes(): void {
  if (installed) return;
  // string tensors live outside the heap (tfjs keeps their bytes in JS): the originals handle them
  const numericOnly = (fast: (args: KernelArgs) => tf.TensorInfo | tf.TensorInfo[]) => (original: tf.KernelFunc) => (args: KernelArgs) =>
    args.inputs.x!.dtype === 'string' ? original(args as unknown as Parameters<tf.KernelFunc>[0]) : fast(args);
  swap('Slice', numericOnly(slice));
  swap('SplitV', numericOnly(splitV));
  swap('Transpose', makeTranspose);
  installed = true;
}

/**
 * Runs the wasm backend's matrix multiplies through `impl` (Node's OpenBLAS: 4–5× XNNPACK's
 * 17 GMAC/s on one core, docs/performance.md), or back through tfjs's own kernel with `null`.
 * Results differ from XNNPACK's in float rounding only, so a run is reproducible against
 * another run with the same matmul, not bit for bit against the browser's.
 */
export function setWasmMatMul(impl: HeapMatMul | null): void {
  if (impl) {
    swap('BatchMatMul', makeBatchMatMul(impl));
    heapMatMul = replaced.has('BatchMatMul') ? impl : null; // not swapped without the wasm backend
  } else if (originals.has('BatchMatMul')) {
    tf.unregisterKernel('BatchMatMul', 'wasm');
    tf.registerKernel(originals.get('BatchMatMul')!);
    replaced.delete('BatchMatMul');
    heapMatMul = null;
  }
}

/**
 * Whether a matmul with a transposed operand costs what a plain one does: on wasm only with an
 * outside matmul (OpenBLAS transposes inside its packing). tfjs-wasm's own is 6–20× slower with
 * one, so the hand-written backward transposes explicitly unless this says otherwise.
 */
export function transposedMatMulIsFast(): boolean {
  return heapMatMul !== null && tf.getBackend() === 'wasm';
}
