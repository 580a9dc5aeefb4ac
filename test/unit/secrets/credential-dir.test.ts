import { afterAll, describe, expect, it, test } from '@jest/globals'
import { readdir, stat, symlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { createWorkDir, TempDirError, tempDirVariable } from '../../../src/secrets/credential-dir.js'
import { removeTempDirs, tempDir } from '../../helpers/temp-dir.js'

afterAll(removeTempDirs)

describe('createWorkDir', () => {
  it('makes a private directory of its own under the temp dir', async () => {
    const temp = await tempDir('workdir-unit-')
    const dir = await createWorkDir(temp, 'RUNNER_TEMP')
    expect(path.dirname(dir)).toBe(temp)
    expect(path.basename(dir)).toMatch(/^goproxy-guard-/)
    expect((await stat(dir)).mode & 0o777).toBe(0o700)
  })

  it('follows a temp dir that is a symbolic link to a directory', async () => {
    const temp = await tempDir('workdir-unit-')
    await symlink(temp, path.join(temp, 'link'))
    expect(path.dirname(await createWorkDir(path.join(temp, 'link'), 'TMPDIR'))).toBe(path.join(temp, 'link'))
  })

  test.each([
    [
      'relative',
      'runner-temp',
      "RUNNER_TEMP ('runner-temp') is not an absolute path: the credential files would be written relative to the current directory, inside the checkout.",
    ],
    ['empty', '', 'RUNNER_TEMP (empty) is not an absolute path'],
    ['missing', 'MISSING', "RUNNER_TEMP ('MISSING') cannot be used: it does not exist."],
    ['a file', 'FILE', "RUNNER_TEMP ('FILE') is not a directory."],
    ['below a file', 'FILE/sub', "RUNNER_TEMP ('FILE/sub') cannot be used: a part of the path is not a directory."],
  ])(
    'refuses a temp dir that is %s, naming the variable and the fix, and writes nothing',
    async (_what, given, text) => {
      const temp = await tempDir('workdir-unit-')
      await writeFile(path.join(temp, 'file'), '')
      const tempDirValue = given.replace('MISSING', path.join(temp, 'missing')).replace('FILE', path.join(temp, 'file'))
      const error = await createWorkDir(tempDirValue, 'RUNNER_TEMP').then(
        () => undefined,
        (e: unknown) => e,
      )
      expect(error).toBeInstanceOf(TempDirError)
      const message = (error as Error).message.replaceAll(temp, 'TEMP')
      expect(message).toContain(text.replace('MISSING', 'TEMP/missing').replaceAll('FILE', 'TEMP/file'))
      expect(message).toContain('Point RUNNER_TEMP at an absolute path to a directory private to this job')
      expect(message).not.toContain('\n')
      expect(await readdir(temp)).toEqual(['file'])
    },
  )
})

describe('tempDirVariable', () => {
  test.each([
    [{ RUNNER_TEMP: '/r', TMPDIR: '/t' }, '/r', 'RUNNER_TEMP'],
    [{ TMPDIR: '/t/' }, '/t', 'TMPDIR'],
    [{ RUNNER_TEMP: '', TMPDIR: '/t' }, '/t', 'TMPDIR'],
    [{}, '/tmp', 'the system temp directory'],
  ])('%j with %s: %s', (env, dir, variable) => {
    expect(tempDirVariable(env, dir)).toBe(variable)
  })
})
