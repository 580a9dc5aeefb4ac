/** The public input names (action inputs, CLI flags, GitLab component inputs). A contract: workflows depend on them. */
export const INPUT_NAMES = [
  'working-directory',
  'modules',
  'preset',
  'goproxy',
  'goprivate',
  'gonoproxy',
  'gonosumdb',
  'gosumdb',
  'goinsecure',
  'goflags',
  'gotoolchain',
  'goauth',
  'auth',
  'probe',
  'probe-timeout',
  'on-proxy-failure',
  'select-fastest',
  'cache',
  'cache-dependency-path',
  'cache-key-prefix',
  'cache-save',
  'build-cache',
  'build-cache-save',
  'go-timeout',
  'download',
  'check-drift',
  'check-post',
  'allow-external-replace',
] as const

export type InputName = (typeof INPUT_NAMES)[number]

/** Defaults, as action.yml declares them. Inputs not listed default to empty (unset). */
export const INPUT_DEFAULTS: Partial<Record<InputName, string>> = {
  'working-directory': '.',
  probe: 'true',
  'probe-timeout': '10',
  'on-proxy-failure': 'fail',
  'select-fastest': 'false',
  cache: 'true',
  'cache-key-prefix': 'goproxy-guard',
  'cache-save': 'true',
  'build-cache': 'true',
  'build-cache-save': 'default-branch',
  'go-timeout': '600',
  download: 'true',
  'check-drift': 'true',
  'check-post': 'true',
  'allow-external-replace': 'false',
}

export const OUTPUT_NAMES = [
  'goproxy',
  'gosumdb',
  'goprivate',
  'gonosumdb',
  'cache-hit',
  'cache-key',
  'build-cache-hit',
  'build-cache-key',
  'drift',
  'proxy-report',
] as const

export type OutputName = (typeof OUTPUT_NAMES)[number]
