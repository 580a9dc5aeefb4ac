#!/usr/bin/env bash
# Installs everything the demo and the tests need on a fresh Debian machine with Go, Node and npm.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v rsync >/dev/null 2>&1 || need_apt+=(rsync)   # gitlab-ci-local copies the project with rsync
command -v git >/dev/null 2>&1 || need_apt+=(git)
command -v zstd >/dev/null 2>&1 || need_apt+=(zstd)     # @actions/cache compresses with zstd when present
command -v openssl >/dev/null 2>&1 || need_apt+=(openssl) # the probe tests make their certificates with it
command -v shellcheck >/dev/null 2>&1 || need_apt+=(shellcheck) # the GitLab templates' shell is checked for sh and dash
command -v busybox >/dev/null 2>&1 || need_apt+=(busybox)       # and run under busybox ash, the /bin/sh of Alpine images
command -v dash >/dev/null 2>&1 || need_apt+=(dash)
if [ "${#need_apt[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing ${need_apt[*]} from Debian"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "setup: please install: ${need_apt[*]}" >&2
    exit 1
  fi
fi

if ! command -v go >/dev/null 2>&1; then
  if [ -x /usr/local/go/bin/go ]; then export PATH="/usr/local/go/bin:$PATH"; else
    echo "setup: Go is required (https://go.dev/dl/); put it on PATH" >&2
    exit 1
  fi
fi

# node_modules, including Node 24 itself (the npm package `node`), which the action runs on
stamp=node_modules/.goproxy-guard-lock
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  cp package-lock.json "$stamp"
fi
node_modules/.bin/node --version >/dev/null

# the loopback Go module proxy, checksum database and git server the tests and the demo use
if [ -f test/servers/go/go.mod ]; then
  mkdir -p test/.bin
  (cd test/servers/go && go build -o ../../.bin/testserver .)
fi
