import { activateBackend } from '../src/engine/backend';

await activateBackend(process.env.GROKLAB_TEST_BACKEND ?? 'wasm');
