import { compareGoVersions, isLanguageVersion } from './go-version.js'

/**
 * The toolchain the go command switches to in a module, by Go's own rules (cmd/go/internal/toolchain/select.go):
 * GOTOOLCHAIN `local` never switches; `<name>` forces that toolchain; `auto` / `<name>+auto` switch up to the go.mod's
 * `toolchain` line or `go` line when either is newer than the minimum (a bare language version from 1.21 on means
 * its `.0` release); `path` / `+path` switch too but take the toolchain from PATH, never downloading it. Undefined
 * when the local toolchain runs. `download` says whether Go fetches `golang.org/toolchain` for it.
 */
export function toolchainSwitch(
  gotoolchain: string,
  localVersion: string,
  goLine: string | undefined,
  toolchainLine: string | undefined,
): { toolchain: string; download: boolean } | undefined {
  const setting = gotoolchain.trim() === '' ? 'auto' : gotoolchain.trim()
  const local = localVersion.replace(/^go/, '')
  let toolchain = `go${local}`
  let minimum = local
  let mode: string
  if (setting === 'auto' || setting === 'path') mode = setting
  else {
    const plus = setting.indexOf('+')
    const name = plus < 0 ? setting : setting.slice(0, plus)
    mode = plus < 0 ? '' : setting.slice(plus + 1)
    if (name !== 'local') {
      toolchain = name
      minimum = name.replace(/^go/, '')
    }
  }
  if (mode === 'auto' || mode === 'path') {
    if (toolchainLine !== undefined && toolchainLine !== 'default') {
      const version = toolchainLine.replace(/^go/, '')
      if ((compareGoVersions(version, minimum) ?? 0) > 0) {
        toolchain = toolchainLine
        minimum = version
      }
    }
    if (goLine !== undefined && (compareGoVersions(goLine, minimum) ?? 0) > 0) {
      toolchain = `go${goLine}${isLanguageVersion(goLine) && (compareGoVersions(goLine, '1.21') ?? -1) >= 0 ? '.0' : ''}`
    }
  }
  if (toolchain.replace(/^go/, '') === local) return undefined
  return { toolchain, download: mode !== 'path' }
}
