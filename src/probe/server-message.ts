const MAX_LINES = 8
const MAX_BYTES = 8 * 81

/**
 * The part of an error body the go command prints after `server response:` — only for text/plain (utf-8, us-ascii
 * or no charset), at most 8 lines and 648 bytes, up to the first blank line, and nothing if a line holds
 * non-printable characters. Shown in our messages so they read like Go's.
 */
export function goServerMessage(contentType: string | undefined, body: string): string | undefined {
  const [mediaType = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase())
  if (mediaType !== 'text/plain') return undefined
  const charset = parameters
    .find((p) => p.startsWith('charset='))
    ?.slice('charset='.length)
    .replace(/"/g, '')
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'us-ascii') return undefined
  const lines: string[] = []
  let bytes = 0
  for (const line of body.slice(0, MAX_BYTES).split('\n')) {
    const trimmed = line.replace(/\r$/, '')
    if (trimmed.trim() === '' || lines.length >= MAX_LINES) break
    if (/[^\P{C}\t]/u.test(trimmed)) return undefined
    bytes += Buffer.byteLength(trimmed) + 1
    if (bytes > MAX_BYTES) break
    lines.push(trimmed)
  }
  return lines.length === 0 ? undefined : lines.join('\n')
}
