/**
 * The headless GrokLab runner: `npm run grok -- --preset classroom --task add …`.
 * Progress goes to stderr; the last line of stdout is one JSON summary for scripts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { runTraining, type RunCheckpoint, type RunProgress } from '../engine/runner';
import { parseStoredConfig } from '../config/schema';
import type { AmplifierJson } from '../core/amplifier';
import { readRunFile, RUN_FILE_FORMAT, writeRunFile } from '../core/run-file';
import { SOFTMAX_COLLAPSE_THRESHOLD } from '../core/collapse';
import { helpText, parseArgs, UsageError, type CliOptions } from './args';
import { formatDuration, formatProgress } from './progress';
import { blasFromEnvironment, chooseBlasKernels } from './blas-matmul';
import { adapterLabel, BackendUnavailable, chooseCliBackend, type CliBackend } from './webgpu';
import { CheckpointError, originHistory, readCheckpointFile, writeCheckpointFile, type CheckpointOrigin } from './checkpoint-file';

async function main(argv: string[]): Promise<number> {
  let opts: CliOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  if (opts.help) {
    process.stdout.write(helpText() + '\n');
    return 0;
  }
  const { config } = opts;
  const log = (s: string) => process.stderr.write(s + '\n');
  // auto: WebGPU only on a real GPU measured faster here; webgpu: any adapter, after the self-test (src/cli/webgpu.ts)
  let chosen: CliBackend;
  try {
    chosen = await chooseCliBackend(config.backend, config, log);
  } catch (e) {
    if (!(e instanceof BackendUnavailable)) throw e;
    process.stderr.write(`error: ${e.message}\n`);
    return 2;
  }
  const { backend } = chosen;
  // GROKLAB_BLAS=1: OpenBLAS's matmul instead of XNNPACK's (wasm only; src/cli/blas-matmul.ts)
  if (backend === 'wasm' && process.env.GROKLAB_BLAS && process.env.GROKLAB_BLAS !== '0') chooseBlasKernels(); // this process's choice: OpenBLAS's own, or GROKLAB_BLAS_CORE's (blas-matmul.ts)
  const blas = backend === 'wasm' ? blasFromEnvironment() : null;
  const matmul = blas?.label ?? (backend === 'wasm' ? 'xnnpack' : backend);
  // recorded in the run file and the JSON summary (race rows), only for WebGPU
  const adapter = chosen.webgpu && { adapter: chosen.webgpu.adapter, softwareAdapter: chosen.webgpu.software };
  log(
    `GrokLab: task ${config.task} mod ${config.p}, method ${config.method}, preset ${opts.preset}, seed ${config.seed}, backend ${backend} (matmul: ${matmul})` +
      (chosen.webgpu ? `, adapter ${adapterLabel(chosen.webgpu)}` : ''),
  );
  let lastPrint = 0;
  const onProgress = (p: RunProgress) => {
    const now = performance.now();
    if (opts.quiet || (now - lastPrint < 1000 && p.step < p.totalSteps)) return;
    lastPrint = now;
    log(formatProgress(p));
  };
  let amplifier: AmplifierJson | null = null;
  let imported: AmplifierJson | null = null;
  if (opts.amplifier) {
    try {
      const text = readFileSync(opts.amplifier, 'utf8');
      imported = text.slice(0, 200).includes(`"${RUN_FILE_FORMAT}"`)
        ? readRunFile(text, parseStoredConfig).amplifier
        : (JSON.parse(text) as AmplifierJson);
      if (!imported) throw new Error('the run file has no amplifier (was it a NeuralGrok run?)');
    } catch (e) {
      process.stderr.write(`error: --amplifier ${opts.amplifier}: ${(e as Error).message}\n`);
      return 2;
    }
  }
  let origin: CheckpointOrigin = { backend, matmul, ...(chosen.webgpu && { adapter: chosen.webgpu.adapter }) };
  let resume: RunCheckpoint | undefined;
  if (opts.resume) {
    try {
      const read = readCheckpointFile(opts.resume, config, origin, opts.allowRoundingChange);
      resume = read;
      if (read.roundingChanged) log(`resuming with a change of rounding (recorded): ${originHistory(read.origin)}`);
      origin = read.origin;
    } catch (e) {
      if (!(e instanceof CheckpointError)) throw e;
      process.stderr.write(`error: --resume ${opts.resume}: ${e.message}; nothing was changed\n`);
      return 2;
    }
    log(`resuming from step ${resume.checkpoint.step} (${formatDuration(resume.elapsedSeconds)} of training so far)`);
  } else if (opts.checkpoint && existsSync(opts.checkpoint)) {
    process.stderr.write(
      `error: --checkpoint ${opts.checkpoint}: a checkpoint is already there; continue it with --resume ${opts.checkpoint}, or remove it to start over\n`,
    );
    return 2;
  }
  // A signal stops the run at the next chunk's end, after a checkpoint: nothing trained is lost.
  let stopRequested = false;
  if (opts.checkpoint) {
    for (const signal of ['SIGINT', 'SIGTERM'] as const)
      process.on(signal, () => {
        if (stopRequested) process.exit(130); // a second signal: stop now
        stopRequested = true;
        log(`${signal}: stopping after the current steps and writing the checkpoint…`);
      });
  }
  const checkpointFile = opts.checkpoint;
  const result = await runTraining(config, {
    resume,
    shouldStop: () => stopRequested,
    checkpoint: checkpointFile
      ? {
          every: opts.checkpointEvery,
          save: async (c) => {
            writeCheckpointFile(checkpointFile, c, origin);
            // The training loop on wasm never yields to the event loop, so a SIGINT/SIGTERM handler would
            // run only after the last step: yield here, so that a signal stops the run at its next checkpoint.
            await new Promise((r) => setImmediate(r));
          },
        }
      : undefined,
    beforeStart: (t) => {
      if (imported) t.importAmplifier(imported);
    },
    stopWhen: {
      ...(opts.stopAt !== null ? { valAccuracy: opts.stopAt } : {}),
      ...(opts.stopWhenGrokked ? { stableFor: opts.stopPatience } : {}),
    },
    onProgress,
    beforeDispose: async (t) => {
      amplifier = await t.exportAmplifier();
    },
  });
  const s = result.summary;
  if (s.interrupted) {
    log(`stopped at step ${s.steps}; checkpoint in ${checkpointFile}: continue with the same flags and --resume ${checkpointFile}`);
    return 130;
  }
  if (s.divergedAt !== null)
    log(`The run diverged at step ${s.divergedAt} (the loss became NaN or infinite). Try a smaller learning rate.`);
  log(`steps to grok: val ≥ 0.95 at ${s.stepsTo95 ?? `not within ${s.steps}`}, val ≥ 0.99 at ${s.stepsTo99 ?? `not within ${s.steps}`}`);
  log(
    `final: train acc ${fmt(s.finalTrainAcc)}, val acc ${fmt(s.finalValAcc)}; ${s.steps} steps in ${formatDuration(s.seconds)} (${s.stepsPerSecond.toFixed(1)} steps/s)${s.stoppedEarly ? ', stopped early: grokked' : ''}`,
  );
  log(
    `softmax collapse: ${fmt(s.finalCollapseFraction)} of the training rows have a zero loss gradient at the end (≥ ${SOFTMAX_COLLAPSE_THRESHOLD} ${s.softmaxCollapseAt === null ? 'never' : `from step ${s.softmaxCollapseAt}`}); cos(Δθ, θ) ${fmt(s.finalNlmCosine)}`,
  );
  const d = s.amplifierDiagnostics;
  if (d) {
    log(
      `amplifier at the last evaluation: N·w in [${fmt(d.ampWeightMin)}, ${fmt(d.ampWeightMax)}], std ${fmtE(d.ampWeightStd)} (uniform: all 1, std 0); ` +
        `cosine to plain normalization ${fmt(d.cosToNorm)}; meta-gradient RMS ${fmtE(d.metaGradRms)} vs meta weight-decay RMS ${fmtE(d.metaDecayRms)}`,
    );
  }
  if (opts.out) {
    writeFileSync(
      opts.out,
      writeRunFile({ config: result.config, series: result.series, amplifier, backend, summary: { ...s, ...adapter } }),
    );
    log(`wrote ${opts.out}`);
  }
  process.stdout.write(
    JSON.stringify({
      ...s,
      task: config.task,
      method: config.method,
      seed: config.seed,
      backend,
      matmul,
      ...adapter,
      // where it ran before a resume that changed the rounding (--allow-rounding-change)
      ...(origin.earlier?.length && { roundingEarlier: origin.earlier }),
    }) + '\n',
  );
  return s.divergedAt !== null ? 3 : 0;
}

const fmt = (x: number | null) => (x === null ? 'n/a' : x.toFixed(4));
const fmtE = (x: number | null) => (x === null ? 'n/a' : x.toExponential(2));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    const cause = (e as Error).cause;
    if (cause) process.stderr.write(`  (the backend said: ${String((cause as Error).message ?? cause).slice(0, 300)})\n`);
    process.exit(1);
  },
);
