import { replaceUserinfo, userinfoInText } from './url-userinfo.js'

/** Invalid user input. The message names the input, shows the value without credentials, and says how to fix it. */
export class InputError extends Error {
  override readonly name = 'InputError'
  constructor(
    readonly input: string,
    message: string,
  ) {
    super(`Input '${input}': ${message}`)
  }
}

/** Several invalid inputs, reported together so one run shows every problem. */
export class InputErrors extends Error {
  override readonly name = 'InputErrors'
  constructor(readonly errors: InputError[]) {
    super(errors.map((e) => e.message).join('\n'))
  }
}

/**
 * Replaces the userinfo of every URL in `text` with `***`, so a line can be printed: up to the last '@' before the
 * host, so a password holding an '@' is hidden whole. Linear in the length of `text` (see url-userinfo.ts).
 */
export function withoutUserinfo(text: string): string {
  return replaceUserinfo(text, userinfoInText(text), '***')
}
