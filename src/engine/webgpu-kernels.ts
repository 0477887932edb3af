/**
 * GrokLab's own WebGPU kernels, and a counter of what the WebGPU backend dispatches.
 *
 * On a GPU a small model's step is bound by the number of dispatches (compute passes), not by
 * arithmetic: tfjs runs every elementwise op as its own shader, so Adam's update over the flat
 * parameters was ~15 dispatches, each reading and writing the whole vector. Here it is one
 * program (`FUSED_ADAM_KERNEL`), registered in tfjs's kernel registry for the `webgpu` backend
 * only; the optimizer asks the registry whether the active backend has it (optimizer.ts), so
 * the engine names no backend and every other backend keeps the tf-op path.
 *
 * A tfjs WebGPU program has one output buffer; the fused update writes m, v and θ into one
 * packed [3N] output (the optimizer keeps its state packed the same way on WebGPU).
 *
 * The program is written against tfjs-backend-webgpu 4.22's `WebGPUProgram` contract
 * (webgpu_program.ts: the output is `result`, inputs are read-only arrays named by
 * `variableNames`, `uniforms` appends to its uniform struct, `fn main(index : i32)` is called
 * with the global index when the dispatch layout is flat). Nothing here imports the backend:
 * it registers itself at import time only where `navigator.gpu` exists.
 */
import * as tf from '@tensorflow/tfjs';
import type { WebGPUProgram } from '@tensorflow/tfjs-backend-webgpu';
import { INV_SQRT_2PI } from './transformer';
import { NORM_FLOOR } from './methods/gradnorm';
import {
  FUSED_ADAM_KERNEL,
  FUSED_GELU_BACKWARD_KERNEL,
  FUSED_LN_BACKWARD_KERNEL,
  FUSED_PIECEWISE_SCORES_KERNEL,
  FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL,
  FUSED_SEGMENT_AMPLIFY_KERNEL,
  FUSED_SOFTMAX_BACKWARD_KERNEL,
  type FusedAdamAttrs,
  type FusedAmplifyAttrs,
} from './fused';

/** The part of tfjs-webgpu's WebGPUBackend a kernel uses. */
interface WebGpuBackendLike {
  runWebGPUProgram(
    program: WebGPUProgram,
    inputs: tf.TensorInfo[],
    outputDtype: tf.DataType,
    uniforms?: { type: 'int32' | 'float32'; data: number[] }[],
  ): tf.TensorInfo;
}

const WORKGROUP = 64;

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: unknown; attrs?: unknown };

/**
 * What every program here but GELU's shares: a flat dispatch layout (`main` gets the global
 * thread index), `workgroups` workgroups of `workgroupSize` threads, one output of `outputShape`.
 * A subclass names its inputs, its shader key, its uniforms and its code.
 */
abstract class FlatProgram implements WebGPUProgram {
  abstract variableNames: string[];
  abstract shaderKey: string;
  outputShape: number[];
  dispatchLayout = { x: [0] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number];

  constructor(outputShape: number[], workgroups: number, workgroupSize = WORKGROUP) {
    this.outputShape = outputShape;
    this.dispatch = [workgroups, 1, 1];
    this.workgroupSize = [workgroupSize, 1, 1];
  }

  abstract getUserCode(): string;
}

/**
 * Adam / AdamW over N components in one pass. Inputs: S = [m | v | θ] (3N), G = the gradient
 * (N), optionally D = the decay mask (N, 1 where a component decays). Output: the next
 * [m | v | θ]. The arithmetic is the tf-op path's (optimizer.ts `update`), op for op, with the
 * same float32 scalars, so the two agree to rounding.
 */
class FusedAdamProgram extends FlatProgram {
  variableNames: string[];
  shaderKey: string;
  uniforms =
    'n : i32, beta1 : f32, oneMinusBeta1 : f32, beta2 : f32, oneMinusBeta2 : f32, stepSize : f32, sqrtBc2 : f32, eps : f32, coupledWd : f32, decoupledWd : f32,';

  constructor(
    n: number,
    private readonly masked: boolean,
    private readonly coupled: boolean,
    private readonly decoupled: boolean,
  ) {
    // one thread per component, each writing its m, v and θ
    super([3 * n], Math.ceil(n / WORKGROUP));
    this.variableNames = masked ? ['S', 'G', 'D'] : ['S', 'G'];
    this.shaderKey = `groklab_adam_${masked ? 'm' : ''}${coupled ? 'c' : ''}${decoupled ? 'd' : ''}`;
  }

  getUserCode(): string {
    const mask = this.masked ? ' * D[i]' : '';
    return `
      fn main(i : i32) {
        let n = uniforms.n;
        if (i >= n) { return; }
        let theta = S[2 * n + i];
        var g = G[i];
        ${this.coupled ? `g = g + (theta * uniforms.coupledWd)${mask};` : ''}
        let m = S[i] * uniforms.beta1 + g * uniforms.oneMinusBeta1;
        let v = S[n + i] * uniforms.beta2 + (g * g) * uniforms.oneMinusBeta2;
        let update = (m * uniforms.stepSize) / (sqrt(v) / uniforms.sqrtBc2 + uniforms.eps);
        ${this.decoupled ? `let decayed = theta - (theta * uniforms.decoupledWd)${mask};` : 'let decayed = theta;'}
        result[i] = m;
        result[n + i] = v;
        result[2 * n + i] = decayed - update;
      }
    `;
  }
}

function fusedAdam({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { state, grad, mask } = inputs as { state: tf.TensorInfo; grad: tf.TensorInfo; mask?: tf.TensorInfo };
  const a = attrs as unknown as FusedAdamAttrs;
  const n = grad.shape[0]!;
  if (state.shape[0] !== 3 * n) throw new Error(`${FUSED_ADAM_KERNEL}: the state holds ${state.shape[0]} values, not 3 × ${n}`);
  const coupled = a.coupledWd !== 0;
  const decoupled = a.decoupledWd !== 0;
  // the mask only where a decay term reads it: a binding the shader does not use is dropped from its layout
  const masked = Boolean(mask) && (coupled || decoupled);
  const program = new FusedAdamProgram(n, masked, coupled, decoupled);
  // float32 uniforms, as tfjs's scalars: f32(1 − β) is rounded from the double, as tf.scalar(1 − β) is
  const f = (x: number) => ({ type: 'float32' as const, data: [x] });
  const uniforms = [
    { type: 'int32' as const, data: [n] },
    f(a.beta1),
    f(1 - a.beta1),
    f(a.beta2),
    f(1 - a.beta2),
    f(a.stepSize),
    f(a.sqrtBc2),
    f(a.eps),
    f(a.coupledWd),
    f(a.decoupledWd),
  ];
  return (backend as WebGpuBackendLike).runWebGPUProgram(program, masked ? [state, grad, mask!] : [state, grad], 'float32', uniforms);
}

/** The exact GELU's backward, elementwise (fused.ts FUSED_GELU_BACKWARD_KERNEL): ten tf ops in one pass. */
class GeluBackwardProgram implements WebGPUProgram {
  variableNames = ['DY', 'M', 'H'];
  outputShape: number[];
  shaderKey = 'groklab_gelu_backward';
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  workgroupSize: [number, number, number] = [WORKGROUP, 1, 1];
  size = true;

  constructor(shape: number[]) {
    this.outputShape = shape;
    this.dispatchLayout = { x: shape.map((_, i) => i) };
    this.dispatch = [Math.ceil(tf.util.sizeFromShape(shape) / WORKGROUP), 1, 1];
  }

  getUserCode(): string {
    // GELU'(m) = ½(1 + erf(m/√2)) + m·φ(m), φ(m) = e^(−m²/2)/√(2π); ½(1 + erf) comes in as H
    return `
      fn main(i : i32) {
        if (i < uniforms.size) {
          let m = M[i];
          result[i] = DY[i] * (H[i] + (m * exp(m * m * -0.5)) * ${INV_SQRT_2PI});
        }
      }
    `;
  }
}

/**
 * LayerNorm's input gradient (fused.ts FUSED_LN_BACKWARD_KERNEL), one thread per row of d: both
 * row means in one loop, then the row. Eight tf ops (two of them reductions) in one pass.
 */
class LayerNormBackwardProgram extends FlatProgram {
  variableNames = ['DY', 'XH', 'G', 'R'];
  shaderKey = 'groklab_ln_backward';
  uniforms = 'rows : i32, d : i32,';

  constructor(shape: number[], rows: number) {
    super(shape, Math.ceil(rows / WORKGROUP));
  }

  getUserCode(): string {
    return `
      fn main(row : i32) {
        if (row >= uniforms.rows) { return; }
        let d = uniforms.d;
        let base = row * d;
        var s1 = 0.0;
        var s2 = 0.0;
        for (var j = 0; j < d; j++) {
          let dxhat = DY[base + j] * G[j];
          s1 = s1 + dxhat;
          s2 = s2 + dxhat * XH[base + j];
        }
        let mean1 = s1 / f32(d);
        let mean2 = s2 / f32(d);
        let r = R[row];
        for (var j = 0; j < d; j++) {
          let dxhat = DY[base + j] * G[j];
          result[base + j] = ((dxhat - mean1) - XH[base + j] * mean2) * r;
        }
      }
    `;
  }
}

function geluBackward({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { dy, m, halfE } = inputs as { dy: tf.TensorInfo; m: tf.TensorInfo; halfE: tf.TensorInfo };
  return (backend as WebGpuBackendLike).runWebGPUProgram(new GeluBackwardProgram(dy.shape), [dy, m, halfE], 'float32');
}

function layerNormBackward({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { dy, xhat, gain, rstd } = inputs as Record<'dy' | 'xhat' | 'gain' | 'rstd', tf.TensorInfo>;
  const d = dy.shape[dy.shape.length - 1]!;
  const rows = tf.util.sizeFromShape(dy.shape) / d;
  if (tf.util.sizeFromShape(rstd.shape) !== rows || tf.util.sizeFromShape(gain.shape) !== d)
    throw new Error(`${FUSED_LN_BACKWARD_KERNEL}: rstd or gain does not fit [${rows}, ${d}]`);
  const program = new LayerNormBackwardProgram(dy.shape, rows);
  const uniforms = [
    { type: 'int32' as const, data: [rows] },
    { type: 'int32' as const, data: [d] },
  ];
  return (backend as WebGpuBackendLike).runWebGPUProgram(program, [dy, xhat, gain, rstd], 'float32', uniforms);
}

/**
 * The softmax's backward over the last axis (fused.ts FUSED_SOFTMAX_BACKWARD_KERNEL), one thread
 * per row of T (the attention's keys: a handful): a Mul, a row Sum, a Sub and a Mul in one pass.
 */
class SoftmaxBackwardProgram extends FlatProgram {
  variableNames = ['DP', 'P'];
  shaderKey = 'groklab_softmax_backward';
  uniforms = 'rows : i32, t : i32,';

  constructor(shape: number[], rows: number) {
    super(shape, Math.ceil(rows / WORKGROUP));
  }

  getUserCode(): string {
    return `
      fn main(row : i32) {
        if (row >= uniforms.rows) { return; }
        let base = row * uniforms.t;
        var dot = 0.0;
        for (var j = 0; j < uniforms.t; j++) { dot = dot + DP[base + j] * P[base + j]; }
        for (var j = 0; j < uniforms.t; j++) { result[base + j] = P[base + j] * (DP[base + j] - dot); }
      }
    `;
  }
}

function softmaxBackward({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { dP, p } = inputs as Record<'dP' | 'p', tf.TensorInfo>;
  if (!tf.util.arraysEqual(dP.shape, p.shape))
    throw new Error(`${FUSED_SOFTMAX_BACKWARD_KERNEL}: dP [${dP.shape}] and p [${p.shape}] differ`);
  const t = p.shape[p.shape.length - 1]!;
  const rows = tf.util.sizeFromShape(p.shape) / t;
  const uniforms = [
    { type: 'int32' as const, data: [rows] },
    { type: 'int32' as const, data: [t] },
  ];
  return (backend as WebGpuBackendLike).runWebGPUProgram(new SoftmaxBackwardProgram(p.shape, rows), [dP, p], 'float32', uniforms);
}

/** Threads per workgroup of the per-tensor programs (WebGPU's guaranteed maximum). */
const SEGMENT_WORKGROUP = 256;

/** A float32 literal for WGSL (always with a decimal point or exponent). */
const f32Literal = (x: number) => (Number.isInteger(x) ? `${x}.0` : x.toExponential());

/**
 * The shared part of the per-tensor programs: one workgroup per tensor (segment) of the flat
 * vector, its threads striding over the tensor's components; `reduceSum` / `reduceMax` combine
 * one value per thread through workgroup memory (called by every thread: uniform control flow).
 * `perTensor(body)` wraps a loop body over the components i of this workgroup's tensor.
 */
const SEGMENT_PRELUDE = `
  var<workgroup> partial : array<f32, ${SEGMENT_WORKGROUP}>;

  fn reduceSum(v : f32) -> f32 {
    let t = localId.x;
    partial[t] = v;
    workgroupBarrier();
    for (var stride = ${SEGMENT_WORKGROUP / 2}u; stride > 0u; stride = stride >> 1u) {
      if (t < stride) { partial[t] = partial[t] + partial[t + stride]; }
      workgroupBarrier();
    }
    let total = partial[0];
    workgroupBarrier();
    return total;
  }

  fn reduceMax(v : f32) -> f32 {
    let t = localId.x;
    partial[t] = v;
    workgroupBarrier();
    for (var stride = ${SEGMENT_WORKGROUP / 2}u; stride > 0u; stride = stride >> 1u) {
      if (t < stride) { partial[t] = max(partial[t], partial[t + stride]); }
      workgroupBarrier();
    }
    let total = partial[0];
    workgroupBarrier();
    return total;
  }
`;
// the bound also reads uniforms.n: a program must use its uniforms (an unused binding is dropped from the layout, and the dispatch fails)
const perTensor = (body: string) =>
  `for (var i = start + i32(localId.x); i < min(end, uniforms.n); i = i + ${SEGMENT_WORKGROUP}) { ${body} }`;

/** The per-tensor softmax of the scores S: its maximum and Σ e^(s − max) (floored as the tf ops floor it). */
const SOFTMAX_SUMS = `
    let start = O[i32(workgroupId.x)];
    let end = O[i32(workgroupId.x) + 1];
    var m = -3.402823e38;
    ${perTensor('m = max(m, S[i]);')}
    let smax = reduceMax(m);
    var se = 0.0;
    ${perTensor('se = se + exp(S[i] - smax);')}
    let sumE = max(reduceSum(se), 1e-30);
    var su = 0.0;
`;

/**
 * NeuralGrok's per-tensor softmax and normalization (fused.ts FUSED_SEGMENT_AMPLIFY_KERNEL), one
 * workgroup per tensor: the tf ops are ~20 passes over the flat vector (a max, a sub, the exp,
 * three segment sums of two dispatches each, their gathers back, the products), this is one.
 */
class SegmentAmplifyProgram extends FlatProgram {
  variableNames: string[];
  shaderKey: string;
  uniforms = 'n : i32, c : f32,';

  constructor(
    n: number,
    segments: number,
    private readonly output: FusedAmplifyAttrs['output'],
  ) {
    super([n], segments, SEGMENT_WORKGROUP);
    this.variableNames = output === 'applied' ? ['S', 'O', 'G'] : ['S', 'O'];
    this.shaderKey = `groklab_segment_amplify_${output}`;
  }

  getUserCode(): string {
    const w = 'exp(S[i] - smax) / sumE';
    const write =
      this.output === 'weights'
        ? perTensor(`result[i] = ${w};`)
        : `
          ${perTensor(`let u = (${w}) * G[i]; su = su + u * u;`)}
          let scale = uniforms.c / max(sqrt(reduceSum(su)), ${f32Literal(NORM_FLOOR)});
          ${perTensor(`result[i] = ((${w}) * G[i]) * scale;`)}
        `;
    return `
      ${SEGMENT_PRELUDE}
      fn main(index : i32) {
        ${SOFTMAX_SUMS}
        ${write}
      }
    `;
  }
}

/** dL/ds through the per-tensor softmax and normalization (fused.ts FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL), one workgroup per tensor. */
class SegmentAmplifyBackwardProgram extends FlatProgram {
  variableNames = ['S', 'O', 'G', 'V'];
  shaderKey = 'groklab_segment_amplify_backward';
  uniforms = 'n : i32, c : f32,';

  constructor(n: number, segments: number) {
    super([n], segments, SEGMENT_WORKGROUP);
  }

  getUserCode(): string {
    const w = '(exp(S[i] - smax) / sumE)';
    return `
      ${SEGMENT_PRELUDE}
      fn main(index : i32) {
        ${SOFTMAX_SUMS}
        ${perTensor(`let u = ${w} * G[i]; su = su + u * u;`)}
        let norm = max(sqrt(reduceSum(su)), ${f32Literal(NORM_FLOOR)});
        let inv = 1.0 / norm;
        let scale = uniforms.c / norm;
        var sp = 0.0;
        ${perTensor(`sp = sp + ((${w} * G[i]) * inv) * V[i];`)}
        var projection = reduceSum(sp);
        if (norm <= ${f32Literal(NORM_FLOOR)}) { projection = 0.0; }
        var swd = 0.0;
        ${perTensor(`let wi = ${w}; let dw = ((V[i] - ((wi * G[i]) * inv) * projection) * scale) * G[i]; swd = swd + wi * dw;`)}
        let sumWdw = reduceSum(swd);
        ${perTensor(`let wi = ${w}; let dw = ((V[i] - ((wi * G[i]) * inv) * projection) * scale) * G[i]; result[i] = wi * (dw - sumWdw);`)}
      }
    `;
  }
}

function segmentCount(offsets: tf.TensorInfo, n: number, name: string): number {
  const k = offsets.shape[0]! - 1;
  if (offsets.dtype !== 'int32' || k < 1) throw new Error(`${name}: offsets must be int32 [K + 1], K ≥ 1`);
  if (k > 65_535) throw new Error(`${name}: ${k} tensors exceed one dispatch's workgroups`);
  if (n < 1) throw new Error(`${name}: empty input`);
  return k;
}

function segmentAmplify({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { scores, grad, offsets } = inputs as { scores: tf.TensorInfo; grad?: tf.TensorInfo; offsets: tf.TensorInfo };
  const { c, output } = attrs as unknown as FusedAmplifyAttrs;
  const n = scores.shape[0]!;
  const k = segmentCount(offsets, n, FUSED_SEGMENT_AMPLIFY_KERNEL);
  if (output === 'applied' && grad?.shape[0] !== n)
    throw new Error(`${FUSED_SEGMENT_AMPLIFY_KERNEL}: the gradient does not match the scores`);
  const program = new SegmentAmplifyProgram(n, k, output);
  const programInputs = output === 'applied' ? [scores, offsets, grad!] : [scores, offsets];
  const uniforms = [
    { type: 'int32' as const, data: [n] },
    { type: 'float32' as const, data: [c] },
  ];
  return (backend as WebGpuBackendLike).runWebGPUProgram(program, programInputs, 'float32', uniforms);
}

function segmentAmplifyBackward({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo {
  const { scores, grad, dApplied, offsets } = inputs as Record<'scores' | 'grad' | 'dApplied' | 'offsets', tf.TensorInfo>;
  const { c } = attrs as unknown as { c: number };
  const n = scores.shape[0]!;
  const k = segmentCount(offsets, n, FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL);
  if (grad.shape[0] !== n || dApplied.shape[0] !== n)
    throw new Error(`${FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL}: the inputs' lengths differ`);
  const program = new SegmentAmplifyBackwardProgram(n, k);
  const uniforms = [
    { type: 'int32' as const, data: [n] },
    { type: 'float32' as const, data: [c] },
  ];
  return (backend as WebGpuBackendLike).runWebGPUProgram(program, [scores, offsets, grad, dApplied], 'float32', uniforms);
}

/**
 * The amplifier's scores from its table of pieces (fused.ts FUSED_PIECEWISE_SCORES_KERNEL): a
 * binary search for the piece, then slope·x + intercept, per component. The tf ops are a
 * SearchSorted, two Gathers, a Mul and an Add.
 */
class PiecewiseScoresProgram extends FlatProgram {
  variableNames = ['X', 'B', 'SL', 'IC'];
  shaderKey = 'groklab_piecewise_scores';
  uniforms = 'n : i32, breaks : i32,';

  constructor(n: number) {
    super([n], Math.ceil(n / WORKGROUP));
  }

  getUserCode(): string {
    // k = the number of breakpoints ≤ x (SearchSorted 'right'); NaN compares false: piece 0
    return `
      fn main(i : i32) {
        if (i >= uniforms.n) { return; }
        let x = X[i];
        var lo = 0;
        var hi = uniforms.breaks;
        while (lo < hi) {
          let mid = (lo + hi) / 2;
          if (B[mid] <= x) { lo = mid + 1; } else { hi = mid; }
        }
        result[i] = SL[lo] * x + IC[lo];
      }
    `;
  }
}

function piecewiseScores({ inputs, backend }: KernelArgs): tf.TensorInfo {
  const { breaks, slope, intercept, x } = inputs as Record<'breaks' | 'slope' | 'intercept' | 'x', tf.TensorInfo>;
  const m = breaks.shape[0]!;
  const n = x.shape[0]!;
  if (slope.shape[0] !== m + 1 || intercept.shape[0] !== m + 1)
    throw new Error(`${FUSED_PIECEWISE_SCORES_KERNEL}: ${m} breakpoints need ${m + 1} slopes and intercepts`);
  const uniforms = [
    { type: 'int32' as const, data: [n] },
    { type: 'int32' as const, data: [m] },
  ];
  // B unread when there are no breakpoints; bind a slope in its place (a zero-size buffer cannot be bound)
  return (backend as WebGpuBackendLike).runWebGPUProgram(
    new PiecewiseScoresProgram(n),
    [x, m > 0 ? breaks : slope, slope, intercept],
    'float32',
    uniforms,
  );
}

const KERNELS: [string, (args: KernelArgs) => tf.TensorInfo][] = [
  [FUSED_ADAM_KERNEL, fusedAdam],
  [FUSED_GELU_BACKWARD_KERNEL, geluBackward],
  [FUSED_LN_BACKWARD_KERNEL, layerNormBackward],
  [FUSED_SEGMENT_AMPLIFY_KERNEL, segmentAmplify],
  [FUSED_SEGMENT_AMPLIFY_BACKWARD_KERNEL, segmentAmplifyBackward],
  [FUSED_PIECEWISE_SCORES_KERNEL, piecewiseScores],
  [FUSED_SOFTMAX_BACKWARD_KERNEL, softmaxBackward],
];

/** Registers GrokLab's WebGPU kernels for the `webgpu` backend (it need not be loaded yet). Idempotent. */
export function installWebGpuKernels(): void {
  for (const [kernelName, kernelFunc] of KERNELS)
    if (!tf.getKernel(kernelName, 'webgpu'))
      tf.registerKernel({ kernelName, backendName: 'webgpu', kernelFunc: kernelFunc as unknown as tf.KernelFunc });
}

/**
 * Takes them out again: the engine falls back to tf ops (the "before" of the dispatch counts, and
 * tests). `keep`: kernel names left installed (the counts of one pass of fusion at a time).
 */
export function uninstallWebGpuKernels(keep: readonly string[] = []): void {
  for (const [kernelName] of KERNELS)
    if (!keep.includes(kernelName) && tf.getKernel(kernelName, 'webgpu')) tf.unregisterKernel(kernelName, 'webgpu');
}

/** The kernels of the first pass of issue 33's lean step (Adam, GELU and LayerNorm backward), for the counts by pass. */
export const FIRST_PASS_KERNELS: readonly string[] = [FUSED_ADAM_KERNEL, FUSED_GELU_BACKWARD_KERNEL, FUSED_LN_BACKWARD_KERNEL];

export interface DispatchCount {
  /** Compute dispatches (`dispatchWorkgroups` calls) the WebGPU backend recorded. */
  dispatches: number;
  /** Copies of a tensor from the GPU back to the CPU. */
  reads: number;
  /** Dispatches by program class (BinaryOpProgram, MatMulPackedProgram, FusedAdamProgram, …). */
  byProgram: Record<string, number>;
}

/**
 * Counts what the active WebGPU backend dispatches while `body` runs. It wraps the backend's
 * `recordAndSubmit`, which tfjs-webgpu 4.22 calls once per program it records, right before its
 * one `dispatchWorkgroups`: a tfjs kernel can be zero dispatches (Reshape; small inputs it runs
 * on the CPU) or several (Concat of more inputs than a shader may bind), so this counts what a
 * GPU actually runs, where tf.profile counts kernels.
 */
export async function countWebGpuDispatches<T>(body: () => T | Promise<T>): Promise<DispatchCount & { value: T }> {
  if (tf.getBackend() !== 'webgpu') throw new Error(`counting dispatches needs the webgpu backend active, not ${tf.getBackend()}`);
  type Fn = (this: unknown, ...a: unknown[]) => unknown;
  const backend = tf.backend() as unknown as Record<string, Fn> & { tensorMap: { get(id: unknown): { values: unknown } | undefined } };
  const originals = { recordAndSubmit: backend.recordAndSubmit!, getBufferData: backend.getBufferData!, readSync: backend.readSync! };
  if (Object.values(originals).some((f) => typeof f !== 'function')) throw new Error('this tfjs-webgpu lacks what the counter wraps');
  const own = Object.keys(originals).filter((k) => Object.prototype.hasOwnProperty.call(backend, k));
  const count: DispatchCount = { dispatches: 0, reads: 0, byProgram: {} };
  backend.recordAndSubmit = function (this: unknown, ...a: unknown[]) {
    count.dispatches++;
    const name = (a[0] as { constructor?: { name?: string } }).constructor?.name ?? '?';
    count.byProgram[name] = (count.byProgram[name] ?? 0) + 1;
    return originals.recordAndSubmit.apply(this, a);
  };
  // a read is a copy out of a GPU buffer: `getBufferData` (what `data()` awaits), or a `readSync` of
  // values not already on the CPU (kernels that run small inputs on the CPU readSync those, no transfer)
  backend.getBufferData = function (this: unknown, ...a: unknown[]) {
    count.reads++;
    return originals.getBufferData.apply(this, a);
  };
  backend.readSync = function (this: unknown, ...a: unknown[]) {
    if (backend.tensorMap.get(a[0])?.values == null) count.reads++;
    return originals.readSync.apply(this, a);
  };
  try {
    const value = await body(); // before the spread: the counts are final only after the body
    return { ...count, value };
  } finally {
    for (const [k, fn] of Object.entries(originals)) {
      if (own.includes(k)) backend[k] = fn;
      else delete backend[k]; // the prototype's method shows through again
    }
  }
}
