#!/usr/bin/env bash
# The action's main and post steps on the built-in example, through a loopback proxy this command starts itself.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec node_modules/.bin/node --experimental-transform-types --disable-warning=ExperimentalWarning --import ./test/servers/node-hooks.mjs scripts/demo.mjs
