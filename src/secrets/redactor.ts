/** What replaces a secret in every string the tool emits. */
export const MASK = '***'

/**
 * Shortest text masked on its own when it is only a piece or an encoding of a secret (a user name, a word of a
 * password, a base64 fragment): shorter ones would mask ordinary words. A secret itself is masked whatever its length.
 */
export const MIN_MASKED_LENGTH = 6

/**
 * Removes every registered secret, and every form of it that commonly reaches a log, from text.
 * The GitHub runner masks only what it was told about, and the CLI and GitLab have no runner at all,
 * so every string the tool prints or writes passes through here.
 */
export class Redactor {
  private readonly values = new Set<string>()
  private pattern: RegExp | undefined

  /** Registers a secret and its variants; returns the variants worth registering with the platform too. */
  addSecret(secret: string): string[] {
    if (secret === '') return []
    const forms = [secret, ...encodedForms(secret)]
    for (const form of forms) this.add(form)
    return forms
  }

  /** Registers a username/secret pair: the secret, its variants, and the Basic credential built from both. */
  addCredential(username: string, secret: string): string[] {
    const forms = this.addSecret(secret)
    const basic = Buffer.from(`${username}:${secret}`).toString('base64')
    this.add(basic)
    return [...forms, basic]
  }

  /** Registers a whole value (a URL that held a credential) as it was written. */
  addValue(value: string): void {
    if (value !== '') this.add(value)
  }

  get size(): number {
    return this.values.size
  }

  redact(text: string): string {
    if (this.values.size === 0 || text === '') return text
    // built when first needed after a change, not once per value added: adding n values stays linear
    this.pattern ??= new RegExp(
      // longest first, so a URL is masked whole before the secret inside it
      [...this.values]
        .sort((a, b) => b.length - a.length)
        .map(escapeRegExp)
        .join('|'),
      'g',
    )
    return text.replace(this.pattern, MASK)
  }

  private add(value: string): void {
    if (this.values.has(value)) return
    this.values.add(value)
    this.pattern = undefined
  }
}

/** URL-encoded, JSON-escaped and base64 forms, including the secret's base64 inside a longer encoded string. */
export function encodedForms(secret: string): string[] {
  const forms = new Set<string>()
  forms.add(encodeURIComponent(secret))
  forms.add(encodeURIComponent(secret).replace(/%20/g, '+'))
  forms.add(JSON.stringify(secret).slice(1, -1))
  const bytes = Buffer.from(secret)
  forms.add(bytes.toString('base64'))
  forms.add(bytes.toString('base64url'))
  for (const fragment of base64Fragments(bytes)) {
    forms.add(fragment)
    forms.add(fragment.replace(/\+/g, '-').replace(/\//g, '_'))
  }
  forms.delete(secret)
  return [...forms].filter((form) => form.length >= MIN_MASKED_LENGTH)
}

/**
 * The characters of base64(prefix + secret + suffix) that depend on the secret alone, for each of the three
 * alignments a prefix can give: `user:secret` encodes the secret differently depending on the user's length.
 */
function base64Fragments(secret: Buffer): string[] {
  const fragments: string[] = []
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), secret])
      .toString('base64')
      .replace(/=+$/, '')
    const first = Math.ceil((8 * shift) / 6)
    const end = Math.floor((8 * (shift + secret.length)) / 6)
    if (end > first) fragments.push(encoded.slice(first, end))
  }
  return fragments
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
