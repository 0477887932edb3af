/**
 * Loaded into each CLI run a sweep starts (`node --import tsx --import this`): when the sweep
 * process that started the run dies (SIGKILL, a lost machine's worker), the run is re-parented;
 * it then stops as on SIGTERM, writing its checkpoint, instead of training on for nobody.
 */
const startedBy = process.ppid;
setInterval(() => {
  if (process.ppid !== startedBy) process.kill(process.pid, 'SIGTERM');
}, 1000).unref();
export {};
