#!/usr/bin/env bash
# The whole test suite, from a fresh machine: set-up, typecheck, lint, unit and integration tests
# (the integration tests include the dist/ bundles run as the Actions runner runs them, under Node 24).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh || exit 1
export PATH="$PWD/node_modules/.bin:$PATH"   # Node 24 first: the action's runtime
export NODE_OPTIONS="--experimental-vm-modules --disable-warning=ExperimentalWarning"

status=0
echo "== typecheck"; tsc -p . || status=1
echo "== lint"; eslint . || status=1; prettier --check . >/dev/null || { echo "prettier: run npm run format"; status=1; }
results=$(mktemp -d)
echo "== unit tests"
jest --selectProjects unit --json --outputFile="$results/unit.json" || status=1
echo "== integration and end-to-end tests"
jest --selectProjects integration --runInBand --json --outputFile="$results/integration.json" || status=1

node -e '
  let passed = 0, failed = 0, skipped = 0
  for (const f of process.argv.slice(1)) {
    try {
      const r = JSON.parse(require("fs").readFileSync(f, "utf8"))
      passed += r.numPassedTests; failed += r.numFailedTests; skipped += r.numPendingTests + r.numTodoTests
      if (r.numRuntimeErrorTestSuites) failed += r.numRuntimeErrorTestSuites
    } catch { failed += 1 }
  }
  console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`)
' "$results/unit.json" "$results/integration.json"
rm -rf "$results"
exit $status
