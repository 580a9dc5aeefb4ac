/*
 * Go's case-encoding of module paths and versions in the module cache and on the proxy protocol
 * (golang.org/x/mod/module EscapePath / UnescapePath): every upper-case letter becomes `!` and its lower-case form,
 * so that case-insensitive file systems keep `github.com/Azure` and `github.com/azure` apart. `!` itself never
 * appears in a valid path or version.
 */

/** `github.com/Azure/go` → `github.com/!azure/go` */
export function escapeModulePath(text: string): string {
  let out = ''
  for (const ch of text) out += ch >= 'A' && ch <= 'Z' ? `!${ch.toLowerCase()}` : ch
  return out
}

/** The inverse of escapeModulePath; undefined for text Go would refuse (an upper-case letter, a `!` not before a-z). */
export function unescapeModulePath(text: string): string | undefined {
  let out = ''
  let bang = false
  for (const ch of text) {
    if (bang) {
      if (ch < 'a' || ch > 'z') return undefined
      out += ch.toUpperCase()
      bang = false
    } else if (ch === '!') bang = true
    else if (ch >= 'A' && ch <= 'Z') return undefined
    else out += ch
  }
  return bang ? undefined : out
}
