/**
 * `npm run bench:gpu -- --quick` on the SwiftShader software adapter (Debian's chromium; `npm test`
 * installs it first): it runs, its JSON last line names the adapter as a software one, and the
 * fused kernels dispatch fewer programs per step than tf ops alone.
 * Slow on a software adapter (shader compiles on the CPU): a few minutes on a loaded 2-core machine.
 */
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm run bench:gpu -- --quick', () => {
  it('runs on the software adapter and its JSON names it as software', () => {
    const out = execFileSync('npx', ['tsx', 'bench/gpu.ts', '--quick'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const json = JSON.parse(out.trim().split('\n').at(-1)!) as {
      adapter: string;
      softwareAdapter: boolean;
      rows: {
        model: string;
        method: string;
        webgpuMsPerStep: number;
        wasmMsPerStep: number;
        dispatchesPerStep: number;
        opsDispatchesPerStep: number;
      }[];
    };
    expect(json.adapter).toMatch(/swiftshader/i);
    expect(json.softwareAdapter).toBe(true);
    expect(json.rows.map((r) => `${r.model} ${r.method}`)).toEqual(['classroom adamw', 'classroom neuralgrok']);
    for (const r of json.rows) {
      expect(r.webgpuMsPerStep).toBeGreaterThan(0);
      expect(r.wasmMsPerStep).toBeGreaterThan(0);
      expect(r.dispatchesPerStep).toBeGreaterThan(10);
      // GrokLab's fused WebGPU kernels (Adam, GELU and LayerNorm backward) dispatch fewer programs than tf ops alone
      expect(r.dispatchesPerStep).toBeLessThan(r.opsDispatchesPerStep);
    }
  }, 900_000);
});
