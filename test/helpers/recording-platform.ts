import type { Annotation, Platform } from '../../src/platform/platform.js'
import type { Redactor } from '../../src/secrets/redactor.js'

export interface Recorded {
  kind: 'debug' | 'info' | 'notice' | 'warning' | 'error' | 'failed'
  text: string
  annotation?: Annotation
  /** the group the line was written in, if any */
  group?: string
}

/** A Platform that keeps everything the engine hands it, as the runner would have received it (redacted). */
export interface RecordingPlatform extends Platform {
  readonly exported: Map<string, string>
  readonly outputs: Map<string, string>
  readonly state: Map<string, string>
  /** every value registered with setSecret, in order */
  readonly secrets: string[]
  readonly lines: Recorded[]
  readonly groups: Array<{ title: string; lines: Recorded[] }>
  readonly summary: string[]
  readonly matchers: string[]
  /** every byte the platform was given to emit, for leak scans */
  emitted(): string
}

export function recordingPlatform(options: {
  name?: 'github' | 'cli'
  redactor: Redactor
  inputs?: Record<string, string>
  env?: Record<string, string>
  tempDir: string
  /** state from a main step, for a post step */
  state?: Map<string, string>
}): RecordingPlatform {
  const { redactor } = options
  const clean = (text: string): string => redactor.redact(text)
  const exported = new Map<string, string>()
  const outputs = new Map<string, string>()
  const state = options.state ?? new Map<string, string>()
  const secrets: string[] = []
  const lines: Recorded[] = []
  const groups: Array<{ title: string; lines: Recorded[] }> = []
  const summary: string[] = []
  const matchers: string[] = []
  let current: { title: string; lines: Recorded[] } | undefined
  const record = (kind: Recorded['kind'], text: string, annotation?: Annotation): void => {
    const line: Recorded = { kind, text: clean(text), ...(annotation ? { annotation } : {}) }
    if (current !== undefined) {
      line.group = current.title
      current.lines.push(line)
    }
    lines.push(line)
  }
  return {
    name: options.name ?? 'github',
    input: (name) => options.inputs?.[name] ?? '',
    setSecret: (secret) => {
      redactor.addValue(secret)
      secrets.push(secret)
    },
    exportVariable: (name, value) => void exported.set(name, clean(value)),
    setOutput: (name, value) => void outputs.set(name, clean(value)),
    saveState: (name, value) => void state.set(name, clean(value)),
    getState: (name) => state.get(name) ?? '',
    debug: (message) => record('debug', message),
    info: (message) => record('info', message),
    notice: (message, a) => record('notice', message, a),
    warning: (message, a) => record('warning', message, a),
    error: (message, a) => record('error', message, a),
    group: async (title, fn) => {
      if (current !== undefined) throw new Error(`group '${title}' opened inside '${current.title}'`)
      current = { title, lines: [] }
      groups.push(current)
      try {
        return await fn()
      } finally {
        current = undefined
      }
    },
    appendSummary: async (markdown) => void summary.push(clean(markdown)),
    setFailed: (message) => record('failed', message),
    addProblemMatcher: (file) => void matchers.push(file),
    env: options.env ?? {},
    tempDir: options.tempDir,
    exported,
    outputs,
    state,
    secrets,
    lines,
    groups,
    summary,
    matchers,
    emitted: () =>
      [
        ...lines.map((l) => l.text),
        ...summary,
        ...[...exported].map(([k, v]) => `${k}=${v}`),
        ...[...outputs].map(([k, v]) => `${k}=${v}`),
        ...[...state].map(([k, v]) => `${k}=${v}`),
      ].join('\n'),
  }
}
