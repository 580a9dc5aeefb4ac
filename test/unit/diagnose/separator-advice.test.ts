import { describe, expect, it } from '@jest/globals'
import { classifyGoFailure } from '../../../src/diagnose/classify.js'
import { parseGoproxy } from '../../../src/settings/goproxy.js'

const stderr =
  'go: example.com/greet@v1.0.0: reading https://proxy.corp.example/example.com/greet/@v/v1.0.0.info: 503 Service Unavailable\n'

describe('the `|` advice', () => {
  it.each([
    ['https://proxy.corp.example,https://proxy.golang.org', true],
    ['https://proxy.corp.example,direct', true],
    ['https://proxy.corp.example,off', false],
    ['https://proxy.corp.example', false],
    ['https://proxy.corp.example|https://proxy.golang.org', false],
  ])('GOPROXY=%s → advise `|`: %s', (goproxy, advised) => {
    const [diagnosis] = classifyGoFailure(stderr, { goproxy: parseGoproxy(goproxy).value.entries })
    expect(diagnosis?.fix.includes('put `|` after this proxy')).toBe(advised)
  })
})
