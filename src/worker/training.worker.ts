/// <reference lib="webworker" />
/** The module Web Worker that hosts the engine. */
import type { FromWorker, ToWorker } from '../protocol';
import { chooseBackend } from './backends';
import { RunController } from './run-controller';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const controller = new RunController({
  post: (m: FromWorker, transfer?: ArrayBuffer[]) => scope.postMessage(m, transfer ?? []),
  chooseBackend,
});
scope.onmessage = (e: MessageEvent<ToWorker>) => void controller.handle(e.data);
