import os from 'node:os'
import path from 'node:path'
import type { Platform } from '../platform/platform.js'
import { readExistingNetrc, writePrivateFile } from '../secrets/credential-dir.js'
import { renderGitCredentialConfig } from '../secrets/git-config.js'
import { netrcEntries, renderNetrc } from '../secrets/netrc.js'
import type { CredentialFiles } from '../goenv/environment.js'
import type { Settings } from '../settings/types.js'

/**
 * Every URL Go will send credentials to, so the netrc covers each host:port it uses: the inputs' GOPROXY and GOSUMDB,
 * or, where an input leaves one unset, the value the job's environment already holds (often set workflow-wide).
 */
export function credentialUrls(settings: Settings, env: Readonly<Record<string, string | undefined>> = {}): string[] {
  const urls: string[] = []
  if (settings.goproxy) {
    for (const entry of settings.goproxy.entries) if (entry.url) urls.push(entry.url)
  } else {
    urls.push(
      ...(env['GOPROXY'] ?? '')
        .split(/[,|]/)
        .map((e) => e.trim())
        .filter((e) => e.includes('://')),
    )
  }
  if (settings.gosumdb) {
    if (settings.gosumdb.url) urls.push(settings.gosumdb.url)
  } else {
    const url = (env['GOSUMDB'] ?? '').trim().split(/\s+/)[1]
    if (url !== undefined) urls.push(url)
  }
  return urls
}

/**
 * Writes the netrc (ours first, then what the job's netrc already held) and the git include file, mode 0600, in a
 * directory of our own under the temp dir. Nothing is written when there are no credentials.
 */
export async function writeCredentialFiles(
  settings: Settings,
  platform: Platform,
  workDir: string,
): Promise<CredentialFiles> {
  if (settings.credentials.length === 0) return {}
  const netrc = path.join(workDir, 'netrc')
  const gitConfig = path.join(workDir, 'git-credentials.config')
  const existing = await readExistingNetrc(platform.env, platform.env['HOME'] || os.homedir())
  await writePrivateFile(
    netrc,
    renderNetrc(netrcEntries(settings.credentials, credentialUrls(settings, platform.env)), existing),
  )
  await writePrivateFile(gitConfig, renderGitCredentialConfig(settings.credentials))
  return { netrc, gitConfig }
}
