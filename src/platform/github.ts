import * as core from '@actions/core'
import os from 'node:os'
import type { Redactor } from '../secrets/redactor.js'
import type { Annotation, Platform } from './platform.js'

/** GitHub Actions, through @actions/core. Every string goes through the Redactor before the runner sees it. */
export function createGitHubPlatform(redactor: Redactor, env: NodeJS.ProcessEnv = process.env): Platform {
  const clean = (text: string): string => redactor.redact(text)
  const props = (a?: Annotation): core.AnnotationProperties | undefined =>
    a === undefined ? undefined : { ...a, title: a.title === undefined ? undefined : clean(a.title) }
  return {
    name: 'github',
    input: (name) => core.getInput(name, { trimWhitespace: false }),
    setSecret: (secret) => {
      redactor.addValue(secret)
      core.setSecret(secret)
    },
    exportVariable: (name, value) => core.exportVariable(name, clean(value)),
    setOutput: (name, value) => core.setOutput(name, clean(value)),
    saveState: (name, value) => core.saveState(name, clean(value)),
    getState: (name) => core.getState(name),
    debug: (message) => core.debug(clean(message)),
    info: (message) => core.info(clean(message)),
    notice: (message, a) => core.notice(clean(message), props(a)),
    warning: (message, a) => core.warning(clean(message), props(a)),
    error: (message, a) => core.error(clean(message), props(a)),
    group: (title, fn) => core.group(clean(title), fn),
    appendSummary: async (markdown) => {
      if (!env['GITHUB_STEP_SUMMARY']) return
      await core.summary.addRaw(clean(markdown), true).write()
      core.summary.emptyBuffer()
    },
    setFailed: (message) => core.setFailed(clean(message)),
    // @actions/core has no call for this workflow command; the matcher stays for every later step of the job
    addProblemMatcher: (file) => void process.stdout.write(`::add-matcher::${file}${os.EOL}`),
    env,
    tempDir: env['RUNNER_TEMP'] || os.tmpdir(),
  }
}
