#!/usr/bin/env bash
# Builds native/build/blas-matmul.node: OpenBLAS's sgemm for the wasm backend in Node
# (native/README.md). With --install (npm run build:blas) it installs Debian's libopenblas-dev
# when the build needs it and we are root; without it (npm test) it installs nothing.
# Exit 0 with the addon built; exit 1 with a reason when it cannot be.
set -uo pipefail
cd "$(dirname "$0")/.."
node_include="$(dirname "$(dirname "$(command -v node)")")/include/node"
[ -f "$node_include/node_api.h" ] || node_include=/usr/include/node
[ -f "$node_include/node_api.h" ] || { echo "build-blas: Node's headers (node_api.h) not found" >&2; exit 1; }
mkdir -p native/build
build() { cc -O2 -fPIC -shared -Wall -Werror -I"$node_include" native/blas-matmul.c -o native/build/blas-matmul.node -lopenblas 2>/tmp/build-blas.err; }
if ! build; then
  if [ "${1:-}" = --install ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "build-blas: installing libopenblas-dev (Debian)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq libopenblas-dev >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq libopenblas-dev >/dev/null; }
  fi
  build || {
    cat /tmp/build-blas.err >&2
    echo "build-blas: the optional OpenBLAS matmul (GROKLAB_BLAS=1) was not built: libopenblas-dev is missing or the build failed (above)." >&2
    echo "build-blas: its tests will say they were skipped; install it with npm run build:blas (apt-get install libopenblas-dev as root)." >&2
    exit 1
  }
fi
echo "build-blas: built native/build/blas-matmul.node" >&2
