/**
 * `npm run pack:gpu`: one self-contained folder, dist-gpu/, for a Linux x64 machine with a GPU
 * and a Vulkan driver but no Node and no network:
 *
 *   dist-gpu/groklab grok --preset paper --backend webgpu …     (the CLI, src/cli/main.ts)
 *   dist-gpu/groklab bench-gpu [--quick]                          (bench/gpu.ts)
 *
 * Inside: this Node binary (process.execPath, stripped, gzip), dawn.node (WebGPU for Node, from
 * the `webgpu` package, stripped, gzip), the CLI and the benchmark bundled by esbuild into one
 * file each, tfjs-wasm's .wasm files, and the Khronos Vulkan loader from Debian's chromium when
 * present (for a driver installed without its loader). The entry script unpacks the compressed
 * parts once (beside itself when writable, else in ~/.cache) with sh and gzip only.
 * The folder must stay under 60 MB; this script fails otherwise.
 */
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { build } from 'esbuild';

const OUT = 'dist-gpu';
const LIB = join(OUT, 'lib');
const MAX_BYTES = 60 * 1024 * 1024;
const require = createRequire(import.meta.url);
if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('pack:gpu packs for linux-x64 and runs there');

rmSync(OUT, { recursive: true, force: true });
mkdirSync(LIB, { recursive: true });

// ESM bundles that still see CommonJS's __dirname (tfjs-wasm finds its .wasm beside it) and require (dawn.node).
const banner = [
  "import { createRequire as __groklabRequire } from 'node:module';",
  "import { fileURLToPath as __groklabPath } from 'node:url';",
  "import { dirname as __groklabDir } from 'node:path';",
  'const require = __groklabRequire(import.meta.url);',
  'const __filename = __groklabPath(import.meta.url);',
  'const __dirname = __groklabDir(__filename);',
].join('\n');
for (const [entry, out] of [
  ['src/cli/main.ts', 'groklab.mjs'],
  ['bench/gpu.ts', 'bench-gpu.mjs'],
]) {
  await build({
    entryPoints: [entry!],
    outfile: join(LIB, out!),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    banner: { js: banner },
    logLevel: 'warning',
    // the optional native pieces the CLI never loads in this folder (OpenBLAS: GROKLAB_BLAS)
    external: ['*.node'],
  });
}

const wasmDir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
for (const f of readdirSync(join(wasmDir, 'dist')).filter((f) => f.endsWith('.wasm'))) copyFileSync(join(wasmDir, 'dist', f), join(LIB, f));

/** A stripped copy (strip when installed: the debug info is most of Node's 99 MB), gzip-compressed. */
async function packBinary(from: string, to: string): Promise<void> {
  const tmp = `${to}.tmp`;
  try {
    execFileSync('strip', ['-o', tmp, from], { stdio: 'ignore' });
  } catch {
    copyFileSync(from, tmp);
  }
  await pipeline(createReadStream(tmp), createGzip({ level: 6 }), createWriteStream(to));
  rmSync(tmp);
}
const dawn = join(dirname(require.resolve('webgpu/package.json')), 'dist', 'linux-x64', 'dawn.node');
await packBinary(process.execPath, join(LIB, 'node.gz'));
await packBinary(dawn, join(LIB, 'dawn.node.gz'));
const chromiumLoader = '/usr/lib/chromium/libvulkan.so.1';
if (existsSync(chromiumLoader)) {
  mkdirSync(join(LIB, 'vulkan'));
  copyFileSync(chromiumLoader, join(LIB, 'vulkan', 'libvulkan.so.1'));
}
writeFileSync(join(LIB, 'STAMP'), `${process.version}-${Date.now()}\n`);

writeFileSync(
  join(OUT, 'groklab'),
  `#!/bin/sh
# GrokLab for a GPU machine without Node (made by npm run pack:gpu): see README.txt beside it.
set -e
here=$(cd "$(dirname "$0")" && pwd)
stamp=$(cat "$here/lib/STAMP")
if [ -w "$here" ]; then run="$here/.unpacked"; else run="\${XDG_CACHE_HOME:-$HOME/.cache}/groklab-gpu/$stamp"; fi
if [ "$(cat "$run/STAMP" 2>/dev/null || true)" != "$stamp" ]; then
  rm -rf "$run.tmp"
  mkdir -p "$run.tmp/dist/linux-x64"
  cp "$here"/lib/*.mjs "$here"/lib/*.wasm "$run.tmp/"
  if [ -d "$here/lib/vulkan" ]; then cp -R "$here/lib/vulkan" "$run.tmp/"; fi
  gzip -dc "$here/lib/node.gz" > "$run.tmp/node"
  chmod +x "$run.tmp/node"
  gzip -dc "$here/lib/dawn.node.gz" > "$run.tmp/dist/linux-x64/dawn.node"
  cp "$here/lib/STAMP" "$run.tmp/STAMP"
  rm -rf "$run"
  mv "$run.tmp" "$run"
fi
command=\${1:-}
[ $# -gt 0 ] && shift
case "$command" in
  grok) exec "$run/node" "$run/groklab.mjs" "$@" ;;
  bench-gpu) exec "$run/node" "$run/bench-gpu.mjs" "$@" ;;
  *) echo "usage: $0 grok [flags] | bench-gpu [--quick]   ($0 grok --help lists the flags)" >&2; exit 2 ;;
esac
`,
);
chmodSync(join(OUT, 'groklab'), 0o755);
writeFileSync(
  join(OUT, 'README.txt'),
  `GrokLab for a machine with a GPU (Linux x64), no Node or network needed.

  ./groklab bench-gpu            WebGPU against WASM: ms/step, dispatches/step, the paper preset's
                                 time to val >= 0.95; the last line is JSON
  ./groklab bench-gpu --quick    the classroom model only (minutes even on a software adapter)
  ./groklab grok --preset paper --backend webgpu --stop-at 0.95 --out run.json

WebGPU runs on Vulkan: the GPU's driver with its Vulkan ICD (NVIDIA: the driver's
libnvidia-vulkan / nvidia_icd.json, usually in /usr/share/vulkan/icd.d or /etc/vulkan/icd.d)
and the Vulkan loader libvulkan.so.1 (package libvulkan1; a copy is in lib/vulkan and is used
when the system has none). Check with: ./groklab grok --preset classroom --backend webgpu --steps 5
It prints the adapter; "(software adapter)" means SwiftShader, not the GPU. VK_ICD_FILENAMES
picks an ICD by hand.

The first run unpacks Node and dawn.node (about 110 MB) into .unpacked/ beside this file, or
into ~/.cache/groklab-gpu when this folder is read-only.
`,
);

const size = (p: string): number =>
  statSync(p).isDirectory() ? readdirSync(p).reduce((n, f) => n + size(join(p, f)), 0) : statSync(p).size;
const total = size(OUT);
console.log(`${OUT}/: ${(total / 2 ** 20).toFixed(1)} MiB (${readdirSync(LIB).join(', ')})`);
if (total >= MAX_BYTES) throw new Error(`${OUT}/ is ${(total / 2 ** 20).toFixed(1)} MiB, over the 60 MB limit`);
