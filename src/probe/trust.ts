import { readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import tls from 'node:tls'

/** Where Go looks for roots on Linux and other Unix systems (crypto/x509 root_linux.go), first readable file wins. */
const GO_CERT_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/pki/tls/cacert.pem',
  '/etc/pki/ca-trust/extracted/pem/tls-ca-bundle.pem',
  '/etc/ssl/cert.pem',
]
const GO_CERT_DIRECTORIES = ['/etc/ssl/certs', '/etc/pki/tls/certs']

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

function pemBlocks(text: string): string[] {
  return text.match(PEM_CERTIFICATE) ?? []
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

function readDirectory(directory: string): string[] {
  let names: string[]
  try {
    names = readdirSync(directory)
  } catch {
    return []
  }
  const blocks: string[] = []
  for (const name of names) {
    const file = path.join(directory, name)
    try {
      if (!statSync(file).isFile()) continue
    } catch {
      continue
    }
    blocks.push(...pemBlocks(readText(file) ?? ''))
  }
  return blocks
}

/**
 * The roots the go command trusts, so a probe fails on a certificate exactly when Go would.
 *
 * On Linux and other Unix systems Go reads SSL_CERT_FILE (instead of its list of well-known bundle files, first
 * readable one wins) and every file in the SSL_CERT_DIR directories (colon-separated, instead of /etc/ssl/certs and
 * /etc/pki/tls/certs). On macOS and Windows Go asks the operating system and ignores both variables; there we use
 * Node's bundled roots plus the system store. If nothing is found (a minimal container), Node's bundled roots stand in.
 */
export function goTrustedCertificates(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): string[] {
  if (platform === 'darwin' || platform === 'win32') {
    return unique([...tls.getCACertificates('bundled'), ...systemCertificates()])
  }
  const certFile = env['SSL_CERT_FILE'] ?? ''
  const files = certFile !== '' ? [certFile] : GO_CERT_FILES
  const found: string[] = []
  for (const file of files) {
    const text = readText(file)
    if (text !== undefined) {
      found.push(...pemBlocks(text))
      break
    }
  }
  const certDir = env['SSL_CERT_DIR'] ?? ''
  const directories = certDir !== '' ? certDir.split(':').filter((d) => d !== '') : GO_CERT_DIRECTORIES
  for (const directory of directories) found.push(...readDirectory(directory))
  return found.length > 0 ? unique(found) : [...tls.rootCertificates]
}

function systemCertificates(): string[] {
  try {
    return tls.getCACertificates('system')
  } catch {
    return []
  }
}

function unique(blocks: string[]): string[] {
  return [...new Set(blocks.map((b) => b.trim()))]
}
