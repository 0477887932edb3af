/** Helpers shared by the benchmark scripts: the median and markdown tables live in src/core. */
export { median } from '../src/core/stats';
export { markdownTable } from '../src/core/markdown-table';
