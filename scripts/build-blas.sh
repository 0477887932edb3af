#!/usr/bin/env bash
# Builds native/build/blas-matmul.node: OpenBLAS's sgemm for the wasm backend in Node
# (native/README.md). Installs Debian's libopenblas-dev when it is missing and we are root.
# Exit 0 with the addon built; exit 1 with a reason when it cannot be.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/include/x86_64-linux-gnu/cblas.h ] && [ ! -f /usr/include/cblas.h ] && ! ls /usr/include/*/cblas.h >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "build-blas: installing libopenblas-dev (Debian)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q libopenblas-dev >/dev/null || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q libopenblas-dev >/dev/null; }
  else
    echo "build-blas: OpenBLAS headers missing; install libopenblas-dev (apt-get install libopenblas-dev) and run again" >&2
    exit 1
  fi
fi
node_include="$(dirname "$(dirname "$(command -v node)")")/include/node"
[ -f "$node_include/node_api.h" ] || node_include=/usr/include/node
[ -f "$node_include/node_api.h" ] || { echo "build-blas: Node's headers (node_api.h) not found" >&2; exit 1; }
mkdir -p native/build
cc -O2 -fPIC -shared -Wall -Werror -I"$node_include" native/blas-matmul.c -o native/build/blas-matmul.node -lopenblas
echo "build-blas: built native/build/blas-matmul.node" >&2
