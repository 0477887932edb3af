/**
 * Engine speed in Node: ms/step of the `paper` model (p = 97, d = 128, 2 layers, batch 512)
 * on the wasm and cpu backends (median of timed steps after warm-up), where the step's time
 * goes, peak memory, the classroom preset's time to grok, and a PyTorch CPU peer on the same
 * model and batch in the same run.
 *
 *   npm run bench     (--steps N timed wasm steps, --cpu-steps N, --backends wasm,cpu, --no-torch, --no-grok)
 *   npm run bench -- --quick   (under 3 minutes: wasm only, 10 paper steps, classroom ms/step and
 *                               kernels, the peer only if PyTorch is already installed)
 *
 * The last stdout line is one JSON object: classroomMsPerStep, classroomKernelsPerStep,
 * paperMsPerStep, peerMsPerStep (null without PyTorch), peerBlas, oursOverPeer (the median of
 * per-round ratios with ours and the peer run alternately; null without PyTorch), backend.
 */
import * as tf from '@tensorflow/tfjs';
import { execFileSync, spawnSync } from 'node:child_process';
import { activateBackend } from '../src/engine/backend';
import { buildConfig } from '../src/config/schema';
import { CLASSROOM_CONFIG, PAPER_CONFIG } from '../src/config/presets';
import { Trainer } from '../src/engine/trainer';
import { runTraining } from '../src/engine/runner';
import { buildFastBatch, fastLossAndGradients } from '../src/engine/fastgrad';
import { countStepKernels } from './kernels';
import { median, markdownTable } from './stats';

const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const STEPS = Number(args[args.indexOf('--steps') + 1] ?? 0) || (QUICK ? 10 : 50);
/** tfjs's cpu backend is plain JavaScript: ~30 s per paper step here, so it gets fewer steps. */
const CPU_STEPS = Number(args[args.indexOf('--cpu-steps') + 1] ?? 0) || 5;
const WITH_TORCH = !args.includes('--no-torch');
const BACKENDS = args.includes('--backends') ? args[args.indexOf('--backends') + 1]!.split(',') : QUICK ? ['wasm'] : ['wasm', 'cpu'];

let peakRss = 0;
const sampleRss = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

async function timeIt(f: () => Promise<void> | void, n: number): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
    sampleRss();
  }
  return median(times);
}

interface BackendResult {
  backend: string;
  msPerStep: number;
  forward: number;
  forwardBackward: number;
  optimizer: number;
  readback: number;
  peakRssMiB: number;
  tensorMiB: number;
}

async function benchBackend(backend: string, steps: number): Promise<BackendResult> {
  await activateBackend(backend);
  peakRss = 0;
  const trainer = new Trainer(buildConfig(PAPER_CONFIG, { method: 'adamw', evalEvery: 100000 }));
  const warm = backend === 'cpu' ? 1 : 3;
  for (let i = 0; i < warm; i++) await trainer.runSteps(1);
  const msPerStep = await timeIt(async () => void (await trainer.runSteps(1)), steps);
  // Where the time goes, each phase timed on its own at the same shapes (skipped by --quick).
  const P = trainer.params;
  const mc = trainer.modelConfig;
  const rows = trainer.split.train.slice(0, 512);
  const T = trainer.dataset.seqLen;
  const input = buildFastBatch(trainer.dataset.inputs, trainer.dataset.targets, rows, T, mc.vocabSize, true);
  const phaseSteps = QUICK ? 0 : backend === 'cpu' ? 2 : Math.max(5, Math.round(steps / 5));
  const fwd = await timeIt(() => tf.tidy(() => void fastLossAndGradients(P, input, mc, false).loss.dataSync()), phaseSteps);
  const fwdBwd = await timeIt(
    () =>
      tf.tidy(() => {
        const { grads } = fastLossAndGradients(P, input, mc, true);
        grads!.tokEmbed!.dataSync();
      }),
    phaseSteps,
  );
  const grads = tf.tidy(() => Object.fromEntries(Object.entries(P).map(([n, v]) => [n, tf.mul(tf.onesLike(v), 1e-3)])));
  const optimizer = await timeIt(() => {
    trainer.optimizer.apply(P, grads);
    P.head!.dataSync();
  }, phaseSteps);
  const packed = tf.stack(Array.from({ length: 100 }, () => tf.zeros([12])));
  const readback = await timeIt(async () => void (await packed.data()), phaseSteps);
  const tensorMiB = tf.memory().numBytes / 2 ** 20;
  [input.embedIn, input.embedInT!, input.targetsOneHot, input.targets, packed, ...Object.values(grads)].forEach((t) => t.dispose());
  trainer.dispose();
  return { backend, msPerStep, forward: fwd, forwardBackward: fwdBwd, optimizer, readback, peakRssMiB: peakRss / 2 ** 20, tensorMiB };
}

async function classroomTimeToGrok(): Promise<{ stepsTo95: number | null; secondsTo95: number | null; msPerStep: number }> {
  await activateBackend('wasm');
  let secondsTo95: number | null = null;
  const r = await runTraining(buildConfig(CLASSROOM_CONFIG, { method: 'adamw' }), {
    stopWhen: { stableFor: 0 },
    onProgress: (p) => {
      if (p.stepsTo95 !== null && secondsTo95 === null) secondsTo95 = p.elapsedSeconds;
    },
  });
  return { stepsTo95: r.summary.stepsTo95, secondsTo95, msPerStep: (1000 * r.summary.seconds) / r.summary.steps };
}

/** Classroom preset (add mod 31, AdamW) ms per step, evaluation every 10 steps included, as the playground runs it. */
async function classroomSpeed(steps: number): Promise<number> {
  await activateBackend('wasm');
  const trainer = new Trainer(buildConfig(CLASSROOM_CONFIG, { method: 'adamw' }));
  try {
    for (let i = 0; i < 3; i++) await trainer.runSteps(10);
    const times: number[] = [];
    for (let i = 0; i < steps / 10; i++) {
      const t0 = performance.now();
      await trainer.runSteps(10); // one chunk = one evaluation interval, one readback
      times.push((performance.now() - t0) / 10);
    }
    return median(times);
  } finally {
    trainer.dispose();
  }
}

interface PeerResult {
  torch: string;
  threads1: number;
  threads2?: number;
  /** OpenBLAS's core (the kernel it chose) and config line, or the BLAS library that was loaded. */
  blas: string;
}

function torchPeer(steps: number, install: boolean, threads: number[]): PeerResult | string {
  const python = '/usr/bin/python3';
  const hasTorch = () => spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0;
  if (!install && !hasTorch()) return 'PyTorch is not installed (the full `npm run bench` installs it)';
  // Debian's torch links the generic reference BLAS (3 GFLOP/s here) unless OpenBLAS is
  // installed as the libblas alternative (37 GFLOP/s): a fair peer needs it.
  const hasOpenBlas = () => spawnSync('dpkg', ['-s', 'libopenblas0-pthread'], { stdio: 'ignore' }).status === 0;
  if (!hasTorch() || !hasOpenBlas()) {
    console.error('PyTorch peer: installing Debian python3-torch and libopenblas0-pthread with apt …');
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'python3-torch', 'libopenblas0-pthread'], { stdio: 'inherit', env });
    if (!hasTorch()) return 'python3-torch could not be installed';
  }
  // This machine sets OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE for old OpenBLAS builds; they slow the
  // current one (226 → 172 ms/step when unset), so the peer runs without them.
  const out = execFileSync(
    'env',
    ['-u', 'OPENBLAS_CORETYPE', '-u', 'OPENBLAS_L2_SIZE', python, 'bench/pytorch_peer.py', String(steps), ...threads.map(String)],
    {
      encoding: 'utf8',
      env: { ...process.env, OMP_NUM_THREADS: '2' },
    },
  );
  return JSON.parse(out.trim().split('\n').at(-1)!);
}

/**
 * Ours and the peer alternately on the paper model, `rounds` times (one trainer, one warm-up):
 * this machine's speed drifts by ±20% over minutes, and it slows both alike within a round, so
 * the per-round ratio is the figure to trust.
 */
async function interleavedWithPeer(
  rounds: number,
  stepsPerRound: number,
  peerSteps: number,
): Promise<{ ours: number; peer: number; ratio: number }[]> {
  await activateBackend('wasm');
  const trainer = new Trainer(buildConfig(PAPER_CONFIG, { method: 'adamw', evalEvery: 100000 }));
  try {
    for (let i = 0; i < 3; i++) await trainer.runSteps(1);
    const out: { ours: number; peer: number; ratio: number }[] = [];
    for (let r = 0; r < rounds; r++) {
      const ours = await timeIt(async () => void (await trainer.runSteps(1)), stepsPerRound);
      const peer = torchPeer(peerSteps, false, [1]);
      if (typeof peer === 'string') break;
      out.push({ ours, peer: peer.threads1, ratio: ours / peer.threads1 });
    }
    return out;
  } finally {
    trainer.dispose();
  }
}

const results: BackendResult[] = [];
for (const b of BACKENDS) {
  console.error(`timing the paper model on ${b} (${b === 'cpu' ? CPU_STEPS : STEPS} steps) …`);
  results.push(await benchBackend(b, b === 'cpu' ? CPU_STEPS : STEPS));
}
console.error('classroom kernels and ms/step …');
const kernels = await countStepKernels({ method: 'adamw' });
const classroomMs = await classroomSpeed(QUICK ? 100 : 300);
const grok = args.includes('--no-grok') || QUICK ? null : (console.error('classroom time to grok …'), await classroomTimeToGrok());
const torch = WITH_TORCH ? torchPeer(STEPS, !QUICK, QUICK ? [1] : [1, 2]) : 'skipped';
const ROUNDS = QUICK ? 2 : 5;
if (typeof torch !== 'string') console.error(`ours and the peer alternately, ${ROUNDS} rounds …`);
const rounds = typeof torch === 'string' ? [] : await interleavedWithPeer(ROUNDS, QUICK ? 10 : 20, 20);
const ratio = rounds.length > 0 ? median(rounds.map((r) => r.ratio)) : null;

const f = (x: number) => x.toFixed(1);
console.log(
  `\nPaper model (p = 97, d = 128, 2 layers, 4 heads, batch 512, AdamW), Node ${process.version}: median of ${STEPS} steps after 3 warm-up steps on wasm, of ${CPU_STEPS} after 1 on cpu; phases timed separately at the same shapes (ms)\n`,
);
console.log(
  markdownTable(
    ['backend', 'ms/step', 'forward', 'forward+backward', 'optimizer', 'readback (100×12 floats)', 'peak RSS MiB', 'tensors MiB'],
    results.map((r) => [
      r.backend,
      f(r.msPerStep),
      f(r.forward),
      f(r.forwardBackward),
      f(r.optimizer),
      f(r.readback),
      f(r.peakRssMiB),
      f(r.tensorMiB),
    ]),
  ),
);
if (typeof torch === 'string') console.log(`\nPyTorch peer: ${torch}`);
else {
  const wasm = results.find((r) => r.backend === 'wasm')!.msPerStep;
  console.log(`\nPyTorch ${torch.torch} on CPU, same model and batch (reference-style: full sequence through every block):\n`);
  console.log(
    markdownTable(
      ['peer', 'ms/step', 'ours (wasm) / peer'],
      [
        ['PyTorch, 1 thread', f(torch.threads1), (wasm / torch.threads1).toFixed(2) + '×'],
        ...(torch.threads2 ? [['PyTorch, 2 threads', f(torch.threads2), (wasm / torch.threads2).toFixed(2) + '×']] : []),
      ],
    ),
  );
  console.log(`
Peer BLAS (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset): ${torch.blas}`);
  if (rounds.length > 0) {
    console.log(
      `\nOurs (wasm, median of ${QUICK ? 10 : 20} steps) and the peer (1 thread, median of 20) alternately on one trainer, ${rounds.length} rounds:\n`,
    );
    console.log(
      markdownTable(
        ['round', 'ours ms/step', 'peer ms/step', 'ours / peer'],
        rounds.map((r, i) => [i + 1, f(r.ours), f(r.peer), r.ratio.toFixed(2) + '×']),
      ),
    );
    console.log(`\nMedian ratio ours / peer (1 thread): ${ratio!.toFixed(2)}×`);
  }
}
console.log(`
Classroom preset (add mod 31, AdamW): ${f(classroomMs)} ms/step incl. evaluation every 10 steps (median of 10-step chunks); ${kernels.train} kernels per training step, ${kernels.evalStep} per evaluation step, ${f(kernels.average)} on average`);
if (grok)
  console.log(
    `\nClassroom preset (add mod 31, AdamW): val ≥ 0.95 at step ${grok.stepsTo95} after ${grok.secondsTo95?.toFixed(1) ?? 'n/a'} s (${f(grok.msPerStep)} ms/step incl. evaluation every 10 steps)`,
  );
const wasmResult = results.find((r) => r.backend === 'wasm') ?? results[0]!;
const round = (x: number) => Math.round(x * 10) / 10;
console.log(
  JSON.stringify({
    classroomMsPerStep: round(classroomMs),
    classroomKernelsPerStep: round(kernels.average),
    classroomKernelsPerTrainingStep: kernels.train,
    paperMsPerStep: round(wasmResult.msPerStep),
    peerMsPerStep: typeof torch === 'string' ? null : round(torch.threads1),
    peerBlas: typeof torch === 'string' ? null : torch.blas,
    oursOverPeer: ratio === null ? null : Math.round(ratio * 100) / 100,
    backend: wasmResult.backend,
  }),
);
