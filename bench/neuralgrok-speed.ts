/**
 * NeuralGrok's cost against AdamW, in Node on wasm: ms per step (averaged over whole T-step
 * cycles, so the meta step every T = 4 steps is counted once per cycle) of the paper model at
 * the authors' widths 128,128 and at 32,32, and of the classroom model; the arms alternate
 * round by round on the same machine (its speed drifts; the per-round ratio is the figure to
 * trust). Also: the wasm heap before and after NeuralGrok (an upper bound on its extra peak
 * memory: the heap only grows), how the amplifier is evaluated, and the PyTorch peer of the same
 * amplifier and meta step (bench/neuralgrok_peer.py) when PyTorch is installed.
 *
 *   npx tsx bench/neuralgrok-speed.ts [--rounds 3] [--cycles 2] [--no-torch]
 *
 * The last stdout line is one JSON object (paperAdamwMs, paperNg128Ms, paperNg32Ms, ratios…).
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { activateBackend } from '../src/engine/backend';
import { buildConfig, type RunConfig, type ValidConfig } from '../src/config/schema';
import { CLASSROOM_CONFIG, PAPER_CONFIG } from '../src/config/presets';
import { Trainer } from '../src/engine/trainer';
import { amplifierMacsPerComponent } from '../src/engine/methods/amplifier';
import { pieceBreakpointCount } from '../src/engine/methods/amplifier-pieces';
import type { NeuralGrokMethod } from '../src/engine/methods/neuralgrok';
import { median, markdownTable } from './stats';

const args = process.argv.slice(2);
const opt = (name: string, fallback: number) => (args.includes(`--${name}`) ? Number(args[args.indexOf(`--${name}`) + 1]) : fallback);
const ROUNDS = opt('rounds', 3);
const CYCLES = opt('cycles', 2);
const T = 4;

await activateBackend('wasm');
const heapMiB = () => {
  const wasm = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return (wasm?.HEAPU8?.length ?? NaN) / 2 ** 20;
};

interface Arm {
  label: string;
  config: ValidConfig;
  trainer?: Trainer;
  times: number[];
}
const arm = (label: string, base: Partial<RunConfig>, overrides: Partial<RunConfig>): Arm => ({
  label,
  config: buildConfig(base, { evalEvery: 100000, ...overrides }),
  times: [],
});
const arms: Arm[] = [
  arm('paper AdamW', PAPER_CONFIG, { task: 'add', method: 'adamw' }),
  arm('paper NeuralGrok 128,128', PAPER_CONFIG, { task: 'add', method: 'neuralgrok', ngHidden: [128, 128], ngEvery: T }),
  arm('paper NeuralGrok 32,32', PAPER_CONFIG, { task: 'add', method: 'neuralgrok', ngHidden: [32, 32], ngEvery: T }),
  arm('classroom AdamW', CLASSROOM_CONFIG, { task: 'add', method: 'adamw' }),
  arm('classroom NeuralGrok 128,128', CLASSROOM_CONFIG, { task: 'add', method: 'neuralgrok', ngHidden: [128, 128], ngEvery: T }),
];

const heapBefore = heapMiB();
// The AdamW trainers first, so the heap growth after them is NeuralGrok's.
for (const a of arms.filter((x) => x.config.method !== 'neuralgrok')) a.trainer = new Trainer(a.config);
for (const a of arms.filter((x) => x.trainer)) await a.trainer!.runSteps(T);
const heapAfterAdamw = heapMiB();
for (const a of arms.filter((x) => !x.trainer)) {
  a.trainer = new Trainer(a.config);
  await a.trainer.runSteps(T); // warm-up: one whole cycle, meta step included
}
const heapAfterNg = heapMiB();

const cycleMs = async (t: Trainer) => {
  const t0 = performance.now();
  await t.runSteps(T);
  return (performance.now() - t0) / T;
};
for (let r = 0; r < ROUNDS; r++) {
  for (const a of arms) for (let c = 0; c < CYCLES; c++) a.times.push(await cycleMs(a.trainer!));
  console.error(`round ${r + 1}/${ROUNDS}: ${arms.map((a) => `${a.label} ${a.times.at(-1)!.toFixed(0)} ms`).join(', ')}`);
}
const ms = (label: string) => median(arms.find((a) => a.label === label)!.times);
/** Median over rounds of the per-round ratio of two arms. */
const ratio = (a: string, b: string) => {
  const ta = arms.find((x) => x.label === a)!.times;
  const tb = arms.find((x) => x.label === b)!.times;
  return median(ta.map((t, i) => t / tb[i]!));
};
const paperParams = arms[0]!.trainer!.optimizer.flatParameters(arms[0]!.trainer!.params).size;
const usesPieces = (arms[1]!.trainer!.gradientMethod as NeuralGrokMethod).amplifier.usesPieces(paperParams);
for (const a of arms) a.trainer!.dispose();

let peer: Record<string, number | string> | string = 'skipped (--no-torch)';
if (!args.includes('--no-torch')) {
  const python = '/usr/bin/python3';
  if (spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status !== 0)
    peer = 'PyTorch is not installed (npm run bench installs it)';
  else {
    console.error('PyTorch peer (1 thread) …');
    const r = spawnSync(
      'env',
      ['-u', 'OPENBLAS_CORETYPE', '-u', 'OPENBLAS_L2_SIZE', python, 'bench/neuralgrok_peer.py', '3', '1', '128,128;32,32'],
      {
        encoding: 'utf8',
      },
    );
    peer = r.status === 0 ? JSON.parse(r.stdout.trim().split('\n').at(-1)!) : `the peer failed: ${r.stderr.slice(-300)}`;
  }
}

const f = (x: number) => x.toFixed(0);
// What the amplifier costs: its pieces (amplifier-pieces.ts), against the MLP over every component.
const macs = (hidden: number[]) =>
  `${pieceBreakpointCount(hidden) + 1} pieces (the MLP over every component: ${((paperParams * amplifierMacsPerComponent(hidden)) / 1e9).toFixed(1)} GMAC)`;
console.log(
  `\nNeuralGrok against AdamW, wasm in Node (${tf.getBackend()}), ms per step averaged over T = ${T}-step cycles (one meta step each), median of ${ROUNDS} rounds × ${CYCLES} cycles:\n`,
);
console.log(
  markdownTable(
    ['configuration', 'ms/step', 'vs AdamW (median per-round ratio)', 'amplifier per pass'],
    [
      ['paper AdamW', f(ms('paper AdamW')), '1', '–'],
      [
        'paper NeuralGrok 128,128 (T 4)',
        f(ms('paper NeuralGrok 128,128')),
        ratio('paper NeuralGrok 128,128', 'paper AdamW').toFixed(2) + '×',
        macs([128, 128]),
      ],
      [
        'paper NeuralGrok 32,32 (T 4)',
        f(ms('paper NeuralGrok 32,32')),
        ratio('paper NeuralGrok 32,32', 'paper AdamW').toFixed(2) + '×',
        macs([32, 32]),
      ],
      ['classroom AdamW', f(ms('classroom AdamW')), '1', '–'],
      [
        'classroom NeuralGrok 128,128 (T 4)',
        f(ms('classroom NeuralGrok 128,128')),
        ratio('classroom NeuralGrok 128,128', 'classroom AdamW').toFixed(2) + '×',
        '–',
      ],
    ],
  ),
);
console.log(
  `\nPaper model: ${paperParams} parameters; the amplifier ${usesPieces ? 'as its table of pieces, only the occupied ones evaluated' : 'as an MLP over chunks of components'}. ` +
    `wasm heap: ${heapBefore.toFixed(0)} MiB at start, ${heapAfterAdamw.toFixed(0)} MiB after the AdamW arms, ${heapAfterNg.toFixed(0)} MiB after the NeuralGrok arms ` +
    `(the heap never shrinks, so NeuralGrok's extra peak is at most ${(heapAfterNg - heapAfterAdamw).toFixed(0)} MiB).`,
);
if (typeof peer === 'string') console.log(`\nPyTorch peer: ${peer}`);
else
  console.log(
    `\nPyTorch ${peer.torch} peer of the same amplifier and meta step (bench/neuralgrok_peer.py, 1 thread): 128,128 ${f(peer['128,128'] as number)} ms/step ` +
      `(ours / peer ${(ms('paper NeuralGrok 128,128') / (peer['128,128'] as number)).toFixed(2)}×), 32,32 ${f(peer['32,32'] as number)} ms/step ` +
      `(ours / peer ${(ms('paper NeuralGrok 32,32') / (peer['32,32'] as number)).toFixed(2)}×). Not interleaved with ours: compare with care.`,
  );
console.log(
  JSON.stringify({
    paperAdamwMs: ms('paper AdamW'),
    paperNg128Ms: ms('paper NeuralGrok 128,128'),
    paperNg32Ms: ms('paper NeuralGrok 32,32'),
    classroomAdamwMs: ms('classroom AdamW'),
    classroomNgMs: ms('classroom NeuralGrok 128,128'),
    ng128OverAdamw: ratio('paper NeuralGrok 128,128', 'paper AdamW'),
    ng32OverAdamw: ratio('paper NeuralGrok 32,32', 'paper AdamW'),
    classroomNgOverAdamw: ratio('classroom NeuralGrok 128,128', 'classroom AdamW'),
    heapMiB: { start: heapBefore, afterAdamw: heapAfterAdamw, afterNeuralGrok: heapAfterNg },
    usesPieces,
    peer,
  }),
);
