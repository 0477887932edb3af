/**
 * The decoder-only transformer of ALGORITHMS.md (or the MLP of mlp.ts) as a pure function of a parameter map, so the
 * same code evaluates the real weights θ and NeuralGrok's virtual weights θ − η·G_φ(g).
 *
 * The blocks themselves are in transformer.ts (written once, for this and the training step).
 * Embedding lookups are one-hot matmuls: tf.gather has no gradient on wasm.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelId } from '../config/fields';
import type { MlpInputBlock } from '../core/tasks';
import { mlpForward, mlpInput, mlpParameterSpecs } from './mlp';
import { Rng } from './rng';
import type { TensorMap, VariableMap } from './tensors';
import { causalMask, fullBlockForward, lastBlockForward, lnForward, type BlockDims } from './transformer';

export interface ModelConfig {
  /** The network (default transformer); the MLP reads `layers` and `dModel` as its hidden layers and width. */
  kind?: ModelId;
  vocabSize: number;
  seqLen: number;
  layers: number;
  dModel: number;
  heads: number;
  /** The MLP's input blocks (the task's, src/core/tasks.ts); absent: every position over the vocabulary. */
  mlpInputs?: readonly MlpInputBlock[];
  /** The MLP's logits (the task's numbers); absent: the vocabulary. */
  classes?: number;
}

export interface ParamSpec {
  shape: number[];
  init: 'normal' | 'uniform' | 'ones' | 'zeros';
  fanIn?: number;
  /** Bound of a uniform init other than PyTorch's Linear default ±1/√fan_in (xavier). */
  bound?: number;
  /** Biases, LayerNorm and embeddings can be exempted from weight decay. */
  decayExempt: boolean;
}

function parameterSpecs(c: ModelConfig): Record<string, ParamSpec> {
  if (c.kind === 'mlp') return mlpParameterSpecs(c);
  const d = c.dModel;
  const specs: Record<string, ParamSpec> = {
    tokEmbed: { shape: [c.vocabSize, d], init: 'normal', decayExempt: true },
    posEmbed: { shape: [c.seqLen, d], init: 'normal', decayExempt: true },
  };
  for (let l = 0; l < c.layers; l++) {
    const b = `blocks.${l}.`;
    Object.assign(specs, {
      [`${b}ln1.gain`]: { shape: [d], init: 'ones', decayExempt: true },
      [`${b}ln1.bias`]: { shape: [d], init: 'zeros', decayExempt: true },
      // torch.nn.MultiheadAttention's own reset: packed in-projection xavier-uniform
      // ±√(6/(d+3d)), its bias 0; the out-projection keeps the Linear default weight, bias 0.
      [`${b}attn.wQKV`]: { shape: [d, 3 * d], init: 'uniform', bound: Math.sqrt(6 / (d + 3 * d)), decayExempt: false },
      [`${b}attn.bQKV`]: { shape: [3 * d], init: 'zeros', decayExempt: true },
      [`${b}attn.wOut`]: { shape: [d, d], init: 'uniform', fanIn: d, decayExempt: false },
      [`${b}attn.bOut`]: { shape: [d], init: 'zeros', decayExempt: true },
      [`${b}ln2.gain`]: { shape: [d], init: 'ones', decayExempt: true },
      [`${b}ln2.bias`]: { shape: [d], init: 'zeros', decayExempt: true },
      [`${b}mlp.wIn`]: { shape: [d, 4 * d], init: 'uniform', fanIn: d, decayExempt: false },
      [`${b}mlp.bIn`]: { shape: [4 * d], init: 'uniform', fanIn: d, decayExempt: true },
      [`${b}mlp.wOut`]: { shape: [4 * d, d], init: 'uniform', fanIn: 4 * d, decayExempt: false },
      [`${b}mlp.bOut`]: { shape: [d], init: 'uniform', fanIn: 4 * d, decayExempt: true },
    });
  }
  specs['lnFinal.gain'] = { shape: [d], init: 'ones', decayExempt: true };
  specs['lnFinal.bias'] = { shape: [d], init: 'zeros', decayExempt: true };
  specs.head = { shape: [d, c.vocabSize], init: 'uniform', fanIn: d, decayExempt: false };
  return specs;
}

/** Names of parameters exempt from weight decay when the user turns "decay everything" off. */
export function decayExemptNames(c: ModelConfig): Set<string> {
  return new Set(
    Object.entries(parameterSpecs(c))
      .filter(([, s]) => s.decayExempt)
      .map(([n]) => n),
  );
}

/**
 * PyTorch-default initialisation drawn from our own seeded RNG on the CPU, so the initial
 * weights are bit-identical on every backend.
 */
export function initParameters(c: ModelConfig, seed: number): VariableMap {
  if (c.kind !== 'mlp' && c.dModel % c.heads !== 0) throw new Error(`dModel ${c.dModel} not divisible by heads ${c.heads}`);
  const rng = new Rng(seed, 'init');
  const params: VariableMap = {};
  for (const [name, spec] of Object.entries(parameterSpecs(c))) {
    const n = spec.shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    const bound = spec.bound ?? (spec.fanIn ? 1 / Math.sqrt(spec.fanIn) : 0);
    for (let i = 0; i < n; i++) {
      values[i] =
        spec.init === 'normal' ? rng.normal() : spec.init === 'uniform' ? (2 * rng.next() - 1) * bound : spec.init === 'ones' ? 1 : 0;
    }
    params[name] = tf.tidy(() => tf.variable(tf.tensor(values, spec.shape, 'float32'), true, uniqueVariableName(name)));
  }
  return params;
}

let variableCounter = 0;
/** tfjs variable names are global; parameters of two live models must not collide. */
function uniqueVariableName(name: string): string {
  return `groklab/model/${name}/${variableCounter++}`;
}

export interface ForwardOptions {
  /** Return logits for every position ([B, T, V]) instead of only the last ([B, V]). */
  allPositions?: boolean;
  /** Receives each layer's attention probabilities from the last position, [B, h, T]. */
  onAttention?: (layer: number, probs: tf.Tensor3D) => void;
}

/**
 * Logits of the model at parameters P for token ids [B, T]: the blocks of transformer.ts (the
 * one definition, which the training step's hand-written backward also runs). Loss and
 * accuracy only use the last (`=`) position, so by default the last block computes its query,
 * attention output and MLP for that position alone; `allPositions` runs it in full.
 * Differentiable (autograd): NeuralGrok's reference meta-gradient and the tests use it.
 */
export function forward(P: TensorMap, tokens: tf.Tensor2D, c: ModelConfig, opts: ForwardOptions = {}): tf.Tensor {
  if (c.kind === 'mlp') {
    if (opts.allPositions) throw new Error('the MLP has one output per row, not one per position');
    return mlpForward(P, mlpInput(tokens, c), c); // no attention: onAttention is never called
  }
  const [B, T] = tokens.shape;
  const d = c.dModel;
  const h = c.heads;
  const dims: BlockDims = { B, T, d, h };
  const oneHot = tf.oneHot(tf.reshape(tokens, [B * T]), c.vocabSize); // embeddings as one-hot matmuls: tf.gather has no gradient on wasm
  const tokE = tf.matMul(oneHot as tf.Tensor2D, P.tokEmbed as tf.Tensor2D);
  let x: tf.Tensor = tf.reshape(tf.add(tf.reshape(tokE, [B, T, d]), P.posEmbed!.slice([0, 0], [T, d])), [B * T, d]); // (B·T, d)
  const mask = causalMask(T);
  for (let l = 0; l < c.layers; l++) {
    const b = `blocks.${l}.`;
    if (!opts.allPositions && l === c.layers - 1) {
      const r = lastBlockForward(x, P, b, dims);
      opts.onAttention?.(l, tf.reshape(r.cache.p, [B, h, T]) as tf.Tensor3D);
      x = r.y2; // (B, d)
    } else {
      const r = fullBlockForward(x, P, b, dims, mask);
      // the last position's row of each head's attention: [B, h, T]
      if (opts.onAttention) opts.onAttention(l, tf.reshape(tf.slice(r.cache.p, [0, 0, T - 1, 0], [B, h, 1, T]), [B, h, T]) as tf.Tensor3D);
      x = r.x;
    }
  }
  const logits = tf.matMul(lnForward(x, P['lnFinal.gain']!, P['lnFinal.bias']!).y as tf.Tensor2D, P.head as tf.Tensor2D); // (B or B·T, V)
  return opts.allPositions ? tf.reshape(logits, [B, T, c.vocabSize]) : logits;
}
