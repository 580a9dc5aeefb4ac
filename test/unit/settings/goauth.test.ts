import { describe, expect, it, test } from '@jest/globals'
import { InputError } from '../../../src/settings/errors.js'
import { parseGoauth } from '../../../src/settings/goauth.js'

// Go texts checked with go1.26.8 (`go mod download` through an https proxy on 127.0.0.1, no network).

describe('parseGoauth: accepted values', () => {
  test.each([
    ['netrc', ['netrc']],
    ['off', ['off']],
    ['git /home/runner/work/repo', ['git /home/runner/work/repo']],
    ['git C:\\actions-runner\\_work\\repo', ['git C:\\actions-runner\\_work\\repo']],
    ['netrc; git /srv/checkout', ['netrc', 'git /srv/checkout']],
    ['/usr/local/bin/creds-helper --scope=go;netrc', ['/usr/local/bin/creds-helper --scope=go', 'netrc']],
    [`"/opt/my helper/bin/auth" --flag`, [`"/opt/my helper/bin/auth" --flag`]],
    // a tab is white space to Go; white space around the value is dropped
    ['netrc;\tgit /srv/checkout\n', ['netrc', 'git /srv/checkout']],
  ])('%j', (raw, commands) => {
    const result = parseGoauth(raw)
    expect(result.value.commands).toEqual(commands)
    expect(result.value.value).toBe(commands.join(';'))
    expect(result.warnings).toEqual([])
  })

  it('warns about words Go ignores after netrc', () => {
    expect(parseGoauth('netrc /home/me/.netrc').warnings[0]).toContain("the words after 'netrc' are ignored by Go")
  })
})

describe('parseGoauth: what Go refuses', () => {
  test.each([
    ['netrc;', 'go: GOAUTH encountered an empty command (GOAUTH=netrc;)'],
    [';', 'go: GOAUTH encountered an empty command (GOAUTH=;)'],
    ['netrc; ;git /tmp', 'go: GOAUTH encountered an empty command (GOAUTH=netrc; ;git /tmp)'],
    ['off;netrc', 'go: GOAUTH=off cannot be combined with other authentication commands (GOAUTH=off;netrc)'],
    ['git', 'go: GOAUTH=git dir method requires an absolute path to the git working directory.'],
    ['git /tmp a', 'go: GOAUTH=git dir method requires an absolute path to the git working directory.'],
    [
      'git rel/dir',
      'go: GOAUTH=git dir method requires an absolute path to the git working directory, dir is not absolute',
    ],
    // Go only logs this with -x and never runs the command
    [`'/opt/helper --x`, "cannot be split into words (unterminated ' string)"],
  ])('%j', (raw, goText) => {
    let error: unknown
    try {
      parseGoauth(raw)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toContain("Input 'goauth'")
    expect((error as InputError).message).toContain(goText)
  })

  // Go splits GOAUTH at ';' only (checked with go1.26.8: GOAUTH=$'off\nnetrc' is off alone, GOAUTH='off;netrc' stops
  // with "cannot be combined"), so a line break was never a separator to Go: exporting it as one would add a command
  test.each([
    ['netrc\ngit /srv/checkout', 'holds a line feed (U+000A) at character 6'],
    ['netrc\n/usr/bin/evil', 'holds a line feed (U+000A) at character 6'],
    ['netrc;\r\ngit /srv/checkout', 'holds a carriage return (U+000D) at character 7'],
    ['/opt/helper \x00', 'holds a NUL character (U+0000) at character 13'],
    ['/opt/help\x7fer', 'holds a control character (U+007F) at character 10'],
  ])('refuses %j', (raw, text) => {
    expect(() => parseGoauth(raw)).toThrow(InputError)
    expect(() => parseGoauth(raw)).toThrow("Input 'goauth'")
    expect(() => parseGoauth(raw)).toThrow(text)
    expect(() => parseGoauth(raw)).toThrow("Write the commands on one line, separated by ';'")
  })

  it('reports the error Go meets first: Go checks the commands from the last', () => {
    expect(() => parseGoauth('off;git rel')).toThrow('dir is not absolute')
    expect(() => parseGoauth('git rel;off')).toThrow('GOAUTH=off cannot be combined')
  })

  it('refuses an empty value, pointing at the default', () => {
    expect(() => parseGoauth('')).toThrow(/empty.*netrc/)
  })

  it('keeps URL credentials of a command out of the message', () => {
    expect(() => parseGoauth('netrc;;helper https://u:hunter2@h')).not.toThrow(/hunter2/)
    expect(() => parseGoauth('netrc;;helper https://u:hunter2@h')).toThrow(InputError)
  })
})
