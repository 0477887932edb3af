#!/usr/bin/env bash
# The sweep tests (tests/sweep-redis.test.ts) start Debian's redis-server on a free loopback port.
# Installs it with apt when it is missing and we may; otherwise says how (the tests then skip).
set -euo pipefail
command -v redis-server >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's redis-server for the sweep tests …"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  exit 0
fi
echo "The sweep tests need redis-server: run 'sudo apt-get install -y redis-server' (they skip without it)." >&2
exit 0
