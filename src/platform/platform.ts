/** Where a message points in the user's repository. Paths are relative to the repository root. */
export interface Annotation {
  title?: string
  file?: string
  startLine?: number
  endLine?: number
}

/**
 * Everything the engine needs from the place it runs in: GitHub Actions, or a terminal / GitLab job.
 * Every string an implementation emits passes through its Redactor first.
 */
export interface Platform {
  readonly name: 'github' | 'cli'
  /** the raw value of an input ('' when not given) */
  input(name: string): string
  /** registers a secret for masking; later output never shows it */
  setSecret(secret: string): void
  exportVariable(name: string, value: string): void
  setOutput(name: string, value: string): void
  saveState(name: string, value: string): void
  getState(name: string): string
  debug(message: string): void
  info(message: string): void
  notice(message: string, annotation?: Annotation): void
  warning(message: string, annotation?: Annotation): void
  error(message: string, annotation?: Annotation): void
  group<T>(title: string, fn: () => Promise<T>): Promise<T>
  appendSummary(markdown: string): Promise<void>
  setFailed(message: string): void
  /** makes the runner annotate matching lines of later steps' output (a GitHub problem matcher; elsewhere a no-op) */
  addProblemMatcher(file: string): void
  /** the environment the tool was started with */
  readonly env: Readonly<Record<string, string | undefined>>
  /** a directory private to this job for credential files and snapshots (RUNNER_TEMP on GitHub) */
  readonly tempDir: string
}
