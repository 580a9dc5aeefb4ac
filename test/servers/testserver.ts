// Loopback Go infrastructure for tests: see test/servers/README.md.
export { buildTestServer } from './build.js'
export { exportFileProxy, type FileProxy } from './export.js'
export { goSumFor } from './go-sum.js'
export { isolatedGoEnv, runCaptured, runGo, TEST_BUILD_CACHE, warmTestBuildCache, type GoResult } from './go-env.js'
export { fixtureGitDir, fixtureModulesDir, goBinary, repoRoot, testServerBinary } from './paths.js'
export { startTestServer } from './start.js'
export type * from './types.js'
